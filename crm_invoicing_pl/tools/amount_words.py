"""Amounts in words ("słownie") for invoices, in Polish and English.

Pure Python, no Odoo. Cardinal numbers come from ``num2words(n, lang=...)``;
currency names, the Polish plural rule and grammatical gender are handled
here, because the currency mode of num2words 0.5.10 knows only PLN and EUR in
Polish and reads a Python int as minor units.

Formats:

* ``pl``: "<major words> <major name> <minor words> <minor name>", e.g.
  1234.56 PLN -> "tysiąc dwieście trzydzieści cztery złote pięćdziesiąt
  sześć groszy". Scale words keep num2words' cardinals, which drop a leading
  "jeden" as invoices usually do: 1000 is "tysiąc", 1 000 000 is "milion".
  Feminine and neuter units agree with "jeden"/"dwa" ("jedno euro",
  "dwie korony").
* ``en``: "<major words> <major name> and <minor words> <minor name>", e.g.
  "one thousand, two hundred and thirty-four zlotys and fifty-six groszy".
* A currency missing from the tables: "<major words> <ISO code> NN/100".

Negative amounts are prefixed with "minus ".
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from num2words import num2words

# Polish forms per unit: (gender, (one, few, many)); gender is
# "m" (masculine), "f" (feminine) or "n" (neuter).
_KORONA = ("f", ("korona", "korony", "koron"))
_CENT = ("m", ("cent", "centy", "centów"))
_ORE = ("n", ("öre", "öre", "öre"))
_ORE_NO_DK = ("n", ("øre", "øre", "øre"))
_PL_UNITS = {
    "PLN": (("m", ("złoty", "złote", "złotych")), ("m", ("grosz", "grosze", "groszy"))),
    "EUR": (("n", ("euro", "euro", "euro")), _CENT),
    "USD": (("m", ("dolar", "dolary", "dolarów")), _CENT),
    "GBP": (("m", ("funt", "funty", "funtów")), ("m", ("pens", "pensy", "pensów"))),
    "CHF": (
        ("m", ("frank", "franki", "franków")),
        ("m", ("centym", "centymy", "centymów")),
    ),
    "CZK": (_KORONA, ("m", ("halerz", "halerze", "halerzy"))),
    "SEK": (_KORONA, _ORE),
    "NOK": (_KORONA, _ORE_NO_DK),
    "DKK": (_KORONA, _ORE_NO_DK),
}

# English forms per unit: (singular, plural).
_EN_UNITS = {
    "PLN": (("zloty", "zlotys"), ("grosz", "groszy")),
    "EUR": (("euro", "euros"), ("cent", "cents")),
    "USD": (("dollar", "dollars"), ("cent", "cents")),
    "GBP": (("pound", "pounds"), ("penny", "pence")),
    "CHF": (("franc", "francs"), ("centime", "centimes")),
    "CZK": (("koruna", "korunas"), ("haler", "halers")),
    "SEK": (("krona", "kronor"), ("öre", "öre")),
    "NOK": (("krone", "kroner"), ("øre", "øre")),
    "DKK": (("krone", "kroner"), ("øre", "øre")),
}

_FORM_INDEX = {"one": 0, "few": 1, "many": 2}
_CENTS = Decimal("0.01")


def plural_form(n):
    """Return the Polish plural category of integer ``n``: one, few or many.

    "one" only for 1; "few" when the last digit is 2-4 except 12-14; "many"
    otherwise (0, 5-21, 25-31, 112, 1001, ...). The sign is ignored.
    """
    n = abs(n)
    if n == 1:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


def amount_in_words(amount, currency="PLN", lang="pl"):
    """Return ``amount`` in ``currency`` spelled out in ``lang`` ("pl" or "en").

    ``amount`` is a Decimal, str, int or float, rounded half-up to 2 places.
    ``lang`` also accepts Odoo codes such as "pl_PL" or "en_US".
    Raise ValueError when ``amount`` is not a finite number or ``lang`` is
    not supported.
    """
    value = _to_cents(amount)
    lang_code = str(lang).replace("-", "_").split("_")[0].lower()
    if lang_code not in ("pl", "en"):
        raise ValueError(f"Unsupported language for amount in words: {lang!r}")
    code = str(currency).upper()
    major, minor = divmod(int(abs(value) * 100), 100)

    if lang_code == "pl" and code in _PL_UNITS:
        major_unit, minor_unit = _PL_UNITS[code]
        words = f"{_pl_count(major, major_unit)} {_pl_count(minor, minor_unit)}"
    elif lang_code == "en" and code in _EN_UNITS:
        major_names, minor_names = _EN_UNITS[code]
        words = f"{_en_count(major, major_names)} and {_en_count(minor, minor_names)}"
    else:
        words = f"{_cardinal(major, lang_code)} {code} {minor:02d}/100"
    return "minus " + words if value < 0 else words


def _to_cents(amount):
    """Convert ``amount`` to a finite Decimal rounded half-up to cents."""
    try:
        value = Decimal(str(amount))
        if not value.is_finite():
            raise ValueError(f"Amount is not a finite number: {amount!r}")
        return value.quantize(_CENTS, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"Amount is not a number or too large: {amount!r}") from exc


def _cardinal(n, lang):
    """Cardinal ``n`` in words; fixes the 0.5.10 typo "dziewięćdzisiąt"."""
    words = num2words(n, lang=lang)
    if lang == "pl":
        words = words.replace("dziewięćdzisiąt", "dziewięćdziesiąt")
    return words


def _pl_count(n, unit):
    """Polish "<n in words> <unit form>", with the numeral agreeing in gender."""
    gender, forms = unit
    words = _cardinal(n, "pl")
    if n == 1 and gender != "m":
        words = "jedna" if gender == "f" else "jedno"
    elif gender == "f" and (words == "dwa" or words.endswith(" dwa")):
        words = words[: -len("dwa")] + "dwie"
    return f"{words} {forms[_FORM_INDEX[plural_form(n)]]}"


def _en_count(n, names):
    """English "<n in words> <singular or plural name>"."""
    return f"{_cardinal(n, 'en')} {names[0] if n == 1 else names[1]}"
