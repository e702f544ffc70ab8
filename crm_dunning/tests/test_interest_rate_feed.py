from datetime import date, timedelta
from decimal import Decimal

from crm_pl_testing.fake_nbp_rates import FakeNbpRates
from freezegun import freeze_time
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tests.common import _super_send

from .common import DunningCommon, shipped_rates_only

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
# A decision after the shipped table's last civil-law change (2026-03-05).
DECEMBER_2026_CUT = (date(2026, 12, 4), "3,50")
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
        shipped_rates_only(cls.env)

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

    def shipped(self, name):
        return self.env.ref(f"crm_dunning.interest_rate_{name}")

    def assert_contiguous(self, kind):
        rows = self.rows(kind)
        for (_start, end, _rate, _origin), following in zip(
            rows, rows[1:], strict=False
        ):
            self.assertEqual(end + timedelta(days=1), following[0], kind)
        self.assertEqual(len({row[0] for row in rows}), len(rows), kind)

    def test_shipped_rows_the_feed_derives_are_its_own(self):
        # The feed derives the commercial half-years from 2020 on and the
        # civil-law rates from 2016 on: shipped as its own. It does not
        # derive the 2016-2019 commercial rates: typed in.
        for kind in ("commercial", "commercial_health"):
            self.assertEqual(
                {(row[0] >= date(2020, 1, 1), row[3]) for row in self.rows(kind)},
                {(False, "manual"), (True, "nbp")},
                kind,
            )
        self.assertEqual({row[3] for row in self.rows("civil")}, {"nbp"})
        self.assertEqual(self.shipped("civil_20260305").origin, "nbp")
        self.assertEqual(self.shipped("commercial_2016_2019").origin, "manual")
        # Nothing is flagged: no typed-in row differs from NBP.
        self.Rate._pl_update_from_nbp(date(2026, 12, 6))
        self.assertFalse(self.Rate.search_count([("nbp_conflict_date", "!=", False)]))

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

    def test_new_change_extends_the_shipped_tables(self):
        # NBP cuts the reference rate to 3.50 % from 2026-12-04, after the
        # shipped table's last change.
        self.fake.set_history(HISTORY + [DECEMBER_2026_CUT])
        shipped_civil = self.shipped("civil_20260305")
        civil_count = len(self.rows("civil"))
        result = self.Rate._pl_update_from_nbp(date(2026, 12, 6))
        self.assertEqual(
            result, {"created": 1, "updated": 1, "removed": 0, "conflicts": []}
        )
        # The shipped open-ended civil rate is closed the day before the
        # change (the same row, still the feed's), the new one is ref + 5.5.
        self.assertEqual(
            self.rows("civil")[-2:],
            [
                (date(2026, 3, 5), date(2026, 12, 3), 9.25, "nbp"),
                (date(2026, 12, 4), None, 9.0, "nbp"),
            ],
        )
        self.assertEqual(shipped_civil.date_to, date(2026, 12, 3))
        self.assertEqual(shipped_civil.origin, "nbp")
        self.assertEqual(len(self.rows("civil")), civil_count + 1)
        # 2026 H2 keeps the reference rate in force on 1 July (3.75 %).
        self.assertEqual(
            self.rows("commercial")[-1],
            (date(2026, 7, 1), date(2026, 12, 31), 13.75, "nbp"),
        )
        # In 2027 the next half-year takes the rate in force on 1 January.
        result = self.Rate._pl_update_from_nbp(date(2027, 1, 4))
        self.assertEqual(
            result, {"created": 2, "updated": 0, "removed": 0, "conflicts": []}
        )
        self.assertEqual(
            self.rows("commercial")[-1],
            (date(2027, 1, 1), date(2027, 6, 30), 13.5, "nbp"),
        )
        self.assertEqual(
            self.rows("commercial_health")[-1],
            (date(2027, 1, 1), date(2027, 6, 30), 11.5, "nbp"),
        )
        for kind in ("commercial", "commercial_health", "civil"):
            self.assert_contiguous(kind)
        civil = self.Rate._pl_interest(
            "civil", 10000, date(2026, 12, 1), date(2026, 12, 10)
        )
        self.assertEqual(
            [(line.days, line.rate) for line in civil.lines],
            [(2, Decimal("9.25")), (7, Decimal("9.00"))],
        )
        # Running again changes nothing.
        before = self.snapshot()
        result = self.Rate._pl_update_from_nbp(date(2027, 1, 4))
        self.assertEqual(
            result, {"created": 0, "updated": 0, "removed": 0, "conflicts": []}
        )
        self.assertEqual(self.snapshot(), before)

    def test_shipped_rows_that_differ_from_nbp_are_corrected(self):
        # The shipped 2026 H2 rates assume the reference rate was still
        # 3.75 % on 1 July 2026. Had NBP cut it to 3.50 % from 2026-06-11,
        # the feed corrects both shipped 2026 H2 rows (13.75 -> 13.50 %,
        # 11.75 -> 11.50 %) and closes the shipped open-ended civil rate.
        self.fake.set_history(HISTORY + [(date(2026, 6, 11), "3,50")])
        count = len(self.snapshot())
        result = self.Rate._pl_update_from_nbp(date(2026, 12, 6))
        self.assertEqual(
            result, {"created": 1, "updated": 3, "removed": 0, "conflicts": []}
        )
        for name, rate in (
            ("commercial_2026_h2", 13.5),
            ("commercial_health_2026_h2", 11.5),
        ):
            row = self.shipped(name)
            self.assertEqual((row.rate, row.origin, row.active), (rate, "nbp", True))
        self.assertEqual(
            self.rows("civil")[-2:],
            [
                (date(2026, 3, 5), date(2026, 6, 10), 9.25, "nbp"),
                (date(2026, 6, 11), None, 9.0, "nbp"),
            ],
        )
        self.assertEqual(len(self.snapshot()), count + 1)
        # A shipped rate with a typo (2023 H1 16.50 % instead of 16.75 %,
        # the reference rate 6.75 % + 10) is corrected too; back on NBP's
        # real history, the 2026 rows are put back as well (3 changed, the
        # row from 2026-06-11 removed).
        self.fake.set_history(HISTORY)
        self.shipped("commercial_2023_h1").write({"rate": 16.5, "origin": "nbp"})
        result = self.Rate._pl_update_from_nbp(date(2026, 12, 6))
        self.assertEqual(self.shipped("commercial_2023_h1").rate, 16.75)
        self.assertEqual(self.shipped("commercial_2026_h2").rate, 13.75)
        self.assertEqual(self.rows("civil")[-1], (date(2026, 3, 5), None, 9.25, "nbp"))
        self.assertEqual(
            result, {"created": 0, "updated": 4, "removed": 1, "conflicts": []}
        )

    def test_shipped_row_nbp_no_longer_gives_is_archived_not_duplicated(self):
        # Were the last change on 2026-03-12 instead of 2026-03-05, the
        # shipped row from 2026-03-05 is archived (not deleted: a module
        # update would bring it back) and the previous one runs to 2026-03-11.
        history = [row for row in HISTORY if row[0] != date(2026, 3, 5)]
        self.fake.set_history(history + [(date(2026, 3, 12), "3,75")])
        shipped_civil = self.shipped("civil_20260305")
        result = self.Rate._pl_update_from_nbp(date(2026, 12, 6))
        self.assertEqual(
            result, {"created": 1, "updated": 1, "removed": 1, "conflicts": []}
        )
        self.assertFalse(shipped_civil.active)
        self.assertEqual(
            self.rows("civil")[-2:],
            [
                (date(2025, 12, 4), date(2026, 3, 11), 9.5, "nbp"),
                (date(2026, 3, 12), None, 9.25, "nbp"),
            ],
        )
        self.assert_contiguous("civil")
        # NBP giving it again restores the shipped row, no second one.
        self.fake.set_history(HISTORY)
        result = self.Rate._pl_update_from_nbp(date(2026, 12, 6))
        self.assertEqual(
            result, {"created": 0, "updated": 2, "removed": 1, "conflicts": []}
        )
        self.assertTrue(shipped_civil.active)
        self.assertEqual(self.rows("civil")[-1], (date(2026, 3, 5), None, 9.25, "nbp"))
        self.assertEqual(
            self.Rate.with_context(active_test=False).search_count(
                [("kind", "=", "civil"), ("date_from", ">=", "2026-03-05")]
            ),
            1,
        )

    def test_shipped_next_half_year_is_left_alone_before_it_starts(self):
        # Run in 2026 H1, the feed derives no 2026 H2 rate yet: the shipped
        # one stays.
        before = self.snapshot()
        result = self.Rate._pl_update_from_nbp(date(2026, 5, 4))
        self.assertEqual(
            result, {"created": 0, "updated": 0, "removed": 0, "conflicts": []}
        )
        self.assertEqual(self.snapshot(), before)
        self.assertTrue(self.shipped("commercial_2026_h2").active)

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
        # The shipped open-ended civil rate is the feed's own.
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
        # A consultant ends the shipped civil rate and types the next one
        # with a typo (NBP gives 8.75 %); ending the shipped row makes it theirs.
        shipped_civil = self.shipped("civil_20260305")
        shipped_civil.date_to = date(2027, 3, 3)
        self.assertEqual(shipped_civil.origin, "manual")
        typed_civil = self.Rate.create(
            {
                "kind": "civil",
                "date_from": "2027-03-04",
                "rate": 8.5,
                "source": "Monitor Polski",
            }
        )
        self.assertEqual(typed_civil.origin, "manual")
        self.fake.set_history(HISTORY + [MARCH_2027_CUT])
        manual_before = [
            row for row in self.snapshot() if row[0][FIELDS.index("origin")] == "manual"
        ]
        result = self.Rate._pl_update_from_nbp(date(2027, 3, 10))
        # The typed-in rows stay; the health half-year, typed by nobody, is fed.
        self.assertEqual((result["created"], result["updated"]), (1, 0))
        self.assertEqual(
            self.rows("commercial")[-1],
            (date(2027, 1, 1), date(2027, 6, 30), 13.5, "manual"),
        )
        self.assertEqual(
            self.rows("civil")[-2:],
            [
                (date(2026, 3, 5), date(2027, 3, 3), 9.25, "manual"),
                (date(2027, 3, 4), None, 8.5, "manual"),
            ],
        )
        self.assert_contiguous("civil")
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
                ("civil", date(2027, 3, 4), date(2027, 3, 4)),
            },
        )
        self.assertEqual(typed_civil.nbp_conflict_date, date(2027, 3, 4))
        self.assertEqual(typed_civil.nbp_conflict_rate, 8.75)
        self.assertFalse(shipped_civil.nbp_conflict_date)
        with freeze_time("2027-03-10"):
            warning = self.Rate._pl_coverage_warning()
        self.assertIn("2027-03-04", warning)
        self.assertIn("8.75", warning)
        # Running again changes nothing; the consultant correcting the rate
        # clears the flag, and the next update has nothing to say about it.
        before = self.snapshot()
        self.Rate._pl_update_from_nbp(date(2027, 3, 10))
        self.assertEqual(self.snapshot(), before)
        typed_civil.rate = 8.75
        self.assertFalse(typed_civil.nbp_conflict_date)
        result = self.Rate._pl_update_from_nbp(date(2027, 3, 10))
        self.assertEqual({c["kind"] for c in result["conflicts"]}, {"commercial"})
        self.assertFalse(typed_civil.nbp_conflict_date)
        # Once the consultant ends the typed-in rate, the feed continues after it.
        typed_civil.date_to = date(2027, 3, 31)
        self.Rate._pl_update_from_nbp(date(2027, 4, 2))
        self.assertEqual(self.rows("civil")[-1], (date(2027, 4, 1), None, 8.75, "nbp"))

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
        # A shipped rate a consultant changes is theirs too, and kept.
        shipped = self.shipped("commercial_2026_h2")
        shipped.rate = 13.5
        self.assertEqual(shipped.origin, "manual")
        result = self.Rate._pl_update_from_nbp(date(2027, 1, 4))
        self.assertEqual(shipped.rate, 13.5)
        self.assertEqual(shipped.nbp_conflict_date, date(2026, 7, 1))
        self.assertEqual(shipped.nbp_conflict_rate, 13.75)
        self.assertEqual(result["created"], 0)

    def _assert_untouched_on_error(self, message, **failure):
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
            "odoo.addons.crm_dunning.models.crm_dunning_interest_rate", "WARNING"
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
                self.env["res.config.settings"].create({}).rates_warning,
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

    def test_demand_without_a_rate_goes_out_without_the_compensation(self):
        """The compensation (art. 10 of the act of 8 March 2013) is the
        creditor's right, not a condition of the demand: without an NBP EUR
        rate the demand is made without it and says so in its chatter."""
        self.fake_nbp.fail_status = 500
        move = self.invoice(price=100.0, date="2026-06-01", due="2026-06-15")
        demand = self.env["crm.dunning.demand"]._crm_dunning_create_demands(
            move, date(2026, 7, 1)
        )
        self.assertTrue(demand.claim_compensation)
        self.assertEqual(demand.line_ids.move_id, move)
        self.assertFalse(demand.compensation_ids)
        self.assertFalse(demand.amount_compensation)
        self.assertEqual(demand.amount_principal, 123.0)
        note = demand.message_ids.filtered(
            lambda message: "not claimed" in (message.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn(move.name, note.body)
        self.assertIn("No EUR exchange rate", note.body)
        # Once NBP answers, recomputing the draft claims it.
        self.fake_nbp.fail_status = None
        self.fake_nbp.add_rate("EUR", date(2026, 5, 29), "4.2512")
        demand.action_recompute()
        self.assertEqual(demand.compensation_ids.amount, 170.05)
