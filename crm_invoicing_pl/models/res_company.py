from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    pl_place_of_issue = fields.Char(
        string="Place of Issue",
        help="Printed on Polish sales documents; the company's city when empty.",
    )
    pl_cash_accounting = fields.Boolean(
        string="Cash Accounting (metoda kasowa)",
        help="Prints 'metoda kasowa' on every VAT invoice.",
    )
    pl_sale_date_policy = fields.Selection(
        [
            ("always", "Always print the sale date"),
            ("when_different", "Print the sale date only when it differs"),
        ],
        string="Sale Date on Invoices",
        default="when_different",
        required=True,
    )

    pl_nbp_rates = fields.Boolean(
        string="Daily NBP Rates",
        help="Record the NBP table A average rates every working day as the "
        "company's currency rates (active currencies only).",
    )

    def _pl_place_of_issue(self):
        self.ensure_one()
        return self.pl_place_of_issue or self.city or ""
