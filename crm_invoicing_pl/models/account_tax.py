import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.advance import RateBucket

# JPK_V7 tax report boxes (l10n_pl tags) telling what kind of supply a tax is.
TAG_KINDS = (
    ("K_10", "exempt"),
    ("K_31", "reverse_charge"),
    ("K_11", "not_subject"),
    ("K_12", "not_subject"),
    ("K_21", "intra_eu"),
    ("K_22", "export"),
    ("K_13", "zero"),
    # TAX FREE: 0 % for travellers' refunds (art. 129).
    ("K_14", "zero"),
)


def pl_tax_key(taxes):
    """The key of a VAT rate bucket: the ids of the line's taxes."""
    return ",".join(str(tax_id) for tax_id in sorted(taxes.ids)) or "none"


class AccountTax(models.Model):
    _inherit = "account.tax"

    pl_vat_kind = fields.Selection(
        [
            ("standard", "Taxed"),
            ("zero", "0% domestic"),
            ("exempt", "Exempt (zw)"),
            ("reverse_charge", "Reverse charge (oo)"),
            ("not_subject", "Not subject to Polish VAT (np)"),
            ("intra_eu", "Intra-EU supply (0% WDT)"),
            ("export", "Export (0% EX)"),
        ],
        string="Polish VAT Kind",
        compute="_compute_pl_vat_kind",
        store=True,
        readonly=False,
        help="Decides the annotations printed on Polish invoices. Deduced from "
        "the tax report tags of l10n_pl; can be set by hand.",
    )
    pl_exemption_basis = fields.Char(
        string="Exemption Basis",
        translate=True,
        help="Legal basis printed on invoices with this exempt tax, e.g. "
        "'art. 43 ust. 1 pkt 37 ustawy o VAT'.",
    )

    @api.depends("invoice_repartition_line_ids.tag_ids")
    def _compute_pl_vat_kind(self):
        for tax in self:
            tag_names = {
                re.sub(r"^[+-]", "", name or "")
                for name in tax.invoice_repartition_line_ids.tag_ids.with_context(
                    lang="en_US"
                ).mapped("name")
            }
            tax.pl_vat_kind = next(
                (kind for tag, kind in TAG_KINDS if tag in tag_names), "standard"
            )

    # ------------------------------------------------------------------
    # Advance invoices: the split of an advance per VAT rate (art. 106f)
    # ------------------------------------------------------------------
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
        (account.move, pl_order_line_ids)."""
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
