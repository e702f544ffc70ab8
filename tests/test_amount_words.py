from decimal import Decimal

import pytest
from odoo.addons.crm_invoicing_pl.tools import amount_words
from odoo.addons.crm_invoicing_pl.tools.amount_words import amount_in_words


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (0, "many"),
        (1, "one"),
        (2, "few"),
        (4, "few"),
        (5, "many"),
        (11, "many"),
        (12, "many"),
        (14, "many"),
        (21, "many"),
        (22, "few"),
        (101, "many"),
        (112, "many"),
        (1001, "many"),
        (1002, "few"),
    ],
)
def test_plural_form(n, form):
    assert amount_words.plural_form(n) == form


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.01", "zero złotych jeden grosz"),
        (1, "jeden złoty zero groszy"),
        (2, "dwa złote zero groszy"),
        (5, "pięć złotych zero groszy"),
        (12, "dwanaście złotych zero groszy"),
        (22, "dwadzieścia dwa złote zero groszy"),
        (112, "sto dwanaście złotych zero groszy"),
        (1001, "tysiąc jeden złotych zero groszy"),
        (21000, "dwadzieścia jeden tysięcy złotych zero groszy"),
        (1000000, "milion złotych zero groszy"),
        (2000000, "dwa miliony złotych zero groszy"),
        (5000000, "pięć milionów złotych zero groszy"),
        (
            Decimal("1234.56"),
            "tysiąc dwieście trzydzieści cztery złote pięćdziesiąt sześć groszy",
        ),
        (
            "2345.67",
            "dwa tysiące trzysta czterdzieści pięć złotych sześćdziesiąt siedem groszy",
        ),
    ],
)
def test_pln_polish(amount, expected):
    assert amount_in_words(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.01", "zero złotych jeden grosz"),
        ("0.02", "zero złotych dwa grosze"),
        ("0.05", "zero złotych pięć groszy"),
        ("0.12", "zero złotych dwanaście groszy"),
        ("0.22", "zero złotych dwadzieścia dwa grosze"),
    ],
)
def test_grosze_forms(amount, expected):
    assert amount_in_words(amount, "PLN", "pl") == expected


def test_ninety_typo_of_num2words_is_fixed():
    assert amount_in_words("99.99") == (
        "dziewięćdziesiąt dziewięć złotych dziewięćdziesiąt dziewięć groszy"
    )


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (1, "EUR", "jedno euro zero centów"),
        ("2.02", "EUR", "dwa euro dwa centy"),
        ("5.01", "eur", "pięć euro jeden cent"),
        (1, "USD", "jeden dolar zero centów"),
        (2, "USD", "dwa dolary zero centów"),
        (5, "USD", "pięć dolarów zero centów"),
        ("22.15", "USD", "dwadzieścia dwa dolary piętnaście centów"),
        ("1.01", "GBP", "jeden funt jeden pens"),
        ("3.25", "GBP", "trzy funty dwadzieścia pięć pensów"),
        ("2.04", "CHF", "dwa franki cztery centymy"),
        ("1.02", "CZK", "jedna korona dwa halerze"),
        ("22.50", "CZK", "dwadzieścia dwie korony pięćdziesiąt halerzy"),
        ("2002.01", "SEK", "dwa tysiące dwie korony jedno öre"),
        ("12.02", "DKK", "dwanaście koron dwa øre"),
    ],
)
def test_foreign_currencies_polish(amount, currency, expected):
    assert amount_in_words(amount, currency) == expected


def test_unknown_currency_uses_iso_code_and_hundredths():
    assert amount_in_words("12.05", "JPY") == "dwanaście JPY 05/100"
    assert amount_in_words("12.05", "JPY", "en") == "twelve JPY 05/100"


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (
            "1234.56",
            "PLN",
            "one thousand, two hundred and thirty-four zlotys and fifty-six groszy",
        ),
        ("1.01", "PLN", "one zloty and one grosz"),
        ("1.01", "EUR", "one euro and one cent"),
        ("21.50", "EUR", "twenty-one euros and fifty cents"),
        ("2", "USD", "two dollars and zero cents"),
        ("1.02", "GBP", "one pound and two pence"),
    ],
)
def test_english(amount, currency, expected):
    assert amount_in_words(amount, currency, "en") == expected


def test_odoo_language_codes_are_accepted():
    assert amount_in_words(2, "PLN", "pl_PL") == "dwa złote zero groszy"
    assert amount_in_words(2, "PLN", "en_US") == "two zlotys and zero groszy"


def test_negative_amount():
    assert amount_in_words("-22.01") == "minus dwadzieścia dwa złote jeden grosz"
    assert amount_in_words(-1, "USD", "en") == "minus one dollar and zero cents"


def test_amount_rounding_to_zero_is_not_negative():
    assert amount_in_words("-0.001") == "zero złotych zero groszy"


@pytest.mark.parametrize("amount", [0.005, "0.005", Decimal("0.005")])
def test_rounds_half_up(amount):
    assert amount_in_words(amount) == "zero złotych jeden grosz"


def test_float_input():
    assert amount_in_words(1234.56) == (
        "tysiąc dwieście trzydzieści cztery złote pięćdziesiąt sześć groszy"
    )


@pytest.mark.parametrize(
    "amount", ["abc", None, "", float("nan"), float("inf"), "-Infinity", True]
)
def test_bad_amount_raises_value_error(amount):
    with pytest.raises(ValueError):
        amount_in_words(amount)


def test_unsupported_language_raises_value_error():
    with pytest.raises(ValueError):
        amount_in_words(1, "PLN", "de")
