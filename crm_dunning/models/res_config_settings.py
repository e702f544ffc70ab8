from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_interest_denominator = fields.Selection(
        related="company_id.dunning_interest_denominator", readonly=False
    )
    dunning_rates_warning = fields.Text(
        compute="_compute_dunning_rates_warning",
        help="Kinds of statutory interest without a rate for today or the next "
        "30 days.",
    )

    def _compute_dunning_rates_warning(self):
        warning = self.env["crm.dunning.interest.rate"]._pl_coverage_warning()
        for record in self:
            record.dunning_rates_warning = warning
