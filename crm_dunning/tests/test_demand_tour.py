from odoo import fields
from odoo.addons.crm_invoicing_pl.tools.pl_calendar import payment_deadline
from odoo.tests import HttpCase, freeze_time, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDemandTour(DunningCommon, HttpCase):
    """Browser tour: a payment demand issued from the customer form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_user()
        cls.customer.email = "zakupy@zolw.example.com"

    # A day the shipped statutory rates cover (interest is counted to today).
    @freeze_time("2026-11-20 10:00:00", tick=True)
    def test_demand_tour(self):
        today = fields.Date.context_today(self.env.user)
        # Mid-month: a weekend or holiday moves it within the month.
        due = fields.Date.subtract(today, days=45).replace(day=15)
        # The compensation's EUR rate: the last days of the month before.
        first_of_month = due.replace(day=1)
        for back in range(1, 6):
            self.eur_rate(fields.Date.subtract(first_of_month, days=back), 4.25)
        move = self.invoice(
            price=1000.0, date=fields.Date.subtract(due, days=14), due=due
        )
        Demand = self.env["crm.dunning.demand"]
        self.assertFalse(Demand.search([("partner_id", "=", self.customer.id)]))

        self.start_tour(
            "/odoo/res.partner/%d" % self.customer.id,
            "crm_dunning_demand_tour",
            login=self.env.user.login,
        )

        demand = Demand.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(demand), 1, "the tour must issue exactly one demand")
        self.assertEqual(demand.state, "issued")
        self.assertTrue(demand.name.startswith("WZ/%d/" % today.year))
        self.assertEqual(demand.date, today)
        self.assertEqual(demand.deadline_days, 14)
        # 14 days, moved past a weekend or holiday (art. 115 KC).
        end = fields.Date.add(today, days=14)
        self.assertEqual(
            demand.date_deadline,
            payment_deadline(end),
        )
        self.assertTrue(demand.registered_letter)
        self.assertEqual(demand.line_ids.move_id, move)
        self.assertEqual(demand.line_ids.amount_residual, 1230.0)
        self.assertGreater(demand.amount_interest, 0)
        self.assertEqual(demand.compensation_ids.amount_eur, 40.0)
        self.assertEqual(self.customer.dunning_demand_ids, demand)
