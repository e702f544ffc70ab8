"""Cash accounting (metoda kasowa, art. 21 of the VAT Act): the VAT periods
of an invoice.

Pure Python, no Odoo. A small taxpayer who chose cash accounting owes the
VAT of a supply when the payment comes in, in full or in part:

* art. 21 ust. 1 pkt 1: for a supply to a taxpayer of art. 15 registered as
  an active VAT payer, the day the whole or a part of the payment is
  received, at the latest the 180th day from the delivery of the goods or
  the performance of the service;
* art. 21 ust. 1 pkt 2: for a supply to anyone else (a consumer), the day of
  the payment, with no deadline.

A partial payment makes its share of the invoice's net amounts and VAT due
(the tax follows the payment received, art. 21 ust. 1: "otrzymania całości
lub części zapłaty"): each payment makes due ``payment / gross`` of every
JPK box. The 180th day makes due whatever is still unpaid on that day; a
payment received later changes nothing, the tax is already due.

The 180 days are counted from the day after the delivery (art. 12 § 1 of
the Tax Ordinance: the day of the event that starts a time limit counted in
days is not counted), so the 180th day is the delivery day + 180 days.

Rounding: the shares are differences of cumulative amounts rounded to the
grosz, ``round(box * paid_so_far / gross) - round(box * paid_before /
gross)`` (half away from zero), so the shares of a box add up to the box
exactly. The VAT sales register (``crm_invoicing_pl_jpk``) computes the
same in SQL; its Odoo tests compare both.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

DEADLINE_DAYS = 180
# The JPK boxes of the supplies that cash accounting covers: domestic
# supplies taxed at a rate or exempt. Intra-Community supplies, exports,
# supplies taxed abroad and the self-assessed acquisitions keep their own
# tax points (art. 21 ust. 6 and art. 20, 19a ust. 5, 17).
CASH_FIELDS = ("K_10", "K_13", "K_15", "K_16", "K_17", "K_18", "K_19", "K_20")
CASH_TAX_FIELDS = ("K_16", "K_18", "K_20")
_CENTS = Decimal("0.01")


def deadline(supply_date, issue_date, buyer_is_taxpayer):
    """The latest tax point of art. 21 ust. 1 pkt 1: the 180th day from the
    delivery (the supply date, else the issue date) for a buyer that is a
    VAT taxpayer; None for other buyers (pkt 2) or without any date."""
    start = supply_date or issue_date
    if not buyer_is_taxpayer or start is None:
        return None
    return start + datetime.timedelta(days=DEADLINE_DAYS)


def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _round(value):
    return value.quantize(_CENTS, rounding=ROUND_HALF_UP)


def tax_points(gross, payments, last_day=None):
    """[(day, paid_before, paid_up_to)] of an invoice of ``gross``.

    ``payments``: (day, amount) received, in the invoice's currency, in any
    order; payments of one day are one tax point; payments after
    ``last_day`` (the 180th day) are ignored. With ``last_day``, whatever is
    unpaid on it is due on it. The cumulative amounts never pass ``gross``.
    Days without a share (a zero amount, an overpayment) are left out.
    """
    gross = _decimal(gross)
    if gross <= 0:
        raise ValueError("cash accounting needs a positive invoice total")
    by_day = {}
    for day, amount in payments:
        if last_day is not None and day > last_day:
            continue
        by_day[day] = by_day.get(day, Decimal(0)) + _decimal(amount)
    if last_day is not None:
        by_day.setdefault(last_day, Decimal(0))
    points = []
    paid = Decimal(0)
    for day in sorted(by_day):
        up_to = min(paid + by_day[day], gross)
        if day == last_day:
            up_to = gross
        if up_to > paid:
            points.append((day, paid, up_to))
            paid = up_to
    return points


def split(amounts, gross, payments, last_day=None):
    """[(day, {box: amount})]: the share of each JPK box due on each tax
    point (see the module). ``amounts``: {box: amount} of the invoice."""
    gross = _decimal(gross)
    shares = []
    for day, before, up_to in tax_points(gross, payments, last_day):
        share = {}
        for box, value in amounts.items():
            value = _decimal(value)
            share[box] = _round(value * up_to / gross) - _round(value * before / gross)
        shares.append((day, share))
    return shares
