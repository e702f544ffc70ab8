"""What an order already invoiced, in periods of a contract's schedule.

Pure Python, no Odoo. A recurring contract made from an order must not bill
again what the order's own invoices billed. The rule:

* an invoice of the order dated D (its supply date, art. 106e ust. 1 pkt 6,
  else its issue date) billed the contract's period holding D: with calendar
  periods the calendar month, quarter or year of D (months 1-last, quarters
  from January, calendar years), otherwise the period of the contract's
  length starting on D;
* the order covered everything from the period of its earliest invoice to
  the end of the period of its latest one;
* a contract made from it starts the day after: its first invoice is that of
  the next period.

E.g. a monthly calendar contract of an order invoiced on 10.11.2026 covers
November 2026 (01.11-30.11) and starts on 01.12.2026, first invoiced (in
advance) on 01.12.2026; an anchored monthly one covers 10.11-09.12 and starts
on 10.12.2026.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from .schedule import Period, Schedule


@dataclass(frozen=True)
class Coverage:
    """Days ``start``-``end`` (inclusive) already invoiced by the order."""

    start: date
    end: date

    @property
    def next_start(self):
        """The first day a contract made from the order bills."""
        return self.end + timedelta(days=1)

    def label(self):
        """The covered periods as a contract's invoice names them
        ("11/2026", "10/2026-12/2026", "2026" or "10.11.2026-09.12.2026")."""
        return Period(self.start, self.end, self.start, self.start, self.end).label()


def order_coverage(invoice_days, unit="month", interval=1, calendar=True):
    """The ``Coverage`` of an order invoiced on ``invoice_days`` (dates), in
    periods of ``unit`` x ``interval`` (calendar-aligned when ``calendar`` and
    the unit is a month, quarter or year); None when nothing was invoiced."""
    days = [day for day in invoice_days if day]
    if not days:
        return None
    calendar = bool(calendar) and unit in ("month", "quarter", "year")

    def period_of(day):
        return Schedule(
            start=day, unit=unit, interval=interval, calendar=calendar
        ).next_period()

    return Coverage(period_of(min(days)).full_start, period_of(max(days)).full_end)
