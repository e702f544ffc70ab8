"""Dunning runs on fixed days, with customers that can be reminded."""

from contextlib import nullcontext
from datetime import date, timedelta

from odoo import fields
from odoo.tests import freeze_time

from .common import DunningCommon

# Wednesday 15 April 2026 (Easter Monday was 6 April).
RUN_DAY = date(2026, 4, 15)
ADDRESS = {"street": "ul. Polna 5", "zip": "60-001", "city": "Poznań"}


class DunningRunCommon(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A Polish address with its country (KSeF needs it, art. 106e ust. 1
        # pkt 3: posting refuses a company buyer without it).
        cls.address = dict(ADDRESS, country_id=cls.env.ref("base.pl").id)
        cls.company.write(
            {"email": "windykacja@przyklad.example.com", "dunning_auto_send": True}
        )
        cls.customer.write({"email": "zakupy@zolw.example.com", "phone": "600 100 200"})
        cls.customer2 = cls.env["res.partner"].create(
            {
                "name": "Sklep Bocian Sp. z o.o.",
                "is_company": True,
                "vat": "PL7251801126",
                "email": "biuro@bocian.example.com",
                "phone": "601 200 300",
                **cls.address,
            }
        )
        # The invoices' own notification on issue is not what is tested here.
        cls.doc_types.write({"pl_notify_email": False, "pl_notify_sms": False})
        cls.policy = cls.company._crm_dunning_default_policy()
        levels = cls.policy._crm_dunning_ranked_levels()
        cls.reminder, cls.urge, cls.monit, cls.demand = levels

    def setUp(self):
        super().setUp()
        # The SMS queue commits between batches: not inside a test.
        self.patch(
            type(self.env["ir.cron"]),
            "_commit_progress",
            lambda self, processed=0, remaining=None, deactivate=False: float("inf"),
        )

    def due_in(self, days, partner=None, price=1000.0, on=RUN_DAY):
        """A posted invoice due ``days`` after ``on`` (negative: before)."""
        due = on + timedelta(days=days)
        return self.invoice(
            partner=partner, price=price, date=due - timedelta(days=14), due=due
        )

    def dunning_run(self, day=RUN_DAY, send=False):
        """The run of ``day``, made on that day when it is still to come (a
        run is never dated after today)."""
        on_the_day = (
            freeze_time(f"{day} 09:00:00")
            if day > fields.Date.context_today(self.env.user)
            else nullcontext()
        )
        with on_the_day:
            run = self.env["crm.dunning.run"].create(
                {"company_id": self.company.id, "date": day}
            )
            run.action_preview()
            if send:
                run.action_send()
        return run

    def comm_of(self, run, move):
        return run.communication_ids.filtered(
            lambda comm: move in comm.line_ids.move_id
        )
