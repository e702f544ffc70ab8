"""Down payment lines of Polish orders after a partial correction of an advance.

Odoo links a credit note of a down payment invoice to the down payment line of
the order (``sale_line_ids`` is copied by the reversal), then:

* counts the credit note's quantity (1) against the line: ``qty_invoiced``
  falls to 0 whatever the credit note's amount, so a final invoice deducts
  nothing for an advance that was only partly corrected (e.g. 1 230,00 →
  738,00 gross because part of the payment was returned);
* sets the line's price to the advance's price less the credit note's, but
  keeps the tax amounts of the advance in ``extra_tax_data``, so the tax of a
  deduction would be recomputed from the net instead of the advance's
  KP = ZB x SP / (100 + SP).

The choice here keeps Odoo's mechanism (the credit note lines stay linked to
the down payment line, the final invoice is Odoo's ``_create_invoices(final=
True)`` with its negative down payment lines) and corrects its two inputs from
the same source as tools/advance.py's ``final_settlement``,
``sale.order._pl_advance_line_amounts``:

* ``qty_invoiced`` of a down payment line is 1 while something of its advance
  remains after the corrections (0 once corrected to zero), plus the
  deductions of final invoices (−1 each, +1 for each credit note of one), so
  Odoo deducts a partly corrected advance exactly once;
* the deduction line of the final invoice gets, as net and manual tax
  amounts, exactly what remains of the advance on its VAT rate (advance less
  corrections), so the final invoice equals the settlement per rate.

Rewriting the down payment line itself at each correction was rejected: Odoo
skips it on locked orders, and it would have to be undone when a correction is
cancelled or reset to draft; computing from the documents is always current.
"""

from odoo import api, models
from odoo.tools.misc import format_date


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.depends("order_id.partner_id")
    def _compute_discount(self):
        """Add the customer discount to the pricelist's one.

        Still a stored compute with ``readonly=False``: a discount edited by
        hand is kept until the product, quantity, unit or customer changes.
        """
        discount_enabled = self.env[
            "product.pricelist.item"
        ]._is_discount_feature_enabled()
        res = super()._compute_discount()
        for line in self:
            if (
                not line.product_id
                or line.display_type
                or line.combo_item_id  # follows its combo line
                or line.is_downpayment
                or line._is_global_discount()
            ):
                continue
            # Without pricelist discounts, the standard compute leaves the old
            # value: start again from 0 so the customer discount is not stacked.
            pricelist_discount = (
                line.discount
                if line.order_id.pricelist_id and discount_enabled
                else 0.0
            )
            line.discount = line.order_id.partner_id._pl_combined_discount(
                pricelist_discount
            )
        return res

    def _pl_advance_dp_lines(self):
        """The down payment lines in ``self`` whose order issues Polish
        documents, grouped by order: ``{order: lines}``."""
        result = {}
        for line in self.filtered(
            lambda line: line.is_downpayment and not line.display_type and line.order_id
        ):
            result.setdefault(line.order_id, self.browse())
            result[line.order_id] |= line
        return {
            order: lines
            for order, lines in result.items()
            if order._pl_uses_polish_documents()
        }

    def _prepare_qty_invoiced(self):
        quantities = super()._prepare_qty_invoiced()
        for order, dp_lines in self._pl_advance_dp_lines().items():
            remaining = order._pl_advance_line_amounts()
            currency = order.currency_id
            for line in dp_lines:
                amounts = remaining.get(line)
                advanced = bool(amounts) and not currency.is_zero(
                    amounts[2] + amounts[3]
                )
                deducted = 0.0
                for aml in line._get_invoice_lines():
                    move = aml.move_id
                    if move.state == "cancel" and move.payment_state != (
                        "invoicing_legacy"
                    ):
                        continue
                    if aml.quantity >= 0:
                        continue  # the advance or a correction of it
                    # A deduction of a final invoice (−1), or its credit note.
                    if move.move_type == "out_invoice":
                        deducted += aml.quantity
                    elif move.move_type == "out_refund":
                        deducted -= aml.quantity
                quantities[line] = (1.0 if advanced else 0.0) + deducted
        return quantities

    def _prepare_invoice_line(self, **optional_values):
        values = super()._prepare_invoice_line(**optional_values)
        if (
            not self.is_downpayment
            or self.display_type
            or (values.get("quantity") or 0.0) >= 0
            or not self.order_id
            or not self.order_id._pl_uses_polish_documents()
        ):
            return values
        amounts = self.order_id._pl_advance_line_amounts().get(self)
        if amounts:
            values.update(self._pl_deduction_values(amounts[2], amounts[3]))
        return values

    def _pl_deduction_values(self, net, tax):
        """Deduction line of a final invoice: ``net`` and ``tax`` (what remains
        of the advance on this line) as price and manual tax amounts, negated
        by the quantity −1 like Odoo's own deduction."""
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        currency = self.order_id.currency_id
        net, tax = currency.round(net), currency.round(tax)
        taxes = self.tax_ids.flatten_taxes_hierarchy()
        extra = dict(self.extra_tax_data or {})
        extra.pop("manual_total_excluded", None)
        extra.update(
            {
                "currency_id": currency.id,
                "price_unit": net,
                "discount": 0.0,
                "quantity": 1.0,
                "rate": extra.get("rate") or self.order_id.currency_rate,
                "manual_total_excluded_currency": net,
                "manual_tax_amounts": AccountTax._pl_spread_tax(
                    taxes, currency, net, tax
                ),
            }
        )
        return {
            "quantity": -1.0,
            "price_unit": net,
            "discount": 0.0,
            "extra_tax_data": AccountTax._reverse_quantity_base_line_extra_tax_data(
                extra
            ),
        }

    def _get_downpayment_description(self):
        # EXTENDS sale: the deduction line of a final invoice names the advance
        # invoice by its number and date in words of its own (Odoo's Polish
        # translation of "Down Payment (ref: %s on %s)" keeps the English "on").
        name = super()._get_downpayment_description()
        if self.display_type or self._get_downpayment_state() in ("draft", "cancel"):
            return name
        invoice = (
            self._get_invoice_lines()
            .filtered(lambda aml: aml.quantity >= 0)
            .move_id.filtered(lambda move: move.move_type == "out_invoice")
        )
        if len(invoice) == 1 and invoice.name and invoice.invoice_date:
            return self.env._(
                "Advance invoice %(number)s of %(date)s",
                number=invoice.name,
                date=format_date(self.env, invoice.invoice_date),
            )
        return name
