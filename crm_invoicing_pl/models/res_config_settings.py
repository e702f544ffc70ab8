from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pl_documents_enabled = fields.Boolean(
        related="company_id.pl_documents_enabled", readonly=False
    )
    pl_place_of_issue = fields.Char(
        related="company_id.pl_place_of_issue", readonly=False
    )
    pl_cash_accounting = fields.Boolean(
        related="company_id.pl_cash_accounting", readonly=False
    )
    pl_nbp_rates = fields.Boolean(related="company_id.pl_nbp_rates", readonly=False)
    pl_invoice_days_ahead = fields.Integer(
        related="company_id.pl_invoice_days_ahead", readonly=False
    )
    pl_invoice_date_from = fields.Date(
        related="company_id.pl_invoice_date_from", readonly=False
    )
    pl_sale_date_policy = fields.Selection(
        related="company_id.pl_sale_date_policy", readonly=False
    )

    def action_pl_update_nbp_rates(self):
        self.ensure_one()
        count = self.env["res.currency"]._pl_update_nbp_rates(self.company_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%s NBP rates recorded.", count),
            },
        }
