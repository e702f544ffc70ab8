"""Late-payment interest (odsetki za opóźnienie) and recovery compensation.

Pure Python, no Odoo. The interest of an interest note (nota odsetkowa) is
amount x annual rate x days / denominator, counted from the day after the
due date up to and including the payment date (due 10 March, paid 20 March:
10 days). When the rate changes inside that period the period is split and
the parts are summed; each line is rounded half-up to the grosz and the
total is the sum of the rounded lines, so the note adds up. Adjacent parts
with the same rate (and denominator) form one line. The denominator is 365,
or "actual": 366 for the days of a leap year, 365 for the others (then the
period is also split on 1 January).

Rates are tables of ``RatePeriod`` (annual rate in %, ``date_to`` None for
an open end), editable data owned by the caller:

* commercial transactions (B2B, art. 4 pkt 3 of the late-payment act): NBP
  reference rate + 10 pp (+ 8 pp for public healthcare debtors, and for all
  before 2020). Half-year rule (art. 11b): the reference rate in force on
  1 January applies to 1 January - 30 June, the one in force on 1 July to
  1 July - 31 December; ``commercial_rate_periods`` builds those periods;
* civil-law delay interest (KC art. 481 par. 2): reference rate + 5.5 pp,
  changing with every reference-rate change; ``civil_rate_periods``.

The due date given is the one moved by KC art. 115 past a Saturday, Sunday
or public holiday (crm_invoicing_pl's ``pl_calendar.payment_deadline``).
Interest is outside VAT.

Recovery compensation (art. 10): 40 EUR for a claim <= 5 000 PLN, 70 EUR
above 5 000 and below 50 000 PLN, 100 EUR from 50 000 PLN; 40 EUR flat for
a transaction concluded before 2020-01-01 (the transitional rule of the 2019
amending act: the date the transaction was concluded decides, not the due
date). It is converted at the NBP average EUR rate of
the last business day of the month preceding the due month;
``compensation_rate_date`` gives that month's last day, the caller finds the
last business day on or before it in its NBP tables.

Errors are ``InterestError`` (a ValueError) with a ``code``:

* ``invalid_amount``: an amount or claim that is not a finite number;
* ``not_positive``: a compensation claim <= 0;
* ``invalid_date``: a date that is not a ``datetime.date`` (a datetime is
  refused too);
* ``invalid_denominator``: a denominator other than 365 or "actual";
* ``invalid_rate``: a rate that is not a finite number, or is negative;
* ``invalid_period``: a rate period ending before it starts, or two
  reference-rate changes on the same day;
* ``rate_overlap``: two rate periods covering the same day;
* ``rate_missing``: a day of the interest period without a rate.
"""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_CENTS = Decimal("0.01")
_ZERO = Decimal("0.00")
_HUNDRED = Decimal(100)
_ONE_DAY = datetime.timedelta(days=1)
_COMPENSATION_SINCE = datetime.date(2020, 1, 1)
# KC art. 481 par. 2^1 (maximum contractual delay interest) in force since.
MAX_CONTRACTUAL_SINCE = datetime.date(2016, 1, 1)
_EPOCH = datetime.date(1990, 1, 1)
_LOW_CLAIM = Decimal(5000)
_HIGH_CLAIM = Decimal(50000)
DENOMINATORS = (365, "actual")


class InterestError(ValueError):
    """Refused interest input; ``code`` names the reason."""

    def __init__(self, code, message=None, day=None):
        super().__init__(message or code)
        self.code = code
        # rate_missing: the first day of the period without a rate.
        self.day = day


