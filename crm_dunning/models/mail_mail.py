from odoo import api, models


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.model
    def _pl_retry_mail_models(self):
        # Dunning e-mails are retried like the invoices' own.
        return super()._pl_retry_mail_models() + ["crm.dunning.communication"]
