"""Calendar edges of the pure helpers: month ends, leap days, year ends,
Christmas Eve, New Year and Easter Monday.

Every date is written in the test; nothing depends on the day it runs.
"""

import datetime
from decimal import Decimal
from itertools import islice

import pytest
from nbp_history import REFERENCE
from odoo.addons.crm_dunning.tools.interest import (
    commercial_rate_periods,
    compensation_rate_date,
    interest,
)
from odoo.addons.crm_dunning.tools.levels import Level, choose_level
from odoo.addons.crm_invoicing_pl.tools import pl_calendar
from odoo.addons.crm_invoicing_pl.tools.pl_calendar import (
    days_overdue,
    last_business_day_before,
    payment_deadline,
)
from odoo.addons.crm_invoicing_pl_archive.tools.retention import (
    retention_until,
    vat_due_date,
)
from odoo.addons.crm_recurring.tools.schedule import Schedule

d = datetime.date
D = Decimal


def shift(due):
    """The due date moved as the product moves it (the customer card, the
    dunning run, the interest): ``pl_calendar.payment_deadline``."""
    return payment_deadline(due)


def starts(schedule, count):
    return [period.start for period in islice(schedule.periods(), count)]


def lines(result):
    return [
        (str(x.date_from), str(x.date_to), x.days, str(x.rate), str(x.interest))
        for x in result.lines
    ]


@pytest.fixture
def commercial():
    """Commercial rates, reference rate + 10 pp per half-year (art. 4 pkt 3
    and art. 11b of the act of 8 March 2013)."""
    return commercial_rate_periods(
        REFERENCE, 10, until=d(2026, 12, 31), since=d(2023, 1, 1)
    )


# --- recurring schedules: month ends and leap days ----------------------------


def test_31_january_plus_one_month_is_the_end_of_february():
    """A contract started on 31 January is next invoiced on the last day of
    February: 28 February in 2027, 29 February in the leap year 2028; the
    first period ends the day before (art. 111 § 2 KC counts a month to the
    day of the same number, or the month's last day when there is none)."""
    common, leap = Schedule(start=d(2027, 1, 31)), Schedule(start=d(2028, 1, 31))
    assert starts(common, 2) == [d(2027, 1, 31), d(2027, 2, 28)]
    assert starts(leap, 2) == [d(2028, 1, 31), d(2028, 2, 29)]
    first = next(leap.periods())
    assert (first.end, first.days, first.invoice_date) == (
        d(2028, 2, 28),
        29,
        d(2028, 1, 31),
    )


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # 29th: only February is short, and only in common years.
        (d(2027, 1, 29), [29, 28, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29]),
        (d(2028, 1, 29), [29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 28]),
        (d(2028, 1, 30), [30, 29, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 28]),
        (d(2028, 1, 31), [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28]),
    ],
)
def test_start_on_the_29th_to_31st_never_drifts(start, expected):
    """Each period starts on the start day, or on the last day of a shorter
    month, counted from the start date and not from the previous (clipped)
    period: 31 Jan -> 29 Feb -> 31 Mar, never 31 Jan -> 29 Feb -> 29 Mar."""
    got = starts(Schedule(start=start), 14)
    assert [day.day for day in got] == expected
    # Consecutive months, no period skipped or doubled.
    assert [(day.year, day.month) for day in got] == [
        (start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1)
        for i in range(14)
    ]


def test_anchored_quarters_from_30_november_come_back_to_the_30th():
    quarters = Schedule(start=d(2026, 11, 30), unit="quarter")
    assert starts(quarters, 5) == [
        d(2026, 11, 30),
        d(2027, 2, 28),
        d(2027, 5, 30),
        d(2027, 8, 30),
        d(2027, 11, 30),
    ]


def test_yearly_contract_started_on_29_february():
    """The product's rule: the anniversary of 29 February is 28 February in
    common years and 29 February again in the next leap year (art. 111 § 2
    KC by analogy: no day 29 in that February, so its last day). The period
    ending in a leap February covers 366 days; no day is billed twice or
    left out."""
    schedule = Schedule(start=d(2028, 2, 29), unit="year")
    periods = list(islice(schedule.periods(), 5))
    assert [p.start for p in periods] == [
        d(2028, 2, 29),
        d(2029, 2, 28),
        d(2030, 2, 28),
        d(2031, 2, 28),
        d(2032, 2, 29),
    ]
    assert [p.days for p in periods] == [365, 365, 365, 366, 365]
    assert periods[3].end == d(2032, 2, 28)
    for previous, period in zip(periods, periods[1:], strict=False):
        assert period.start == previous.end + datetime.timedelta(days=1)
    assert not any(p.is_prorated for p in periods)


