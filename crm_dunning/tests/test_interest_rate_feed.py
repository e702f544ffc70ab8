from datetime import date
from decimal import Decimal

from freezegun import freeze_time
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tests.common import _super_send

from .common import DunningCommon
from .fake_nbp_rates import FakeNbpRates

# The NBP reference rate history behind the seeded table (civil = ref + 5.5).
HISTORY = [
    (date(2015, 3, 5), "1,50"),
    (date(2020, 3, 18), "1,00"),
    (date(2020, 4, 9), "0,50"),
    (date(2020, 5, 29), "0,10"),
    (date(2021, 10, 7), "0,50"),
    (date(2021, 11, 4), "1,25"),
    (date(2021, 12, 9), "1,75"),
    (date(2022, 1, 5), "2,25"),
    (date(2022, 2, 9), "2,75"),
    (date(2022, 3, 9), "3,50"),
    (date(2022, 4, 7), "4,50"),
    (date(2022, 5, 6), "5,25"),
    (date(2022, 6, 9), "6,00"),
    (date(2022, 7, 8), "6,50"),
    (date(2022, 9, 8), "6,75"),
    (date(2023, 9, 7), "6,00"),
    (date(2023, 10, 5), "5,75"),
    (date(2025, 5, 8), "5,25"),
    (date(2025, 7, 3), "5,00"),
    (date(2025, 9, 4), "4,75"),
    (date(2025, 10, 9), "4,50"),
    (date(2025, 11, 6), "4,25"),
    (date(2025, 12, 4), "4,00"),
    (date(2026, 3, 5), "3,75"),
]
# A decision in the middle of 2027 H1.
MARCH_2027_CUT = (date(2027, 3, 4), "3,25")
FIELDS = [
    "kind",
    "date_from",
    "date_to",
    "rate",
    "source",
    "origin",
    "active",
    "nbp_conflict_date",
    "nbp_conflict_rate",
]


