"""Invoicing schedules of recurring contracts, the date arithmetic.

Pure Python, no Odoo. A ``Schedule`` cuts the time from its start date into
periods of ``interval`` days, weeks, months, quarters or years:

* anchored periods (the default) repeat from the start date: a contract
  started on 15 November bills 15.11-14.12, 15.12-14.01, ...; a start on the
  31st stays on the last day of shorter months and returns to the 31st;
* calendar periods (``calendar=True``, months, quarters and years only) are
  aligned to the calendar, the "last day of the month" rule: months 1-last,
  quarters starting in January, April, July, October, calendar years. A
  contract starting or ending inside such a period gets a shorter first or
  last period, whose ``ratio`` (days covered / days of the full period) is
  the proration factor.

An optional end date (inclusive) truncates the last period the same way.

Each period is invoiced once, on its ``invoice_date``: in advance on the
period's first day, in arrears on the day after its last day; an
``invoice_day`` (1-31, clipped to the month's length) moves that date to the
given day of the same month, never before the contract's start.

``due_periods`` lists, in order, every period invoiced on or before a day
and not yet invoiced: a contract whose next date is in the past gets each
missed period once (catch-up). Periods are identified by their start date,
which is unique within a schedule.

Errors are ``ScheduleError`` (a ValueError) with a ``code``: ``unit``,
``interval``, ``dates``, ``mode``, ``invoice_day``, ``calendar``.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

UNITS = ("day", "week", "month", "quarter", "year")
MODES = ("advance", "arrears")
_MONTHS_PER_UNIT = {"month": 1, "quarter": 3, "year": 12}
_RATIO_PLACES = Decimal("0.000001")


class ScheduleError(ValueError):
    """Invalid schedule; ``code`` names the offending setting."""

    def __init__(self, code, message=None):
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class Period:
    """One invoicing period: ``start``-``end`` inclusive, invoiced on
    ``invoice_date``; ``full_start``-``full_end`` are the bounds of the whole
    period when the contract covers only part of it."""

    start: date
    end: date
    invoice_date: date
    full_start: date
    full_end: date

    @property
    def days(self):
        """Days covered by the contract in this period."""
        return (self.end - self.start).days + 1

    @property
    def full_days(self):
        """Days of the whole period."""
        return (self.full_end - self.full_start).days + 1

    @property
    def is_prorated(self):
        """True when the contract covers only part of the period."""
        return self.days != self.full_days

    @property
    def ratio(self):
        """Proration factor, days covered / days of the whole period (6 places)."""
        if not self.is_prorated:
            return Decimal(1)
        return (Decimal(self.days) / Decimal(self.full_days)).quantize(
            _RATIO_PLACES, rounding=ROUND_HALF_UP
        )

    def label(self):
        """Language-neutral name of the period, for "usługa za ..." texts.

        A whole calendar month is "11/2026", a whole calendar year "2026",
        whole calendar months "10/2026-12/2026"; anything else is the dates
        range "15.11.2026-14.12.2026".
        """
        start, end = self.start, self.end
        if start.day == 1 and end == _month_end(end):
            if (start.year, start.month) == (end.year, end.month):
                return f"{start.month:02d}/{start.year}"
            if (start.month, end.month, start.year) == (1, 12, end.year):
                return f"{start.year}"
            return f"{start.month:02d}/{start.year}-{end.month:02d}/{end.year}"
        return f"{start:%d.%m.%Y}-{end:%d.%m.%Y}"


@dataclass(frozen=True)
class Schedule:
    """When a contract is invoiced; see the module docstring."""

    start: date
    unit: str = "month"
    interval: int = 1
    end: date | None = None
    calendar: bool = False
    mode: str = "advance"
    invoice_day: int | None = None

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ScheduleError("unit", f"Unknown period unit: {self.unit!r}")
        if (
            isinstance(self.interval, bool)
            or not isinstance(self.interval, int)
            or self.interval < 1
        ):
            raise ScheduleError(
                "interval",
                f"The interval must be a positive integer: {self.interval!r}",
            )
        if not isinstance(self.start, date) or (
            self.end is not None and self.end < self.start
        ):
            raise ScheduleError(
                "dates", f"The end date {self.end} is before the start {self.start}"
            )
        if self.mode not in MODES:
            raise ScheduleError("mode", f"Unknown invoicing mode: {self.mode!r}")
        if self.invoice_day is not None and not 1 <= self.invoice_day <= 31:
            raise ScheduleError(
                "invoice_day", f"The invoicing day must be 1-31: {self.invoice_day!r}"
            )
        if self.calendar and self.unit not in _MONTHS_PER_UNIT:
            raise ScheduleError(
                "calendar", "Calendar periods need months, quarters or years"
            )

    # ------------------------------------------------------------------
    def periods(self, after=None) -> Iterator[Period]:
        """Periods in order, from the first one starting after ``after``.

        ``after`` is the last day already invoiced (the end of the last
        invoiced period), None for a new contract. Endless without an end
        date: stop iterating yourself.
        """
        index = 0
        while True:
            full_start, full_end = self._full_bounds(index)
            index += 1
            start = max(full_start, self.start)
            if self.end is not None and start > self.end:
                return
            end = full_end if self.end is None else min(full_end, self.end)
            if after is not None and end <= after:
                continue
            if after is not None and start <= after:
                # A period invoiced up to ``after`` only (the schedule changed
                # since): the rest of it is a period of its own.
                start = after + timedelta(days=1)
            yield Period(
                start, end, self._invoice_date(start, end), full_start, full_end
            )

    def next_period(self, after=None):
        """The first period not invoiced yet, or None when the contract ended."""
        return next(self.periods(after), None)

    def due_periods(self, today, after=None):
        """Every period invoiced on or before ``today`` and after ``after``.

        The catch-up list: a contract whose next date is in the past gets
        each missed period once, oldest first.
        """
        due = []
        for period in self.periods(after):
            if period.invoice_date > today:
                break
            due.append(period)
        return due

    # ------------------------------------------------------------------
    def _full_bounds(self, index):
        """Start and end (inclusive) of the ``index``-th whole period."""
        if self.unit in ("day", "week"):
            length = self.interval * (7 if self.unit == "week" else 1)
            start = self.start + timedelta(days=index * length)
            return start, start + timedelta(days=length - 1)
        months = _MONTHS_PER_UNIT[self.unit] * self.interval
        if self.calendar:
            anchor = date(self.start.year, self._aligned_month(), 1)
        else:
            anchor = self.start
        start = _add_months(anchor, index * months)
        following = _add_months(anchor, (index + 1) * months)
        return start, following - timedelta(days=1)

    def _aligned_month(self):
        """First month of the calendar period holding the start date."""
        if self.unit == "quarter":
            return (self.start.month - 1) // 3 * 3 + 1
        if self.unit == "year":
            return 1
        return self.start.month

    def _invoice_date(self, start, end):
        base = start if self.mode == "advance" else end + timedelta(days=1)
        if self.invoice_day is None:
            return base
        day = min(self.invoice_day, _month_end(base).day)
        return max(base.replace(day=day), self.start)


def _add_months(day, months):
    """``day`` plus ``months`` months, clipped to the target month's length."""
    return day + relativedelta(months=months)


def _month_end(day):
    """Last day of ``day``'s month."""
    return day + relativedelta(day=31)