def test_leap_day_in_calendar_periods_and_invoice_day():
    """February 2028 has 29 days: a calendar month started on 15 February
    pays 15/29 of it; a calendar year started on 29 February 307/366; an
    invoicing day 31 is 29 February in a leap year, 28 in a common one."""
    february = next(Schedule(start=d(2028, 2, 15), calendar=True).periods())
    assert (february.end, february.full_days) == (d(2028, 2, 29), 29)
    assert february.ratio == D("0.517241")  # 15 / 29
    year = next(Schedule(start=d(2028, 2, 29), unit="year", calendar=True).periods())
    assert (year.days, year.full_days, year.ratio) == (307, 366, D("0.838798"))
    arrears = Schedule(
        start=d(2028, 1, 1), calendar=True, mode="arrears", invoice_day=31
    )
    assert [p.invoice_date for p in islice(arrears.periods(), 3)] == [
        d(2028, 2, 29),
        d(2028, 3, 31),
        d(2028, 4, 30),
    ]
    common = Schedule(
        start=d(2027, 1, 1), calendar=True, mode="arrears", invoice_day=29
    )
    assert next(common.periods()).invoice_date == d(2027, 2, 28)


def test_catch_up_across_the_year_end():
    """Missed periods of two years come out once each, oldest first, each
    with its own dates."""
    anchored = Schedule(start=d(2026, 10, 31))
    assert [
        (p.start, p.end, p.invoice_date)
        for p in anchored.due_periods(today=d(2027, 1, 5))
    ] == [
        (d(2026, 10, 31), d(2026, 11, 29), d(2026, 10, 31)),
        (d(2026, 11, 30), d(2026, 12, 30), d(2026, 11, 30)),
        (d(2026, 12, 31), d(2027, 1, 30), d(2026, 12, 31)),
    ]
    arrears = Schedule(start=d(2026, 11, 1), calendar=True, mode="arrears")
    due = arrears.due_periods(today=d(2027, 1, 1))
    assert [(p.label(), p.invoice_date) for p in due] == [
        ("11/2026", d(2026, 12, 1)),
        ("12/2026", d(2027, 1, 1)),
    ]
    assert arrears.due_periods(today=d(2026, 12, 31), after=d(2026, 11, 30)) == []


# --- interest across a half-year and a year boundary --------------------------


def test_interest_split_on_1_july(commercial):
    """Commercial interest (art. 7 ust. 1 and art. 8 ust. 1 of the act of
    8 March 2013 on excessive delays in commercial transactions): due from
    the day after the due date; the rate of art. 4 pkt 3 is the reference
    rate in force on 1 January / 1 July plus 10 pp, for the whole half-year
    (art. 11b), so the line is split on 1 July.

    10 000 zł due Monday 29 June 2026, paid 10 July 2026:
    * 30.06 (1 day) at 14.00 % (ref. 4.00 on 1 Jan 2026):
      10 000 x 14 % x 1 / 365 = 3.8356 -> 3.84
    * 01.07-10.07 (10 days) at 13.75 % (ref. 3.75 on 1 Jul 2026):
      10 000 x 13.75 % x 10 / 365 = 37.6712 -> 37.67
    total 41.51. Due on 30 June itself, every day of delay is in July: one
    line at 13.75 %.
    """
    split = interest(10000, d(2026, 6, 29), d(2026, 7, 10), commercial)
    assert lines(split) == [
        ("2026-06-30", "2026-06-30", 1, "14.00", "3.84"),
        ("2026-07-01", "2026-07-10", 10, "13.75", "37.67"),
    ]
    assert split.total == D("41.51")
    on_the_edge = interest(10000, d(2026, 6, 30), d(2026, 7, 10), commercial)
    assert lines(on_the_edge) == [("2026-07-01", "2026-07-10", 10, "13.75", "37.67")]


