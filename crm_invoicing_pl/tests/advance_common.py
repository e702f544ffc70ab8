"""The goods of the advance and final invoices of the tests: three VAT rates.

The order of the advance tests: 3 x 100,00 at 23 %, 250,00 at 8 % and
131,00 exempt (zw): 369,00 + 270,00 + 131,00 = 770,00 gross, entered on an
advance made without a sale order (test_advance_manual.py) or ordered
(crm_invoicing_pl_sale's tests).
"""

from odoo import Command

from .common import PlInvoicingCommon

EXEMPTION = "art. 43 ust. 1 pkt 18 ustawy o VAT"


class AdvanceGoodsCommon(PlInvoicingCommon):
    """The goods at 8 % and exempt beside those at 23 %, and helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax_zw.pl_exemption_basis = EXEMPTION
        cls.goods_8 = cls._create_product(
            name="Książka",
            lst_price=250.0,
            taxes_id=[Command.set(cls.tax_8.ids)],
        )
        cls.goods_zw = cls._create_product(
            name="Szkolenie zwolnione",
            type="service",
            lst_price=131.0,
            taxes_id=[Command.set(cls.tax_zw.ids)],
        )

    def per_tax(self, move):
        """{tax: (net, tax)} of a move, from its journal items."""
        sign = move.direction_sign
        result = {}
        for line in move.line_ids.filtered(lambda ml: ml.display_type == "product"):
            for tax in line.tax_ids:
                net, vat = result.get(tax, (0.0, 0.0))
                result[tax] = (net + line.amount_currency * sign, vat)
        for line in move.line_ids.filtered(lambda ml: ml.display_type == "tax"):
            net, vat = result.get(line.tax_line_id, (0.0, 0.0))
            result[line.tax_line_id] = (net, vat + line.amount_currency * sign)
        return {
            tax: (round(net, 2), round(vat, 2)) for tax, (net, vat) in result.items()
        }

    def correct(self, advance, prices):
        """Credit note of ``advance`` with new prices per tax, posted."""
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=advance.ids)
            .create(
                {"reason": "Zwrot części zaliczki", "journal_id": advance.journal_id.id}
            )
        )
        reversal.refund_moves()
        correction = advance.reversal_move_ids
        correction.write(
            {
                "invoice_line_ids": [
                    Command.update(line.id, {"price_unit": prices[line.tax_ids]})
                    for line in correction.invoice_line_ids.filtered("is_downpayment")
                ]
            }
        )
        correction.action_post()
        return correction
