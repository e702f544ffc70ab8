from odoo import fields, models


class CrmDunningRatesWarning(models.AbstractModel):
    """The warning shown where interest is computed when the statutory rates
    table does not cover today or the next 30 days (dunning runs, the
    interest-note wizard, Settings)."""

    _name = "crm.dunning.rates.warning"
    _description = "Statutory Interest Rates Coverage Warning"

    rates_warning = fields.Text(
        compute="_compute_rates_warning",
        help="Kinds of statutory interest without a rate for today or the next "
        "30 days.",
    )

    def _compute_rates_warning(self):
        warning = self.env["crm.dunning.interest.rate"]._pl_coverage_warning()
        for record in self:
            record.rates_warning = warning
