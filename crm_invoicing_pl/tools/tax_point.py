"""The VAT tax point (obowiązek podatkowy) of a sale and its rate day.

Pure Python, no Odoo. The tax point decides the VAT period (the JPK month)
and, through art. 31a, the NBP rate that converts a foreign-currency
invoice. Rules (``rule``):

* ``general`` (art. 19a ust. 1): the supply date; without one, the issue
  date.
* ``wdt``, an intra-Community supply of goods (art. 20 ust. 1): the invoice
  date, at the latest the 15th day of the month after the supply.
* ``on_invoice``, the services of art. 19a ust. 5 pkt 4 (utilities,
  telecoms, rent, security, ...): the invoice date, at the latest the
  payment deadline (art. 19a ust. 7).
* ``construction``, construction and assembly services (art. 19a ust. 5
  pkt 3): the invoice date, at the latest the 30th day after the service
  (art. 106i ust. 3 pkt 1 with art. 19a ust. 7).

``rate_basis``: art. 31a ust. 1 takes the rate of the last business day
before the tax point; an invoice issued before the tax point takes the rate
of the day before its issue date (art. 31a ust. 2).
"""

import datetime

RULES = ("general", "wdt", "on_invoice", "construction")


def _fifteenth_of_next_month(day):
    first_next = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first_next.replace(day=15)


def tax_point(rule, supply_date, issue_date, payment_due=None):
    """The tax point of a sale under ``rule`` (see the module); None when
    neither date is known (None, or Odoo's False of an empty date field)."""
    if rule not in RULES:
        raise ValueError(f"Unknown tax point rule: {rule!r}")
    supply = supply_date or issue_date
    if not supply:
        return None
    if rule == "general":
        return supply
    if rule == "wdt":
        latest = _fifteenth_of_next_month(supply)
    elif rule == "construction":
        latest = supply + datetime.timedelta(days=30)
    else:
        latest = payment_due
    candidates = [day for day in (issue_date, latest) if day]
    return min(candidates) if candidates else supply


def rate_basis(rule, supply_date, issue_date, payment_due=None):
    """The day whose previous business day gives the NBP rate (art. 31a)."""
    point = tax_point(rule, supply_date, issue_date, payment_due)
    if point is None:
        return None
    return min(point, issue_date) if issue_date else point