def test_interest_split_on_1_january(commercial):
    """Art. 11b of the act of 8 March 2013: the rate of 1 January applies
    from 1 January; the reference-rate cut of 4 December 2025 does not
    change the commercial rate of 2025 H2.

    10 000 zł due Monday 15 December 2025, paid 15 January 2026:
    * 16.12-31.12.2025 (16 days) at 15.25 % (ref. 5.25 on 1 Jul 2025):
      10 000 x 15.25 % x 16 / 365 = 66.8493 -> 66.85
    * 01.01-15.01.2026 (15 days) at 14.00 % (ref. 4.00 on 1 Jan 2026):
      10 000 x 14 % x 15 / 365 = 57.5342 -> 57.53
    total 124.38 (31 days).
    """
    result = interest(10000, d(2025, 12, 15), d(2026, 1, 15), commercial)
    assert lines(result) == [
        ("2025-12-16", "2025-12-31", 16, "15.25", "66.85"),
        ("2026-01-01", "2026-01-15", 15, "14.00", "57.53"),
    ]
    assert (result.total, result.days) == (D("124.38"), 31)


def test_interest_over_both_boundaries_of_a_half_year(commercial):
    """Due 20 June 2025, paid 10 January 2026 (art. 7-8 of the act of
    8 March 2013, art. 11b):
    * 21.06-30.06.2025, 10 days at 15.75 %: 10 000 x 15.75 % x 10 / 365
      = 43.1507 -> 43.15
    * 01.07-31.12.2025, 184 days at 15.25 %: 10 000 x 15.25 % x 184 / 365
      = 768.7671 -> 768.77
    * 01.01-10.01.2026, 10 days at 14.00 %: 38.3562 -> 38.36
    total 850.28.
    """
    result = interest(10000, d(2025, 6, 20), d(2026, 1, 10), commercial)
    assert lines(result) == [
        ("2025-06-21", "2025-06-30", 10, "15.75", "43.15"),
        ("2025-07-01", "2025-12-31", 184, "15.25", "768.77"),
        ("2026-01-01", "2026-01-10", 10, "14.00", "38.36"),
    ]
    assert result.total == D("850.28")


def test_interest_into_a_leap_year_with_the_actual_denominator(commercial):
    """With the "actual" denominator the days of 2024 count /366: due
    21 December 2023, paid 10 January 2024:
    * 22.12-31.12.2023, 10 days at 16.75 % / 365: 45.8904 -> 45.89
    * 01.01-10.01.2024, 10 days at 15.75 % / 366: 43.0328 -> 43.03
    total 88.92 (with / 365 throughout: 45.89 + 43.15 = 89.04).
    """
    actual = interest(10000, d(2023, 12, 21), d(2024, 1, 10), commercial, "actual")
    assert [(x.denominator, str(x.interest)) for x in actual.lines] == [
        (365, "45.89"),
        (366, "43.03"),
    ]
    assert actual.total == D("88.92")
    assert interest(10000, d(2023, 12, 21), d(2024, 1, 10), commercial).total == D(
        "89.04"
    )


def test_civil_interest_from_the_shifted_due_date():
    """Art. 481 § 1 KC: delay interest runs from the day after the deadline;
    a deadline on 24 December 2025 (a public holiday since 2025) ends on
    Monday 29 December (art. 115 KC). Paid 9 January 2026 at 9.50 %
    (art. 481 § 2: reference rate 4.00 + 5.5 pp): 30.12-09.01 = 11 days,
    10 000 x 9.5 % x 11 / 365 = 28.6301 -> 28.63 (not 16 days from
    25 December, 41.64)."""
    civil = [(d(2025, 12, 4), None, "9.50")]
    due = shift(d(2025, 12, 24))
    assert due == d(2025, 12, 29)
    result = interest(10000, due, d(2026, 1, 9), civil)
    assert (result.days, result.total) == (11, D("28.63"))
    assert interest(10000, d(2025, 12, 24), d(2026, 1, 9), civil).total == D("41.64")


# --- due dates moved by art. 115 KC -------------------------------------------


@pytest.mark.parametrize(
    ("due", "moved"),
    [
        # 24 December: a working day until 2024, a public holiday since 2025
        # (act of 6 December 2024 amending the act on public holidays).
        (d(2024, 12, 24), d(2024, 12, 24)),  # Tuesday, working day
        (d(2025, 12, 24), d(2025, 12, 29)),  # Wed -> Thu 25, Fri 26, weekend
        (d(2026, 12, 24), d(2026, 12, 28)),  # Thursday -> Monday
        (d(2027, 12, 24), d(2027, 12, 27)),  # Friday -> Monday
        (d(2024, 12, 25), d(2024, 12, 27)),  # Wednesday -> Friday
        (d(2026, 12, 25), d(2026, 12, 28)),  # Friday -> Monday
        (d(2026, 12, 26), d(2026, 12, 28)),  # Saturday -> Monday
        (d(2025, 12, 26), d(2025, 12, 29)),  # Friday -> Monday
        # New Year, and across the year end.
        (d(2026, 1, 1), d(2026, 1, 2)),  # Thursday -> Friday
        (d(2027, 1, 1), d(2027, 1, 4)),  # Friday -> Monday
        (d(2028, 12, 30), d(2029, 1, 2)),  # Sat, Sun 31, Mon 1 Jan -> Tue
        (d(2026, 12, 31), d(2026, 12, 31)),  # Thursday, working day
        (d(2027, 1, 6), d(2027, 1, 7)),  # Epiphany
        # Easter Monday.
        (d(2026, 4, 6), d(2026, 4, 7)),
        (d(2027, 3, 29), d(2027, 3, 30)),
        (d(2027, 3, 27), d(2027, 3, 30)),  # Holy Saturday -> Tuesday
    ],
)
def test_due_date_moved_to_the_next_working_day(due, moved):
    """Art. 115 KC: a deadline ending on a public holiday or a Saturday ends
    on the next day that is neither."""
    assert shift(due) == moved


