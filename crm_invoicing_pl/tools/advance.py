"""Advance invoices (faktura zaliczkowa) and final invoices, the arithmetic.

Pure Python, no Odoo. Art. 106f of the Polish VAT act: an advance invoice
shows the gross payment received (ZB) and, per VAT rate (SP), the tax on it,
KP = ZB x SP / (100 + SP). With several rates the payment is split in
proportion to each rate's share of the order's gross value. The final
invoice shows the order values reduced, per rate, by the advances (net, tax
and gross); when the advances cover the whole order no final invoice is
issued.

Amounts are ``Decimal`` in the document currency, rounded half-up to 2
places; a split always adds up exactly to the payment (largest remainder
method, ties to the earlier rate of the order). The module is
currency-agnostic: foreign-currency documents use the same arithmetic, the
conversion of the tax to PLN (art. 31a, 106e ust. 11) is the caller's job.

Errors are ``AdvanceError`` (a ValueError) with a ``code``:

* ``not_positive``: the payment (or the percentage / fixed value) is <= 0;
* ``exceeds_order``: the earlier advances plus the payment exceed the order;
* ``empty_order``: no rate, or the order's gross total is 0;
* ``advances_exceed_order``: advances above the order, in total or on a rate;
* ``rate_mismatch``: an advance rate the order has not (or a key used with
  two different rates);
* ``negative_advanced``: a negative earlier advance;
* ``invalid_order``: an order with a duplicate key or a negative gross;
* ``invalid_bucket``: net + tax != gross, or a negative rate;
* ``invalid_amount``: an amount that is not a finite number;
* ``invalid_mode``: an ``advance_amount`` mode other than percent / fixed.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_CENTS = Decimal("0.01")
_ZERO = Decimal("0.00")
_HUNDRED = Decimal(100)


class AdvanceError(ValueError):
    """Refused advance or settlement; ``code`` names the reason."""

    def __init__(self, code, message=None):
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class RateBucket:
    """Values of one VAT rate: ``key`` "23", "8", "zw", ...; ``rate`` in %.

    ``rate`` is None (or 0) when no tax applies (0 %, zw, np, oo). Amounts
    are converted to Decimal and rounded half-up to 2 places; net + tax must
    equal gross.
    """

    key: str
    rate: Decimal | None
    net: Decimal
    tax: Decimal
    gross: Decimal

    def __post_init__(self):
        rate = None if self.rate is None else _number(self.rate)
        if rate is not None and rate < 0:
            raise AdvanceError("invalid_bucket", f"Negative rate: {self.rate!r}")
        object.__setattr__(self, "rate", rate)
        for name in ("net", "tax", "gross"):
            object.__setattr__(self, name, _money(getattr(self, name)))
        if self.net + self.tax != self.gross:
            raise AdvanceError(
                "invalid_bucket",
                f"Rate {self.key}: net {self.net} + tax {self.tax} != {self.gross}",
            )


@dataclass(frozen=True)
class Totals:
    """Net, tax and gross totals over all rates."""

    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True)
class SettlementLine:
    """One rate of a final invoice: order, advances so far, remainder."""

    key: str
    rate: Decimal | None
    order: RateBucket
    advanced: RateBucket
    remainder: RateBucket


@dataclass(frozen=True)
class Settlement:
    """Final settlement of an order: per-rate lines and totals."""

    lines: tuple[SettlementLine, ...]
    order: Totals
    advanced: Totals
    remainder: Totals

    @property
    def amount_due(self):
        """Gross amount left to pay (the final invoice's total)."""
        return self.remainder.gross

    @property
    def fully_covered(self):
        """True when the advances paid the whole order (no final invoice)."""
        return self.remainder.gross == 0


def advance_amount(order_gross, mode, value, already_advanced=0) -> Decimal:
    """Return the gross advance: ``value`` % of ``order_gross`` or ``value``.

    ``mode`` is "percent" (of the whole order gross) or "fixed" (a gross
    amount). The result is rounded half-up to the grosz; it must be > 0 and
    fit in the order together with ``already_advanced``.
    """
    order_gross = _money(order_gross)
    if order_gross <= 0:
        raise AdvanceError("empty_order", "The order's gross total is 0")
    if mode == "percent":
        payment = _round(order_gross * _number(value) / _HUNDRED)
    elif mode == "fixed":
        payment = _money(value)
    else:
        raise AdvanceError("invalid_mode", f"Unknown advance mode: {mode!r}")
    _check_payment(payment, _advanced_total(already_advanced), order_gross)
    return payment


def advance_tax(gross, rate) -> Decimal:
    """KP = ZB x SP / (100 + SP): the tax in the gross ``gross`` at ``rate`` %.

    Rounded half-up to the grosz; 0.00 when no tax applies (``rate`` None/0).
    """
    rate = _rate_value(None if rate is None else _number(rate))
    return _round(_money(gross) * rate / (_HUNDRED + rate))


def advance_split(
    order: Sequence[RateBucket],
    payment,
    already_advanced=0,
) -> list[RateBucket]:
    """Split the gross ``payment`` between the order's rates (art. 106f).

    Shares follow each rate's gross order value; the tax per rate is
    KP = ZB x SP / (100 + SP), rounded half-up; net = gross - tax. Returns one
    bucket per order rate, in the order's order (0.00 where nothing falls).

    ``already_advanced`` is the gross total of the earlier advances, or
    better the earlier splits themselves (a list of bucket lists): then no
    rate receives more than its unpaid gross, and the advance paying the
    rest settles every rate exactly.
    """
    _check_order(order)
    payment = _money(payment)
    order_gross = sum(bucket.gross for bucket in order)
    if isinstance(already_advanced, (list, tuple)):
        advanced = _advanced_per_rate(order, already_advanced)
        caps = [bucket.gross - advanced[bucket.key].gross for bucket in order]
        previous = sum(advanced[bucket.key].gross for bucket in order)
    else:
        previous = _advanced_total(already_advanced)
        caps = [bucket.gross for bucket in order]
    _check_payment(payment, previous, order_gross)
    shares = _allocate(
        _grosze(payment),
        [_grosze(bucket.gross) for bucket in order],
        [_grosze(cap) for cap in caps],
    )
    split = []
    for bucket, share in zip(order, shares, strict=True):
        gross = Decimal(share) * _CENTS
        tax = advance_tax(gross, bucket.rate)
        split.append(RateBucket(bucket.key, bucket.rate, gross - tax, tax, gross))
    return split


def final_settlement(
    order: Sequence[RateBucket],
    advances: Sequence[Sequence[RateBucket]],
) -> Settlement:
    """Settle ``order`` against its ``advances`` (each a list of buckets).

    Per rate: the order values, the sum of the advances (net, tax, gross)
    and the remainder (order - advances), plus totals. The remainder's net
    and tax are plain differences, as the final invoice shows them.
    """
    _check_order(order)
    advanced = _advanced_per_rate(order, advances)
    lines = []
    for bucket in order:
        paid = advanced[bucket.key]
        remainder = RateBucket(
            bucket.key,
            bucket.rate,
            bucket.net - paid.net,
            bucket.tax - paid.tax,
            bucket.gross - paid.gross,
        )
        lines.append(SettlementLine(bucket.key, bucket.rate, bucket, paid, remainder))
    return Settlement(
        lines=tuple(lines),
        order=_totals(line.order for line in lines),
        advanced=_totals(line.advanced for line in lines),
        remainder=_totals(line.remainder for line in lines),
    )


def _allocate(total, weights, caps):
    """Split ``total`` (int) in proportion to ``weights``, each <= its cap.

    Rates whose share reaches their cap get the cap and the rest is split
    again among the others; the last units go by largest remainder, ties to
    the lower index. The caller ensures sum(caps) >= total.
    """
    result = [0] * len(weights)
    active = [i for i, weight in enumerate(weights) if weight > 0 and caps[i] > 0]
    left = total
    while active:
        weight_sum = sum(weights[i] for i in active)
        capped = [i for i in active if left * weights[i] >= caps[i] * weight_sum]
        if not capped:
            break
        for i in capped:
            result[i] = caps[i]
            left -= caps[i]
        active = [i for i in active if i not in capped]
    if not active:
        return result
    weight_sum = sum(weights[i] for i in active)
    remainders = {}
    for i in active:
        result[i], remainders[i] = divmod(left * weights[i], weight_sum)
    short = left - sum(result[i] for i in active)
    for i in sorted(active, key=lambda i: (-remainders[i], i))[:short]:
        result[i] += 1
    return result


def _advanced_per_rate(order, advances):
    """Sum ``advances`` per order key; refuse unknown or excessive rates."""
    rates = {bucket.key: bucket.rate for bucket in order}
    sums = {key: [_ZERO, _ZERO, _ZERO] for key in rates}
    for advance in advances:
        for bucket in advance:
            known = bucket.key in rates
            if not known or _rate_value(bucket.rate) != _rate_value(rates[bucket.key]):
                raise AdvanceError(
                    "rate_mismatch",
                    f"Advance rate {bucket.key!r} ({bucket.rate}) is not in the order",
                )
            if bucket.gross < 0:
                raise AdvanceError("negative_advanced", "Negative advance")
            total = sums[bucket.key]
            total[0] += bucket.net
            total[1] += bucket.tax
            total[2] += bucket.gross
    result = {}
    for bucket in order:
        net, tax, gross = sums[bucket.key]
        if gross > bucket.gross:
            raise AdvanceError(
                "advances_exceed_order",
                f"Advances on rate {bucket.key} ({gross}) exceed the order "
                f"({bucket.gross})",
            )
        result[bucket.key] = RateBucket(bucket.key, bucket.rate, net, tax, gross)
    return result


def _check_order(order):
    """Refuse an empty order, a duplicate key or a negative gross."""
    if not order or sum(bucket.gross for bucket in order) <= 0:
        raise AdvanceError("empty_order", "The order has no gross value")
    keys = [bucket.key for bucket in order]
    if len(set(keys)) != len(keys):
        raise AdvanceError("invalid_order", f"Duplicate rate keys: {keys}")
    if any(bucket.gross < 0 for bucket in order):
        raise AdvanceError("invalid_order", "Negative gross on a rate")


def _check_payment(payment, previous, order_gross):
    """Refuse a payment <= 0 or one exceeding the unpaid order value."""
    if payment <= 0:
        raise AdvanceError("not_positive", f"The advance must be > 0: {payment}")
    if previous + payment > order_gross:
        raise AdvanceError(
            "exceeds_order",
            f"Advances {previous} + {payment} exceed the order gross {order_gross}",
        )


def _advanced_total(value):
    """Earlier advances' gross total, as money; refuse a negative one."""
    value = _money(value)
    if value < 0:
        raise AdvanceError("negative_advanced", f"Negative advances: {value}")
    return value


def _totals(buckets):
    """Net, tax and gross totals of ``buckets``."""
    buckets = list(buckets)
    return Totals(
        net=sum((bucket.net for bucket in buckets), _ZERO),
        tax=sum((bucket.tax for bucket in buckets), _ZERO),
        gross=sum((bucket.gross for bucket in buckets), _ZERO),
    )


def _rate_value(rate):
    """The rate as a Decimal, 0 when no tax applies."""
    return rate if rate else Decimal(0)


def _grosze(amount):
    """Money as an int of hundredths."""
    return int(amount * 100)


def _round(value):
    """Round half-up to 2 places."""
    return value.quantize(_CENTS, rounding=ROUND_HALF_UP)


def _money(value):
    """Convert ``value`` to Decimal money, rounded half-up to 2 places."""
    return _round(_number(value))


def _number(value):
    """Convert ``value`` to a finite Decimal."""
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise AdvanceError("invalid_amount", f"Not a number: {value!r}") from exc
    if not number.is_finite():
        raise AdvanceError("invalid_amount", f"Not a finite number: {value!r}")
    return number


def advance_issue_deadline(received):
    """The last day to issue the advance invoice of a payment ``received`` on
    that day (art. 106i ust. 2: the 15th of the following month), or None."""
    if not received:
        return None
    first_next = (received.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first_next.replace(day=15)
