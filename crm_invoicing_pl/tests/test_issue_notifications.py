"""E-mail and SMS to the customer when a Polish document is issued.

Real database, real queues: the e-mail leaves through Odoo's mail queue to a
local SMTP sink, the SMS through Odoo's SMS queue to a local fake of the
HTTP SMS gateway.
"""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time
from odoo import fields
from odoo.addons.sms.tools.sms_api import SmsApi
from odoo.tests import HttpCase, tagged
from odoo.tests.common import _super_send
from odoo.tools import mute_logger

from ..models import sms_tracker
from ..models.sms_sms import MAX_ATTEMPTS, PlSmsGatewayApi
from .common import PlInvoicingCommon
from .fake_sms_gateway import FakeSmsGateway
from .mail_sink import route_mail_to_sink

TOKEN = "secret-token"


class NotificationCommon(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "faktury@przyklad.example.com"
        cls.customer.write({"email": "zakupy@zolw.example.com", "phone": "600 100 200"})

    def setUp(self):
        super().setUp()
        # The SMS queue commits between batches: not inside a test.
        self.patch(
            type(self.env["ir.cron"]),
            "_commit_progress",
            lambda self, processed=0, remaining=None, deactivate=False: float("inf"),
        )

    # Helpers ------------------------------------------------------------
    def mails(self, move):
        return self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", move.id)]
        )

    def sms(self, move):
        return (
            self.env["sms.sms"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "account.move"),
                    ("mail_message_id.res_id", "=", move.id),
                ]
            )
        )

    def sms_notification(self, move):
        return (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "account.move"),
                    ("mail_message_id.res_id", "=", move.id),
                    ("notification_type", "=", "sms"),
                ]
            )
        )

    def run_sms_queue(self):
        self.env["sms.sms"].sudo()._process_queue()

    def posted_invoice(self, **values):
        move = self.pl_invoice(**values)
        move.action_post()
        self.assertEqual(move.state, "posted")
        return move


