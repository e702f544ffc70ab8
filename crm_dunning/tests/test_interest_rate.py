from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInterestRate(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rate = cls.env["crm.dunning.interest.rate"]

    def test_seeded_tables_have_no_gaps(self):
        for kind in ("commercial", "commercial_health", "civil"):
            rows = self.Rate._pl_table(kind)
            self.assertEqual(rows[0][0], date(2016, 1, 1), kind)
            for (_start, end, _rate), (next_start, _end, _next) in zip(
                rows, rows[1:], strict=False
            ):
                self.assertEqual(end + timedelta(days=1), next_start, kind)
        commercial = dict(
            (start, rate) for start, _end, rate in self.Rate._pl_table("commercial")
        )
        self.assertEqual(commercial[date(2025, 7, 1)], 15.25)
        self.assertEqual(commercial[date(2026, 1, 1)], 14.0)
        health = dict(
            (start, rate)
            for start, _end, rate in self.Rate._pl_table("commercial_health")
        )
        self.assertEqual(health[date(2026, 1, 1)], 12.0)
        civil = self.Rate._pl_table("civil")
        self.assertEqual(civil[-1], (date(2026, 3, 5), None, 9.25))

    def test_rates_are_never_summed(self):
        """A list grouped by kind showed the sum of the percentages (219,35):
        rates carry no aggregator, amounts keep theirs."""
        for model, names in (
            (self.Rate, ["rate"]),
            (self.env["crm.dunning.interest.note.line"], ["rate", "eur_rate"]),
        ):
            described = model.fields_get(names, ["aggregator"])
            for name in names:
                self.assertNotIn("aggregator", described[name], name)
        line_fields = self.env["crm.dunning.interest.note.line"].fields_get(
            ["interest"], ["aggregator"]
        )
        self.assertEqual(line_fields["interest"]["aggregator"], "sum")

    def test_bad_periods_are_refused(self):
        with (
            self.assertRaisesRegex(ValidationError, "overlaps"),
            self.env.cr.savepoint(),
        ):
            self.Rate.create({"kind": "civil", "date_from": "2026-06-01", "rate": 9.0})
        with (
            self.assertRaisesRegex(ValidationError, "before its start"),
            self.env.cr.savepoint(),
        ):
            self.Rate.create(
                {
                    "kind": "commercial",
                    "date_from": "2027-07-01",
                    "date_to": "2027-06-30",
                    "rate": 13.75,
                }
            )
        with (
            self.assertRaisesRegex(ValidationError, "between 0 and 100"),
            self.env.cr.savepoint(),
        ):
            self.Rate.create(
                {"kind": "commercial", "date_from": "2027-01-01", "rate": -1}
            )
        # The next half-year, once its notice appears (after the shipped
        # table, or after the rows the demo adds up to the day it is loaded).
        next_start = self.Rate._pl_table("commercial")[-1][1] + timedelta(days=1)
        self.Rate.create(
            {
                "kind": "commercial",
                "date_from": next_start,
                "date_to": next_start + relativedelta(months=6, days=-1),
                "rate": 13.5,
            }
        )
        self.assertEqual(self.Rate._pl_table("commercial")[-1][2], 13.5)

    def test_interest_from_the_table(self):
        # 10 000 zł due 2025-06-20, paid 2025-07-10: 10 days at 15.75 %,
        # 10 days at 15.25 % (the half-year rule changes the rate on 1 July).
        result = self.Rate._pl_interest(
            "commercial", 10000, date(2025, 6, 20), date(2025, 7, 10)
        )
        self.assertEqual(
            [(line.days, line.rate, line.interest) for line in result.lines],
            [
                (10, Decimal("15.75"), Decimal("43.15")),
                (10, Decimal("15.25"), Decimal("41.78")),
            ],
        )
        self.assertEqual(result.total, Decimal("84.93"))
        civil = self.Rate._pl_interest(
            "civil", 10000, date(2026, 3, 10), date(2026, 3, 20)
        )
        self.assertEqual(civil.total, Decimal("25.34"))
        # Before the seed: a clear message, no result.
        with self.assertRaisesRegex(UserError, "add the missing period"):
            self.Rate._pl_interest(
                "commercial", 1000, date(2015, 12, 1), date(2016, 1, 10)
            )
        with self.assertRaisesRegex(UserError, "cannot be computed"):
            self.Rate._pl_interest("civil", "abc", date(2026, 3, 10), date(2026, 3, 20))