def test_holidays_of_the_next_year_count_at_the_year_end():
    """The year of the moved date is not the due date's year: due Saturday
    30 December 2028 is moved past Sunday 31 December and 1 January 2029 (a
    holiday of the next year) to Tuesday 2 January."""
    assert shift(d(2028, 12, 30)) == d(2029, 1, 2)
    assert days_overdue(d(2028, 12, 30), d(2029, 1, 2)) == 0


def test_due_dates_and_nbp_rate_days_follow_one_calendar():
    """One list of statutory holidays (art. 1 of the act of 18 January 1951
    on public holidays, as amended: Epiphany since 2011, Christmas Eve since
    2025) serves the due dates (art. 115 KC) and the NBP rate days (art. 31a
    of the VAT act): a day is a deadline that stays exactly when it is an
    NBP table day."""
    day = d(2011, 1, 1)
    while day.year < 2061:
        working = pl_calendar.is_working_day(day)
        assert (shift(day) == day) == working, day
        assert (last_business_day_before(day + datetime.timedelta(1)) == day) == (
            working
        ), day
        day += datetime.timedelta(1)
    assert d(2025, 12, 24) in pl_calendar.polish_holidays(2025)
    assert d(2024, 12, 24) not in pl_calendar.polish_holidays(2024)


# --- NBP rate days --------------------------------------------------------------


@pytest.mark.parametrize(
    ("tax_point", "rate_day"),
    [
        (d(2027, 1, 2), d(2026, 12, 31)),  # Saturday; 1 Jan holiday
        (d(2028, 1, 3), d(2027, 12, 31)),  # Monday; weekend, 31 Dec a Friday
        (d(2029, 1, 2), d(2028, 12, 29)),  # 1 Jan Monday, 31/30 Dec weekend
        (d(2028, 1, 2), d(2027, 12, 31)),  # Sunday
        # No NBP table on Christmas Eve since 2025.
        (d(2025, 12, 29), d(2025, 12, 23)),  # 24-26 Dec, weekend
        (d(2027, 12, 27), d(2027, 12, 23)),  # 24 Dec a Friday
        (d(2024, 12, 25), d(2024, 12, 24)),  # 2024: still a table day
        (d(2025, 12, 27), d(2025, 12, 23)),
    ],
)
def test_rate_day_of_a_tax_point_at_the_year_end(tax_point, rate_day):
    """Art. 31a ust. 1 of the VAT act: the NBP average rate of the last
    working day before the tax point; NBP publishes no table on public
    holidays, Christmas Eve included from 2025."""
    assert last_business_day_before(tax_point) == rate_day


@pytest.mark.parametrize(
    ("due", "month_end", "rate_day"),
    [
        # Due (as moved by art. 115 KC) in January: December's last working day.
        (shift(d(2027, 1, 1)), d(2026, 12, 31), d(2026, 12, 31)),
        (d(2026, 1, 2), d(2025, 12, 31), d(2025, 12, 31)),
        # Due Sunday 31 Dec 2028, moved to Tuesday 2 Jan 2029: the payment
        # becomes due in January, the rate is that of Friday 29 Dec 2028.
        (shift(d(2028, 12, 31)), d(2028, 12, 31), d(2028, 12, 29)),
        # Due in December: the last working day of November.
        (d(2026, 12, 28), d(2026, 11, 30), d(2026, 11, 30)),
        (d(2025, 12, 24), d(2025, 11, 30), d(2025, 11, 28)),
        # A leap February.
        (d(2028, 3, 1), d(2028, 2, 29), d(2028, 2, 29)),
    ],
)
def test_compensation_rate_day(due, month_end, rate_day):
    """Art. 10 ust. 1 of the act of 8 March 2013: the compensation in EUR is
    converted at the NBP average rate of the last working day of the month
    before the month in which the payment became due."""
    assert compensation_rate_date(due) == month_end
    assert last_business_day_before(month_end + datetime.timedelta(1)) == rate_day


