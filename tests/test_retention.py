from datetime import date

import pytest
from odoo.addons.crm_invoicing_pl_archive.tools.retention import (
    retention_until,
    vat_due_date,
)


@pytest.mark.parametrize(
    ("tax_point", "due"),
    [
        (date(2026, 1, 31), date(2026, 2, 25)),
        (date(2026, 11, 1), date(2026, 12, 25)),
        (date(2026, 12, 31), date(2027, 1, 25)),
        (date(2024, 2, 29), date(2024, 3, 25)),
    ],
)
def test_vat_due_date(tax_point, due):
    assert vat_due_date(tax_point) == due


@pytest.mark.parametrize(
    ("tax_point", "until"),
    [
        # Due in 2020: time-barred at the end of 2025.
        (date(2020, 1, 1), date(2025, 12, 31)),
        (date(2020, 11, 30), date(2025, 12, 31)),
        # A December tax point is due in January: one year more.
        (date(2020, 12, 1), date(2026, 12, 31)),
        (date(2015, 6, 15), date(2020, 12, 31)),
    ],
)
def test_retention_until(tax_point, until):
    assert retention_until(tax_point) == until


def test_retention_until_other_period():
    assert retention_until(date(2020, 3, 1), years=10) == date(2030, 12, 31)
