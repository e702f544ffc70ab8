# The advance split is a concern of its own, apart from the VAT kinds of
# account_tax.py.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models
from odoo.exceptions import UserError

from ..tools.advance import RateBucket


def pl_tax_key(taxes):
    """The key of a VAT rate bucket: the ids of the line's taxes."""
    return ",".join(str(tax_id) for tax_id in sorted(taxes.ids)) or "none"


class AccountTax(models.Model):
    _inherit = "account.tax"

    @api.model
    def _pl_spread_tax(self, taxes, currency, net, tax):
        """Manual amounts giving ``tax`` on ``net``, spread over ``taxes``.

        One VAT rate per line is the rule; several taxes share the tax in
        proportion to their rates, the last one taking the rounding rest.
        """
        amounts = {}
        rate_sum = sum(t.amount for t in taxes)
        left = tax
        for index, current in enumerate(taxes):
            if index == len(taxes) - 1:
                part = left
            else:
                part = (
                    currency.round(tax * current.amount / rate_sum) if rate_sum else 0.0
                )
            left = currency.round(left - part)
            amounts[str(current.id)] = {
                "tax_amount_currency": part,
                "base_amount_currency": net,
            }
        return amounts

    @api.model
    def _pl_tax_rate(self, taxes):
        """The VAT rate (%) of a line's taxes, for KP = ZB x SP / (100 + SP)."""
        flat = taxes.flatten_taxes_hierarchy()
        if any(tax.amount_type != "percent" for tax in flat):
            raise UserError(
                self.env._(
                    "Advance invoices need percentage VAT rates; %s is not one.",
                    ", ".join(flat.mapped("name")),
                )
            )
        return sum(flat.mapped("amount")) if flat else None

    @api.model
    def _pl_buckets_of_base_lines(self, base_lines, currency):
        """``(buckets, taxes)`` of base lines with their tax details (see
        crm_invoicing_pl_sale's sale.order._pl_order_buckets); the order entered
        on an advance invoice made without a sale order
        (account_move_advance_manual.py)."""
        amounts, taxes_by_key = {}, {}
        for base_line in base_lines:
            details = base_line["tax_details"]
            key = pl_tax_key(base_line["tax_ids"])
            taxes_by_key.setdefault(key, base_line["tax_ids"])
            net = (
                details["total_excluded_currency"]
                + details["delta_total_excluded_currency"]
            )
            tax = sum(data["tax_amount_currency"] for data in details["taxes_data"])
            total = amounts.setdefault(key, [0.0, 0.0])
            total[0] += net
            total[1] += tax
        return self._pl_rate_buckets(amounts, taxes_by_key, currency), taxes_by_key

    @api.model
    def _pl_rate_buckets(self, amounts, taxes_by_key, currency):
        """``{key: [net, tax]}`` as RateBuckets rounded in ``currency``."""
        buckets = []
        for key, (net, tax) in amounts.items():
            net, tax = currency.round(net), currency.round(tax)
            buckets.append(
                RateBucket(
                    key,
                    self._pl_tax_rate(taxes_by_key[key]),
                    net,
                    tax,
                    currency.round(net + tax),
                )
            )
        return buckets
