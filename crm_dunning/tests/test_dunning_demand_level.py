"""The dunning run's payment-demand level issues a wezwanie do zapłaty."""

from odoo import fields
from odoo.tests import tagged

from .dunning_run_common import RUN_DAY, DunningRunCommon


@tagged("post_install", "-at_install")
class TestDunningDemandLevel(DunningRunCommon):
    def setUp(self):
        super().setUp()
        # Due 11 March 2026: 35 days late on the run day, the +30 level.
        self.late = self.due_in(-35)

    def test_demand_level_issues_a_registered_demand(self):
        # Compensation at the NBP rate of the last business day of February.
        self.eur_rate("2026-02-27", 4.25)
        run = self.dunning_run(send=True)
        comm = self.comm_of(run, self.late)
        self.assertEqual(comm.level_id, self.demand)
        self.assertEqual(comm.state, "sent")
        demand = comm.demand_id
        self.assertRecordValues(
            demand,
            [
                {
                    "state": "issued",
                    "partner_id": self.customer.id,
                    "registered_letter": True,
                    "date": RUN_DAY,
                    "amount_principal": 1230.0,
                    "amount_compensation": 170.0,
                }
            ],
        )
        self.assertTrue(demand.name.startswith("WZ/2026/"))
        self.assertEqual(demand.line_ids.move_id, self.late)
        self.assertGreater(demand.amount_interest, 0)
        self.assertEqual(comm.letter_state, "to_print")
        self.assertIn(
            demand.name.replace("/", "_") + ".pdf",
            comm.mail_mail_id.attachment_ids.mapped("name"),
        )
        # The registered letter waits for the dispatch book, once.
        book = self.env["crm.dunning.dispatch.book"].create(
            {"company_id": self.company.id, "date": RUN_DAY}
        )
        book.action_collect_letters()
        self.assertEqual(book.line_ids.demand_id, demand)
        # The next run does not issue the same level again.
        self.assertFalse(self.dunning_run(send=True).communication_ids)

    def test_demand_without_eur_rate_goes_out_without_compensation(self):
        """No EUR rate for the compensation (art. 10 of the act of 8 March
        2013): the demand is still issued, without the compensation, and its
        chatter says so; the e-mail goes."""
        run = self.dunning_run(send=True)
        comm = self.comm_of(run, self.late)
        self.assertTrue(comm.demand_id)
        self.assertEqual(comm.state, "sent", "the e-mail went")
        self.assertFalse(comm.demand_id.compensation_ids)
        self.assertTrue(
            comm.demand_id.message_ids.filtered(
                lambda message: "not claimed" in (message.body or "")
            )
        )

    def test_cron_only_for_companies_that_asked(self):
        today = fields.Date.context_today(self.env["crm.dunning.run"])
        self.due_in(-8, on=today)
        self.company.dunning_auto_send = False
        Run = self.env["crm.dunning.run"]
        self.assertFalse(Run._cron_run(company_ids=self.company.ids))
        self.assertFalse(Run.search([("company_id", "=", self.company.id)]))
        self.company.dunning_auto_send = True
        self.assertEqual(len(Run._cron_run(company_ids=self.company.ids)), 1)
