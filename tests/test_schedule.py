from datetime import date
from decimal import Decimal
from itertools import islice

import pytest
from odoo.addons.crm_recurring.tools.schedule import Schedule, ScheduleError

D = date


def spans(schedule, count, after=None):
    return [
        (p.start, p.end, p.invoice_date) for p in islice(schedule.periods(after), count)
    ]


def test_anchored_months_repeat_from_the_start_day():
    schedule = Schedule(start=D(2026, 11, 15))
    assert spans(schedule, 3) == [
        (D(2026, 11, 15), D(2026, 12, 14), D(2026, 11, 15)),
        (D(2026, 12, 15), D(2027, 1, 14), D(2026, 12, 15)),
        (D(2027, 1, 15), D(2027, 2, 14), D(2027, 1, 15)),
    ]


def test_start_on_the_31st_comes_back_after_short_months():
    schedule = Schedule(start=D(2027, 1, 31))
    starts = [p.start for p in islice(schedule.periods(), 4)]
    assert starts == [D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30)]
    first = next(schedule.periods())
    assert first.end == D(2027, 2, 27)
    assert not first.is_prorated


def test_calendar_months_prorate_the_first_and_last_period():
    schedule = Schedule(start=D(2026, 11, 16), end=D(2027, 1, 10), calendar=True)
    periods = list(schedule.periods())
    assert [(p.start, p.end) for p in periods] == [
        (D(2026, 11, 16), D(2026, 11, 30)),
        (D(2026, 12, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 1, 10)),
    ]
    assert periods[0].ratio == Decimal("0.5")  # 15 of 30 days
    assert periods[1].ratio == Decimal(1) and not periods[1].is_prorated
    assert periods[2].ratio == Decimal("0.322581")  # 10 of 31 days
    assert [p.label() for p in periods] == [
        "16.11.2026-30.11.2026",
        "12/2026",
        "01.01.2027-10.01.2027",
    ]


def test_calendar_quarters_and_years_are_aligned():
    quarters = Schedule(start=D(2026, 11, 1), unit="quarter", calendar=True)
    first, second = islice(quarters.periods(), 2)
    assert (first.full_start, first.full_end) == (D(2026, 10, 1), D(2026, 12, 31))
    assert (first.start, first.days, first.full_days) == (D(2026, 11, 1), 61, 92)
    assert second.label() == "01/2027-03/2027"
    years = Schedule(start=D(2026, 1, 1), unit="year", calendar=True)
    assert next(years.periods()).label() == "2026"


def test_days_weeks_and_intervals():
    assert spans(Schedule(start=D(2026, 11, 1), unit="day", interval=10), 2) == [
        (D(2026, 11, 1), D(2026, 11, 10), D(2026, 11, 1)),
        (D(2026, 11, 11), D(2026, 11, 20), D(2026, 11, 11)),
    ]
    weeks = Schedule(start=D(2026, 11, 2), unit="week", interval=2)
    assert [p.end for p in islice(weeks.periods(), 2)] == [
        D(2026, 11, 15),
        D(2026, 11, 29),
    ]
    bimonthly = Schedule(start=D(2026, 1, 1), interval=2, calendar=True)
    assert [p.label() for p in islice(bimonthly.periods(), 2)] == [
        "01/2026-02/2026",
        "03/2026-04/2026",
    ]


def test_arrears_and_invoice_day():
    arrears = Schedule(start=D(2026, 11, 1), calendar=True, mode="arrears")
    assert spans(arrears, 1) == [(D(2026, 11, 1), D(2026, 11, 30), D(2026, 12, 1))]
    tenth = Schedule(
        start=D(2026, 11, 1), calendar=True, mode="arrears", invoice_day=10
    )
    assert next(tenth.periods()).invoice_date == D(2026, 12, 10)
    # Day 31 is clipped to the month's length.
    clipped = Schedule(start=D(2027, 2, 1), calendar=True, invoice_day=31)
    assert next(clipped.periods()).invoice_date == D(2027, 2, 28)
    # Never before the contract starts.
    late_start = Schedule(start=D(2026, 11, 20), calendar=True, invoice_day=1)
    first, second = islice(late_start.periods(), 2)
    assert first.invoice_date == D(2026, 11, 20)
    assert second.invoice_date == D(2026, 12, 1)


def test_end_date_stops_the_schedule():
    schedule = Schedule(start=D(2026, 1, 1), end=D(2026, 3, 31), calendar=True)
    assert [p.label() for p in schedule.periods()] == ["01/2026", "02/2026", "03/2026"]
    assert schedule.next_period(after=D(2026, 3, 31)) is None
    single_day = Schedule(start=D(2026, 5, 5), end=D(2026, 5, 5))
    (period,) = single_day.periods()
    assert (period.days, period.full_days) == (1, 31)


def test_catch_up_lists_every_missed_period_once_in_order():
    schedule = Schedule(start=D(2026, 7, 1), calendar=True)
    due = schedule.due_periods(today=D(2026, 11, 26))
    assert [p.label() for p in due] == [
        "07/2026",
        "08/2026",
        "09/2026",
        "10/2026",
        "11/2026",
    ]
    # After invoicing up to September, only October and November remain.
    rest = schedule.due_periods(today=D(2026, 11, 26), after=D(2026, 9, 30))
    assert [p.label() for p in rest] == ["10/2026", "11/2026"]
    # Run again after invoicing everything: nothing is due twice.
    assert schedule.due_periods(today=D(2026, 11, 26), after=D(2026, 11, 30)) == []
    # Arrears: November is due only from 1 December.
    arrears = Schedule(start=D(2026, 11, 1), calendar=True, mode="arrears")
    assert arrears.due_periods(today=D(2026, 11, 30)) == []
    assert len(arrears.due_periods(today=D(2026, 12, 1))) == 1


def test_period_invoiced_up_to_a_changed_date_continues_from_there():
    # The schedule changed from anchored to calendar months after invoicing
    # up to 14 November: the rest of November is a short period of its own.
    schedule = Schedule(start=D(2026, 10, 15), calendar=True)
    period = schedule.next_period(after=D(2026, 11, 14))
    assert (period.start, period.end) == (D(2026, 11, 15), D(2026, 11, 30))
    assert period.ratio == Decimal("0.533333")


def test_period_starts_are_unique_keys():
    schedule = Schedule(start=D(2027, 1, 31), unit="day", interval=1)
    starts = [p.start for p in islice(schedule.periods(), 400)]
    assert len(set(starts)) == 400


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"unit": "fortnight"}, "unit"),
        ({"interval": 0}, "interval"),
        ({"interval": -1}, "interval"),
        ({"interval": 1.5}, "interval"),
        ({"interval": True}, "interval"),
        ({"end": D(2026, 10, 31)}, "dates"),
        ({"mode": "sometimes"}, "mode"),
        ({"invoice_day": 0}, "invoice_day"),
        ({"invoice_day": 32}, "invoice_day"),
        ({"unit": "week", "calendar": True}, "calendar"),
    ],
)
def test_invalid_schedules(kwargs, code):
    with pytest.raises(ScheduleError) as info:
        Schedule(start=D(2026, 11, 1), **kwargs)
    assert info.value.code == code
