"""Chatter lines written by background jobs are in the company's language."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KsefCommon
from .test_ksef_sending import CLIENT_LOGGER, KsefFakeMixin


@tagged("post_install", "-at_install")
class TestKsefRetryLanguage(KsefFakeMixin, KsefCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.company.partner_id.lang = "pl_PL"

    @mute_logger(CLIENT_LOGGER)
    def test_retry_note_in_company_language(self):
        self._start_fake_ksef(ksef_timeout="0.3", ksef_max_attempts="3")
        invoice = self.pl_invoice(lines=[(self.goods, 2, 100.0)])
        invoice.action_post()
        self.fake.send_script = [("busy", 120), ("busy", 120)]
        # Sent by a user reading English: the user's language.
        self.env["account.move.send.wizard"].with_context(lang="en_US").with_company(
            self.company
        ).create(
            {
                "move_id": invoice.id,
                "extra_edi_checkboxes": {"pl_ksef": {"checked": True}},
            }
        ).action_send_and_print()
        self.assertIn("Not in KSeF yet", invoice.l10n_pl_edi_header)
        # Sent again by the cron: the company's language.
        invoice.pl_ksef_retry_at = fields.Datetime.now() - timedelta(seconds=1)
        self.env["account.move"].with_context(
            lang="en_US"
        )._cron_pl_ksef_retry_sending()
        self.assertEqual(invoice.pl_ksef_attempts, 2)
        self.assertIn("Jeszcze nie w KSeF", invoice.l10n_pl_edi_header)
        self.assertIn("Jeszcze nie w KSeF", "".join(invoice.message_ids.mapped("body")))
