"""The Polish calendar (crm_invoicing_pl/tools/pl_calendar.py): public
holidays, NBP rate days, and when an invoice is overdue (art. 115 KC).

Every date is written in the test; nothing depends on the day it runs.
"""

import datetime

import pytest
from dateutil.easter import easter
from odoo.addons.crm_invoicing_pl.tools.pl_calendar import (
    days_overdue,
    easter_sunday,
    is_overdue,
    is_working_day,
    last_business_day_before,
    last_overdue_due_date,
    payment_deadline,
    polish_holidays,
)

d = datetime.date
D = datetime.date.fromisoformat

# --- public holidays ----------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, D("2025-04-20")), (2026, D("2026-04-05")), (2027, D("2027-03-28"))],
)
def test_easter_sunday(year, expected):
    assert easter_sunday(year) == expected


def test_easter_matches_dateutil():
    for year in range(1900, 2201):
        assert easter_sunday(year) == easter(year), year


def test_polish_holidays_2026():
    assert polish_holidays(2026) == {
        D("2026-01-01"),
        D("2026-01-06"),
        D("2026-04-05"),  # Easter Sunday
        D("2026-04-06"),  # Easter Monday
        D("2026-05-01"),
        D("2026-05-03"),
        D("2026-05-24"),  # Pentecost
        D("2026-06-04"),  # Corpus Christi
        D("2026-08-15"),
        D("2026-11-01"),
        D("2026-11-11"),
        D("2026-12-24"),
        D("2026-12-25"),
        D("2026-12-26"),
    }


@pytest.mark.parametrize(
    ("year", "easter_monday", "pentecost", "corpus_christi"),
    [
        (2025, D("2025-04-21"), D("2025-06-08"), D("2025-06-19")),
        (2027, D("2027-03-29"), D("2027-05-16"), D("2027-05-27")),
    ],
)
def test_movable_holidays(year, easter_monday, pentecost, corpus_christi):
    holidays = polish_holidays(year)
    assert {easter_monday, pentecost, corpus_christi} <= holidays
    assert len(holidays) == 14


def test_christmas_eve_is_a_holiday_from_2025():
    """Act of 6 December 2024 amending the act on public holidays."""
    assert D("2024-12-24") not in polish_holidays(2024)
    assert len(polish_holidays(2024)) == 13
    assert D("2025-12-24") in polish_holidays(2025)


def test_epiphany_is_a_holiday_again_from_2011():
    assert D("2010-01-06") not in polish_holidays(2010)
    assert len(polish_holidays(2010)) == 12
    assert D("2011-01-06") in polish_holidays(2011)


def test_polish_holidays_returns_a_fresh_set():
    polish_holidays(2026).clear()
    assert len(polish_holidays(2026)) == 14


@pytest.mark.parametrize("year", ["2026", 2026.0, True, 0, -1, None])
def test_bad_year_is_refused(year):
    with pytest.raises(ValueError):
        polish_holidays(year)


@pytest.mark.parametrize(
    "call",
    [
        lambda: is_working_day("2026-11-07"),
        lambda: payment_deadline("2026-11-07"),
        lambda: payment_deadline(datetime.datetime(2026, 11, 7)),
        lambda: days_overdue(d(2026, 11, 7), "2026-11-10"),
        lambda: last_business_day_before(None),
    ],
)
def test_not_a_date_is_refused(call):
    with pytest.raises(TypeError):
        call()


# --- NBP rate days (art. 31a of the VAT act) ------------------------------------


@pytest.mark.parametrize(
    ("tax_point", "expected"),
    [
        (D("2026-11-26"), D("2026-11-25")),  # Thursday -> Wednesday
        (D("2026-11-30"), D("2026-11-27")),  # Monday -> Friday
        (D("2026-01-02"), D("2025-12-31")),  # New Year
        (D("2026-01-07"), D("2026-01-05")),  # Epiphany
        (D("2026-04-07"), D("2026-04-03")),  # Easter Monday and weekend
        (D("2026-05-04"), D("2026-04-30")),  # 3 May Sunday, 1 May Friday
        (D("2026-06-05"), D("2026-06-03")),  # Corpus Christi
        (D("2026-08-17"), D("2026-08-14")),  # 15 August on Saturday
        (D("2026-12-27"), D("2026-12-23")),  # Sunday after Christmas
        (D("2024-12-27"), D("2024-12-24")),  # 24 Dec not yet a holiday
        (D("2027-01-04"), D("2026-12-31")),  # across the year end
    ],
)
def test_last_business_day_before(tax_point, expected):
    assert last_business_day_before(tax_point) == expected


# --- payment deadline and overdue (art. 115 KC) ---------------------------------


