"""The chatter line of the PDF archive job is in the company's language."""

from odoo.tests import tagged

from .test_archive import ArchiveCommon


@tagged("post_install", "-at_install")
class TestBackgroundJobLanguage(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.company.partner_id.lang = "pl_PL"

    def test_pdf_archive_note_in_company_language(self):
        move = self.post()
        # The cron runs as a user reading English.
        Move = self.env["account.move"].with_context(lang="en_US")
        self.assertGreaterEqual(Move._cron_pl_archive_pdf(), 1)
        self.assertTrue(move.invoice_pdf_report_id)
        bodies = "".join(move.message_ids.mapped("body"))
        self.assertIn("Zarchiwizowano plik PDF dokumentu.", bodies)
        self.assertNotIn("The PDF of the document was archived.", bodies)