@tagged("post_install", "-at_install")
class TestIssueNotifications(NotificationCommon):
    def setUp(self):
        super().setUp()
        self.gateway = FakeSmsGateway(token=TOKEN, senders={"FIRMA"})
        url = self.gateway.__enter__()
        self.addCleanup(self.gateway.__exit__, None, None, None)
        self.company.write(
            {
                "pl_sms_provider": "http_gateway",
                "pl_sms_gateway_url": url,
                "pl_sms_gateway_token": TOKEN,
                "pl_sms_gateway_sender": "FIRMA",
            }
        )
        self.doc_type("vat").write({"pl_notify_email": True, "pl_notify_sms": True})

    def retry_due(self, move):
        """Run the gateway cron as if the retry time had come."""
        self.sms(move).filtered("pl_gateway_retry_at").write(
            {"pl_gateway_retry_at": fields.Datetime.now() - timedelta(seconds=1)}
        )
        self.env["sms.sms"]._cron_pl_sms_gateway()

    # SMS ------------------------------------------------------------------
    def test_sms_text_number_amount_link(self):
        move = self.posted_invoice(lines=[(self.goods, 10, 100.37)])
        sms = self.sms(move)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.state, "outgoing", "queued, not sent at posting")
        self.assertEqual(sms.number, "+48600100200")
        self.assertFalse(self.gateway.messages)
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1)
        sent = self.gateway.messages[0]
        self.assertEqual(sent["to"], "48600100200")
        self.assertEqual(sent["from"], "FIRMA")
        self.assertEqual(sent["idx"], sms.uuid, "the gateway deduplicates on it")
        text = sent["message"]
        self.assertIn(move.name, text)
        self.assertIn("1 234,55", text)  # 10 x 100.37 + 23 % VAT
        self.assertTrue(text.startswith("Faktura VAT"))
        link = re.search(r"https?://\S+", text).group(0)
        url = urlsplit(link)
        self.assertEqual(url.path, f"/my/invoices/{move.id}")
        self.assertEqual(parse_qs(url.query)["access_token"], [move.access_token])
        self.assertEqual(sms.state, "pending")
        self.assertEqual(self.sms_notification(move).notification_status, "pending")
        self.assertFalse(move.pl_notify_warning)

    def test_repost_after_reset_does_not_notify_again(self):
        move = self.posted_invoice()
        mails, sms = self.mails(move), self.sms(move)
        self.assertEqual((len(mails), len(sms)), (1, 1))
        self.assertTrue(move.pl_issue_notified)
        move.button_draft()
        move.action_post()
        self.assertEqual(self.mails(move), mails, "no second e-mail")
        self.assertEqual(self.sms(move), sms, "no second SMS")

    def test_number_normalised_to_e164(self):
        self.customer.phone = "0048 (600) 100-200"
        move = self.posted_invoice()
        self.assertEqual(self.sms(move).number, "+48600100200")
        self.run_sms_queue()
        self.assertEqual(self.gateway.messages[0]["to"], "48600100200")

    def test_invalid_number_noted_invoice_posted(self):
        self.customer.phone = "600 100"
        move = self.posted_invoice()
        self.assertIn("not a valid phone number", move.pl_notify_warning)
        self.assertIn("600 100", move.pl_notify_warning)
        note = move.message_ids.filtered(
            lambda m: "not a valid phone number" in (m.body or "")
        )
        self.assertEqual(len(note), 1, "a note in the chatter")
        self.assertFalse(self.sms(move))
        self.run_sms_queue()
        self.assertFalse(self.gateway.messages)
        self.assertEqual(len(self.mails(move)), 1, "the e-mail still goes")

    def test_missing_and_landline_number(self):
        self.customer.phone = False
        move = self.posted_invoice()
        self.assertIn("has no phone number", move.pl_notify_warning)
        self.customer.phone = "22 123 45 67"  # Warsaw landline
        move = self.posted_invoice()
        self.assertIn("not a mobile number", move.pl_notify_warning)
        self.assertFalse(self.sms(move))

    def test_transient_error_retried_once_sent(self):
        self.gateway.forced = [500]
        move = self.posted_invoice()
        sms = self.sms(move)
        self.run_sms_queue()
        self.assertEqual(self.gateway.request_count, 1)
        self.assertFalse(self.gateway.messages)
        self.assertRecordValues(
            sms,
            [
                {
                    "state": "error",
                    "failure_type": "sms_server",
                    "pl_gateway_attempts": 1,
                }
            ],
        )
        self.assertIn("HTTP 500", sms.pl_gateway_error)
        self.assertGreater(sms.pl_gateway_retry_at, fields.Datetime.now())
        notification = self.sms_notification(move)
        self.assertEqual(notification.notification_status, "exception")
        # Not due yet: the cron leaves it alone.
        self.env["sms.sms"]._cron_pl_sms_gateway()
        self.assertEqual(sms.state, "error")
        # Due: back in the queue, sent by it.
        self.retry_due(move)
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(notification.notification_status, "ready")
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1)
        self.assertRecordValues(
            sms,
            [{"state": "pending", "pl_gateway_attempts": 2, "pl_gateway_error": False}],
        )
        self.assertEqual(notification.notification_status, "pending")
        # Nothing left to retry: nothing sent twice.
        self.retry_due(move)
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1)

    def test_timeout_retry_is_not_sent_twice(self):
        # The test framework raises HTTP time-outs below 10 s to 10 s: keep ours.
        self.patch(
            type(self),
            "_request_handler",
            classmethod(
                lambda cls, session, request, **kw: _super_send(session, request, **kw)
            ),
        )
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_invoicing_pl.sms_gateway_timeout", "0.3"
        )
        self.gateway.delay = 1.5  # the gateway sends, then answers too late
        move = self.posted_invoice()
        sms = self.sms(move)
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1)
        self.assertEqual(sms.state, "error")
        self.assertIn("did not answer in time", sms.pl_gateway_error)
        self.assertTrue(sms.pl_gateway_retry_at)
        self.gateway.delay = 0
        self.retry_due(move)
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1, "idx: never sent twice")
        self.assertEqual(self.gateway.requests[-1][2]["idx"], sms.uuid)
        self.assertEqual(sms.state, "pending")
        self.assertEqual(self.sms_notification(move).notification_status, "pending")

    def test_retries_are_bounded(self):
        self.gateway.forced = [503] * (MAX_ATTEMPTS + 2)
        move = self.posted_invoice()
        sms = self.sms(move)
        self.run_sms_queue()
        for _attempt in range(MAX_ATTEMPTS + 2):
            self.retry_due(move)
            self.run_sms_queue()
        self.assertEqual(self.gateway.request_count, MAX_ATTEMPTS)
        self.assertEqual(sms.pl_gateway_attempts, MAX_ATTEMPTS)
        self.assertEqual(sms.state, "error")
        self.assertFalse(sms.pl_gateway_retry_at)
        self.assertIn(f"Gave up after {MAX_ATTEMPTS} attempts", sms.pl_gateway_error)

    def test_permanent_error_recorded(self):
        self.gateway.invalid_numbers.add("48600100200")
        move = self.posted_invoice()
        sms = self.sms(move)
        self.run_sms_queue()
        self.assertRecordValues(
            sms,
            [
                {
                    "state": "error",
                    "failure_type": "sms_number_format",
                    "pl_gateway_retry_at": False,
                }
            ],
        )
        self.assertIn("error 13", sms.pl_gateway_error)
        notification = self.sms_notification(move)
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.failure_type, "sms_number_format")
        self.retry_due(move)
        self.assertEqual(sms.state, "error", "never retried")
        self.assertEqual(self.gateway.request_count, 1)

    def test_wrong_token_recorded(self):
        self.company.pl_sms_gateway_token = "wrong"
        move = self.posted_invoice()
        self.run_sms_queue()
        self.assertRecordValues(
            self.sms(move), [{"state": "error", "failure_type": "sms_acc"}]
        )
        self.assertFalse(self.gateway.messages)

    def test_delivery_status(self):
        move = self.posted_invoice()
        self.run_sms_queue()
        message_id = self.gateway.messages[0]["id"]
        tracker = self.env["sms.tracker"].search(
            [("sms_uuid", "=", self.sms(move).uuid)]
        )
        self.assertRecordValues(
            tracker,
            [{"pl_gateway_message_id": message_id, "pl_gateway_status": "QUEUE"}],
        )
        notification = self.sms_notification(move)
        cron = self.env["sms.sms"]._cron_pl_sms_gateway
        cron()  # QUEUE
        cron()  # SENT
        self.assertEqual(notification.notification_status, "pending")
        self.assertFalse(tracker.pl_gateway_done)
        cron()  # DELIVERED
        self.assertEqual(tracker.pl_gateway_status, "DELIVERED")
        self.assertTrue(tracker.pl_gateway_done)
        self.assertEqual(notification.notification_status, "sent")
        count = self.gateway.request_count
        cron()
        self.assertEqual(self.gateway.request_count, count, "final: not polled")

    def _three_sms_on_their_way(self):
        self.gateway.default_transitions = ("SENT",)
        moves = [self.posted_invoice() for _ in range(3)]
        self.run_sms_queue()
        trackers = self.env["sms.tracker"].search(
            [("sms_uuid", "in", [self.sms(move).uuid for move in moves])]
        )
        self.assertEqual(len(trackers.filtered("pl_gateway_message_id")), 3)
        return moves, trackers

    def _record_commits(self):
        """Record each commit of the gateway cron: what was processed and the
        state of ``self.watched`` SMS at that moment."""
        commits = []

        def commit_progress(cron, processed=0, remaining=None, deactivate=False):
            commits.append((processed, self.watched.state if self.watched else None))
            return float("inf")

        self.watched = self.env["sms.sms"]
        self.patch(type(self.env["ir.cron"]), "_commit_progress", commit_progress)
        return commits

    def test_status_poll_commits_in_batches(self):
        """The statuses are committed every POLL_BATCH SMS (here 2), and the SMS
        put back in the queue are committed before any status is asked: a
        time-out of the poll no longer rolls the retry back."""
        self.patch(sms_tracker, "POLL_BATCH", 2)
        _moves, trackers = self._three_sms_on_their_way()
        failing = self.posted_invoice()
        self.gateway.forced = [500]
        self.run_sms_queue()
        self.watched = self.sms(failing)
        self.assertEqual(self.watched.state, "error")
        commits = self._record_commits()
        self.watched = self.sms(failing)
        self.watched.write(
            {"pl_gateway_retry_at": fields.Datetime.now() - timedelta(seconds=1)}
        )
        self.gateway.forced = []
        self.env["sms.sms"]._cron_pl_sms_gateway()
        self.assertEqual(
            commits,
            [(0, "outgoing"), (2, "outgoing"), (1, "outgoing")],
            "the re-queue first, then two batches of statuses",
        )
        self.assertEqual(set(trackers.mapped("pl_gateway_status")), {"SENT"})

    def test_status_poll_skips_a_gateway_that_does_not_answer(self):
        """A gateway that times out is asked once a run, not once per SMS: the
        other SMS wait for the next run, which polls them all."""
        self.patch(
            type(self),
            "_request_handler",
            classmethod(
                lambda cls, session, request, **kw: _super_send(session, request, **kw)
            ),
        )
        _moves, trackers = self._three_sms_on_their_way()
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_invoicing_pl.sms_gateway_timeout", "0.3"
        )
        count = self.gateway.request_count
        self.gateway.delay = 1.0
        self._record_commits()
        self.env["sms.sms"]._cron_pl_sms_gateway()
        self.assertEqual(self.gateway.request_count, count + 1)
        self.assertEqual(set(trackers.mapped("pl_gateway_status")), {"QUEUE"})
        self.gateway.delay = 0
        self.env["sms.sms"]._cron_pl_sms_gateway()
        self.assertEqual(self.gateway.request_count, count + 4)
        self.assertEqual(set(trackers.mapped("pl_gateway_status")), {"SENT"})

    def test_status_poll_limit(self):
        """One run asks at most ``limit`` statuses."""
        _moves, trackers = self._three_sms_on_their_way()
        polled = self.env["sms.tracker"]._pl_poll_gateway_status(limit=2)
        self.assertEqual(polled, trackers.sorted("id")[:2])
        self.assertEqual(
            trackers.sorted("id").mapped("pl_gateway_status"),
            ["SENT", "SENT", "QUEUE"],
        )

    def test_undelivered_status(self):
        self.gateway.default_transitions = ("UNDELIVERED",)
        move = self.posted_invoice()
        self.run_sms_queue()
        self.env["sms.sms"]._cron_pl_sms_gateway()
        notification = self.sms_notification(move)
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.failure_type, "sms_not_delivered")

    def test_provider_selection(self):
        move = self.posted_invoice()
        sms = self.sms(move)
        api, records = next(sms._split_by_api())
        self.assertIsInstance(api, PlSmsGatewayApi)
        self.assertEqual(api.company, self.company)
        self.assertEqual(records, sms)
        self.assertIs(self.company._get_sms_api_class(), PlSmsGatewayApi)
        # Odoo's default: IAP, not our gateway (IAP is not called here).
        self.company.pl_sms_provider = "iap"
        api, records = next(sms._split_by_api())
        self.assertIs(type(api), SmsApi)
        self.assertIs(self.company._get_sms_api_class(), SmsApi)

    # Preferences ----------------------------------------------------------
    def test_customer_preference_none(self):
        self.customer.pl_invoice_notify = "none"
        move = self.posted_invoice()
        self.assertFalse(self.mails(move))
        self.assertFalse(self.sms(move))
        self.assertFalse(move.pl_notify_warning)
        self.run_sms_queue()
        self.assertFalse(self.gateway.requests)

    def test_customer_preference_overrides_type(self):
        self.customer.pl_invoice_notify = "sms"
        move = self.posted_invoice()
        self.assertFalse(self.mails(move))
        self.assertEqual(len(self.sms(move)), 1)
        self.customer.pl_invoice_notify = "email"
        move = self.posted_invoice()
        self.assertEqual(len(self.mails(move)), 1)
        self.assertFalse(self.sms(move))
        # "As the document type says": a type without notifications.
        self.customer.pl_invoice_notify = "doc_type"
        self.doc_type("vat").write({"pl_notify_email": False, "pl_notify_sms": False})
        move = self.posted_invoice()
        self.assertFalse(self.mails(move) or self.sms(move))

    def test_contact_follows_company_preference(self):
        contact = self.env["res.partner"].create(
            {"name": "Anna Nowak", "parent_id": self.customer.id, "type": "invoice"}
        )
        self.customer.pl_invoice_notify = "none"
        self.assertEqual(contact.pl_invoice_notify, "none")

    # E-mail ---------------------------------------------------------------
    def test_email_queued_with_pdf(self):
        move = self.posted_invoice()
        mail = self.mails(move)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing", "in the queue, not sent at posting")
        self.assertIn(move.name, mail.subject)
        self.assertIn(self.customer, mail.recipient_ids)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertTrue(move.is_move_sent)

    def test_missing_email_noted(self):
        self.customer.email = False
        move = self.posted_invoice()
        self.assertIn("has no e-mail address", move.pl_notify_warning)
        self.assertFalse(self.mails(move))
        self.assertEqual(len(self.sms(move)), 1, "the SMS still goes")

    def test_broken_template_does_not_block_posting(self):
        template = self.env.ref("crm_invoicing_pl.mail_template_pl_invoice").copy(
            {"subject": "{{ object.no_such_field }}"}
        )
        self.doc_type("vat").pl_mail_template_id = template
        move = self.posted_invoice()
        self.assertEqual(move.state, "posted")
        self.assertIn("could not be prepared", move.pl_notify_warning)
        self.assertFalse(self.mails(move))
        self.assertEqual(len(self.sms(move)), 1)

    def test_proforma_issue_notifies(self):
        self.doc_type("proforma").write(
            {"pl_notify_email": True, "pl_notify_sms": True}
        )
        proforma = self.pl_invoice(kind="proforma")
        proforma.action_pl_issue_proforma()
        self.assertEqual(proforma.state, "draft")
        mail = self.mails(proforma)
        self.assertEqual(len(mail), 1)
        self.assertIn(f"Pro forma {proforma.name}", mail.subject)
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1)
        self.assertIn(proforma.name, self.gateway.messages[0]["message"])
        self.assertIn("access_token=", self.gateway.messages[0]["message"])
        # Issuing again (already numbered) does not notify again.
        proforma.action_pl_issue_proforma()
        self.assertEqual(len(self.mails(proforma)), 1)


