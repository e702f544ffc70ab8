"""FA(3) (KSeF) values that need no Odoo: rate codes, correction rows.

(The unit of measure as Polish invoices write it, P_8A / P_8AZ, is
crm_invoicing_pl's ``tools.units.polish_unit``, shared with the printouts.)

* :func:`rate_code`: the FA(3) rate code (TStawkaPodatku: "23", "0 KR", "zw",
  "oo", "np I", ...) of a tax from its kind and percentage;
* :func:`quantity_repr`, :func:`price_repr`: a quantity (TIlosci, at most 6
  decimals) and a unit price (TKwotowy2, 2 to 8 decimals) as FA(3) takes them;
* :func:`correct_lines`: the rows "before" and "after" of a correction
  invoice (faktura korygująca, art. 106j), line by line: the corrected
  invoice's lines (as left by the earlier corrections) and the lines of the
  correction, which carry the amounts taken off (a credit note, art. 106j
  ust. 1 pkt 1-4) or added (an upward correction, art. 106j ust. 1 pkt 5).

Amounts are ``Decimal`` rounded half-up to 2 places (prices to 8 places).
"""

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

_CENTS = Decimal("0.01")
_PRICE = Decimal("0.00000001")
_QUANTITY = Decimal("0.000001")

# pl_vat_kind of account.tax -> FA(3) rate code (TStawkaPodatku).
KIND_CODES = {
    "zero": "0 KR",
    "exempt": "zw",
    "reverse_charge": "oo",
    "not_subject": "np I",
    "intra_eu": "0 WDT",
    "export": "0 EX",
}
PERCENT_CODES = ("23", "22", "8", "7", "5", "4", "3")
# Printed rate labels (reports) -> rate code, for data that kept only those.
LABEL_CODES = {"0%": "0 KR", "zw": "zw", "oo": "oo", "np": "np I"}


def rate_code(kind, amount, art_100=False):
    """The FA(3) rate code of a tax of ``kind`` (pl_vat_kind) and ``amount`` %.

    ``art_100``: a service of art. 100 ust. 1 pkt 4 (box K_12), "np II".
    Returns None for a percentage FA(3) does not know.
    """
    if kind == "not_subject" and art_100:
        return "np II"
    if kind in KIND_CODES:
        return KIND_CODES[kind]
    amount = Decimal(str(amount or 0))
    if amount == 0:
        return "0 KR"
    if amount != amount.to_integral_value():
        return None
    code = str(int(amount))
    return code if code in PERCENT_CODES else None


def rate_code_from_label(label):
    """The rate code of a printed rate label ("23%", "zw", ...), or None."""
    label = (label or "").strip()
    if label in LABEL_CODES:
        return LABEL_CODES[label]
    if label.endswith("%"):
        return rate_code("standard", label[:-1].replace(",", "."))
    return None


def quantity_repr(quantity):
    """``quantity`` as TIlosci: at most 6 decimals, trailing zeros dropped."""
    value = Decimal(str(quantity)).quantize(_QUANTITY, rounding=ROUND_HALF_UP)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def price_repr(price):
    """A unit price as TKwotowy2: 2 to 8 decimals, trailing zeros dropped."""
    text = format(Decimal(str(price)).quantize(_PRICE, rounding=ROUND_HALF_UP), "f")
    whole, decimals = text.split(".")
    decimals = decimals.rstrip("0").ljust(2, "0")
    text = f"{whole}.{decimals}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def money(value):
    """``value`` as Decimal money, rounded half-up to 2 places."""
    return Decimal(str(value)).quantize(_CENTS, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    """One invoice line, as far as a correction changes it.

    ``keys``: how the line is recognised on a credit note, most precise
    first (e.g. product + description + taxes, then product + taxes).
    ``price`` is the net unit price, ``net`` the net value. ``data`` is
    passed through untouched (name, unit, rate code, ...).
    """

    keys: tuple
    quantity: Decimal
    price: Decimal
    net: Decimal
    data: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "quantity", Decimal(str(self.quantity)))
        price = Decimal(str(self.price)).quantize(_PRICE, rounding=ROUND_HALF_UP)
        object.__setattr__(self, "price", price)
        object.__setattr__(self, "net", money(self.net))


@dataclass(frozen=True)
class Correction:
    """Result of :func:`correct_lines`.

    ``pairs``: ``(before, after)`` of every corrected line, in the order of
    the correction; ``differences``: correction lines matching no line of
    the invoice (shown as a difference: negative quantity and value for a
    decrease, positive for an increase);
    ``state``: the invoice's lines after the correction (to apply a later
    correction on).
    """

    pairs: tuple
    differences: tuple
    state: tuple


def _after(before, credit, sign=-1):
    """The line ``before`` less the ``credit`` note line (``sign`` -1), or
    plus the line of an upward correction (``sign`` +1)."""
    net = before.net + sign * credit.net
    if credit.price == before.price and credit.quantity:
        # Returned (or missing) goods, or more of them: same price.
        return replace(
            before, quantity=before.quantity + sign * credit.quantity, net=net
        )
    if credit.quantity == before.quantity:
        # Lower (discount, error) or higher price: same quantity.
        return replace(before, price=before.price + sign * credit.price, net=net)
    price = net / before.quantity if before.quantity else Decimal(0)
    return replace(before, price=price, net=net)


def correct_lines(state, credit_lines, increase=False):
    """Apply a correction to the lines of the invoice it corrects.

    ``state``: the invoice's lines (after any earlier correction);
    ``credit_lines``: the correction's lines, amounts as issued (positive):
    taken off the invoice (a credit note), or added to it when ``increase``
    (an upward correction, art. 106j ust. 1 pkt 5). Each correction line
    takes the first unused line of the invoice with its most precise key,
    else with a less precise one.
    """
    sign = 1 if increase else -1
    state = list(state)
    used = set()
    matches = {}
    depth = max((len(line.keys) for line in credit_lines), default=0)
    for level in range(depth):
        for index, credit in enumerate(credit_lines):
            if index in matches or level >= len(credit.keys):
                continue
            for position, line in enumerate(state):
                if (
                    position not in used
                    and level < len(line.keys)
                    and line.keys[level] == credit.keys[level]
                ):
                    matches[index] = position
                    used.add(position)
                    break
    pairs, differences = [], []
    for index, credit in enumerate(credit_lines):
        if index not in matches:
            differences.append(
                replace(credit, quantity=sign * credit.quantity, net=sign * credit.net)
            )
            continue
        position = matches[index]
        before = state[position]
        after = _after(before, credit, sign)
        state[position] = after
        pairs.append((before, after))
    return Correction(tuple(pairs), tuple(differences), tuple(state))
