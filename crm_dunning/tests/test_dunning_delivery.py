"""Dunning e-mails and SMS through real queues to local fakes.

The e-mail leaves through Odoo's mail queue to a local SMTP sink, the SMS
through Odoo's SMS queue to a local fake of the HTTP SMS gateway; failures
are recorded on the communication and retried by crm_invoicing_pl's crons.
"""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from crm_pl_testing.fake_sms_gateway import FakeSmsGateway
from freezegun import freeze_time
from odoo import fields
from odoo.addons.crm_invoicing_pl_notify.tests.mail_sink import route_mail_to_sink
from odoo.tests import tagged
from odoo.tools import mute_logger

from .dunning_run_common import DunningRunCommon

TOKEN = "secret-token"
AMOUNT = re.compile(r"1[\s.,\u00a0\u202f]?230[.,]00")


@tagged("post_install", "-at_install")
class TestDunningEmail(DunningRunCommon):
    def setUp(self):
        super().setUp()
        self.sink = route_mail_to_sink(self)

    def process(self, mails):
        self.env["mail.mail"].sudo().process_email_queue(mails.ids)

    def test_email_arrives_with_placeholders(self):
        move = self.due_in(-8, price=1000.0)
        comm = self.dunning_run(send=True).communication_ids
        self.assertEqual(comm.level_id, self.urge)
        mail = comm.mail_mail_id
        self.assertEqual(mail.state, "outgoing", "queued, sent by the mail queue")
        self.assertEqual((mail.model, mail.res_id), (comm._name, comm.id))
        self.assertFalse(self.sink.messages)
        self.process(mail)
        self.assertEqual(len(self.sink.messages), 1)
        received = self.sink.messages[0]
        self.assertIn("zakupy@zolw.example.com", received.rcpt_tos)
        subject = received.message["Subject"]
        self.assertIn(move.name, subject)
        self.assertIn("Ponaglenie", subject)
        body = received.message.get_body(("html",)).get_content()
        self.assertIn(move.name, body)
        self.assertRegex(body, AMOUNT, "the amount left")
        self.assertRegex(body, r">\s*8\s*<", "the days overdue")
        self.assertIn("61109010140000071219812874", re.sub(r"\s", "", body))
        self.assertTrue(move.access_token, "a portal token was made")
        link = re.search(r'href="([^"]*/my/invoices/[^"]*)"', body).group(1)
        url = urlsplit(link.replace("&amp;", "&"))
        self.assertEqual(url.path, f"/my/invoices/{move.id}")
        self.assertEqual(parse_qs(url.query)["access_token"], [move.access_token])
        self.assertEqual(comm.mail_state, "sent")
        self.assertIn("E-mail: Sent", comm.delivery_status)
        self.assertEqual(
            self.customer.with_company(self.company).dunning_line_ids.mail_state,
            "sent",
        )

    def test_reminder_before_due_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        template = self.env.ref("crm_dunning.mail_template_dunning_reminder")
        template.with_context(
            lang="pl_PL"
        ).subject = "Przypomnienie o płatności: {{ object.invoice_names }}"
        self.customer.lang = "pl_PL"
        self.customer2.lang = "en_US"
        polish = self.due_in(2, self.customer)
        english = self.due_in(2, self.customer2)
        run = self.dunning_run(send=True)
        self.assertEqual(run.communication_ids.level_id, self.reminder)
        self.process(run.communication_ids.mail_mail_id)
        subjects = {
            tuple(message.rcpt_tos): message.message["Subject"]
            for message in self.sink.messages
        }
        self.assertEqual(
            subjects[("zakupy@zolw.example.com",)],
            f"Przypomnienie o płatności: {polish.name}",
        )
        english_subject = subjects[("biuro@bocian.example.com",)]
        self.assertIn(english.name, english_subject)
        self.assertIn("Przypomnienie", english_subject)  # the level's name
        self.assertNotIn("płatności", english_subject)
        body = self.sink.messages[0].message.get_body(("html",)).get_content()
        self.assertIn("will soon be due", body)

    def test_invoices_attached(self):
        self.urge.attach_invoice = True
        first = self.due_in(-8)
        second = self.due_in(-7)
        comm = self.dunning_run(send=True).communication_ids
        attachments = comm.mail_mail_id.attachment_ids
        self.assertEqual(len(attachments), 2)
        self.assertEqual(
            sorted(attachments.mapped("name")),
            sorted(
                [
                    first._get_invoice_report_filename(),
                    second._get_invoice_report_filename(),
                ]
            ),
        )
        self.process(comm.mail_mail_id)
        self.assertEqual(len(self.sink.messages[0].attachments), 2)

    def test_smtp_failure_recorded_and_retried(self):
        self.sink.fail_data = 451
        move = self.due_in(-8)
        comm = self.dunning_run(send=True).communication_ids
        mail = comm.mail_mail_id
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            self.process(mail)
        self.assertFalse(self.sink.messages)
        self.assertEqual(mail.state, "exception")
        self.assertIn("451", mail.failure_reason)
        self.assertEqual(comm.mail_state, "exception")
        self.assertIn("E-mail: Delivery Failed", comm.delivery_status)
        retry = self.env["mail.mail"].sudo()._cron_pl_retry_document_mail
        self.assertFalse(retry(), "not due yet")
        self.sink.fail_data = None
        with freeze_time(fields.Datetime.now() + timedelta(minutes=11)):
            self.assertEqual(retry(), mail)
        self.assertRecordValues(mail, [{"state": "outgoing", "pl_retry_count": 1}])
        self.process(mail)
        self.assertEqual(len(self.sink.messages), 1)
        self.assertIn(move.name, self.sink.messages[0].message["Subject"])
        self.assertEqual(comm.mail_state, "sent")
        # Sent once: the next run does not send the level again.
        self.assertFalse(self.dunning_run(send=True).communication_ids)


