"""A partly corrected advance, and the order block frozen on an issued advance.

The order: 20 x 100,00 at 23 % (2 460,00 gross) and 10 x 250,00 at 8 %
(2 700,00 gross), 5 160,00 in all. The advance of 50 % is 2 580,00: 1 230,00
at 23 % (1 000,00 + 230,00) and 1 350,00 at 8 % (1 250,00 + 100,00). Part of
the payment is returned and the advance corrected (faktura korygująca) to
738,00 at 23 % (600,00 + 138,00) and 1 080,00 at 8 % (1 000,00 + 80,00):
1 818,00 remains.
"""

from odoo.addons.crm_invoicing_pl.tests.pdf_report import PdfReportMixin
from odoo.tests import HttpCase, tagged

from .test_advance_invoice import AdvanceCommon


class AdvanceCorrectionCommon(AdvanceCommon):
    def make_big_order(self):
        return self.make_order(lines=[(self.goods, 20), (self.goods_8, 10)])

    def advance_and_correct(self, order):
        advance = self.advance(order, 50.0, method="percentage")
        self.assertEqual(
            self.per_tax(advance),
            {self.tax_23: (1000.0, 230.0), self.tax_8: (1250.0, 100.0)},
        )
        correction = self.correct(advance, {self.tax_23: 400.0, self.tax_8: 250.0})
        self.assertEqual(correction.move_type, "out_refund")
        self.assertEqual(correction.pl_sale_order_id, order)
        self.assertEqual(
            self.per_tax(correction),
            {self.tax_23: (400.0, 92.0), self.tax_8: (250.0, 20.0)},
        )
        return advance, correction

    def dp_lines(self, order):
        return order.order_line.filtered(
            lambda line: line.is_downpayment and not line.display_type
        )

    def final_invoice(self, order):
        return self.env["account.move"].browse(
            order.action_pl_final_invoice()["res_id"]
        )


@tagged("post_install", "-at_install")
class TestAdvanceCorrection(AdvanceCorrectionCommon):
    def test_final_deducts_what_remains_of_a_corrected_advance(self):
        order = self.make_big_order()
        self.assertAlmostEqual(order.amount_total, 5160.0)
        advance, _correction = self.advance_and_correct(order)
        # The advance still counts with what remains of it, per rate.
        [(counted, split)] = order._pl_advances()
        self.assertEqual(counted, advance)
        self.assertEqual(
            [(float(b.net), float(b.tax), float(b.gross)) for b in split],
            [(600.0, 138.0, 738.0), (1000.0, 80.0, 1080.0)],
        )
        # Its down payment lines are still to be deducted by the final invoice.
        self.assertEqual(self.dp_lines(order).mapped("qty_invoiced"), [1.0, 1.0])
        final = self.final_invoice(order)
        self.assertEqual(final.pl_document_kind, "final")
        deductions = final.invoice_line_ids.filtered("is_downpayment")
        self.assertEqual(
            sorted((line.price_subtotal, line.price_total) for line in deductions),
            [(-1000.0, -1080.0), (-600.0, -738.0)],
        )
        # Order less the remaining advance, per rate: net and tax.
        self.assertEqual(
            self.per_tax(final),
            {self.tax_23: (1400.0, 322.0), self.tax_8: (1500.0, 120.0)},
        )
        self.assertAlmostEqual(final.amount_total, 5160.0 - 1818.0)
        # The same figures as the settlement printed on the final invoice.
        total = final._pl_report_settlement()[-1]
        self.assertAlmostEqual(total["advanced"]["gross"], 1818.0)
        self.assertAlmostEqual(total["remainder"]["gross"], final.amount_total)
        self.assertAlmostEqual(total["remainder"]["vat"], final.amount_tax)
        final.action_post()
        self.assertEqual(
            [row["name"] for row in final._pl_report_advances()], [advance.name]
        )
        # Deducted once: nothing is left to invoice, no down payment comes back.
        self.assertEqual(self.dp_lines(order).mapped("qty_invoiced"), [0.0, 0.0])
        self.assertEqual(self.dp_lines(order).mapped("qty_to_invoice"), [0.0, 0.0])
        self.assertEqual(order.invoice_status, "invoiced")

    def test_second_advance_uses_the_freed_amount(self):
        order = self.make_big_order()
        first, _correction = self.advance_and_correct(order)
        # 5 160,00 - 1 818,00 = 3 342,00 is unpaid, 762,00 more than before
        # the correction.
        self.assertNothingCreated(
            order, lambda: self.advance(order, 3342.01), "exceeds the unpaid value"
        )
        second = self.advance(order, 3000.0)
        # 3 000,00 split 1 430,23 / 1 569,77 gross, each within its unpaid rate.
        self.assertEqual(
            self.per_tax(second),
            {self.tax_23: (1162.79, 267.44), self.tax_8: (1453.49, 116.28)},
        )
        final = self.final_invoice(order)
        # 2 000,00 - 600,00 - 1 162,79 and 460,00 - 138,00 - 267,44 at 23 %;
        # 2 500,00 - 1 000,00 - 1 453,49 and 200,00 - 80,00 - 116,28 at 8 %.
        self.assertEqual(
            self.per_tax(final),
            {self.tax_23: (237.21, 54.56), self.tax_8: (46.51, 3.72)},
        )
        self.assertAlmostEqual(final.amount_total, 5160.0 - 1818.0 - 3000.0)
        self.assertEqual(
            [row["name"] for row in final._pl_report_advances()],
            [first.name, second.name],
        )
        self.assertEqual(
            [row["gross"] for row in final._pl_report_advances()], [1818.0, 3000.0]
        )

    def test_fully_corrected_advance_is_not_deducted(self):
        order = self.make_big_order()
        advance = self.advance(order, 1000.0)
        prices = {
            line.tax_ids: line.price_unit
            for line in advance.invoice_line_ids.filtered("is_downpayment")
        }
        self.correct(advance, prices)
        self.assertFalse(order._pl_advances())
        self.assertEqual(self.dp_lines(order).mapped("qty_invoiced"), [0.0, 0.0])
        kept = self.advance(order, 160.0)
        final = self.final_invoice(order)
        self.assertAlmostEqual(final.amount_total, 5000.0)
        self.assertEqual(
            final.invoice_line_ids.filtered("is_downpayment").sale_line_ids,
            kept.invoice_line_ids.sale_line_ids,
        )


