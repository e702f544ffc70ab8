"""SMS through the HTTP SMS gateway, in a real database with real queues.

The SMS are posted on a contact as any Odoo add-on posts them (Odoo's
``sms`` framework: ``sms.sms``, its tracker and the message's notification),
sent by Odoo's SMS queue to a local fake of the gateway (127.0.0.1).
"""

from datetime import timedelta

from crm_pl_testing.fake_sms_gateway import FakeSmsGateway
from odoo import fields
from odoo.addons.sms.tools.sms_api import SmsApi
from odoo.tests import TransactionCase, tagged
from odoo.tests.common import _super_send

from ..models import sms_tracker
from ..models.sms_sms import MAX_ATTEMPTS, TIMEOUT_PARAM, PlSmsGatewayApi

TOKEN = "secret-token"
TEXT = "Faktura VAT FV/1/11/2026 na kwotę 1 234,55 zł: https://example.com/f/1"


class GatewayCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # Numbers without a country code are read in the company's country.
        cls.company.country_id = cls.env.ref("base.pl")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Żółw Sp. z o.o.",
                "phone": "600 100 200",
                "country_id": cls.env.ref("base.pl").id,
            }
        )

    def setUp(self):
        super().setUp()
        # The SMS queue commits between batches: not inside a test.
        self.patch(
            type(self.env["ir.cron"]),
            "_commit_progress",
            lambda self, processed=0, remaining=None, deactivate=False: float("inf"),
        )
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

    # Helpers ------------------------------------------------------------
    def post_sms(self, body=TEXT):
        """Post an SMS on the customer: its SMS, queued."""
        message = self.customer._message_sms(
            body, partner_ids=self.customer.ids, put_in_queue=True
        )
        sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)])
        self.assertEqual((len(sms), sms.state), (1, "outgoing"))
        return sms

    def notification(self, sms):
        return (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "=", sms.mail_message_id.id),
                    ("notification_type", "=", "sms"),
                ]
            )
        )

    def tracker(self, sms):
        return self.env["sms.tracker"].search([("sms_uuid", "=", sms.uuid)])

    def run_sms_queue(self):
        self.env["sms.sms"].sudo()._process_queue()

    def retry_due(self, sms):
        """Run the gateway cron as if the retry time had come."""
        sms.filtered("pl_gateway_retry_at").write(
            {"pl_gateway_retry_at": fields.Datetime.now() - timedelta(seconds=1)}
        )
        self.env["sms.sms"]._cron_pl_sms_gateway()

    def keep_short_timeouts(self):
        # The test framework raises HTTP time-outs below 10 s to 10 s: keep ours.
        self.patch(
            type(self),
            "_request_handler",
            classmethod(
                lambda cls, session, request, **kw: _super_send(session, request, **kw)
            ),
        )
        self.env["ir.config_parameter"].sudo().set_param(TIMEOUT_PARAM, "0.3")


