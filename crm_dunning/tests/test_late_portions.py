from datetime import date
from decimal import Decimal

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import DunningCommon

D = Decimal


@tagged("post_install", "-at_install")
class TestLatePortions(DunningCommon):
    def test_open_invoice_interest_to_date(self):
        # 1 230.00 gross, due Monday 2 March 2026, open on 1 April: 30 days
        # at 14 % (2026 H1 commercial) = 1230 x 0.14 x 30 / 365 = 14.15.
        move = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        portions = move._crm_dunning_receivable_lines()._crm_dunning_portions(
            date(2026, 4, 1)
        )
        self.assertEqual(len(portions), 1)
        portion = portions[0]
        self.assertEqual(portion["kind"], "commercial")
        self.assertIsNone(portion["paid_date"])
        self.assertEqual(portion["amount"], D("1230.00"))
        self.assertEqual(portion["result"].days, 30)
        self.assertEqual(portion["result"].total, D("14.15"))

    def test_partial_payments_split_the_claim(self):
        move = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        # On the due date: no delay. Ten days late: 230 x 0.14 x 10 / 365.
        self.pay(move, 1000.0, date(2026, 3, 2))
        self.pay(move, 130.0, date(2026, 3, 12))
        portions = move._crm_dunning_receivable_lines()._crm_dunning_portions(
            date(2026, 4, 1)
        )
        self.assertEqual(
            [(p["paid_date"], p["amount"], p["result"].days) for p in portions],
            [(date(2026, 3, 12), D("130.00"), 10), (None, D("100.00"), 30)],
        )
        self.assertEqual(portions[0]["result"].total, D("0.50"))
        # A payment after the chosen date counts as open on that date.
        early = move._crm_dunning_receivable_lines()._crm_dunning_portions(
            date(2026, 3, 7)
        )
        self.assertEqual(
            [(p["paid_date"], p["amount"]) for p in early], [(None, D("230.00"))]
        )

    def test_due_date_on_a_holiday_moves(self):
        # Due Sunday 3 May 2026 (a holiday): the first late day is 5 May.
        move = self.invoice(price=1000.0, date="2026-04-20", due="2026-05-03")
        self.assertFalse(
            move._crm_dunning_receivable_lines()._crm_dunning_portions(date(2026, 5, 4))
        )
        portions = move._crm_dunning_receivable_lines()._crm_dunning_portions(
            date(2026, 5, 5)
        )
        self.assertEqual(portions[0]["due_date"], date(2026, 5, 4))
        self.assertEqual(portions[0]["result"].days, 1)

    def test_consumer_and_contractual_rates(self):
        move = self.invoice(
            partner=self.consumer, price=1000.0, date="2026-03-02", due="2026-03-16"
        )
        portion = move._crm_dunning_receivable_lines()._crm_dunning_portions(
            date(2026, 4, 15)
        )[0]
        # Civil-law rate 9.25 % since 5 March 2026: 1230 x 9.25 % x 30 / 365.
        self.assertEqual(portion["kind"], "civil")
        self.assertEqual(portion["result"].total, D("9.35"))
        self.customer.write(
            {"dunning_interest_kind": "contractual", "dunning_contractual_rate": 15.0}
        )
        self.assertFalse(self.customer.dunning_contractual_rate_warning)
        move = self.invoice(price=1000.0, date="2026-03-02", due="2026-03-16")
        portion = move._crm_dunning_receivable_lines()._crm_dunning_portions(
            date(2026, 4, 15)
        )[0]
        self.assertEqual(portion["result"].lines[0].rate, D("15"))
        # 1230 x 15 % x 30 / 365.
        self.assertEqual(portion["result"].total, D("15.16"))

    @freeze_time("2026-04-15")
    def test_contractual_rate_above_the_maximum(self):
        """KC art. 481 § 2¹ and § 2²: an agreed 20 % above the maximum (twice
        the 9.25 % delay rate since 5 March 2026 = 18.5 %) is charged at the
        maximum; the customer's form says so."""
        self.customer.write(
            {"dunning_interest_kind": "contractual", "dunning_contractual_rate": 20.0}
        )
        self.assertIn("18.5", self.customer.dunning_contractual_rate_warning)
        self.assertIn("481", self.customer.dunning_contractual_rate_warning)
        move = self.invoice(price=1000.0, date="2026-03-02", due="2026-03-16")
        portion = move._crm_dunning_receivable_lines()._crm_dunning_portions(
            date(2026, 4, 15)
        )[0]
        self.assertEqual(portion["result"].lines[0].rate, D("18.5"))
        # 1230 x 18.5 % x 30 / 365 (20 % would give 20.22).
        self.assertEqual(portion["result"].total, D("18.70"))

    def test_compensation_at_the_nbp_rate_of_the_month_before(self):
        # Due 16 March 2026: EUR rate of the last business day of February
        # (Friday 27 Feb). 5 000 zł gross or less -> 40 EUR.
        self.eur_rate("2026-02-27", 4.2153)
        self.eur_rate("2026-03-02", 4.3)
        move = self.invoice(price=4065.04, date="2026-03-02", due="2026-03-16")
        self.assertEqual(move.amount_total, 5000.0)
        self.assertIsNone(move._crm_dunning_compensation(date(2026, 3, 16)))
        comp = move._crm_dunning_compensation(date(2026, 3, 17))
        self.assertEqual(comp["eur"], D("40"))
        self.assertEqual(comp["rate_date"], date(2026, 2, 27))
        self.assertEqual(comp["amount"], D("168.61"))
        # Just above 5 000 zł -> 70 EUR; a consumer -> none.
        bigger = self.invoice(price=4065.05, date="2026-03-02", due="2026-03-16")
        self.assertEqual(
            bigger._crm_dunning_compensation(date(2026, 4, 1))["eur"], D("70")
        )
        b2c = self.invoice(
            partner=self.consumer, price=10000.0, date="2026-03-02", due="2026-03-16"
        )
        self.assertIsNone(b2c._crm_dunning_compensation(date(2026, 4, 1)))

    def test_compensation_flat_40_by_the_conclusion_date(self):
        """A transaction concluded before 2020 keeps the flat 40 EUR even when
        due in 2020 (transitional rule of the 2019 amending act: the date the
        transaction was concluded decides, not the due date); concluded in
        2020, the same claim (61 500 zł) gives 100 EUR (art. 10 ust. 1 pkt 3)."""
        self.eur_rate("2020-01-31", 4.3010)
        old = self.invoice(
            price=50000.0,
            date="2020-01-08",
            due="2020-02-10",
            taxable_supply_date="2019-12-30",
        )
        new = self.invoice(
            price=50000.0,
            date="2020-01-08",
            due="2020-02-10",
            taxable_supply_date="2020-01-02",
        )
        self.assertEqual(old._crm_dunning_concluded_on(), date(2019, 12, 30))
        self.assertEqual(old._crm_dunning_compensation(date(2020, 3, 2))["eur"], 40)
        self.assertEqual(new._crm_dunning_compensation(date(2020, 3, 2))["eur"], 100)
        self.assertEqual(
            new._crm_dunning_compensation(date(2020, 3, 2))["amount"], D("430.10")
        )

    def test_compensation_without_a_rate_is_a_clear_error(self):
        move = self.invoice(price=100.0, date="2026-06-01", due="2026-06-15")
        with self.assertRaisesRegex(UserError, "No EUR exchange rate"):
            move._crm_dunning_compensation(date(2026, 7, 1))
