from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDunningDemo(TransactionCase):
    """The demo's dunning on the day it is installed, whatever that day is.

    The shipped statutory rates end with a half-year; the rates after it come
    from NBP's daily feed, which an offline demo installation does not reach.
    ``make test --date 2027-02-26`` runs this after the shipped table's end.
    """

    def test_interest_note_of_the_demo_is_posted(self):
        company = self.env.ref("crm_invoicing_pl.demo_company")
        partner = self.env.ref("crm_invoicing_pl.demo_partner_gdansk")
        note = self.env["crm.dunning.interest.note"].search(
            [("company_id", "=", company.id), ("partner_id", "=", partner.id)]
        )
        self.assertEqual(note.mapped("state"), ["posted"])
        # Dated the day the demo was loaded: its ``DateTime.today()`` is the
        # UTC date (Odoo's processes run in UTC), not the user's local date
        # (Warsaw's is a day later between 23:00/22:00 and midnight UTC); the
        # install's transaction began that day or, across midnight, the day
        # before.
        loaded = note.create_date.date()
        self.assertIn(note.date, (loaded, loaded + timedelta(days=1)))
        self.assertGreater(note.amount_interest, 0)
        self.assertEqual(
            note.invoice_ids, self.env.ref("crm_dunning.demo_invoice_paid_late")
        )

    def test_commercial_rates_reach_the_install_day(self):
        """Rows the demo adds past the shipped table are NBP-fed: the daily
        update replaces their rate by NBP's."""
        Rate = self.env["crm.dunning.interest.rate"]
        today = fields.Date.context_today(Rate)
        for kind in ("commercial", "commercial_health"):
            last_start, last_end, _rate = Rate._pl_table(kind)[-1]
            self.assertLessEqual(last_start, today, kind)
            self.assertGreaterEqual(last_end, today, kind)
        demo_rows = Rate.search([("source", "=like", "Demo:%")])
        self.assertEqual(set(demo_rows.mapped("origin")) - {"nbp"}, set())
