"""The dispatch book (książka nadawcza) as CSV for the carrier's import.

Pure Python, no Odoo. One row per registered letter, semicolon-separated,
UTF-8 text (the caller encodes), CRLF line ends, a header row with the
attribute names of Poczta Polska's Elektroniczny Nadawca (``adresType`` and
``przesylkaPoleconaKrajowaType``):

    lp;numerNadania;nazwa;nazwa2;ulica;numerDomu;numerLokalu;kodPocztowy;
    miejscowosc;kraj;masa;iloscPotwierdzenOdbioru;oplata;rodzaj

``masa`` in grams (empty when unknown), ``oplata`` in grosze (as e-Nadawca's
amounts), ``iloscPotwierdzenOdbioru`` 1 with a return receipt (ZPO) else 0.
The name is cut into ``nazwa`` / ``nazwa2`` at 60 characters; the street is
split into street, house and flat number by ``split_street`` where that can
be done safely.

Errors are ``DispatchError`` (a ValueError) with a ``code``:

* ``registered_number``: a registered number (numer nadania) that is not 10
  to 20 letters or digits;
* ``invalid_row``: a row without an addressee name or with a negative fee or
  weight.
"""

import csv
import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from odoo.addons.crm_invoicing_pl.tools.export_text import spreadsheet_text

HEADER = (
    "lp",
    "numerNadania",
    "nazwa",
    "nazwa2",
    "ulica",
    "numerDomu",
    "numerLokalu",
    "kodPocztowy",
    "miejscowosc",
    "kraj",
    "masa",
    "iloscPotwierdzenOdbioru",
    "oplata",
    "rodzaj",
)
NAME_LENGTH = 60
HOUSE_LENGTH = 11

_REGISTERED = re.compile(r"^[A-Z0-9]{10,20}$")
# "Łąkowa 3", "Długa 12A/4", "Polna 5 m. 7", "Aleje 3 Maja 10 lok. 2":
# the last number group of the street is the house (with an optional
# letter), then an optional flat after "/", "m.", "m", "lok." or "lokal".
_STREET = re.compile(
    r"^(?P<street>.*?\S)\s+(?:nr\.?\s*)?"
    r"(?P<house>\d+[A-Za-z]?(?:-\d+[A-Za-z]?)?)"
    r"(?:\s*/\s*(?P<flat1>\d+[A-Za-z]?)"
    r"|\s+(?:m\.?|lok\.?|lokal)\s*(?P<flat2>\d+[A-Za-z]?))?\s*$",
    re.IGNORECASE,
)


class DispatchError(ValueError):
    """Refused dispatch data; ``code`` names the reason."""

    def __init__(self, code, message=None):
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class Letter:
    """One registered letter of the book, as printed and exported."""

    sequence: int
    registered_number: str
    name: str
    street: str
    zip: str
    city: str
    country: str = "Polska"
    weight: int | None = None
    return_receipt: bool = True
    fee: Decimal = Decimal(0)
    kind: str = "wezwanie do zapłaty"


def normalize_registered_number(value):
    """The registered number without spaces, upper case; refused if invalid.

    Poczta Polska's numerNadania is 10 to 20 characters (20 digits for a
    domestic registered letter); spaces people type in groups are dropped.
    """
    text = re.sub(r"\s+", "", str(value or "")).upper()
    if not _REGISTERED.match(text):
        raise DispatchError(
            "registered_number",
            f"{value!r} is not a registered number of 10 to 20 letters or digits",
        )
    return text


def split_street(street):
    """(street, house, flat) of a Polish street line.

    >>> split_street("ul. Długa 12/4")
    ('ul. Długa', '12', '4')

    When no house number can be told apart (no trailing number, or a number
    too long for e-Nadawca), the whole line is the street and house and flat
    are empty: the carrier's system then keeps the line as typed.
    """
    text = " ".join((street or "").split())
    match = _STREET.match(text)
    if not match:
        return text, "", ""
    house = match["house"]
    flat = match["flat1"] or match["flat2"] or ""
    if len(house) > HOUSE_LENGTH or len(flat) > HOUSE_LENGTH:
        return text, "", ""
    return match["street"].rstrip(","), house, flat


def split_name(name):
    """(nazwa, nazwa2): the name cut at a space before 60 characters."""
    text = " ".join((name or "").split())
    if len(text) <= NAME_LENGTH:
        return text, ""
    cut = text.rfind(" ", 0, NAME_LENGTH + 1)
    if cut <= 0:
        cut = NAME_LENGTH
    return text[:cut].rstrip(), text[cut:].strip()[:NAME_LENGTH]


def grosze(amount):
    """Whole grosze of an amount in złoty (half-up)."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return int(value * 100)


def letter_row(letter):
    """The CSV fields of one letter (strings)."""
    if not (letter.name or "").strip():
        raise DispatchError("invalid_row", f"letter {letter.sequence} has no addressee")
    if Decimal(str(letter.fee)) < 0 or (letter.weight or 0) < 0:
        raise DispatchError(
            "invalid_row", f"letter {letter.sequence} has a negative fee or weight"
        )
    name, name2 = split_name(letter.name)
    street, house, flat = split_street(letter.street)
    return [
        str(letter.sequence),
        normalize_registered_number(letter.registered_number)
        if letter.registered_number
        else "",
        name,
        name2,
        street,
        house,
        flat,
        (letter.zip or "").strip(),
        (letter.city or "").strip(),
        (letter.country or "").strip(),
        str(letter.weight) if letter.weight else "",
        "1" if letter.return_receipt else "0",
        str(grosze(letter.fee)),
        letter.kind or "",
    ]


def build_csv(letters):
    """The CSV text of ``letters`` (an iterable of ``Letter``), header first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for letter in letters:
        writer.writerow(spreadsheet_text(cell) for cell in letter_row(letter))
    return out.getvalue()
