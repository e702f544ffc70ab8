import datetime

import pytest
from odoo.addons.crm_dunning.tools.holidays import (
    holidays_between,
    polish_public_holidays,
)
from odoo.addons.crm_dunning.tools.interest import shift_due_date

d = datetime.date


def test_2026_holidays():
    days = polish_public_holidays(2026)
    # Easter 2026 is on 5 April.
    assert d(2026, 4, 5) in days
    assert d(2026, 4, 6) in days
    assert d(2026, 5, 24) in days  # Pentecost Sunday
    assert d(2026, 6, 4) in days  # Corpus Christi
    assert d(2026, 12, 24) in days
    assert d(2026, 11, 11) in days
    assert len(days) == 14
    assert d(2026, 4, 7) not in days


def test_christmas_eve_only_since_2025():
    assert d(2024, 12, 24) not in polish_public_holidays(2024)
    assert len(polish_public_holidays(2024)) == 13


def test_due_date_moves_over_a_long_weekend():
    # Saturday 2 May 2026 -> Sunday 3 May (holiday) -> Monday 4 May.
    assert shift_due_date(d(2026, 5, 2), polish_public_holidays(2026)) == d(2026, 5, 4)
    # Thursday 24 Dec 2026 -> Friday 25, Saturday 26, Sunday 27 -> Monday 28.
    assert shift_due_date(d(2026, 12, 24), polish_public_holidays(2026)) == d(
        2026, 12, 28
    )
    # A working day stays.
    assert shift_due_date(d(2026, 4, 7), polish_public_holidays(2026)) == d(2026, 4, 7)


def test_between_spans_years():
    days = holidays_between(d(2025, 12, 1), d(2026, 1, 31))
    assert d(2025, 12, 25) in days and d(2026, 1, 6) in days


def test_bad_year_is_refused():
    with pytest.raises(ValueError):
        polish_public_holidays("2026")
