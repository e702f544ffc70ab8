"""The pro forma of an offer turned into its Faktura VAT (crm_invoicing_pl's
tests/test_proforma_invoice.py): by the offer's own invoicing."""

from odoo.addons.crm_invoicing_pl.tests.test_proforma_invoice import (
    ProformaInvoiceCommon,
)
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestProformaOfOffer(ProformaInvoiceCommon, PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_salesman")
        (cls.goods + cls.service).invoice_policy = "order"

    def test_offer_proforma_to_invoice(self):
        """The pro forma of a quotation: the offer is confirmed and invoiced
        by Odoo's order invoicing, so it counts as invoiced (no second
        invoice of the same sale). 3 x 100,00 + 2 x 500,00 = 1 300,00 net,
        299,00 VAT (23 %), 1 599,00 gross."""
        order = self._offer(lines=[(self.goods, 3), (self.service, 2)])
        order.action_pl_create_proforma()
        proforma = order.pl_proforma_ids
        self.assertEqual(order.state, "draft")
        action = proforma.action_pl_invoice_from_proforma()
        invoice = proforma.pl_proforma_invoice_id
        self.assertEqual(action["res_id"], invoice.id)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.invoice_ids, invoice)
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(invoice.pl_proforma_id, proforma)
        self.assertEqual(invoice.pl_sale_order_id, order)
        self.assertEqual(invoice.pl_document_kind, "vat")
        self.assertEqual(invoice.partner_id, proforma.partner_id)
        self.assertEqual(
            self.product_lines(invoice).product_id,
            self.product_lines(proforma).product_id,
        )
        self.assertEqual(
            self.product_lines(invoice).mapped("quantity"),
            self.product_lines(proforma).mapped("quantity"),
        )
        self.assertAlmostEqual(invoice.amount_untaxed, 1300.0)
        self.assertAlmostEqual(invoice.amount_tax, 299.0)
        self.assertAlmostEqual(invoice.amount_total, proforma.amount_total)
        self.assertAlmostEqual(invoice.amount_total, 1599.0)
        self.assertIn(proforma, invoice._pl_related_documents())
        with self.assertRaises(UserError):
            proforma.action_pl_invoice_from_proforma()
        self.assertEqual(order.invoice_ids, invoice)

    def test_offer_already_invoiced(self):
        """An order invoiced by another route has nothing left to invoice:
        the pro forma does not invoice it again."""
        order = self._offer()
        order.action_pl_create_proforma()
        order.action_confirm()
        order._create_invoices()
        with self.assertRaises(UserError) as refusal:
            order.pl_proforma_ids.action_pl_invoice_from_proforma()
        self.assertIn("nothing left to invoice", refusal.exception.args[0])
        self.assertEqual(len(order.invoice_ids), 1)
