"""The printouts of the advance and final invoices of an order
(crm_invoicing_pl's tests/test_report_pdf.py)."""

from odoo import Command
from odoo.addons.crm_invoicing_pl.tests.test_report_pdf import ReportPdfCommon
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestReportPdfOfOrder(ReportPdfCommon, HttpCase):
    def test_advance_and_final(self):
        """Made from the order, as art. 106f wants them (a hand-made one is
        refused at posting, crm_invoicing_pl's tests/test_advance_manual.py):
        both carry the elements of art. 106e and the order's value, 1 230,00
        gross."""
        self.env.user.group_ids += self.env.ref("sales_team.group_sale_salesman")
        self.service.invoice_policy = "order"
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.service.id,
                            "product_uom_qty": 2,
                            "price_unit": 500.0,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": 50.0})
        )
        advance = self.env["account.move"].browse(wizard.create_invoices()["res_id"])
        advance.action_post()
        final = self.env["account.move"].browse(
            order.action_pl_final_invoice()["res_id"]
        )
        final.action_post()
        for move, title in (
            (advance, "Faktura zaliczkowa"),
            (final, "Faktura końcowa"),
        ):
            with self.subTest(kind=move.pl_document_kind):
                text = self.pdf_text(move)
                self.assertCommonElements(move, text, title, "Usługa wdrożeniowa")
                self.assertTotals(move, text)
                self.assertPayment(move, text)
                self.assertIn("615,00 PLN", text)
                self.assertIn("1 230,00", text)
