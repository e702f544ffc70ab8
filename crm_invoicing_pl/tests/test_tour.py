from odoo.tests import HttpCase, tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestInvoiceTour(PlInvoicingCommon, HttpCase):
    """Browser tour: a Faktura VAT created, posted and printed from the UI.

    The data is the test's own (PlInvoicingCommon): a company on the l10n_pl
    chart, its customer and product, and the `accountman` user working in
    that company. The browser shares the test transaction.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_user()

    def test_invoice_tour(self):
        invoices = self.env["account.move"].search(
            [("company_id", "=", self.company.id), ("move_type", "=", "out_invoice")]
        )
        self.assertFalse(invoices, "the tour must start without customer invoices")

        self.start_tour(
            "/odoo/action-account.action_move_out_invoice_type",
            "crm_invoicing_pl_invoice_tour",
            login=self.env.user.login,
        )

        # The tour ran for real: its invoice exists and is posted.
        invoice = self.env["account.move"].search(
            [("company_id", "=", self.company.id), ("move_type", "=", "out_invoice")]
        )
        self.assertEqual(len(invoice), 1, "the tour must create exactly one invoice")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.pl_document_type_id, self.doc_type("vat"))
        self.assertEqual(invoice.pl_document_type_id.name, "Faktura VAT")
        self.assertEqual(invoice.invoice_line_ids.product_id, self.goods)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tax_23)
        self.assertEqual(
            invoice.name,
            "FV/1/%02d/%d" % (invoice.invoice_date.month, invoice.invoice_date.year),
        )
