from odoo import fields, models

INTEREST_DENOMINATORS = [
    ("365", "365 days"),
    ("actual", "Actual days of the year (366 in a leap year)"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_interest_denominator = fields.Selection(
        INTEREST_DENOMINATORS,
        string="Interest Day Count",
        default="365",
        required=True,
        help="Interest = amount x annual rate x days / 365, or / the actual "
        "days of each year (366 in a leap year).",
    )

    def _crm_dunning_denominator(self):
        self.ensure_one()
        return 365 if self.dunning_interest_denominator == "365" else "actual"