@tagged("post_install", "-at_install")
class TestAdvanceOrderSnapshot(AdvanceCommon):
    def change_order(self, order):
        """Raise the 23 % quantity and the 8 % price after the advance."""
        line_23 = order.order_line.filtered(lambda line: line.product_id == self.goods)
        line_8 = order.order_line.filtered(lambda line: line.product_id == self.goods_8)
        line_23.product_uom_qty = 4.0
        line_8.price_unit = 300.0
        self.assertAlmostEqual(order.amount_total, 4 * 123.0 + 324.0 + 131.0)

    def test_posted_advance_keeps_the_order_at_issue(self):
        order = self.make_order(client_order_ref="ZAM-7")
        advance = self.advance(order, 333.33)
        draft = self.advance(order, 100.0, post=False)
        snapshot = advance.pl_order_snapshot
        self.assertEqual(snapshot["order_name"], order.name)
        self.assertEqual(snapshot["order_ref"], "ZAM-7")
        self.assertEqual(
            [(row["quantity"], row["net"]) for row in snapshot["lines"]],
            [(3.0, 300.0), (1.0, 250.0), (1.0, 131.0)],
        )
        self.assertEqual(
            [
                (row["rate"], row["net"], row["vat"], row["gross"])
                for row in snapshot["rates"]
            ],
            [
                ("23%", 300.0, 69.0, 369.0),
                ("8%", 250.0, 20.0, 270.0),
                ("zw", 131.0, 0.0, 131.0),
            ],
        )
        self.assertFalse(draft.pl_order_snapshot)
        self.change_order(order)
        advance.invalidate_recordset()
        block = advance._pl_report_order_block()
        self.assertEqual(block["order"], order)
        self.assertEqual(block["lines"][0]["quantity"], 3.0)
        self.assertEqual(block["lines"][1]["net"], 250.0)
        self.assertEqual(block["total"]["gross"], 770.0)
        # A draft shows the order as it is now, and is frozen when posted.
        live = draft._pl_report_order_block()
        self.assertEqual(live["lines"][0]["quantity"], 4.0)
        self.assertEqual(live["total"]["gross"], 947.0)
        draft.action_post()
        self.assertEqual(draft.pl_order_snapshot["total"]["gross"], 947.0)
        self.assertEqual(advance._pl_report_order_block()["total"]["gross"], 770.0)


@tagged("post_install", "-at_install")
class TestAdvanceSnapshotPdf(PdfReportMixin, AdvanceCommon, HttpCase):
    change_order = TestAdvanceOrderSnapshot.change_order

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.customer.lang = "pl_PL"

    def test_pdf_reprint_shows_the_order_at_issue(self):
        order = self.make_order()
        advance = self.advance(order, 333.33)
        self.change_order(order)
        text = self.pdf_text(advance)
        self.assertAllIn(
            [
                "Faktura zaliczkowa nr %s" % advance.name,
                "Zamówienie: %s" % order.name,
                "23% 300,00 69,00 369,00",
                "8% 250,00 20,00 270,00",
                "Razem zamówienie 681,00 89,00 770,00",
            ],
            text,
        )
        for changed in ("400,00 92,00 492,00", "300,00 24,00 324,00", "947,00"):
            self.assertNotIn(changed, text)
