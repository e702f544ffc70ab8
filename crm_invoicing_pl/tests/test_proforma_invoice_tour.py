from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestProformaInvoiceTour(PlInvoicingCommon, HttpCase):
    """Browser tour: a pro forma made by hand (no offer) -> its Faktura VAT,
    one click; the pro forma shows no Confirm button (it is never posted).

    The browser shares the test transaction: the invoice the tour made is
    checked here.
    """

    tour = "crm_invoicing_pl_proforma_invoice_tour"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_user()
        doc_type = cls.doc_types.filtered(lambda t: t.kind == "proforma")[:1]
        cls.proforma = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "pl_document_type_id": doc_type.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.goods.id, "quantity": 2, "price_unit": 100.0}
                    )
                ],
            }
        )
        cls.proforma.action_pl_issue_proforma()

    def test_proforma_invoice_tour(self):
        self.start_tour(
            "/odoo/action-account.action_move_out_invoice_type/%s" % self.proforma.id,
            self.tour,
            login=self.env.user.login,
        )
        invoice = self.proforma.pl_proforma_invoice_id
        self.assertEqual(len(invoice), 1, "the tour makes one VAT invoice")
        self.assertEqual(invoice.pl_document_kind, "vat")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertAlmostEqual(invoice.amount_total, 246.0)
        self.assertEqual(self.proforma.state, "draft")
