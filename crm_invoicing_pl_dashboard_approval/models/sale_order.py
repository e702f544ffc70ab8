from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    pl_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    pl_amount_untaxed_company = fields.Monetary(
        string="Untaxed Total in Company Currency",
        currency_field="pl_company_currency_id",
        compute="_compute_pl_amount_untaxed_company",
        store=True,
        help="The untaxed total at the offer's rate, as the offer approval "
        "rules compare it; the Approvals dashboard adds it up.",
    )

    @api.depends("amount_untaxed", "currency_id", "currency_rate", "company_id")
    def _compute_pl_amount_untaxed_company(self):
        for order in self:
            order.pl_amount_untaxed_company = order._pl_offer_amount()
