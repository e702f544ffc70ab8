from odoo import api, fields, models

NOTIFY_PREFERENCES = [
    ("doc_type", "As the document type says"),
    ("email", "E-mail only"),
    ("sms", "SMS only"),
    ("both", "E-mail and SMS"),
    ("none", "None"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    pl_invoice_notify = fields.Selection(
        NOTIFY_PREFERENCES,
        string="Invoice Notifications",
        default="doc_type",
        required=True,
        help="How this customer is told about a new invoice or pro forma: as "
        "the document type says, or always by e-mail, SMS, both, or never.",
    )

    @api.model
    def _commercial_fields(self):
        # Managed on the commercial entity, copied to its contacts.
        return [*super()._commercial_fields(), "pl_invoice_notify"]
