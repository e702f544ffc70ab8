"""Dunning never acts on days that have not come.

A run dated after today would send final demands for invoices not yet due
and its duplicate guard would then block the real reminder; an interest
note up to a future day would charge days of delay that have not passed
(art. 481 § 1 KC: interest for the time of delay). Both are refused for a
billing user through the ORM and JSON-RPC, and nothing is created.
"""

from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged

from .dunning_run_common import DunningRunCommon

TODAY = date(2026, 4, 20)


@tagged("post_install", "-at_install")
@freeze_time("2026-04-20 09:00:00")
class TestSecurityDunningDates(DunningRunCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._pl_user(
            "pl_dunning_billing", "account.group_account_invoice"
        )

    def _runs(self):
        return self.env["crm.dunning.run"].search_count([])

    def test_run_dated_after_today_refused_through_the_orm(self):
        self.due_in(-10, on=TODAY)
        before = self._runs()
        Run = self.env["crm.dunning.run"].with_user(self.billing)
        # assertRaises (not ...Regex) rolls the refused change back, as the
        # server does with the transaction of a refused request.
        with self.assertRaises(ValidationError) as error:
            Run.create({"company_id": self.company.id, "date": date(2027, 4, 20)})
        self.assertIn("after today", str(error.exception))
        run = Run.create({"company_id": self.company.id, "date": TODAY})
        with self.assertRaises(ValidationError):
            run.write({"date": date(2026, 4, 21)})
        run.invalidate_recordset()
        self.assertEqual(run.date, TODAY)
        self.assertEqual(self._runs(), before + 1)

    def test_run_dated_after_today_refused_through_jsonrpc(self):
        before = self._runs()
        self.authenticate(self.billing.login, self.billing.login)
        refusal = self._pl_jsonrpc_refusal(
            "crm.dunning.run",
            "create",
            [{"company_id": self.company.id, "date": "2027-04-20"}],
        )
        self.assertEqual(refusal, "odoo.exceptions.ValidationError")
        self.assertEqual(self._runs(), before)

    def test_interest_note_up_to_a_future_day_refused(self):
        invoice = self.due_in(-30, on=TODAY)
        Note = self.env["crm.dunning.interest.note"]
        before = Note.search_count([])
        wizard = (
            self.env["crm.dunning.interest.note.wizard"]
            .with_user(self.billing)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"partner_id": self.customer.id, "date": date(2026, 12, 31)})
        )
        with self.assertRaisesRegex(UserError, "has not come yet"):
            wizard.action_create_notes()
        self.assertEqual(Note.search_count([]), before)
