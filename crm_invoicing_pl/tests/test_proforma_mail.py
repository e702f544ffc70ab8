from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestProformaMail(PlInvoicingCommon):
    def setUp(self):
        super().setUp()
        self.customer.email = "zakupy@zolw.example.com"
        self.proforma = self.pl_invoice(kind="proforma")

    def test_send_issued_proforma_with_pdf(self):
        self.proforma.action_pl_issue_proforma()
        action = self.proforma.action_pl_send_proforma()
        composer = Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ).save()
        self.assertIn(self.proforma.name, composer.subject)
        self.assertIn(self.customer, composer.partner_ids)
        self.assertEqual(len(composer.attachment_ids), 1)
        composer._action_send_mail()
        message = self.proforma.message_ids.filtered(
            lambda m: self.proforma.name in (m.subject or "")
        )[:1]
        self.assertTrue(message, "the e-mail is logged on the pro forma")
        self.assertIn(self.customer, message.partner_ids)
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertEqual(self.proforma.display_name, "Faktura pro forma PF/1/11/2026")
        self.assertIn("Faktura pro forma PF/1/11/2026", message.attachment_ids.name)
        # Sending does not post it.
        self.assertEqual(self.proforma.state, "draft")

    def test_not_issued_proforma_cannot_be_sent(self):
        with self.assertRaisesRegex(UserError, "Issue the pro forma first"):
            self.proforma.action_pl_send_proforma()

    def test_only_proforma(self):
        invoice = self.pl_invoice()
        with self.assertRaisesRegex(UserError, "Only a pro forma"):
            invoice.action_pl_send_proforma()