# --- retention across the year end ----------------------------------------------


@pytest.mark.parametrize(
    ("tax_point", "vat_due", "until"),
    [
        (d(2026, 11, 30), d(2026, 12, 25), d(2031, 12, 31)),
        (d(2026, 12, 1), d(2027, 1, 25), d(2032, 12, 31)),
        (d(2026, 12, 31), d(2027, 1, 25), d(2032, 12, 31)),
        (d(2027, 1, 1), d(2027, 2, 25), d(2032, 12, 31)),
        (d(2027, 12, 31), d(2028, 1, 25), d(2033, 12, 31)),
        (d(2028, 2, 29), d(2028, 3, 25), d(2033, 12, 31)),
    ],
)
def test_retention_across_the_year_end(tax_point, vat_due, until):
    """Art. 112 of the VAT act: keep until the tax liability is time-barred;
    art. 70 § 1 of the Tax Ordinance: 5 years from the end of the calendar
    year in which the tax fell due; the VAT of month M is due on the 25th of
    M + 1 (art. 103 ust. 1 of the VAT act). A December 2026 tax point is due
    in January 2027: kept until 31 December 2032, like 1 January 2027."""
    assert vat_due_date(tax_point) == vat_due
    assert retention_until(tax_point) == until


def test_a_holiday_never_moves_the_vat_deadline_into_the_next_year():
    """Art. 12 § 5 of the Tax Ordinance moves a deadline on a Saturday or a
    holiday to the next working day: the 25 December deadline (November's
    VAT) stays in December every year, so the year of the limitation period
    (and the retention) does not depend on that move."""
    for year in range(2025, 2061):
        moved = shift(d(year, 12, 25))
        assert moved.year == year and moved.day <= 29, moved


# --- dunning levels on weekends and holidays ------------------------------------

REMINDER, URGE, MONIT, DEMAND = (
    Level(1, -3),
    Level(2, 7),
    Level(3, 14),
    Level(4, 30),
)
POLICY = (REMINDER, URGE, MONIT, DEMAND)


def test_levels_count_from_the_due_date_moved_by_art_115():
    """Art. 115 KC: an invoice due Thursday 24 December 2026 may be paid
    until Monday 28 December without delay; the levels count from that day
    (the dunning run and the interest do the same), and not from the
    printed due date: on Sunday 3 January 2027 it is 6 days late, still the
    reminder, not the ponaglenie of day 7."""
    due = shift(d(2026, 12, 24))
    assert due == d(2026, 12, 28)
    assert days_overdue(due, d(2027, 1, 3)) == 6
    assert choose_level(POLICY, days_overdue(due, d(2027, 1, 3))) == REMINDER.id
    assert choose_level(POLICY, days_overdue(due, d(2027, 1, 4))) == URGE.id
    # On the printed due date itself, and 3 days before the moved one.
    assert days_overdue(due, d(2026, 12, 24)) == -4
    assert choose_level(POLICY, -4) is None
    assert choose_level(POLICY, days_overdue(due, d(2026, 12, 25))) == REMINDER.id


def test_a_level_reached_on_a_sunday_is_chosen_on_that_day():
    """The product's rule: a level is chosen on the day its offset from the
    (moved) due date is reached, a Sunday or a holiday included; a daily
    run sends it then, and a run on the next working day sends it then,
    once. Art. 115 KC moves the debtor's deadline, not the creditor's
    reminder. Due Wednesday 2 December 2026: the reminder (3 days before)
    falls on Sunday 29 November."""
    due = shift(d(2026, 12, 2))
    assert due == d(2026, 12, 2)
    sunday = d(2026, 11, 29)
    assert sunday.weekday() == 6
    assert choose_level(POLICY, days_overdue(due, sunday)) == REMINDER.id
    assert choose_level(POLICY, days_overdue(due, d(2026, 11, 28))) is None
    # Not sent on Sunday (no run): Monday sends it; sent: never again.
    assert choose_level(POLICY, days_overdue(due, d(2026, 11, 30))) == REMINDER.id
    assert (
        choose_level(POLICY, days_overdue(due, d(2026, 11, 30)), {REMINDER.id}) is None
    )
