from datetime import timedelta

from odoo import fields
from odoo.tests import freeze_time, tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestCustomerCard(PlInvoicingCommon):
    """The customer card's open and overdue amounts, status and history."""

    def test_open_overdue_status_and_history(self):
        today = fields.Date.context_today(self.env["account.move"])
        contact = self.env["res.partner"].create(
            {"name": "Ewa Nowak", "parent_id": self.customer.id, "type": "invoice"}
        )
        self.assertEqual(self.customer.pl_payment_status, "none")
        self.assertEqual(self.customer.pl_open_amount, 0.0)
        late = self.pl_invoice(
            partner=contact,
            date=today - timedelta(days=40),
            invoice_date_due=today - timedelta(days=10),
        )
        late.action_post()
        current = self.pl_invoice(date=today, lines=[(self.goods, 2, 100.0)])
        current.action_post()
        proforma = self.pl_invoice(kind="proforma")
        self.customer.invalidate_recordset()
        # 123 late (invoiced to a contact of the customer) + 246 not yet due.
        self.assertEqual(self.customer.pl_open_amount, 369.0)
        self.assertEqual(self.customer.pl_overdue_amount, 123.0)
        self.assertEqual(self.customer.pl_payment_status, "overdue")
        self.assertEqual(contact.pl_overdue_amount, 123.0, "the contact's card too")
        self.assertEqual(
            self.customer.pl_invoice_history_ids, current + late + proforma
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=late.ids
        ).create({})._create_payments()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.pl_open_amount, 246.0)
        self.assertEqual(self.customer.pl_payment_status, "open")
        self.assertEqual(self.customer.pl_overdue_amount, 0.0)

    def test_invoice_due_on_a_saturday_is_overdue_after_the_next_working_day(self):
        """Art. 115 KC: a due date on a Saturday moves to Monday. An invoice
        due Saturday 7 November 2026 is not overdue on Sunday 8 nor Monday
        9 November, only from Tuesday 10; one due Friday 6 November is
        overdue from Saturday 7."""
        with freeze_time("2026-10-23 09:00:00"):
            friday = self.pl_invoice(date="2026-10-23", invoice_date_due="2026-11-06")
            saturday = self.pl_invoice(
                date="2026-10-23",
                invoice_date_due="2026-11-07",
                lines=[(self.goods, 2, 100.0)],
            )
            (friday + saturday).action_post()
        expected = [
            ("2026-11-06 12:00:00", 0.0, "open"),  # Friday: nothing late yet
            ("2026-11-08 12:00:00", 123.0, "overdue"),  # Sunday: Friday's
            ("2026-11-09 12:00:00", 123.0, "overdue"),  # Monday: still Friday's
            ("2026-11-10 12:00:00", 369.0, "overdue"),  # Tuesday: both
        ]
        for moment, overdue, status in expected:
            with self.subTest(moment=moment), freeze_time(moment):
                self.customer.invalidate_recordset()
                self.assertEqual(self.customer.pl_open_amount, 369.0)
                self.assertEqual(self.customer.pl_overdue_amount, overdue)
                self.assertEqual(self.customer.pl_payment_status, status)
