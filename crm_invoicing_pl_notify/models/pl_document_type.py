from odoo import fields, models


class PlDocumentType(models.Model):
    _inherit = "pl.document.type"

    # Notifications on issue (see account_move.py).
    pl_notify_email = fields.Boolean(
        string="E-mail on Issue",
        help="E-mail the document with its PDF to the customer when it is "
        "issued (unless the customer's notification preference says otherwise).",
    )
    pl_mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain="[('model', '=', 'account.move')]",
        help="Empty: the add-on's template for this kind of document.",
    )
    pl_notify_sms = fields.Boolean(
        string="SMS on Issue",
        help="Send the customer a short SMS with a link to the document when "
        "it is issued (unless the customer's notification preference says "
        "otherwise).",
    )
    pl_sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain="[('model', '=', 'account.move')]",
        help="Empty: the add-on's Polish SMS (title, number, amount, link).",
    )
