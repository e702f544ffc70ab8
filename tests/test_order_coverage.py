"""crm_recurring/tools/order_coverage.py: what an order already invoiced,
and where a contract made from it starts (see the module's docstring)."""

from datetime import date

from odoo.addons.crm_recurring.tools.order_coverage import order_coverage

D = date


def test_nothing_invoiced():
    assert order_coverage([]) is None
    assert order_coverage([None]) is None


def test_calendar_month_of_the_invoice():
    coverage = order_coverage([D(2026, 11, 10)])
    assert (coverage.start, coverage.end) == (D(2026, 11, 1), D(2026, 11, 30))
    assert coverage.next_start == D(2026, 12, 1)
    assert coverage.label() == "11/2026"


def test_anchored_month_from_the_invoice():
    coverage = order_coverage([D(2026, 11, 10)], calendar=False)
    assert (coverage.start, coverage.end) == (D(2026, 11, 10), D(2026, 12, 9))
    assert coverage.next_start == D(2026, 12, 10)
    assert coverage.label() == "10.11.2026-09.12.2026"


def test_several_invoices_span_their_periods():
    # November and January invoices: November to January is covered.
    coverage = order_coverage([D(2027, 1, 31), D(2026, 11, 10), D(2026, 11, 20)])
    assert (coverage.start, coverage.end) == (D(2026, 11, 1), D(2027, 1, 31))
    assert coverage.next_start == D(2027, 2, 1)
    assert coverage.label() == "11/2026-01/2027"


def test_quarter_and_year():
    quarter = order_coverage([D(2026, 11, 10)], unit="quarter")
    assert (quarter.start, quarter.end) == (D(2026, 10, 1), D(2026, 12, 31))
    year = order_coverage([D(2026, 11, 10)], unit="year")
    assert (year.next_start, year.label()) == (D(2027, 1, 1), "2026")


def test_days_and_weeks_are_never_calendar_periods():
    coverage = order_coverage([D(2026, 12, 31)], unit="week", calendar=True)
    assert (coverage.start, coverage.end) == (D(2026, 12, 31), D(2027, 1, 6))
    assert coverage.next_start == D(2027, 1, 7)
