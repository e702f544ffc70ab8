"""The Polish calendar: public holidays, working days, payment deadlines.

Pure Python, no Odoo; the one place of these rules for every add-on of the
suite (NBP rate days, due dates, dunning levels, interest, the customer
card).

* Public holidays: art. 1 of the act of 18 January 1951 on public holidays
  (ustawa o dniach wolnych od pracy), as amended: Epiphany again since 2011,
  Christmas Eve since 2025 (act of 6 December 2024). NBP publishes no table
  on them.
* A deadline falling on a Saturday, a Sunday or a public holiday ends on the
  next working day (art. 115 Kodeks cywilny): ``payment_deadline``. An
  invoice is overdue from the day after that moved deadline, and the days
  of delay (and the late-payment interest) count from there:
  ``days_overdue``, ``is_overdue``. An invoice due on Saturday 7 November
  2026 may be paid on Monday 9 November without delay: it is overdue on
  Tuesday 10 November, 1 day late.
"""

import datetime
from functools import lru_cache

from dateutil.easter import easter

_ONE_DAY = datetime.timedelta(days=1)

_FIXED = (
    (1, 1),  # Nowy Rok
    (5, 1),  # Święto Pracy
    (5, 3),  # Święto Konstytucji 3 Maja
    (8, 15),  # Wniebowzięcie NMP
    (11, 1),  # Wszystkich Świętych
    (11, 11),  # Narodowe Święto Niepodległości
    (12, 25),  # Boże Narodzenie (first day)
    (12, 26),  # Boże Narodzenie (second day)
)
# Easter Sunday, Easter Monday, Pentecost Sunday, Corpus Christi.
_EASTER_OFFSETS = (0, 1, 49, 60)
EPIPHANY_SINCE = 2011  # Trzech Króli (6 January), act of 24 September 2010
CHRISTMAS_EVE_SINCE = 2025  # Wigilia (24 December), act of 6 December 2024


def _check_date(value, name):
    # datetime.datetime is a date too, but compares with no date.
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise TypeError(f"{name} must be a date, not {value!r}")


def easter_sunday(year):
    """The date of (Gregorian) Easter Sunday of ``year``."""
    return easter(year)


@lru_cache(maxsize=128)
def _holidays(year):
    if not isinstance(year, int) or isinstance(year, bool) or year < 1:
        raise ValueError(f"year must be a positive integer, not {year!r}")
    days = {datetime.date(year, month, day) for month, day in _FIXED}
    sunday = easter_sunday(year)
    days.update(sunday + datetime.timedelta(days=n) for n in _EASTER_OFFSETS)
    if year >= EPIPHANY_SINCE:
        days.add(datetime.date(year, 1, 6))
    if year >= CHRISTMAS_EVE_SINCE:
        days.add(datetime.date(year, 12, 24))
    return frozenset(days)


def polish_holidays(year):
    """The statutory public holidays of ``year``, as a new set of dates."""
    return set(_holidays(year))


def is_working_day(day):
    """Neither a Saturday, a Sunday nor a public holiday."""
    _check_date(day, "day")
    return day.weekday() < 5 and day not in _holidays(day.year)


def last_business_day_before(day):
    """The last working day before ``day`` (an NBP table day)."""
    _check_date(day, "day")
    day -= _ONE_DAY
    while not is_working_day(day):
        day -= _ONE_DAY
    return day


def payment_deadline(due_date):
    """``due_date`` moved past Saturdays, Sundays and public holidays to the
    next working day (art. 115 KC); a working day stays."""
    _check_date(due_date, "due_date")
    while not is_working_day(due_date):
        due_date += _ONE_DAY
    return due_date


def days_overdue(due_date, on_date):
    """Days of delay on ``on_date`` of a payment due on ``due_date``, counted
    from its moved deadline (``payment_deadline``): 0 on the deadline,
    negative before it, 1 on the first day of delay."""
    _check_date(on_date, "on_date")
    return (on_date - payment_deadline(due_date)).days


def is_overdue(due_date, on_date):
    """Whether a payment due on ``due_date`` is late on ``on_date``."""
    return days_overdue(due_date, on_date) > 0


def last_overdue_due_date(on_date):
    """The latest due date that is overdue on ``on_date``: a payment is late
    on ``on_date`` exactly when its (printed) due date is on or before this
    day, the last working day before ``on_date``. For database filters:
    ``date_maturity <= last_overdue_due_date(today)`` is ``is_overdue``."""
    return last_business_day_before(on_date)