@tagged("post_install", "-at_install")
class TestSmsHttpGateway(GatewayCommon):
    def test_sms_sent_through_the_gateway(self):
        sms = self.post_sms()
        self.assertEqual(sms.number, "+48600100200")
        self.assertFalse(self.gateway.messages, "queued, not sent at posting")
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1)
        sent = self.gateway.messages[0]
        self.assertEqual(sent["to"], "48600100200")
        self.assertEqual(sent["from"], "FIRMA")
        self.assertEqual(sent["message"], TEXT)
        self.assertEqual(sent["idx"], sms.uuid, "the gateway deduplicates on it")
        self.assertEqual(sms.state, "pending")
        self.assertEqual(self.notification(sms).notification_status, "pending")
        self.assertEqual(sms.pl_gateway_message_id, sent["id"])

    def test_numbers_formatted_by_phone_validation(self):
        """Any form phone_validation reads, and the old Polish trunk "0"."""
        numbers = {
            "0048 (600) 100-200": "48600100200",
            "+48 600 100 201": "48600100201",
            "0 600 100 202": "48600100202",  # old trunk prefix
            "+48 (0) 600 100 203": "48600100203",  # trunk "0" in brackets
        }
        sms = self.env["sms.sms"].create(
            [{"number": number, "body": TEXT} for number in numbers]
        )
        sms.send()
        self.assertEqual(
            sorted(message["to"] for message in self.gateway.messages),
            sorted(numbers.values()),
        )
        self.assertEqual(set(sms.mapped("state")), {"pending"})

    def test_invalid_number_not_sent(self):
        sms = self.env["sms.sms"].create(
            [
                {"number": "600 100", "body": TEXT},
                {"number": "0 022 100 200", "body": TEXT},  # not a trunk "0"
            ]
        )
        sms.send(raise_exception=True)
        self.assertFalse(self.gateway.requests)
        self.assertEqual(set(sms.mapped("failure_type")), {"sms_number_format"})
        self.assertEqual(set(sms.mapped("state")), {"error"})
        # phone_validation's own message names the number.
        self.assertIn("600 100", sms[0].pl_gateway_error)
        self.assertFalse(sms.filtered("pl_gateway_retry_at"), "never retried")

    def test_transient_error_retried_once_sent(self):
        self.gateway.forced = [500]
        sms = self.post_sms()
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
        notification = self.notification(sms)
        self.assertEqual(notification.notification_status, "exception")
        # Not due yet: the cron leaves it alone.
        self.env["sms.sms"]._cron_pl_sms_gateway()
        self.assertEqual(sms.state, "error")
        # Due: back in the queue, sent by it.
        self.retry_due(sms)
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
        self.retry_due(sms)
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1)

    def test_timeout_retry_is_not_sent_twice(self):
        self.keep_short_timeouts()
        self.gateway.delay = 1.5  # the gateway sends, then answers too late
        sms = self.post_sms()
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1)
        self.assertEqual(sms.state, "error")
        self.assertIn("did not answer in time", sms.pl_gateway_error)
        self.assertTrue(sms.pl_gateway_retry_at)
        self.gateway.delay = 0
        self.retry_due(sms)
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1, "idx: never sent twice")
        self.assertEqual(self.gateway.requests[-1][2]["idx"], sms.uuid)
        self.assertEqual(sms.state, "pending")
        self.assertEqual(self.notification(sms).notification_status, "pending")

    def test_timeout_of_crm_invoicing_pl_still_read(self):
        """The timeout a database set while crm_invoicing_pl held the gateway."""
        self.keep_short_timeouts()
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(TIMEOUT_PARAM, False)
        params.set_param("crm_invoicing_pl.sms_gateway_timeout", "0.3")
        self.gateway.delay = 1.5
        sms = self.post_sms()
        self.run_sms_queue()
        self.assertIn("did not answer in time", sms.pl_gateway_error)

    def test_retries_are_bounded(self):
        self.gateway.forced = [503] * (MAX_ATTEMPTS + 2)
        sms = self.post_sms()
        self.run_sms_queue()
        for _attempt in range(MAX_ATTEMPTS + 2):
            self.retry_due(sms)
            self.run_sms_queue()
        self.assertEqual(self.gateway.request_count, MAX_ATTEMPTS)
        self.assertEqual(sms.pl_gateway_attempts, MAX_ATTEMPTS)
        self.assertEqual(sms.state, "error")
        self.assertFalse(sms.pl_gateway_retry_at)
        self.assertIn(f"Gave up after {MAX_ATTEMPTS} attempts", sms.pl_gateway_error)

    def test_permanent_error_recorded(self):
        self.gateway.invalid_numbers.add("48600100200")
        sms = self.post_sms()
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
        notification = self.notification(sms)
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.failure_type, "sms_number_format")
        self.retry_due(sms)
        self.assertEqual(sms.state, "error", "never retried")
        self.assertEqual(self.gateway.request_count, 1)

    def test_wrong_token_recorded(self):
        self.company.pl_sms_gateway_token = "wrong"
        sms = self.post_sms()
        self.run_sms_queue()
        self.assertRecordValues(sms, [{"state": "error", "failure_type": "sms_acc"}])
        self.assertFalse(self.gateway.messages)

    def test_delivery_status(self):
        sms = self.post_sms()
        self.run_sms_queue()
        message_id = self.gateway.messages[0]["id"]
        tracker = self.tracker(sms)
        self.assertRecordValues(
            tracker,
            [{"pl_gateway_message_id": message_id, "pl_gateway_status": "QUEUE"}],
        )
        notification = self.notification(sms)
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

    def test_undelivered_status(self):
        self.gateway.default_transitions = ("UNDELIVERED",)
        sms = self.post_sms()
        self.run_sms_queue()
        self.env["sms.sms"]._cron_pl_sms_gateway()
        notification = self.notification(sms)
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.failure_type, "sms_not_delivered")

    def test_provider_selection(self):
        sms = self.post_sms()
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


@tagged("post_install", "-at_install")
class TestSmsHttpGatewayStatusPoll(GatewayCommon):
    def _three_sms_on_their_way(self):
        self.gateway.default_transitions = ("SENT",)
        sms = self.env["sms.sms"].sudo()
        for _i in range(3):
            sms |= self.post_sms()
        self.run_sms_queue()
        trackers = self.env["sms.tracker"].search(
            [("sms_uuid", "in", sms.mapped("uuid"))]
        )
        self.assertEqual(len(trackers.filtered("pl_gateway_message_id")), 3)
        return trackers

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
        trackers = self._three_sms_on_their_way()
        failing = self.post_sms()
        self.gateway.forced = [500]
        self.run_sms_queue()
        self.assertEqual(failing.state, "error")
        commits = self._record_commits()
        self.watched = failing
        failing.write(
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
        trackers = self._three_sms_on_their_way()
        self.keep_short_timeouts()
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
        trackers = self._three_sms_on_their_way()
        polled = self.env["sms.tracker"]._pl_poll_gateway_status(limit=2)
        self.assertEqual(polled, trackers.sorted("id")[:2])
        self.assertEqual(
            trackers.sorted("id").mapped("pl_gateway_status"),
            ["SENT", "SENT", "QUEUE"],
        )