@dataclass(frozen=True)
class RatePeriod:
    """An annual ``rate`` in % from ``date_from`` to ``date_to`` (inclusive).

    ``date_to`` None is an open end. The rate is converted to Decimal.
    """

    date_from: datetime.date
    date_to: datetime.date | None
    rate: Decimal

    def __post_init__(self):
        _check_date(self.date_from, "date_from")
        if self.date_to is not None:
            _check_date(self.date_to, "date_to")
            if self.date_to < self.date_from:
                raise InterestError(
                    "invalid_period",
                    f"Period ends {self.date_to} before it starts {self.date_from}",
                )
        object.__setattr__(self, "rate", _rate(self.rate))


@dataclass(frozen=True)
class InterestLine:
    """One line of an interest note: ``days`` at ``rate`` %, rounded."""

    date_from: datetime.date
    date_to: datetime.date
    days: int
    rate: Decimal
    denominator: int
    interest: Decimal


@dataclass(frozen=True)
class InterestResult:
    """Interest of one late payment: the lines and their total."""

    amount: Decimal
    lines: tuple[InterestLine, ...]
    total: Decimal

    @property
    def days(self):
        """Days of delay (0 when nothing is due)."""
        return sum(line.days for line in self.lines)


def validate_rates(rates: Iterable) -> tuple[RatePeriod, ...]:
    """Return ``rates`` sorted by start date; refuse overlapping periods.

    Items are ``RatePeriod`` or ``(date_from, date_to, rate)`` tuples. Gaps
    are allowed here; ``interest`` raises ``rate_missing`` for a day of its
    period that no rate covers.
    """
    periods = sorted(
        (item if isinstance(item, RatePeriod) else RatePeriod(*item) for item in rates),
        key=lambda period: period.date_from,
    )
    for previous, period in zip(periods, periods[1:], strict=False):
        if previous.date_to is None or previous.date_to >= period.date_from:
            raise InterestError(
                "rate_overlap",
                f"Rate periods from {previous.date_from} and {period.date_from} "
                "overlap",
            )
    return tuple(periods)


def interest(amount, due_date, paid_date, rates, denominator=365) -> InterestResult:
    """Interest on ``amount`` due ``due_date`` and paid ``paid_date``.

    Days run from the day after ``due_date`` up to and including
    ``paid_date``, split at every rate change of ``rates`` (see
    ``validate_rates``) and, with ``denominator`` "actual", on 1 January.
    Each line is amount x rate / 100 x days / denominator rounded half-up to
    the grosz; the total is their sum. An amount <= 0 or a payment on or
    before the due date gives 0.00 and no lines.
    """
    if isinstance(denominator, bool) or denominator not in DENOMINATORS:
        raise InterestError(
            "invalid_denominator", f"Unknown denominator: {denominator!r}"
        )
    amount = _money(amount)
    _check_date(due_date, "due_date")
    _check_date(paid_date, "paid_date")
    periods = validate_rates(rates)
    if amount <= 0 or paid_date <= due_date:
        return InterestResult(amount, (), _ZERO)
    segments = _merge(_rate_segments(periods, due_date + _ONE_DAY, paid_date))
    if denominator == "actual":
        segments = [part for segment in segments for part in _split_years(*segment)]
    lines = []
    for date_from, date_to, rate in segments:
        year_days = _year_days(date_from) if denominator == "actual" else 365
        days = (date_to - date_from).days + 1
        value = _round(amount * rate * days / (_HUNDRED * year_days))
        lines.append(InterestLine(date_from, date_to, days, rate, year_days, value))
    return InterestResult(amount, tuple(lines), sum((x.interest for x in lines), _ZERO))