@tagged("post_install", "-at_install")
class TestDunningSms(DunningRunCommon):
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

    def run_sms_queue(self):
        self.env["sms.sms"].sudo()._process_queue()

    def test_sms_through_the_gateway(self):
        move = self.due_in(-8, price=1000.0)
        comm = self.dunning_run(send=True).communication_ids
        self.assertEqual(comm.level_id, self.urge)
        sms = comm.sms_id
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(sms.number, "+48600100200")
        self.assertEqual(comm.sms_state, "outgoing")
        self.assertFalse(self.gateway.messages)
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1)
        sent = self.gateway.messages[0]
        self.assertEqual(sent["to"], "48600100200")
        self.assertEqual(sent["idx"], sms.uuid)
        text = sent["message"]
        self.assertIn("Ponaglenie", text)
        self.assertIn(move.name, text)
        self.assertRegex(text, AMOUNT)
        self.assertIn("8 days overdue", text)
        link = re.search(r"https?://\S+", text).group(0)
        url = urlsplit(link)
        self.assertEqual(url.path, f"/my/invoices/{move.id}")
        self.assertEqual(parse_qs(url.query)["access_token"], [move.access_token])
        comm.invalidate_recordset()
        self.assertEqual(comm.sms_state, "pending")
        self.assertIn("SMS: Sent", comm.delivery_status)
        # The gateway's delivery report reaches the communication.
        tracker = comm.sms_tracker_id
        self.assertEqual(tracker.sms_uuid, sms.uuid)
        self.assertEqual(tracker.pl_gateway_message_id, sent["id"])
        for _poll in range(3):  # QUEUE, SENT, DELIVERED
            self.env["sms.sms"]._cron_pl_sms_gateway()
        self.assertEqual(tracker.pl_gateway_status, "DELIVERED")
        comm.invalidate_recordset()
        self.assertEqual(comm.sms_state, "sent")
        self.assertIn("SMS: Delivered", comm.delivery_status)
        # Once the queue deleted the SMS, the tracker keeps the status.
        sms.unlink()
        comm.invalidate_recordset()
        self.assertEqual(comm.sms_state, "sent")

    def test_gateway_failure_recorded_and_retried(self):
        self.gateway.forced = [500]
        self.due_in(-8)
        comm = self.dunning_run(send=True).communication_ids
        sms = comm.sms_id
        self.run_sms_queue()
        self.assertFalse(self.gateway.messages)
        self.assertEqual(sms.state, "error")
        self.assertIn("HTTP 500", sms.pl_gateway_error)
        comm.invalidate_recordset()
        self.assertEqual(comm.sms_state, "error")
        self.assertIn("SMS: Error", comm.delivery_status)
        # Due for a retry: the gateway cron puts it back, the queue sends it.
        sms.pl_gateway_retry_at = fields.Datetime.now() - timedelta(seconds=1)
        self.env["sms.sms"]._cron_pl_sms_gateway()
        self.assertEqual(sms.state, "outgoing")
        self.run_sms_queue()
        self.assertEqual(len(self.gateway.messages), 1)
        comm.invalidate_recordset()
        self.assertEqual(comm.sms_state, "pending")

    def test_invalid_mobile_recorded(self):
        self.customer.phone = "22 123 45 67"  # Warsaw landline
        self.due_in(-8)
        comm = self.dunning_run(send=True).communication_ids
        self.assertEqual(comm.state, "sent", "the e-mail still goes")
        self.assertFalse(comm.sms_id)
        self.assertIn("not a mobile number", comm.error_message)
