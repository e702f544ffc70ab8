"""GDPR anonymisation (art. 17 GDPR): who may do it, what stops it, what it erases.

- Only invoicing managers: an employee, a salesman and a billing user are
  refused through the ORM and JSON-RPC, and nothing changes.
- Any accounting record naming the person that is still within its
  retention period (art. 112 VAT Act, art. 70 § 1 Ordynacja podatkowa)
  stops it: a vendor bill too, not only sales documents.
- Every copy of the personal data is erased: the contact (company name
  included), CRM leads, queued e-mails and SMS, messages the person wrote.
"""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .test_archive import ArchiveCommon


@tagged("post_install", "-at_install")
class TestSecurityGdpr(ArchiveCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls._pl_user("pl_gdpr_employee", "base.group_user")
        cls.salesman = cls._pl_user(
            "pl_gdpr_salesman", "sales_team.group_sale_salesman_all_leads"
        )
        cls.billing = cls._pl_user("pl_gdpr_billing", "account.group_account_invoice")
        cls.manager = cls._pl_user("pl_gdpr_manager", "account.group_account_manager")
        cls.consumer.write(
            {
                "email": "jan.kowalski@example.com",
                "phone": "+48 600 100 200",
                "company_name": "Jan Kowalski Usługi",
            }
        )

    def _unchanged(self):
        self.consumer.invalidate_recordset()
        self.assertEqual(self.consumer.name, "Jan Kowalski")
        self.assertEqual(self.consumer.email, "jan.kowalski@example.com")
        self.assertTrue(self.consumer.active)

    def test_refused_for_everyone_but_invoicing_managers(self):
        for user in (self.employee, self.salesman, self.billing):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "Only invoicing managers"):
                    self.consumer.with_user(user).action_pl_gdpr_anonymise()
                self._unchanged()

    def test_refused_through_jsonrpc(self):
        self.authenticate(self.salesman.login, self.salesman.login)
        refusal = self._pl_jsonrpc_refusal(
            "res.partner", "action_pl_gdpr_anonymise", [self.consumer.ids]
        )
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        self._unchanged()

    def test_a_recent_vendor_bill_stops_it(self):
        """A private person who sold us something: the bill of 2026-11-15 is
        kept until 2031-12-31 (VAT due in December 2026 + 5 years)."""
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.consumer.id,
                "invoice_date": "2026-11-15",
                "invoice_line_ids": [
                    Command.create({"name": "Rower używany", "price_unit": 800.0})
                ],
            }
        )
        bill.action_post()
        with self.assertRaises(UserError) as error:
            self.consumer.with_user(self.manager).action_pl_gdpr_anonymise()
        self.assertIn(bill.name, str(error.exception))
        self.assertIn("2031-12-31", str(error.exception))
        self._unchanged()
        bill.invalidate_recordset()
        self.assertNotIn("Anonymised", bill.partner_id.name)

    def test_every_copy_is_erased_and_logged(self):
        old = self.post(partner=self.consumer, date="2015-06-15")
        self.pay(old)
        lead = (
            self.env["crm.lead"]
            .sudo()
            .create(
                {
                    "name": "Rower dla Jana",
                    "partner_id": self.consumer.id,
                    "contact_name": "Jan Kowalski",
                    "email_from": "jan.kowalski@example.com",
                    "phone": "+48 600 100 200",
                }
            )
        )
        orphan_lead = (
            self.env["crm.lead"]
            .sudo()
            .create({"name": "Zapytanie", "email_from": "Jan.Kowalski@example.com"})
        )
        sms = (
            self.env["sms.sms"]
            .sudo()
            .create({"number": "+48 600 100 200", "body": "Faktura dla Jana"})
        )
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": "Faktura",
                    "body_html": "<p>Dzień dobry Panie Janie</p>",
                    "recipient_ids": [Command.set(self.consumer.ids)],
                }
            )
        )
        reply = old.message_post(
            body="Proszę o korektę adresu: ul. Długa 1", author_id=self.consumer.id
        )
        self.consumer.with_user(self.manager).action_pl_gdpr_anonymise()
        partner = self.consumer.with_context(active_test=False)
        self.assertFalse(partner.company_name)
        self.assertFalse(partner.email)
        for record in (lead, orphan_lead):
            self.assertFalse(record.email_from)
        self.assertFalse(lead.contact_name or lead.phone)
        self.assertFalse(sms.exists())
        self.assertFalse(mail.exists())
        self.assertNotIn("Długa", str(reply.body))
        self.assertFalse(reply.author_id)
        log = partner.message_ids[:1]
        self.assertIn("CRM leads: 2", str(log.body))
        self.assertIn("SMS: 1", str(log.body))
        # The posted document still shows the buyer as invoiced.
        self.assertEqual(old.pl_buyer_name, "Jan Kowalski")