def commercial_rate_periods(
    reference_changes: Iterable, margin, until, since=None
) -> tuple[RatePeriod, ...]:
    """Half-year commercial rates: reference rate + ``margin`` (art. 11b).

    ``reference_changes`` are ``(date, reference_rate)`` pairs of the NBP
    reference-rate history. Each half-year (1 January - 30 June, 1 July -
    31 December) gets the reference rate in force on its first day plus
    ``margin``. Half-years run from the first one starting on or after the
    first change (or the one containing ``since``, if later) to the one
    containing ``until``; every period is closed, as the next half-year's
    rate is known only when it starts.
    """
    changes = _reference_changes(reference_changes)
    margin = _rate(margin, allow_negative=True)
    _check_date(until, "until")
    if since is not None:
        _check_date(since, "since")
    if not changes:
        return ()
    start = _half_year_start(changes[0][0])
    if start < changes[0][0]:
        start = _next_half_year(start)
    if since is not None:
        start = max(start, _half_year_start(since))
    periods = []
    while start <= until:
        following = _next_half_year(start)
        reference = [rate for day, rate in changes if day <= start][-1]
        periods.append(
            RatePeriod(start, following - _ONE_DAY, _rate(reference + margin))
        )
        start = following
    return tuple(periods)


def civil_rate_periods(
    reference_changes: Iterable, margin=Decimal("5.5")
) -> tuple[RatePeriod, ...]:
    """Civil-law delay rates: reference rate + ``margin`` (KC art. 481 par. 2).

    ``reference_changes`` are ``(date, reference_rate)`` pairs; each change
    starts a period ending the day before the next one, the last one is open.
    """
    changes = _reference_changes(reference_changes)
    margin = _rate(margin, allow_negative=True)
    periods = []
    for index, (day, reference) in enumerate(changes):
        following = (
            changes[index + 1][0] - _ONE_DAY if index + 1 < len(changes) else None
        )
        periods.append(RatePeriod(day, following, _rate(reference + margin)))
    return tuple(periods)


def compensation_eur(claim_pln, concluded_on) -> Decimal:
    """Recovery compensation in EUR for a claim of ``claim_pln`` (art. 10).

    <= 5 000 PLN: 40; above 5 000 and below 50 000: 70; from 50 000: 100;
    40 flat for a transaction concluded (``concluded_on``) before 2020-01-01,
    whatever its due date. The claim is rounded half-up to the grosz first.
    """
    claim = _money(claim_pln)
    _check_date(concluded_on, "concluded_on")
    if claim <= 0:
        raise InterestError("not_positive", f"The claim must be > 0: {claim}")
    if concluded_on < _COMPENSATION_SINCE or claim <= _LOW_CLAIM:
        return Decimal(40)
    if claim < _HIGH_CLAIM:
        return Decimal(70)
    return Decimal(100)


def contractual_periods(rate, delay_periods) -> tuple[RatePeriod, ...]:
    """The periods of an agreed contractual delay ``rate``, capped by law.

    KC art. 481 par. 2^1: contractual delay interest may not exceed the
    maximum, twice the statutory delay rate (``delay_periods``: the civil-law
    delay-rate table, rows or ``RatePeriod``); par. 2^2: where the agreed
    rate is higher, the maximum is due instead. The cap applies from
    1 January 2016 (``MAX_CONTRACTUAL_SINCE``) within the table; days before
    it keep the agreed rate.
    """
    agreed = _rate(rate)
    periods = []
    for row in delay_periods:
        period = row if isinstance(row, RatePeriod) else RatePeriod(*row)
        if period.date_to is not None and period.date_to < MAX_CONTRACTUAL_SINCE:
            continue
        start = max(period.date_from, MAX_CONTRACTUAL_SINCE)
        periods.append(RatePeriod(start, period.date_to, min(agreed, period.rate * 2)))
    if not periods:
        return (RatePeriod(_EPOCH, None, agreed),)
    if periods[0].date_from > _EPOCH:
        periods.insert(0, RatePeriod(_EPOCH, periods[0].date_from - _ONE_DAY, agreed))
    return tuple(periods)


def contractual_excess(rate, delay_periods, day):
    """The maximum contractual delay interest on ``day`` when the agreed
    ``rate`` exceeds it (KC art. 481 par. 2^1), else None."""
    agreed = _rate(rate)
    for period in contractual_periods(rate, delay_periods):
        if period.date_from <= day and (
            period.date_to is None or day <= period.date_to
        ):
            return period.rate if period.rate < agreed else None
    return None


