from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PlInvoicingCommon


class ProformaInvoiceCommon(PlInvoicingCommon):
    """Pro forma -> Faktura VAT in one click.

    A pro forma is no invoice (art. 106b ust. 1 lists the invoices; a pro
    forma announces the sale and is never posted): the sale is invoiced by a
    Faktura VAT made from it, once.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_14 = cls.env.ref("account.account_payment_term_15days")

    def manual_proforma(self):
        """An issued pro forma made by hand: 3 x 100,00 at 23 % and
        1 x 200,00 at 8 %: net 500,00, VAT 69,00 + 16,00 = 85,00, gross 585,00."""
        proforma = self.pl_invoice(
            kind="proforma",
            lines=[
                (self.goods, 3, 100.0, self.tax_23),
                (self.service, 1, 200.0, self.tax_8),
            ],
            invoice_payment_term_id=self.term_14.id,
        )
        proforma.action_pl_issue_proforma()
        return proforma

    def product_lines(self, move):
        return move.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )


@tagged("post_install", "-at_install")
class TestProformaInvoice(ProformaInvoiceCommon):
    def test_confirm_hidden_on_proforma(self):
        """Odoo's Confirm could only fail on a pro forma: it is not shown."""
        proforma = self.manual_proforma()
        self.assertTrue(proforma.hide_post_button)
        self.assertFalse(self.pl_invoice().hide_post_button)

    def test_manual_proforma_to_invoice(self):
        proforma = self.manual_proforma()
        self.assertTrue(proforma.name.startswith("PF/1/"))
        action = proforma.action_pl_invoice_from_proforma()
        invoice = proforma.pl_proforma_invoice_id
        self.assertEqual(len(invoice), 1)
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(action["res_id"], invoice.id)
        self.assertEqual(invoice.pl_proforma_id, proforma)
        self.assertEqual(invoice.pl_document_kind, "vat")
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.invoice_payment_term_id, self.term_14)
        self.assertEqual(invoice.invoice_origin, proforma.name)
        lines = self.product_lines(invoice)
        self.assertEqual(lines.product_id, self.goods + self.service)
        self.assertEqual(lines.mapped("quantity"), [3.0, 1.0])
        self.assertEqual(lines.mapped("price_unit"), [100.0, 200.0])
        self.assertEqual(lines[0].tax_ids, self.tax_23)
        self.assertEqual(lines[1].tax_ids, self.tax_8)
        self.assertAlmostEqual(invoice.amount_untaxed, 500.0)
        self.assertAlmostEqual(invoice.amount_tax, 85.0)
        self.assertAlmostEqual(invoice.amount_total, 585.0)
        # The pro forma is unchanged: a draft with its number.
        self.assertEqual(proforma.state, "draft")
        self.assertTrue(proforma.name.startswith("PF/1/"))
        self.assertEqual(len(self.product_lines(proforma)), 2)
        self.assertIn(f'data-oe-id="{invoice.id}"', proforma.message_ids[0].body)
        # The invoice is posted in the Faktura VAT series.
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.name.startswith("FV/1/"), invoice.name)

    def test_invoiced_once(self):
        proforma = self.manual_proforma()
        proforma.action_pl_invoice_from_proforma()
        invoice = proforma.pl_proforma_invoice_id
        with self.assertRaises(UserError) as refusal:
            proforma.action_pl_invoice_from_proforma()
        self.assertIn("already has its VAT invoice", refusal.exception.args[0])
        self.assertEqual(proforma.pl_proforma_invoice_ids, invoice)
        # A cancelled invoice frees the pro forma for a new one.
        invoice.button_cancel()
        self.assertFalse(proforma.pl_proforma_invoice_id)
        proforma.action_pl_invoice_from_proforma()
        self.assertEqual(len(proforma.pl_proforma_invoice_ids), 2)
        self.assertNotEqual(proforma.pl_proforma_invoice_id, invoice)

    def test_only_proforma(self):
        with self.assertRaises(UserError):
            self.pl_invoice().action_pl_invoice_from_proforma()

    def test_unissued_proforma(self):
        """A pro forma not numbered yet is invoiced all the same."""
        proforma = self.pl_invoice(kind="proforma")
        proforma.action_pl_invoice_from_proforma()
        invoice = proforma.pl_proforma_invoice_id
        self.assertEqual(invoice.pl_document_kind, "vat")
        self.assertFalse(invoice.invoice_origin)
        self.assertAlmostEqual(invoice.amount_total, 123.0)

    def test_posting_proforma_refused(self):
        """Posting a pro forma is refused on the server, in the user's language."""
        proforma = self.manual_proforma()
        with self.assertRaises(UserError) as refusal:
            proforma.action_post()
        self.assertIn("Create VAT Invoice", refusal.exception.args[0])
        self.assertEqual(proforma.state, "draft")
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_invoicing_pl"], ["pl_PL"], overwrite=True
        )
        with self.assertRaises(UserError) as refusal:
            proforma.with_context(lang="pl_PL").action_post()
        self.assertIn(
            "Faktura pro forma nie jest fakturą VAT", refusal.exception.args[0]
        )
        self.assertIn("Wystaw fakturę VAT", refusal.exception.args[0])
        self.assertEqual(proforma.state, "draft")

    def test_view_buttons(self):
        """The form: no Confirm on a pro forma (hide_post_button), the
        Create VAT Invoice button on it, hidden once it has its invoice."""
        proforma = self.manual_proforma()
        arch = self.env["account.move"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('name="action_pl_invoice_from_proforma"', arch)
        proforma.action_pl_invoice_from_proforma()
        self.assertTrue(proforma.pl_proforma_invoice_id)
        action = proforma.action_pl_view_proforma_invoice()
        self.assertEqual(action["res_id"], proforma.pl_proforma_invoice_id.id)
        action = proforma.pl_proforma_invoice_id.action_pl_view_proforma()
        self.assertEqual(action["res_id"], proforma.id)
        self.assertEqual(
            self.env["account.move"]
            .search([("pl_proforma_id", "=", proforma.id)])
            .invoice_line_ids.mapped("display_type"),
            ["product", "product"],
        )
