"""Tax point and rate day of art. 19a, 20 and 31a, computed by hand."""

import datetime

import pytest
from odoo.addons.crm_invoicing_pl.tools.tax_point import rate_basis, tax_point

d = datetime.date


def test_general_is_the_supply_date():
    """Art. 19a ust. 1: goods supplied on 20 Nov, invoiced on 3 Dec: the tax
    point is 20 Nov (November); an invoice issued before the supply takes the
    rate of the day before its issue (art. 31a ust. 2)."""
    assert tax_point("general", d(2026, 11, 20), d(2026, 12, 3)) == d(2026, 11, 20)
    assert rate_basis("general", d(2026, 11, 20), d(2026, 12, 3)) == d(2026, 11, 20)
    assert tax_point("general", d(2026, 11, 20), d(2026, 11, 10)) == d(2026, 11, 20)
    assert rate_basis("general", d(2026, 11, 20), d(2026, 11, 10)) == d(2026, 11, 10)
    assert tax_point("general", None, d(2026, 11, 10)) == d(2026, 11, 10)
    assert tax_point("general", None, None) is None


@pytest.mark.parametrize("rule", ["general", "wdt", "on_invoice", "construction"])
def test_no_date_yet(rule):
    """A new draft has neither date: Odoo gives False for both (a draft to a
    customer in another EU country, rule ``wdt``, used to fail here)."""
    assert tax_point(rule, False, False, False) is None
    assert rate_basis(rule, False, False, False) is None


def test_wdt_invoice_date_at_the_latest_the_15th():
    """Art. 20 ust. 1: goods supplied to another EU country on 20 Nov and
    invoiced on 3 Dec: the tax point is 3 Dec (December), so the rate is of
    2 Dec (the issue's example); invoiced on 18 Dec: the 15th of December."""
    assert tax_point("wdt", d(2026, 11, 20), d(2026, 12, 3)) == d(2026, 12, 3)
    assert rate_basis("wdt", d(2026, 11, 20), d(2026, 12, 3)) == d(2026, 12, 3)
    assert tax_point("wdt", d(2026, 11, 20), d(2026, 12, 18)) == d(2026, 12, 15)
    assert tax_point("wdt", d(2026, 12, 20), d(2027, 1, 4)) == d(2027, 1, 4)
    assert tax_point("wdt", d(2026, 12, 20), d(2027, 1, 20)) == d(2027, 1, 15)


def test_on_invoice_services_at_the_latest_the_due_date():
    """Art. 19a ust. 5 pkt 4 and ust. 7: rent for November invoiced on 5 Dec
    with payment due on 10 Dec: 5 Dec; invoiced after its due date: the due
    date."""
    assert tax_point(
        "on_invoice", d(2026, 11, 30), d(2026, 12, 5), d(2026, 12, 10)
    ) == d(2026, 12, 5)
    assert tax_point(
        "on_invoice", d(2026, 11, 30), d(2026, 12, 15), d(2026, 12, 10)
    ) == d(2026, 12, 10)
    assert rate_basis(
        "on_invoice", d(2026, 11, 30), d(2026, 12, 15), d(2026, 12, 10)
    ) == d(2026, 12, 10)


def test_construction_at_the_latest_30_days_after():
    """Art. 19a ust. 5 pkt 3 with art. 106i ust. 3 pkt 1: a construction
    service finished on 2 Nov and invoiced on 20 Nov: 20 Nov; invoiced on
    10 Dec: 2 Dec, the 30th day."""
    assert tax_point("construction", d(2026, 11, 2), d(2026, 11, 20)) == d(2026, 11, 20)
    assert tax_point("construction", d(2026, 11, 2), d(2026, 12, 10)) == d(2026, 12, 2)


def test_unknown_rule_refused():
    with pytest.raises(ValueError):
        tax_point("whatever", d(2026, 11, 2), d(2026, 11, 2))
