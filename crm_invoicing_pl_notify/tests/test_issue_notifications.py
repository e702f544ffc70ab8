"""E-mail and SMS to the customer when a Polish document is issued.

Real database, real queues: the e-mail leaves through Odoo's mail queue to a
local SMTP sink; the SMS is queued in Odoo's ``sms`` framework and leaves
through the company's SMS provider: Odoo IAP here, with Odoo's own mock of
its service (``SMSCase``). Sending through the HTTP SMS gateway, its retries
and delivery reports are the tests of ``sms_http_gateway_pl``.
"""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time
from odoo import fields
from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon
from odoo.addons.sms.tests.common import SMSCase
from odoo.addons.sms.tools.sms_api import SmsApi
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .mail_sink import route_mail_to_sink


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
        self.doc_type("vat").write({"pl_notify_email": True, "pl_notify_sms": True})

    # SMS ------------------------------------------------------------------
    def test_sms_text_number_amount_link(self):
        move = self.posted_invoice(lines=[(self.goods, 10, 100.37)])
        sms = self.sms(move)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.state, "outgoing", "queued, not sent at posting")
        self.assertEqual(sms.number, "+48600100200")
        text = sms.body
        self.assertIn(move.name, text)
        self.assertIn("1 234,55", text)  # 10 x 100.37 + 23 % VAT
        self.assertTrue(text.startswith("Faktura VAT"))
        link = re.search(r"https?://\S+", text).group(0)
        url = urlsplit(link)
        self.assertEqual(url.path, f"/my/invoices/{move.id}")
        self.assertEqual(parse_qs(url.query)["access_token"], [move.access_token])
        self.assertEqual(self.sms_notification(move).notification_status, "ready")
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
        self.assertEqual(len(self.mails(move)), 1, "the e-mail still goes")

    def test_missing_and_landline_number(self):
        self.customer.phone = False
        move = self.posted_invoice()
        self.assertIn("has no phone number", move.pl_notify_warning)
        self.customer.phone = "22 123 45 67"  # Warsaw landline
        move = self.posted_invoice()
        self.assertIn("not a mobile number", move.pl_notify_warning)
        self.assertFalse(self.sms(move))

    # Preferences ----------------------------------------------------------
    def test_customer_preference_none(self):
        self.customer.pl_invoice_notify = "none"
        move = self.posted_invoice()
        self.assertFalse(self.mails(move))
        self.assertFalse(self.sms(move))
        self.assertFalse(move.pl_notify_warning)

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
        template = self.env.ref(
            "crm_invoicing_pl_notify.mail_template_pl_invoice"
        ).copy({"subject": "{{ object.no_such_field }}"})
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
        sms = self.sms(proforma)
        self.assertEqual(len(sms), 1)
        self.assertIn(proforma.name, sms.body)
        self.assertIn("access_token=", sms.body)
        # Issuing again (already numbered) does not notify again.
        proforma.action_pl_issue_proforma()
        self.assertEqual(len(self.mails(proforma)), 1)


@tagged("post_install", "-at_install")
class TestIssuePhoneNumber(NotificationCommon):
    """The customer's number, read by Odoo's ``phone_validation`` in the
    company's country, as every SMS Odoo sends."""

    def setUp(self):
        super().setUp()
        self.move = self.pl_invoice()

    def phone(self, raw):
        self.customer.phone = raw
        return self.move._pl_notify_phone()

    def assertRefused(self, raw, reason):
        number, problem = self.phone(raw)
        self.assertIsNone(number, raw)
        self.assertIn(f"“{raw}” ({self.customer.display_name}) {reason}", problem)

    def test_polish_mobile_in_several_forms(self):
        for raw in (
            "+48 600 100 200",
            "0048 600-100-200",
            "600100200",
            "600 100 200",
            "48 600 100 200",
            "(+48) 600.100.200",
            "600\u00a0100\u00a0200",  # no-break spaces
            " 600/100/200 ",
        ):
            with self.subTest(raw=raw):
                self.assertEqual(self.phone(raw), ("+48600100200", None))

    def test_foreign_mobile(self):
        for raw, e164 in (
            ("+49 1512 3456789", "+4915123456789"),
            ("00420 601 123 456", "+420601123456"),
            ("+44 7911 123456", "+447911123456"),
            ("+1 212 555 0123", "+12125550123"),  # mobile or landline: sent
        ):
            with self.subTest(raw=raw):
                self.assertEqual(self.phone(raw), (e164, None))

    def test_landline_not_mobile(self):
        for raw in ("22 123 45 67", "+48 800 123 456", "+49 30 123456"):
            with self.subTest(raw=raw):
                self.assertRefused(raw, "is not a mobile number.")

    def test_wrong_length_or_range_not_valid(self):
        for raw in ("600 100", "123", "600 100 2001", "+48 100 100 100", "---"):
            with self.subTest(raw=raw):
                self.assertRefused(raw, "is not a valid phone number.")

    def test_old_trunk_prefix_not_valid(self):
        # As Odoo's IAP would refuse them: to be written without the "0".
        for raw in ("0 600 100 200", "+48 (0) 600 100 200"):
            with self.subTest(raw=raw):
                self.assertRefused(raw, "is not a valid phone number.")

    def test_letters_and_extensions_refused(self):
        # libphonenumber would read "1OO" as the keypad's 166 and drop an
        # extension: another subscriber, or not this one's line.
        for raw in (
            "600 1OO 2OO",
            "600 100 2OO",
            "tel. 600 100 200",
            "600 100 200 ext. 12",
            "600 100 200 x12",
            "600 100 200 #12",
            "600@100.200",
            "abc",
        ):
            with self.subTest(raw=raw):
                self.assertRefused(raw, "is not a phone number.")

    def test_no_number(self):
        self.assertEqual(
            self.phone(False),
            (None, f"no SMS sent, {self.customer.display_name} has no phone number."),
        )

    def test_read_in_the_company_country(self):
        self.company.country_id = self.env.ref("base.de")
        self.assertEqual(self.phone("01512 3456789"), ("+4915123456789", None))
        self.assertRefused("600 100 200", "is not a mobile number.")  # +49 600...
        self.assertEqual(self.phone("+48 600 100 200"), ("+48600100200", None))
        # A company without a country: Poland.
        self.company.country_id = False
        self.assertEqual(self.phone("600 100 200"), ("+48600100200", None))

    def test_contact_without_phone_uses_the_company_number(self):
        contact = self.env["res.partner"].create(
            {"name": "Anna Nowak", "parent_id": self.customer.id, "type": "invoice"}
        )
        self.customer.phone = "600 100 200"
        move = self.pl_invoice(partner=contact)
        self.assertEqual(move._pl_notify_phone(), ("+48600100200", None))
        contact.phone = "601 200 300"
        self.assertEqual(move._pl_notify_phone(), ("+48601200300", None))


@tagged("post_install", "-at_install")
class TestIssueSmsDelivery(NotificationCommon, SMSCase):
    """The SMS leaves through the company's SMS provider (Odoo IAP, mocked by
    Odoo's SMSCase): nothing of the notification depends on a provider."""

    def setUp(self):
        super().setUp()
        self.doc_type("vat").pl_notify_sms = True

    def test_sms_leaves_through_the_company_provider(self):
        move = self.posted_invoice()
        sms = self.sms(move)
        self.assertIs(type(next(sms._split_by_api())[0]), SmsApi)
        with self.mockSMSGateway():
            self.run_sms_queue()
        self.assertSMSIapSent(["+48600100200"], content=move.name)
        self.assertEqual(sms.state, "pending")
        self.assertEqual(self.sms_notification(move).notification_status, "pending")


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