@pytest.mark.parametrize(
    ("due", "deadline"),
    [
        (d(2026, 11, 6), d(2026, 11, 6)),  # Friday stays
        (d(2026, 11, 7), d(2026, 11, 9)),  # Saturday -> Monday
        (d(2026, 11, 8), d(2026, 11, 9)),  # Sunday -> Monday
        (d(2026, 11, 10), d(2026, 11, 10)),  # Tuesday before 11 November
        (d(2026, 11, 11), d(2026, 11, 12)),  # Independence Day, Wed -> Thu
        (d(2026, 10, 31), d(2026, 11, 2)),  # Saturday, Sunday 1 Nov -> Monday
        (d(2026, 5, 2), d(2026, 5, 4)),  # Saturday, Sunday 3 May -> Monday
        (d(2026, 4, 4), d(2026, 4, 7)),  # Holy Saturday, Easter -> Tuesday
        (d(2026, 12, 23), d(2026, 12, 23)),  # Wednesday before Christmas Eve
        (d(2026, 12, 24), d(2026, 12, 28)),  # Thu 24, Fri 25, Sat 26 -> Mon
        (d(2026, 12, 25), d(2026, 12, 28)),
        (d(2026, 12, 26), d(2026, 12, 28)),
        (d(2024, 12, 24), d(2024, 12, 24)),  # 2024: a working day
        (d(2028, 12, 30), d(2029, 1, 2)),  # over New Year 2029
    ],
)
def test_payment_deadline(due, deadline):
    assert payment_deadline(due) == deadline
    assert is_working_day(deadline)


def test_invoice_due_on_saturday():
    """Due Saturday 7 November 2026: payable without delay until Monday
    9 November; late from Tuesday 10 November (1 day), so interest runs
    from 10 November."""
    due = d(2026, 11, 7)
    assert [days_overdue(due, d(2026, 11, day)) for day in (6, 7, 8, 9, 10, 12)] == [
        -3,
        -2,
        -1,
        0,
        1,
        3,
    ]
    assert not is_overdue(due, d(2026, 11, 8))  # Sunday
    assert not is_overdue(due, d(2026, 11, 9))  # Monday, the moved deadline
    assert is_overdue(due, d(2026, 11, 10))


def test_invoice_due_on_friday_and_sunday():
    # Friday 6 November 2026: late on Saturday already.
    assert days_overdue(d(2026, 11, 6), d(2026, 11, 7)) == 1
    assert is_overdue(d(2026, 11, 6), d(2026, 11, 9))
    # Sunday 8 November: like Saturday, late from Tuesday.
    assert days_overdue(d(2026, 11, 8), d(2026, 11, 9)) == 0
    assert days_overdue(d(2026, 11, 8), d(2026, 11, 10)) == 1


def test_invoice_due_before_a_holiday():
    # Tuesday 10 November 2026 stays: late on 11 November (a holiday).
    assert days_overdue(d(2026, 11, 10), d(2026, 11, 11)) == 1
    # Due on Christmas Eve 2026 (a holiday since 2025): late from Tuesday 29th.
    assert days_overdue(d(2026, 12, 24), d(2026, 12, 28)) == 0
    assert days_overdue(d(2026, 12, 24), d(2026, 12, 29)) == 1
    # Christmas Eve 2024 was a working day: late on the 25th.
    assert days_overdue(d(2024, 12, 24), d(2024, 12, 25)) == 1


def test_days_overdue_of_a_working_day():
    assert days_overdue(d(2026, 3, 2), d(2026, 3, 2)) == 0
    assert days_overdue(d(2026, 3, 2), d(2026, 2, 27)) == -3
    # Saturday 28 February 2026 -> Monday 2 March: not late on Sunday 1 March.
    assert days_overdue(d(2026, 2, 28), d(2026, 3, 1)) == -1


@pytest.mark.parametrize(
    ("on_date", "limit"),
    [
        (d(2026, 11, 9), d(2026, 11, 6)),  # Monday: Friday's invoices and before
        (d(2026, 11, 10), d(2026, 11, 9)),  # Tuesday: Saturday's and Sunday's too
        (d(2026, 11, 8), d(2026, 11, 6)),  # Sunday
        (d(2026, 11, 12), d(2026, 11, 10)),  # after 11 November
        (d(2026, 12, 28), d(2026, 12, 23)),  # Monday after Christmas
        (d(2026, 12, 29), d(2026, 12, 28)),
    ],
)
def test_last_overdue_due_date(on_date, limit):
    assert last_overdue_due_date(on_date) == limit


def test_last_overdue_due_date_is_is_overdue():
    """The database filter of the customer card and the payment demands
    (``date_maturity <= last_overdue_due_date(day)``) says what
    ``is_overdue`` says, for every due date and day of 2025-2027."""
    start, end = d(2025, 1, 1), d(2027, 12, 31)
    one = datetime.timedelta(1)
    on_date = start
    while on_date <= end:
        limit = last_overdue_due_date(on_date)
        due = on_date - datetime.timedelta(12)
        while due <= on_date:
            assert is_overdue(due, on_date) == (due <= limit), (due, on_date)
            due += one
        on_date += one