@tagged("post_install", "-at_install")
class TestIssueEmailDelivery(NotificationCommon, HttpCase):
    """The e-mail reaches a real SMTP server with the real PDF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("report.url", cls.base_url())

    def setUp(self):
        super().setUp()
        self.sink = route_mail_to_sink(self)
        self.doc_type("vat").pl_notify_email = True

    def test_email_arrives_with_pdf(self):
        move = self.pl_invoice().with_context(force_report_rendering=True)
        move.action_post()
        self.assertEqual(len(self.mails(move)), 1)
        self.assertFalse(self.sink.messages, "queued, not sent at posting")
        self.env["mail.mail"].sudo().process_email_queue(self.mails(move).ids)
        self.assertEqual(len(self.sink.messages), 1)
        received = self.sink.messages[0]
        self.assertIn("zakupy@zolw.example.com", received.rcpt_tos)
        self.assertIn(move.name, received.message["Subject"])
        attachments = received.attachments
        self.assertEqual(len(attachments), 1)
        filename, content_type, content = attachments[0]
        self.assertTrue(filename.endswith(".pdf"))
        self.assertEqual(content_type, "application/pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        self.assertFalse(self.mails(move).filtered(lambda m: m.state == "exception"))

    def test_smtp_failure_recorded_posting_kept(self):
        self.sink.fail_data = 451
        move = self.posted_invoice()
        mail = self.mails(move)
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            self.env["mail.mail"].sudo().process_email_queue(mail.ids)
        self.assertEqual(move.state, "posted")
        self.assertFalse(self.sink.messages)
        self.assertEqual(mail.state, "exception")
        self.assertIn("451", mail.failure_reason)
        retry = self.env["mail.mail"].sudo()._cron_pl_retry_document_mail
        self.assertFalse(retry(), "not due yet")
        # Temporary failure: retried once due, with a growing delay.
        self.sink.fail_data = None
        with freeze_time(fields.Datetime.now() + timedelta(minutes=11)):
            self.assertEqual(retry(), mail)
        self.assertRecordValues(mail, [{"state": "outgoing", "pl_retry_count": 1}])
        self.env["mail.mail"].sudo().process_email_queue(mail.ids)
        self.assertEqual(len(self.sink.messages), 1)
        self.assertIn(move.name, self.sink.messages[0].message["Subject"])

    def test_smtp_permanent_failure_not_retried(self):
        self.sink.fail_data = 554
        move = self.posted_invoice()
        mail = self.mails(move)
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            self.env["mail.mail"].sudo().process_email_queue(mail.ids)
        self.assertEqual(mail.state, "exception")
        with freeze_time(fields.Datetime.now() + timedelta(hours=5)):
            self.assertFalse(
                self.env["mail.mail"].sudo()._cron_pl_retry_document_mail()
            )
        self.assertEqual(mail.state, "exception")
