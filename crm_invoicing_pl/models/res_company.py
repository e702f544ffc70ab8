from odoo import api, fields, models
from odoo.exceptions import ValidationError


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

    # Offer approval rules (models/sale_order_approval.py): a rule that is on
    # sends offers exceeding its limit to an offer approver.
    pl_offer_approval_line_discount = fields.Boolean(
        string="Approve Line Discounts",
        help="Offers with a line discount above the limit need approval.",
    )
    pl_offer_approval_line_discount_limit = fields.Float(
        string="Line Discount Limit (%)", digits="Discount"
    )
    pl_offer_approval_order_discount = fields.Boolean(
        string="Approve Offer Discounts",
        help="Offers whose total discount (list prices against the untaxed "
        "total) is above the limit need approval.",
    )
    pl_offer_approval_order_discount_limit = fields.Float(
        string="Offer Discount Limit (%)", digits="Discount"
    )
    pl_offer_approval_amount = fields.Boolean(
        string="Approve Large Offers",
        help="Offers whose untaxed total, in the company currency, is above "
        "the limit need approval.",
    )
    pl_offer_approval_amount_limit = fields.Monetary(
        string="Offer Amount Limit", currency_field="currency_id"
    )

    @api.constrains(
        "pl_offer_approval_line_discount_limit",
        "pl_offer_approval_order_discount_limit",
        "pl_offer_approval_amount_limit",
    )
    def _check_pl_offer_approval_limits(self):
        for company in self:
            discounts = (
                company.pl_offer_approval_line_discount_limit,
                company.pl_offer_approval_order_discount_limit,
            )
            if any(not 0.0 <= limit <= 100.0 for limit in discounts):
                raise ValidationError(
                    self.env._("Discount limits must be between 0 and 100 %.")
                )
            if company.pl_offer_approval_amount_limit < 0.0:
                raise ValidationError(
                    self.env._("The offer amount limit cannot be negative.")
                )

    def _pl_place_of_issue(self):
        self.ensure_one()
        return self.pl_place_of_issue or self.city or ""
