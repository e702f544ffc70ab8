"""Offer approval rules: which limits an offer exceeds (no Odoo here).

The approval rules (tier definitions) of offers hold one limit each (see
``tier.definition.pl_offer_rule``); an offer needs the approval of a rule when
it exceeds its limit.

A rule is a limit that the offer may reach but not exceed: a line discount
of exactly 10 % under a 10 % rule needs no approval, 10.01 % does. Values are
compared at a given number of decimals (the precision they are stored with),
so that 10.000000001 (a float artefact) is still 10.
"""

from dataclasses import dataclass

LINE_DISCOUNT = "line_discount"
ORDER_DISCOUNT = "order_discount"
AMOUNT = "amount"


@dataclass(frozen=True)
class ApprovalRules:
    """The limits of a company; ``None`` means the rule is off."""

    line_discount: float | None = None  # any line's discount, %
    order_discount: float | None = None  # discount of the whole offer, %
    amount: float | None = None  # untaxed total in company currency
    discount_digits: int = 2
    amount_digits: int = 2

    def active(self):
        return any(
            limit is not None
            for limit in (self.line_discount, self.order_discount, self.amount)
        )


@dataclass(frozen=True)
class Breach:
    """An exceeded rule: ``rule`` is one of the constants above."""

    rule: str
    value: float
    limit: float


@dataclass(frozen=True)
class OfferLine:
    """A priced line: ``discount`` in %, ``subtotal`` after discount (untaxed).

    ``list_subtotal`` is the untaxed amount before the line discount; lines
    that are discounts themselves (a global discount line) have ``None``:
    they lower the offer's total but are no list price.
    """

    discount: float
    subtotal: float
    list_subtotal: float | None


def _above(value, limit, digits):
    return round(value, digits) > round(limit, digits)


def list_subtotal(subtotal, discount, undiscounted=None):
    """Untaxed amount of a line before its discount.

    ``subtotal / (1 - discount)``; a line at 100 % has no subtotal left to
    divide, ``undiscounted`` (price x quantity) is used instead.
    """
    if discount >= 100.0:
        return undiscounted or 0.0
    return subtotal * 100.0 / (100.0 - discount)


def order_discount(lines):
    """Discount of the whole offer in %: list total against the final total.

    Global discount lines (``list_subtotal`` None) count in the final total.
    An offer without list amounts has no discount (0).
    """
    list_total = sum(line.list_subtotal for line in lines if line.list_subtotal)
    if list_total <= 0:
        return 0.0
    net_total = sum(line.subtotal for line in lines)
    return max(0.0, (list_total - net_total) * 100.0 / list_total)


def breaches(lines, amount, rules):
    """Rules of ``rules`` exceeded by an offer of ``lines`` worth ``amount``.

    ``amount`` is the untaxed total in the company currency. Returns a list of
    :class:`Breach`, in the order line discount, offer discount, amount.
    """
    found = []
    if rules.line_discount is not None:
        priced = [line for line in lines if line.list_subtotal is not None]
        top = max((line.discount for line in priced), default=0.0)
        if _above(top, rules.line_discount, rules.discount_digits):
            found.append(Breach(LINE_DISCOUNT, top, rules.line_discount))
    if rules.order_discount is not None:
        value = order_discount(lines)
        if _above(value, rules.order_discount, rules.discount_digits):
            found.append(Breach(ORDER_DISCOUNT, value, rules.order_discount))
    if rules.amount is not None and _above(amount, rules.amount, rules.amount_digits):
        found.append(Breach(AMOUNT, amount, rules.amount))
    return found
