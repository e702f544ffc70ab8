"""KSeF batch sessions end to end, against the local fake KSeF.

From the company's threshold of invoices sent together (set to 3 here) the
invoice list's *Send to KSeF* and the KSeF cron send them in one batch
session (a ZIP package, encrypted parts uploaded to the addresses KSeF
gives, the session closed, its status and its list of invoices read, a UPO
per accepted invoice). Nothing is patched: the fake decrypts and unzips the
package as KSeF does. Faults: invoices KSeF rejects (the others accepted,
only the rejected ones sent again), a session KSeF cancels (time out), a
close whose answer never comes or that KSeF refuses for a moment (the same
session goes on, nothing sent twice).
"""

from datetime import timedelta
from unittest.mock import patch

from crm_pl_testing.fake_ksef import UPO_NS
from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import KsefCommon
from .test_ksef_sending import CLIENT_LOGGER, KsefFakeMixin

BATCH_LOGGER = "odoo.addons.crm_invoicing_pl_ksef.models.pl_ksef_batch"


class KsefBatchCommon(KsefFakeMixin, KsefCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._pl_user(
            "pl_ksef_batch_billing", "account.group_account_invoice"
        )

    def setUp(self):
        super().setUp()
        self._start_fake_ksef(ksef_timeout="0.5")
        self.company.pl_ksef_batch_threshold = 3
        self.invoices = self.env["account.move"]
        for price in (100.0, 200.0, 300.0, 400.0):
            self.invoices += self.pl_invoice(lines=[(self.goods, 1, price)])
        self.invoices.action_post()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _batch_sessions(self):
        return [
            ref for ref, session in self.fake.sessions.items() if "batch" in session
        ]

    def _count(self, method, path_part):
        return sum(
            1
            for request_method, path in self.fake.requests
            if request_method == method and path_part in path
        )

    def _received(self, session=None):
        return sorted(
            invoice["number"]
            for invoice in self.fake.invoices
            if session is None or invoice["session"] == session
        )

    def _retry_due(self, moves):
        moves.sudo().pl_ksef_retry_at = fields.Datetime.now() - timedelta(seconds=1)
        self.env["account.move"]._cron_pl_ksef_retry_sending()

    def _assert_accepted(self, moves):
        by_number = {
            invoice["number"]: invoice
            for invoice in self.fake.invoices
            if invoice["code"] == 200
        }
        for move in moves:
            received = by_number[move.name]
            self.assertEqual(move.l10n_pl_edi_status, "accepted", move.name)
            self.assertEqual(move.l10n_pl_edi_number, received["ksef_number"])
            self.assertEqual(move.l10n_pl_edi_ref, received["reference"])
            self.assertEqual(move.l10n_pl_edi_session_id, received["session"])
            self.assertEqual(received["file_name"], move._pl_ksef_batch_file_name())
            self.assertTrue(move.l10n_pl_edi_upo_id, "UPO fetched")
            self.assertIn(UPO_NS.encode(), move.l10n_pl_edi_upo_id.raw)
            self.assertIn(move.l10n_pl_edi_number.encode(), move.l10n_pl_edi_upo_id.raw)
            self.assertEqual(move.l10n_pl_edi_attachment_id.raw, received["xml"])


@tagged("post_install", "-at_install")
class TestKsefBatch(KsefBatchCommon, HttpCase):
    # ------------------------------------------------------------------
    # happy path
    # ------------------------------------------------------------------
    def test_many_invoices_go_in_one_batch_session(self):
        action = self.invoices.with_user(self.billing).action_pl_ksef_send()

        self.assertEqual(len(self._batch_sessions()), 1)
        session = self._batch_sessions()[0]
        self.assertEqual(self._count("POST", "/sessions/online"), 0)
        self.assertEqual(self._count("PUT", f"/storage/{session}/"), 1)
        self.assertEqual(self._count("POST", f"/sessions/batch/{session}/close"), 1)
        self.assertEqual(self._received(session), sorted(self.invoices.mapped("name")))
        self._assert_accepted(self.invoices)
        batch = self.invoices.pl_ksef_batch_id
        self.assertEqual(len(batch), 1)
        self.assertEqual(
            (batch.name, batch.state, batch.invoice_count), (session, "done", 4)
        )
        self.assertEqual(self.fake.sessions[session]["code"], 200)
        # One UPO download per invoice, from the addresses of the session's
        # invoice list (KSeF's storage, not the API).
        self.assertEqual(self._count("GET", "/invoice-upo/"), 4)
        self.assertEqual(self._count("GET", "/upo"), 0)
        self.assertTrue(
            action["params"]["message"].startswith(
                "Sent to KSeF: 4, skipped: 0, not sent: 0."
            )
        )
        # Sent again: all skipped, nothing reaches KSeF a second time.
        action = self.invoices.with_user(self.billing).action_pl_ksef_send()
        self.assertIn("Sent to KSeF: 0, skipped: 4", action["params"]["message"])
        self.assertEqual(len(self.fake.invoices), 4)

    def test_below_the_threshold_one_at_a_time(self):
        self.invoices[:2].action_pl_ksef_send()
        self.assertFalse(self._batch_sessions())
        self.assertEqual(self._count("POST", "/sessions/online/"), 2)
        self.assertFalse(self.invoices[:2].pl_ksef_batch_id)
        self.assertEqual(self.invoices[:2].mapped("l10n_pl_edi_status"), ["sent"] * 2)

    def test_threshold_zero_never_batches(self):
        self.company.pl_ksef_batch_threshold = 0
        self.invoices.action_pl_ksef_send()
        self.assertFalse(self._batch_sessions())
        self.assertEqual(len(self.fake.invoices), 4)

    def test_sending_writes_no_invoice_line(self):
        """Sending to KSeF writes KSeF's fields of the posted invoices, never
        their lines (Odoo's sync of the lines is skipped, and the balance
        check of lines that do not change): one at a time with l10n_pl_edi's
        status check, then in a batch session. Its chatter lines are notes
        for nobody, logged without looking for recipients."""
        line_model = type(self.env["account.move.line"])
        move_model = type(self.env["account.move"])
        with (
            patch.object(
                line_model, "write", autospec=True, side_effect=line_model.write
            ) as write,
            patch.object(
                move_model,
                "_get_unbalanced_moves",
                autospec=True,
                side_effect=move_model._get_unbalanced_moves,
            ) as balance,
            patch.object(
                move_model,
                "_notify_thread",
                autospec=True,
                side_effect=move_model._notify_thread,
            ) as notify,
        ):
            self.invoices[:2].action_pl_ksef_send()
            self.env["account.move"].with_company(
                self.company
            )._cron_l10n_pl_edi_check_invoice_status()
            self.company.pl_ksef_batch_threshold = 2
            self.invoices[2:].action_pl_ksef_send()
        self.assertEqual(self.invoices.mapped("l10n_pl_edi_status"), ["accepted"] * 4)
        self.assertEqual(len(self._batch_sessions()), 1)
        self.assertTrue(self.invoices.mapped("l10n_pl_edi_upo_id"))
        self.assertEqual(write.call_args_list, [])
        self.assertEqual(
            [call for call in balance.call_args_list if call.args[1]["records"]], []
        )
        self.assertEqual(notify.call_args_list, [])
        note = self.env.ref("mail.mt_note")
        for invoice in self.invoices:
            lines = {
                message.body.striptags(): message.attachment_ids
                for message in invoice.message_ids
                if message.subtype_id == note and message.message_type == "notification"
            }
            self.assertEqual(
                lines.get("The KSeF XML has been attached."),
                invoice.l10n_pl_edi_attachment_id,
                invoice.name,
            )
            self.assertEqual(
                lines.get(
                    "The KSeF Official Confirmation of Receipt (UPO) has been "
                    "downloaded and attached."
                ),
                invoice.l10n_pl_edi_upo_id,
                invoice.name,
            )
            self.assertIn(invoice.l10n_pl_edi_header.striptags(), lines, invoice.name)

    def test_threshold_is_a_company_setting(self):
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertEqual(settings.pl_ksef_batch_threshold, 3)
        settings.pl_ksef_batch_threshold = 250
        settings.execute()
        self.assertEqual(self.company.pl_ksef_batch_threshold, 250)
        other = self.env["res.company"].create({"name": "Druga sp. z o.o."})
        self.assertEqual(other.pl_ksef_batch_threshold, 100)

    def test_status_follows_when_the_session_is_processed(self):
        self.fake.batch_processing_polls = 1
        self.invoices.action_pl_ksef_send()
        batch = self.invoices.pl_ksef_batch_id
        self.assertEqual(batch.state, "closed")
        self.assertEqual(self.invoices.mapped("l10n_pl_edi_status"), ["sent"] * 4)
        self.assertFalse(any(self.invoices.mapped("l10n_pl_edi_number")))
        self.assertIn(batch.name, self.invoices[0].l10n_pl_edi_header)
        # l10n_pl_edi's status cron reads them when KSeF is done.
        self.env["account.move"].with_company(
            self.company
        )._cron_l10n_pl_edi_check_invoice_status()
        self.assertEqual(batch.state, "done")
        self._assert_accepted(self.invoices)

    # ------------------------------------------------------------------
    # rejected invoices
    # ------------------------------------------------------------------
    def test_rejected_ones_named_with_reason_and_only_they_sent_again(self):
        schema, semantic = self.invoices[1], self.invoices[2]
        self.fake.batch_reject = {
            schema.name: (430, "Niezgodność ze schematem: element P_15 jest wymagany"),
            semantic.name: (450,),
        }
        action = self.invoices.action_pl_ksef_send()

        accepted = self.invoices - schema - semantic
        self._assert_accepted(accepted)
        self.assertEqual(schema.l10n_pl_edi_status, "rejected")
        self.assertEqual(schema.pl_ksef_error_code, 430)
        self.assertIn("code 430", schema.l10n_pl_edi_header)
        self.assertIn("element P_15 jest wymagany", schema.l10n_pl_edi_header)
        self.assertFalse(schema.l10n_pl_edi_number)
        self.assertFalse(schema.l10n_pl_edi_upo_id)
        self.assertEqual(semantic.l10n_pl_edi_status, "rejected")
        self.assertEqual(semantic.pl_ksef_error_code, 450)
        self.assertIn("code 450", semantic.l10n_pl_edi_header)
        self.assertTrue(
            schema.message_ids.filtered(lambda m: "element P_15" in (m.body or ""))
        )
        message = action["params"]["message"]
        self.assertIn("Sent to KSeF: 2, skipped: 0, not sent: 2.", message)
        self.assertIn(f"{schema.name}: KSeF rejected the invoice (code 430)", message)
        self.assertIn(f"{semantic.name}: KSeF rejected the invoice (code 450)", message)

        # Corrected and sent again with the rest: only the rejected ones go,
        # in a session of their own.
        self.fake.batch_reject = {}
        self.company.pl_ksef_batch_threshold = 2
        (schema + semantic).button_draft()
        (schema + semantic).action_post()
        action = self.invoices.action_pl_ksef_send()
        self.assertIn("Sent to KSeF: 2, skipped: 2", action["params"]["message"])
        first, second = self._batch_sessions()
        self.assertEqual(self._received(second), sorted([schema.name, semantic.name]))
        self._assert_accepted(schema + semantic)
        self.assertEqual(len(self._received()), 6)
        self.assertEqual(
            [n for n in self._received() if n in accepted.mapped("name")],
            sorted(accepted.mapped("name")),
            "the accepted ones were received once",
        )

    # ------------------------------------------------------------------
    # a session KSeF cancels
    # ------------------------------------------------------------------
    @mute_logger(CLIENT_LOGGER, BATCH_LOGGER)
    def test_session_timed_out_sent_again_in_a_new_session(self):
        self.fake.batch_timeout = True
        action = self.invoices.action_pl_ksef_send()

        session = self._batch_sessions()[0]
        self.assertFalse(self.fake.invoices, "KSeF cancelled the session")
        self.assertEqual(self.invoices.pl_ksef_batch_id.state, "cancelled")
        for move in self.invoices:
            self.assertEqual(move.l10n_pl_edi_status, "retry")
            self.assertFalse(move.l10n_pl_edi_session_id)
            self.assertIn(
                f"KSeF cancelled batch session {session}", move.l10n_pl_edi_header
            )
            self.assertIn("Przekroczono czas wysyłki", move.l10n_pl_edi_header)
            self.assertTrue(move.pl_ksef_retry_at)
        self.assertIn("not sent: 4", action["params"]["message"])
        self.assertFalse(self.invoices.l10n_pl_edi_attachment_id, "never in KSeF")

        self.fake.batch_timeout = False
        self._retry_due(self.invoices)
        self.assertEqual(len(self._batch_sessions()), 2)
        self.assertEqual(self._received(), sorted(self.invoices.mapped("name")))
        self._assert_accepted(self.invoices)

    # ------------------------------------------------------------------
    # a crash between the upload and the close
    # ------------------------------------------------------------------
    @mute_logger(CLIENT_LOGGER, BATCH_LOGGER)
    def test_close_without_answer_resumes_the_same_session(self):
        """KSeF closed and processed the session, its answer never came."""
        self.fake.close_script = [("hang", 3)]
        self.invoices.action_pl_ksef_send()

        batch = self.invoices.pl_ksef_batch_id
        self.assertEqual(batch.state, "open", "not known to be closed")
        # The answer was lost (cut or too late).
        self.assertIn(
            batch.last_error,
            ("KSeF did not answer in time", "KSeF could not be reached"),
        )
        self.assertEqual(self.invoices.mapped("l10n_pl_edi_status"), ["sent"] * 4)
        self.assertEqual(
            set(self.invoices.mapped("l10n_pl_edi_session_id")), {batch.name}
        )
        # KSeF may hold them: they stay posted.
        with self.assertRaises(UserError):
            self.invoices[0].button_draft()

        self.env["account.move"]._cron_pl_ksef_retry_sending()
        self.assertEqual(self._batch_sessions(), [batch.name], "no new session")
        self.assertEqual(self._count("POST", "/sessions/batch"), 2, "open + close")
        self.assertEqual(self._count("PUT", "/storage/"), 1, "uploaded once")
        self.assertEqual(self._received(), sorted(self.invoices.mapped("name")))
        self.assertEqual(batch.state, "done")
        self._assert_accepted(self.invoices)

    @mute_logger(CLIENT_LOGGER, BATCH_LOGGER)
    def test_close_refused_for_a_moment_resumes_the_same_session(self):
        """The close did not happen (KSeF busy): the same session is uploaded
        again and closed by the next run."""
        self.fake.close_script = [("busy", 60)]
        self.invoices.action_pl_ksef_send()

        batch = self.invoices.pl_ksef_batch_id
        self.assertEqual(batch.state, "open")
        self.assertFalse(self.fake.invoices)
        self.assertTrue(self.fake.sessions[batch.name]["open"])

        self.env["account.move"]._cron_pl_ksef_retry_sending()
        self.assertEqual(self._batch_sessions(), [batch.name], "no new session")
        self.assertEqual(self._count("PUT", f"/storage/{batch.name}/"), 2)
        self.assertEqual(self._received(), sorted(self.invoices.mapped("name")))
        self._assert_accepted(self.invoices)
