from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDemand(DunningCommon):
    """Payment demands (wezwanie do zapłaty) computed on 1 April 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "zakupy@zolw.example.com"
        cls.Demand = cls.env["crm.dunning.demand"]

    def wizard(self, records, **values):
        return (
            self.env["crm.dunning.demand.wizard"]
            .with_context(active_model=records._name, active_ids=records.ids)
            .create({"date": "2026-04-01", "send_email": False, **values})
        )

    def two_overdue(self):
        # 1 230.00 due Monday 2 March: 30 days at 14 % = 14.15;
        # 2 460.00 due Monday 16 March: 16 days, 2460 x 0.14 x 16 / 365 = 15.10.
        self.eur_rate("2026-02-27", 4.2153)
        first = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        second = self.invoice(price=2000.0, date="2026-03-02", due="2026-03-16")
        return first, second

    def test_collective_demand_with_interest_and_compensation(self):
        first, second = self.two_overdue()
        # Paid late but in full: not in the demand.
        paid = self.invoice(price=500.0, date="2026-02-16", due="2026-03-02")
        self.pay(paid, 615.0, date(2026, 3, 20))
        # Not yet due on 1 April: not in the demand either.
        self.invoice(price=300.0, date="2026-03-25", due="2026-04-08")
        action = self.wizard(
            self.customer, deadline_days=7, registered_letter=True
        ).action_create_demands()
        demand = self.Demand.browse(action["res_id"])
        self.assertEqual(demand.state, "issued")
        self.assertEqual(demand.name, "WZ/2026/0001")
        self.assertEqual(demand.partner_id, self.customer)
        self.assertEqual(demand.date_deadline, date(2026, 4, 8))
        self.assertRecordValues(
            demand.line_ids,
            [
                {
                    "move_id": first.id,
                    "due_date": date(2026, 3, 2),
                    "days_overdue": 30,
                    "amount_residual": 1230.0,
                    "interest": 14.15,
                },
                {
                    "move_id": second.id,
                    "due_date": date(2026, 3, 16),
                    "days_overdue": 16,
                    "amount_residual": 2460.0,
                    "interest": 15.10,
                },
            ],
        )
        # 40 EUR per invoice at 4.2153 (27 February) = 168.61 each.
        self.assertRecordValues(
            demand.compensation_ids,
            [
                {
                    "move_id": first.id,
                    "amount_eur": 40.0,
                    "eur_rate": 4.2153,
                    "rate_date": date(2026, 2, 27),
                    "amount": 168.61,
                },
                {
                    "move_id": second.id,
                    "amount_eur": 40.0,
                    "eur_rate": 4.2153,
                    "rate_date": date(2026, 2, 27),
                    "amount": 168.61,
                },
            ],
        )
        self.assertRecordValues(
            demand,
            [
                {
                    "amount_principal": 3690.0,
                    "amount_interest": 29.25,
                    "amount_compensation": 337.22,
                    "amount_total": 4056.47,
                    "registered_letter": True,
                }
            ],
        )
        self.assertEqual(first.dunning_demand_ids, demand)
        self.assertFalse(paid.dunning_demand_ids)
        self.assertEqual(self.customer.dunning_demand_ids, demand)
        # The next demand of the company takes the next number.
        other = self.Demand._crm_dunning_create_demands(
            second, date(2026, 4, 2), mode="single", claim_compensation=False
        )
        other.action_issue()
        self.assertEqual(other.name, "WZ/2026/0002")
        self.assertFalse(other.compensation_ids)

    def test_single_demand_from_selected_invoices(self):
        first, second = self.two_overdue()
        # The wizard is offered on the invoice list and on the customer form.
        binding = self.env.ref("crm_dunning.action_crm_dunning_demand_wizard_invoices")
        self.assertEqual(binding.binding_model_id.model, "account.move")
        action = self.customer.action_crm_dunning_demand_wizard()
        self.assertEqual(action["res_model"], "crm.dunning.demand.wizard")
        self.assertEqual(action["context"]["active_ids"], self.customer.ids)
        wizard = self.wizard(first)
        self.assertEqual(wizard.mode, "single")
        action = wizard.action_create_demands()
        demand = self.Demand.browse(action["res_id"])
        self.assertEqual(demand.line_ids.move_id, first)
        self.assertEqual(demand.amount_total, 1412.76)  # 1230 + 14.15 + 168.61
        # Two invoices selected, single mode: one demand per invoice.
        action = self.wizard(first | second, mode="single").action_create_demands()
        demands = self.Demand.search(action["domain"])
        self.assertEqual(len(demands), 2)
        self.assertEqual(
            sorted(demands.mapped(lambda d: d.line_ids.move_id.id)),
            sorted((first | second).ids),
        )

    def test_consumer_without_compensation(self):
        self.consumer.email = "jan@kowalski.example.com"
        move = self.invoice(
            partner=self.consumer, price=1000.0, date="2026-03-02", due="2026-03-16"
        )
        demand = self.Demand._crm_dunning_create_demands(
            self.consumer, date(2026, 4, 15)
        )
        # Civil-law rate 9.25 %: 1230 x 9.25 % x 30 / 365 = 9.35; no EUR rate
        # is recorded and none is needed.
        self.assertEqual(demand.line_ids.move_id, move)
        self.assertEqual(demand.line_ids.interest, 9.35)
        self.assertFalse(demand.claim_compensation)
        self.assertFalse(demand.compensation_ids)
        self.assertEqual(demand.amount_total, 1239.35)

    def test_nothing_overdue_creates_nothing(self):
        self.invoice(price=1000.0, date="2026-03-25", due="2026-04-08")
        paid = self.invoice(price=100.0, date="2026-02-16", due="2026-03-02")
        self.pay(paid, 123.0, date(2026, 3, 2))
        before = self.Demand.search_count([])
        with self.assertRaisesRegex(UserError, "Nothing is overdue"):
            self.wizard(self.customer).action_create_demands()
        with self.assertRaisesRegex(UserError, "Nothing is overdue"):
            self.wizard(paid).action_create_demands()
        self.assertEqual(self.Demand.search_count([]), before)
        self.assertFalse(
            self.Demand._crm_dunning_create_demands(
                self.customer, date(2026, 4, 1), raise_if_empty=False
            )
        )

    def test_partial_payment_and_recompute(self):
        first, _second = self.two_overdue()
        demand = self.Demand._crm_dunning_create_demands(
            first, date(2026, 4, 1), claim_compensation=False
        )
        self.assertEqual(demand.amount_principal, 1230.0)
        # 1 000 paid on 12 March: 230 left; interest 1000 x 0.14 x 10 / 365
        # = 3.84 on the late part, plus 230 x 0.14 x 30 / 365 = 2.65.
        self.pay(first, 1000.0, date(2026, 3, 12))
        demand.action_recompute()
        self.assertEqual(demand.line_ids.amount_residual, 230.0)
        self.assertEqual(demand.line_ids.interest, 6.49)
        demand.action_issue()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            demand.unlink()

    def test_email_needs_an_address(self):
        self.two_overdue()
        self.customer.email = False
        before = self.Demand.search_count([])
        with self.assertRaisesRegex(UserError, "No e-mail address"):
            self.wizard(self.customer, send_email=True).action_create_demands()
        self.assertEqual(self.Demand.search_count([]), before)

    def test_other_company_demands_are_hidden(self):
        first, _second = self.two_overdue()
        ours = self.Demand._crm_dunning_create_demands(first, date(2026, 4, 1))
        other_company = (
            self.env["res.company"].sudo().create({"name": "Inna Sp. z o.o."})
        )
        theirs = (
            self.Demand.sudo()
            .with_company(other_company)
            .create({"company_id": other_company.id, "partner_id": self.customer.id})
        )
        clerk = new_test_user(
            self.env,
            login="dunning_clerk",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        visible = self.Demand.with_user(clerk).search([])
        self.assertIn(ours, visible)
        self.assertNotIn(theirs, visible)