@tagged("post_install", "-at_install")
class TestInterestRateFeed(TransactionCase):
    """The statutory rates fed from NBP's interest-rate files (a local fake)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rate = cls.env["crm.dunning.interest.rate"]

    def setUp(self):
        super().setUp()
        self.fake = FakeNbpRates(HISTORY)
        base_url = self.fake.__enter__()
        self.addCleanup(self.fake.__exit__, None, None, None)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_dunning.nbp_rates_url", base_url)
        params.set_param("crm_dunning.nbp_rates_timeout", "1")

    def snapshot(self):
        return sorted(
            (tuple(row[name] for name in FIELDS), row["id"])
            for row in self.Rate.with_context(active_test=False).search([]).read(FIELDS)
        )

    def rows(self, kind, origin=None):
        domain = [("kind", "=", kind)] + ([("origin", "=", origin)] if origin else [])
        return [
            (row.date_from, row.date_to or None, row.rate, row.origin)
            for row in self.Rate.search(domain, order="date_from")
        ]

    def drop_seeded_civil_from(self, day):
        self.Rate.search([("kind", "=", "civil"), ("date_from", ">=", day)]).unlink()

    def test_seeded_table_agrees_with_nbp(self):
        before = self.snapshot()
        result = self.Rate._pl_update_from_nbp(date(2026, 12, 6))
        self.assertEqual(
            result, {"created": 0, "updated": 0, "removed": 0, "conflicts": []}
        )
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(
            sorted(self.fake.paths),
            ["/stopy_procentowe.xml", "/stopy_procentowe_archiwum.xml"],
        )

    def test_next_half_year_from_the_rate_on_its_first_day(self):
        result = self.Rate._pl_update_from_nbp(date(2027, 1, 4))
        self.assertEqual((result["created"], result["updated"]), (2, 0))
        self.assertEqual(
            self.rows("commercial")[-1],
            (date(2027, 1, 1), date(2027, 6, 30), 13.75, "nbp"),
        )
        self.assertEqual(
            self.rows("commercial_health")[-1],
            (date(2027, 1, 1), date(2027, 6, 30), 11.75, "nbp"),
        )
        # Interest over the turn of the year is computable now.
        result = self.Rate._pl_interest(
            "commercial", 10000, date(2026, 12, 21), date(2027, 1, 10)
        )
        self.assertEqual(
            [(line.days, line.rate) for line in result.lines],
            [(20, Decimal("13.75"))],
        )

    def test_change_in_the_middle_of_a_half_year(self):
        # Without the typed-in open-ended civil rate, the feed keeps the
        # civil rates itself.
        self.drop_seeded_civil_from(date(2026, 3, 5))
        self.Rate._pl_update_from_nbp(date(2027, 1, 4))
        self.assertEqual(self.rows("civil")[-1], (date(2026, 3, 5), None, 9.25, "nbp"))
        self.fake.set_history(HISTORY + [MARCH_2027_CUT])
        result = self.Rate._pl_update_from_nbp(date(2027, 3, 10))
        self.assertEqual((result["created"], result["updated"]), (1, 1))
        # The open-ended civil rate is closed the day before the change.
        self.assertEqual(
            self.rows("civil")[-2:],
            [
                (date(2026, 3, 5), date(2027, 3, 3), 9.25, "nbp"),
                (date(2027, 3, 4), None, 8.75, "nbp"),
            ],
        )
        # The half-year keeps the rate in force on 1 January ...
        self.assertEqual(
            self.rows("commercial")[-1],
            (date(2027, 1, 1), date(2027, 6, 30), 13.75, "nbp"),
        )
        # ... the next one takes the new reference rate.
        self.Rate._pl_update_from_nbp(date(2027, 7, 1))
        self.assertEqual(
            self.rows("commercial")[-1],
            (date(2027, 7, 1), date(2027, 12, 31), 13.25, "nbp"),
        )
        self.assertEqual(
            self.rows("commercial_health")[-1],
            (date(2027, 7, 1), date(2027, 12, 31), 11.25, "nbp"),
        )
        civil = self.Rate._pl_interest(
            "civil", 10000, date(2027, 2, 28), date(2027, 3, 10)
        )
        self.assertEqual(
            [(line.days, line.rate) for line in civil.lines],
            [(3, Decimal("9.25")), (7, Decimal("8.75"))],
        )

    def test_running_twice_changes_nothing(self):
        self.drop_seeded_civil_from(date(2026, 3, 5))
        self.fake.set_history(HISTORY + [MARCH_2027_CUT])
        first = self.Rate._pl_update_from_nbp(date(2027, 7, 2))
        self.assertTrue(first["created"])
        before = self.snapshot()
        second = self.Rate._pl_update_from_nbp(date(2027, 7, 2))
        self.assertEqual(
            second, {"created": 0, "updated": 0, "removed": 0, "conflicts": []}
        )
        self.assertEqual(self.snapshot(), before)

    def test_typed_in_rows_are_never_overwritten(self):
        typed = self.Rate.create(
            {
                "kind": "commercial",
                "date_from": "2027-01-01",
                "date_to": "2027-06-30",
                "rate": 13.5,
                "source": "Monitor Polski",
            }
        )
        self.assertEqual(typed.origin, "manual")
        self.fake.set_history(HISTORY + [MARCH_2027_CUT])
        manual_before = [
            row for row in self.snapshot() if row[0][FIELDS.index("origin")] == "manual"
        ]
        result = self.Rate._pl_update_from_nbp(date(2027, 3, 10))
        # The typed-in half-year and the open-ended typed-in civil rate stay;
        # the health half-year, typed by nobody, is fed.
        self.assertEqual(result["created"], 1)
        self.assertEqual(
            self.rows("commercial")[-1],
            (date(2027, 1, 1), date(2027, 6, 30), 13.5, "manual"),
        )
        self.assertEqual(
            self.rows("civil")[-1], (date(2026, 3, 5), None, 9.25, "manual")
        )
        self.assertFalse(self.rows("civil", "nbp"))
        manual_after = [
            row for row in self.snapshot() if row[0][FIELDS.index("origin")] == "manual"
        ]
        strip = FIELDS.index("nbp_conflict_date")

        def content(rows):
            return [(row[0][:strip], row[1]) for row in rows]

        self.assertEqual(content(manual_after), content(manual_before))
        # Where NBP differs, the typed-in rows say so, and the warning too.
        self.assertEqual(
            {(c["kind"], c["date_from"], c["day"]) for c in result["conflicts"]},
            {
                ("commercial", date(2027, 1, 1), date(2027, 1, 1)),
                ("civil", date(2026, 3, 5), date(2027, 3, 4)),
            },
        )
        civil = self.Rate.search(
            [("kind", "=", "civil"), ("date_from", "=", "2026-03-05")]
        )
        self.assertEqual(civil.nbp_conflict_date, date(2027, 3, 4))
        self.assertEqual(civil.nbp_conflict_rate, 8.75)
        with freeze_time("2027-03-10"):
            warning = self.Rate._pl_coverage_warning()
        self.assertIn("2027-03-04", warning)
        self.assertIn("8.75", warning)
        # Running again changes nothing; the consultant closing the typed-in
        # rate clears the flag, and the feed then continues after it.
        before = self.snapshot()
        self.Rate._pl_update_from_nbp(date(2027, 3, 10))
        self.assertEqual(self.snapshot(), before)
        civil.date_to = date(2027, 3, 3)
        self.assertFalse(civil.nbp_conflict_date)
        result = self.Rate._pl_update_from_nbp(date(2027, 3, 10))
        self.assertEqual(self.rows("civil")[-1], (date(2027, 3, 4), None, 8.75, "nbp"))

    def test_editing_a_fed_row_makes_it_typed_in(self):
        self.Rate._pl_update_from_nbp(date(2027, 1, 4))
        fed = self.Rate.search(
            [("kind", "=", "commercial"), ("date_from", "=", "2027-01-01")]
        )
        self.assertEqual(fed.origin, "nbp")
        fed.source = "NBP, checked"
        self.assertEqual(fed.origin, "nbp")
        fed.rate = 13.5
        self.assertEqual(fed.origin, "manual")
        before = self.snapshot()
        self.Rate._pl_update_from_nbp(date(2027, 1, 4))
        self.assertEqual(fed.rate, 13.5)
        self.assertEqual(fed.nbp_conflict_date, date(2027, 1, 1))
        self.assertEqual(len(self.snapshot()), len(before))

    def _assert_untouched_on_error(self, message, **failure):
        self.drop_seeded_civil_from(date(2026, 3, 5))
        self.Rate._pl_update_from_nbp(date(2027, 1, 4))
        self.fake.set_history(HISTORY + [MARCH_2027_CUT])
        for name, value in failure.items():
            setattr(self.fake, name, value)
        before = self.snapshot()
        with self.assertRaisesRegex(UserError, message):
            self.Rate._pl_update_from_nbp(date(2027, 7, 2))
        self.assertEqual(self.snapshot(), before)

    def test_malformed_file_changes_nothing(self):
        bodies = {
            "stopy_procentowe_archiwum.xml": (
                '<?xml version="1.0"?><stopy_procentowe_archiwum>'
                '<pozycje obowiazuje_od="2027-03-04"><pozycja id="ref" '
                'oprocentowanie="trzy"/></pozycje></stopy_procentowe_archiwum>'
            )
        }
        self._assert_untouched_on_error("cannot be read", bodies=bodies)

    def test_broken_xml_changes_nothing(self):
        self._assert_untouched_on_error("cannot be read", malformed=True)

    def test_empty_file_changes_nothing(self):
        self._assert_untouched_on_error("holds no reference rate", empty=True)

    def test_http_error_changes_nothing(self):
        self._assert_untouched_on_error("HTTP 503", fail_status=503)

    def test_timeout_changes_nothing(self):
        # The test framework raises HTTP time-outs below 10 s to 10 s: keep ours.
        self.patch(
            type(self),
            "_request_handler",
            classmethod(
                lambda cls, session, request, **kw: _super_send(session, request, **kw)
            ),
        )
        self._assert_untouched_on_error("did not answer in time", delay=5)

    def test_button_and_cron(self):
        with freeze_time("2026-12-06"):
            action = self.Rate.action_pl_update_from_nbp()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("0 added", action["params"]["message"])
        self.fake.fail_status = 500
        with self.assertRaisesRegex(UserError, "were not changed"):
            self.Rate.action_pl_update_from_nbp()
        before = self.snapshot()
        with self.assertLogs(
            "odoo.addons.crm_dunning.models.interest_rate", "WARNING"
        ) as logs:
            self.assertFalse(self.Rate._cron_pl_update_from_nbp())
        self.assertEqual(len(logs.output), 1)
        self.assertNotIn("Traceback", logs.output[0])
        self.assertEqual(self.snapshot(), before)
        cron = self.env.ref("crm_dunning.ir_cron_crm_dunning_interest_rates_nbp")
        self.assertEqual(cron.code, "model._cron_pl_update_from_nbp()")
        self.fake.fail_status = None
        with freeze_time("2027-01-04"):
            self.assertTrue(self.Rate._cron_pl_update_from_nbp())
        self.assertEqual(self.rows("commercial")[-1][0], date(2027, 1, 1))

    def test_messages_in_polish(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        rates = self.Rate.with_context(lang="pl_PL")
        self.fake.fail_status = 500
        with self.assertRaisesRegex(UserError, "nie zostały zmienione"):
            rates.action_pl_update_from_nbp()
        with freeze_time("2026-12-06"):
            warning = rates._pl_coverage_warning()
        self.assertIn("Kończą się stopy odsetek ustawowych", warning)
        self.assertIn("brak stopy od 2027-01-01", warning)
        with self.assertRaisesRegex(UserError, "nie ma stopy od 2027-01-01"):
            rates._pl_interest(
                "commercial", 1000, date(2026, 12, 20), date(2027, 1, 10)
            )

    def test_only_rate_managers_update(self):
        user = new_test_user(
            self.env, login="ksiegowa_feed", groups="account.group_account_invoice"
        )
        with self.assertRaises(UserError):
            self.Rate.with_user(user).action_pl_update_from_nbp()
        manager = new_test_user(
            self.env, login="kierownik_feed", groups="account.group_account_manager"
        )
        # A client cannot skip the overlap check through the context.
        with self.assertRaisesRegex(ValidationError, "overlaps"):
            self.Rate.with_user(manager).with_context(
                crm_dunning_defer_rate_check=True, crm_dunning_nbp_feed=True
            ).create({"kind": "civil", "date_from": "2026-06-01", "rate": 9.0})
        with freeze_time("2027-01-04"):
            self.Rate.with_user(manager).action_pl_update_from_nbp()
        self.assertEqual(
            self.rows("commercial")[-1],
            (date(2027, 1, 1), date(2027, 6, 30), 13.75, "nbp"),
        )

    def test_coverage_warning(self):
        # 30 days ahead still covered: no warning.
        with freeze_time("2026-11-30"):
            self.assertFalse(self.Rate._pl_coverage_gaps())
            self.assertFalse(self.Rate._pl_coverage_warning())
            self.assertFalse(self.env["crm.dunning.run"].new({}).rates_warning)
        # The half-year ends within 30 days: both commercial kinds named,
        # with their first day without a rate; civil is open-ended.
        with freeze_time("2026-12-06"):
            gaps = self.Rate._pl_coverage_gaps()
            self.assertEqual(
                [(gap["kind"], gap["date_from"]) for gap in gaps],
                [
                    ("commercial", date(2027, 1, 1)),
                    ("commercial_health", date(2027, 1, 1)),
                ],
            )
            warning = self.Rate._pl_coverage_warning()
            self.assertIn("Commercial transactions", warning)
            self.assertIn("public healthcare", warning)
            self.assertIn("no rate from 2027-01-01", warning)
            self.assertNotIn("Civil", warning)
            self.assertEqual(self.env["crm.dunning.run"].new({}).rates_warning, warning)
            self.assertEqual(
                self.env["res.config.settings"].create({}).dunning_rates_warning,
                warning,
            )
            self.assertEqual(
                self.env["crm.dunning.interest.note.wizard"].new({}).rates_warning,
                warning,
            )
        # A hole inside the window is named with its end.
        self.Rate.search(
            [("kind", "=", "civil"), ("date_from", "=", "2026-03-05")]
        ).date_to = date(2026, 12, 10)
        self.Rate.create({"kind": "civil", "date_from": "2026-12-20", "rate": 9.25})
        with freeze_time("2026-11-30"):
            self.assertIn(
                "no rate from 2026-12-11 to 2026-12-19",
                self.Rate._pl_coverage_warning(),
            )
        # The feed adds the next half-year: no more warning for it.
        self.Rate._pl_update_from_nbp(date(2027, 1, 4))
        with freeze_time("2027-01-04"):
            self.assertNotIn("Commercial", self.Rate._pl_coverage_warning() or "")

    def test_missing_rate_names_its_first_day(self):
        with self.assertRaisesRegex(UserError, "no rate from 2027-01-01"):
            self.Rate._pl_interest(
                "commercial", 1000, date(2026, 12, 20), date(2027, 1, 10)
            )


@tagged("post_install", "-at_install")
class TestCompensationEurRate(DunningCommon):
    """A missing EUR rate of the compensation is fetched from NBP (a fake)."""

    def setUp(self):
        super().setUp()
        self.fake_nbp.rates.clear()
        self.fake_nbp.fail_status = None
        self.fake_nbp.paths.clear()

    def eur_rates(self):
        return self.env["res.currency.rate"].search(
            [
                ("currency_id", "=", self.env.ref("base.EUR").id),
                ("company_id", "=", self.company.id),
            ]
        )

    def test_missing_rate_is_fetched_and_recorded(self):
        # Due 2026-06-15: the rate of the last business day of May (Friday
        # 29 May; the 31st is a Sunday).
        self.fake_nbp.add_rate("EUR", date(2026, 5, 29), "4.2512")
        self.fake_nbp.add_rate("EUR", date(2026, 6, 1), "4.3000")
        move = self.invoice(price=100.0, date="2026-06-01", due="2026-06-15")
        before = self.eur_rates()
        comp = move._crm_dunning_compensation(date(2026, 7, 1))
        self.assertEqual(comp["eur"], Decimal("40"))
        self.assertEqual(comp["rate"], Decimal("4.2512"))
        self.assertEqual(comp["rate_date"], date(2026, 5, 29))
        self.assertEqual(comp["amount"], Decimal("170.05"))
        recorded = self.eur_rates() - before
        self.assertEqual(recorded.name, date(2026, 5, 29))
        # Recorded: the next compensation does not ask NBP again.
        requests = self.fake_nbp.request_count
        self.assertEqual(
            move._crm_dunning_compensation(date(2026, 7, 2))["rate"],
            Decimal("4.2512"),
        )
        self.assertEqual(self.fake_nbp.request_count, requests)

    def test_failed_fetch_is_a_clear_error_and_writes_nothing(self):
        self.fake_nbp.fail_status = 500
        move = self.invoice(price=100.0, date="2026-06-01", due="2026-06-15")
        before = self.eur_rates()
        with self.assertRaisesRegex(UserError, "No EUR exchange rate.*NBP"):
            move._crm_dunning_compensation(date(2026, 7, 1))
        self.assertEqual(self.eur_rates(), before)
        self.assertTrue(self.fake_nbp.request_count)
