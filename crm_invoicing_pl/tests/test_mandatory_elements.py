from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestMandatoryElements(PlInvoicingCommon):
    def test_complete_invoice_posts(self):
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.partner_bank_id, self.company_bank)

    def test_b2b_buyer_without_nip_refused_with_one_message(self):
        self.customer.vat = False
        self.customer.street = False
        invoice = self.pl_invoice()
        with self.assertRaises(UserError) as error:
            invoice.action_post()
        message = str(error.exception)
        self.assertIn("art. 106e", message)
        self.assertIn("the buyer's NIP or VAT number", message)
        self.assertIn("the buyer's full address", message)
        self.assertEqual(invoice.state, "draft")

    def test_consumer_needs_no_nip(self):
        invoice = self.pl_invoice(partner=self.consumer)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_seller_nip_required(self):
        self.company.vat = False
        with self.assertRaisesRegex(UserError, "the seller's NIP"):
            self.pl_invoice().action_post()

    def test_transfer_without_bank_account_posts_with_a_warning(self):
        """Art. 106e ust. 1 lists no bank account: posted, with a warning."""
        invoice = self.pl_invoice()
        invoice.partner_bank_id = False
        self.assertTrue(invoice.pl_bank_warning)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.pl_bank_warning)
        cash = self.pl_invoice(partner_bank_id=False, pl_payment_method="cash")
        self.assertFalse(cash.pl_bank_warning)
        self.assertFalse(self.pl_invoice().pl_bank_warning, "the company's account")

    def test_exempt_line_needs_basis(self):
        invoice = self.pl_invoice(lines=[(self.service, 1, 300.0, self.tax_zw)])
        self.assertTrue(invoice.pl_has_exempt_lines)
        with self.assertRaisesRegex(UserError, "legal basis of the exemption"):
            invoice.action_post()
        invoice.pl_exemption_basis = "art. 43 ust. 1 pkt 29 lit. a ustawy o VAT"
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_exempt_basis_from_tax(self):
        self.tax_zw.pl_exemption_basis = "art. 43 ust. 1 pkt 37 ustawy o VAT"
        invoice = self.pl_invoice(lines=[(self.service, 1, 300.0, self.tax_zw)])
        self.assertEqual(
            invoice.pl_exemption_basis, "art. 43 ust. 1 pkt 37 ustawy o VAT"
        )
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_line_without_vat_rate_refused(self):
        invoice = self.pl_invoice(
            lines=[(self.goods, 1, 100.0, self.env["account.tax"])]
        )
        with self.assertRaisesRegex(UserError, "the VAT rate of line 1"):
            invoice.action_post()
