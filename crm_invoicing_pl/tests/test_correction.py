from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestCorrection(PlInvoicingCommon):
    def _correct(self, invoice, reason="Zwrot towaru", price=None):
        """A correction of ``invoice`` dated 20 November 2026 (never today:
        its number carries the month and year of its date)."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "reason": reason,
                    "journal_id": invoice.journal_id.id,
                    "date": "2026-11-20",
                }
            )
        )
        credit_note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        if price is not None:
            credit_note.invoice_line_ids[0].price_unit = price
        return credit_note

    def setUp(self):
        super().setUp()
        self.invoice = self.pl_invoice(lines=[(self.goods, 2, 100.0)])
        self.invoice.action_post()

    def test_correction_references_original_with_own_series(self):
        credit_note = self._correct(self.invoice, price=30.0)
        self.assertEqual(credit_note.pl_document_kind, "correction")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice)
        self.assertEqual(credit_note.pl_correction_reason, "Zwrot towaru")
        credit_note.action_post()
        self.assertEqual(credit_note.name, "KOR/1/11/2026")

    def test_reason_optional_with_a_warning(self):
        """Art. 106j ust. 2 no longer lists the reason (since 2021): a
        correction without one is posted; its draft shows a warning."""
        credit_note = self._correct(self.invoice, reason=False, price=30.0)
        self.assertTrue(credit_note.pl_correction_reason_warning)
        credit_note.pl_correction_reason = "Rabat"
        self.assertFalse(credit_note.pl_correction_reason_warning)
        credit_note.pl_correction_reason = " "
        self.assertTrue(credit_note.pl_correction_reason_warning)
        credit_note.action_post()
        self.assertEqual(credit_note.state, "posted")
        self.assertFalse(credit_note.pl_correction_reason_warning)
        self.assertFalse(self.invoice.pl_correction_reason_warning)

    def test_correction_larger_than_original_refused(self):
        credit_note = self._correct(self.invoice)
        with self.assertRaisesRegex(ValidationError, "would exceed"):
            credit_note.invoice_line_ids[0].price_unit = 150.0
            credit_note.action_post()

    def test_corrections_add_up_to_the_original_at_most(self):
        first = self._correct(self.invoice, price=60.0)
        first.action_post()
        second = self._correct(self.invoice, price=40.0)
        second.action_post()
        self.assertEqual(second.name, "KOR/2/11/2026")
        third = self._correct(self.invoice, reason="Rabat", price=10.0)
        with self.assertRaisesRegex(ValidationError, "would exceed"):
            third.action_post()