def compensation_rate_date(due_date) -> datetime.date:
    """Last day of the month before ``due_date``'s month (EUR rate date).

    The caller takes the NBP average rate of the last business day on or
    before it.
    """
    _check_date(due_date, "due_date")
    return due_date.replace(day=1) - _ONE_DAY


def _rate_segments(periods, start, end):
    """``(date_from, date_to, rate)`` parts of ``start``..``end`` by period."""
    segments = []
    cursor = start
    for period in periods:
        if cursor > end:
            break
        if period.date_to is not None and period.date_to < cursor:
            continue
        if period.date_from > cursor:
            break
        stop = end if period.date_to is None else min(end, period.date_to)
        segments.append((cursor, stop, period.rate))
        cursor = stop + _ONE_DAY
    if cursor <= end:
        raise InterestError(
            "rate_missing", f"No interest rate for {cursor}", day=cursor
        )
    return segments


def _split_years(date_from, date_to, rate):
    """Split a segment on 1 January."""
    parts = []
    while date_from.year < date_to.year:
        year_end = datetime.date(date_from.year, 12, 31)
        parts.append((date_from, year_end, rate))
        date_from = year_end + _ONE_DAY
    parts.append((date_from, date_to, rate))
    return parts


def _merge(segments):
    """Join adjacent segments with the same rate."""
    merged = []
    for date_from, date_to, rate in segments:
        if merged and merged[-1][2] == rate:
            merged[-1] = (merged[-1][0], date_to, rate)
        else:
            merged.append((date_from, date_to, rate))
    return merged


def _reference_changes(changes):
    """Sorted ``(date, Decimal rate)`` pairs; refuse two changes on a day."""
    result = []
    for day, rate in changes:
        _check_date(day, "reference rate date")
        result.append((day, _rate(rate)))
    result.sort(key=lambda change: change[0])
    for (previous, _), (day, _) in zip(result, result[1:], strict=False):
        if previous == day:
            raise InterestError("invalid_period", f"Two reference rates on {day}")
    return result


def _half_year_start(day):
    """1 January or 1 July of the half-year containing ``day``."""
    return datetime.date(day.year, 1 if day.month <= 6 else 7, 1)


def _next_half_year(start):
    """The start of the half-year after the one starting ``start``."""
    if start.month == 1:
        return datetime.date(start.year, 7, 1)
    return datetime.date(start.year + 1, 1, 1)


def _year_days(day):
    """366 in a leap year, else 365."""
    return 366 if calendar.isleap(day.year) else 365


def _check_date(value, name):
    """Refuse anything but a ``datetime.date`` (a datetime included)."""
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise InterestError("invalid_date", f"{name} is not a date: {value!r}")


def _rate(value, allow_negative=False):
    """Convert a rate (or margin) to a finite Decimal; refuse a negative rate."""
    try:
        rate = Decimal(str(value))
    except InvalidOperation as exc:
        raise InterestError("invalid_rate", f"Not a rate: {value!r}") from exc
    if isinstance(value, bool) or not rate.is_finite():
        raise InterestError("invalid_rate", f"Not a finite rate: {value!r}")
    if rate < 0 and not allow_negative:
        raise InterestError("invalid_rate", f"Negative rate: {value!r}")
    return rate


def _round(value):
    """Round half-up to 2 places."""
    return value.quantize(_CENTS, rounding=ROUND_HALF_UP)


def _money(value):
    """Convert ``value`` to Decimal money, rounded half-up to 2 places."""
    if isinstance(value, bool):
        raise InterestError("invalid_amount", f"Not a number: {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise InterestError("invalid_amount", f"Not a number: {value!r}") from exc
    if not number.is_finite():
        raise InterestError("invalid_amount", f"Not a finite number: {value!r}")
    return _round(number)
