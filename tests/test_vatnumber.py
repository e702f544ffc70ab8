import itertools

import pytest
from odoo.addons.crm_vies_check.tools.vatnumber import (
    VIES_COUNTRIES,
    VatNumberError,
    check_eu_vat,
    check_nip,
)
from stdnum.eu import vat as eu_vat
from stdnum.pl import nip as pl_nip


def synthetic(template):
    """The first valid number of ``template``, "?" being any digit.

    The bodies are made-up (runs of zeros); python-stdnum finds the check
    digits, so the examples are valid but belong to no known company.
    """
    holes = template.count("?")
    for digits in itertools.product("0123456789", repeat=holes):
        fill = iter(digits)
        number = "".join(next(fill) if c == "?" else c for c in template)
        if eu_vat.is_valid(number):
            return number
    raise AssertionError(f"no valid number for {template}")


# Made-up NIPs: office code 000 is never assigned; check digits computed.
NIP_A = "0000000017"
NIP_B = "0000000023"

VALID_VAT = {
    "PL": "PL000000001?",
    "DE": "DE10000000?",
    "CZ": "CZ1000000?",
    "FR": "FR??100000009",
    "IT": "IT0000001001?",
    "NL": "NL10000000?B01",
    "AT": "ATU1000000?",
    "BE": "BE01000000??",
    "ES": "ESA1000000?",
    "EL": "EL10000000?",
    "DK": "DK1000000?",
    "PT": "PT10000000?",
}


def test_synthetic_nips_are_valid():
    assert pl_nip.is_valid(NIP_A) and pl_nip.is_valid(NIP_B)
    assert synthetic("PL000000001?") == "PL" + NIP_A


# --- NIP ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        NIP_A,
        "PL" + NIP_A,
        "pl" + NIP_A,
        "000-000-00-17",
        "000 000 00 17",
        "PL 000-000-00-17",
        f"  {NIP_A}\n",
        NIP_B,
    ],
)
def test_check_nip_valid(value):
    assert check_nip(value) in (NIP_A, NIP_B)


def test_check_nip_accepts_an_int():
    number = synthetic("PL100000000?")[2:]
    assert check_nip(int(number)) == number


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "empty"),
        ("", "empty"),
        ("   ", "empty"),
        ("PL", "format"),
        ("000000001", "format"),  # 9 digits
        ("00000000170", "format"),  # 11 digits
        ("000000001A", "format"),
        ("ABCDEFGHIJ", "format"),
        ("000.000.00.17", "format"),
        ("000/000/00/17", "format"),
        ("DE0000000017", "format"),  # other country prefix
        ("0000000018", "checksum"),
        ("0000000016", "checksum"),
        ("0000000030", "checksum"),  # remainder 10 can never be valid
        ("1234567890", "checksum"),
        ("PL0000000019", "checksum"),
        ("0000000071", "checksum"),  # two digits swapped
    ],
)
def test_check_nip_invalid(value, code):
    with pytest.raises(VatNumberError) as info:
        check_nip(value)
    assert info.value.code == code
    assert str(info.value)


def test_nip_remainder_10_never_valid():
    body = "000000003"  # weighted sum 7 * 3 = 21, mod 11 == 10
    # stdnum's checksum of body + "0" is the weighted sum of the body mod 11
    assert pl_nip.checksum(body + "0") == 10
    assert not any(pl_nip.is_valid(body + d) for d in "0123456789")


# --- EU VAT -------------------------------------------------------------


@pytest.mark.parametrize(("country", "template"), sorted(VALID_VAT.items()))
def test_check_eu_vat_valid(country, template):
    number = synthetic(template)
    assert check_eu_vat(number) == number
    assert check_eu_vat(number.lower()) == number
    spaced = f" {number[:2]} {number[2:5]} {number[5:]} "
    assert check_eu_vat(spaced) == number
    assert check_eu_vat(number)[:2] == country


def test_check_eu_vat_strips_country_separators():
    assert check_eu_vat("DE 100-000-008") == "DE100000008"
    assert check_eu_vat("BE 0100.000.070") == "BE0100000070"


def test_greece_is_el_for_vies():
    number = synthetic("EL10000000?")
    assert check_eu_vat("GR" + number[2:]) == number


def test_vies_countries():
    assert len(VIES_COUNTRIES) == 28  # 27 member states + XI
    assert "EL" in VIES_COUNTRIES and "GR" not in VIES_COUNTRIES
    assert "GB" not in VIES_COUNTRIES


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "empty"),
        ("", "empty"),
        (" \t", "empty"),
        ("XX123456789", "country"),
        ("US123456789", "country"),
        ("GB123456789", "country"),  # left the EU; XI for Northern Ireland
        ("CH123456789", "country"),
        ("EU123456789", "country"),  # OSS numbers are not checked by VIES
        ("100000008", "country"),  # no prefix at all
        ("D", "country"),
        ("DE", "format"),
        ("DE10000000", "format"),  # 8 digits
        ("DE1000000080", "format"),  # 10 digits
        ("DE10000000A", "format"),
        ("DE000000008", "format"),  # German numbers never start with 0
        ("FR88A00000009", "format"),
        ("NL100000009X01", "format"),
        ("ATX10000005", "format"),
        ("CZ1", "format"),
        ("DE100000009", "checksum"),
        ("PL0000000018", "checksum"),
        ("IT00000010018", "checksum"),
        ("ESA10000009", "checksum"),
        ("NL100000008B01", "checksum"),
    ],
)
def test_check_eu_vat_invalid(value, code):
    with pytest.raises(VatNumberError) as info:
        check_eu_vat(value)
    assert info.value.code == code
    assert str(info.value)


def test_error_is_a_value_error():
    with pytest.raises(ValueError):
        check_eu_vat("XX1")
