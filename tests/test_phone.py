import pytest
from odoo.addons.crm_invoicing_pl_notify.tools.phone import (
    PhoneNumberError,
    is_mobile,
    normalize_phone,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("600 100 200", "+48600100200"),
        ("600100200", "+48600100200"),
        ("+48 600-100-200", "+48600100200"),
        ("+48600100200", "+48600100200"),
        ("0048600100200", "+48600100200"),
        ("00 48 600 100 200", "+48600100200"),
        ("48 600 100 200", "+48600100200"),
        ("  600.100.200  ", "+48600100200"),
        ("(22) 123 45 67", "+48221234567"),
        ("22/123-45-67", "+48221234567"),
        ("022 123 45 67", "+48221234567"),  # old trunk prefix
        ("+48 (0) 22 123 45 67", "+48221234567"),
        ("+48 45 123 45 67", "+48451234567"),  # mobile range 45
        ("+48 800 123 456", "+48800123456"),  # toll-free
        ("600\u00a0100\u00a0200", "+48600100200"),  # no-break spaces
        ("+49 30 123456", "+4930123456"),
        ("+49 (0)30 123456", "+4930123456"),
        ("+49 1512 3456789", "+4915123456789"),
        ("+420 601 123 456", "+420601123456"),
        ("00420 222 123 456", "+420222123456"),
        ("+44 7911 123456", "+447911123456"),
    ],
)
def test_normalize_phone_valid(raw, expected):
    assert normalize_phone(raw) == expected


def test_normalize_phone_other_default_region():
    assert normalize_phone("030 123456", default_region="DE") == "+4930123456"
    assert normalize_phone("601 123 456", default_region="CZ") == "+420601123456"
    assert normalize_phone("+48 600 100 200", default_region="DE") == "+48600100200"


@pytest.mark.parametrize("raw", [None, False, "", "   ", "\t\n"])
def test_normalize_phone_empty(raw):
    with pytest.raises(PhoneNumberError) as info:
        normalize_phone(raw)
    assert info.value.code == "empty"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "tel. 600 100 200",
        "600 100 2OO",  # letter O: never read as a vanity number
        "600 100 200 wew. 12",
        "+",
        "---",
        "+999 123 456",  # no such country code
        "600@100.200",
    ],
)
def test_normalize_phone_unparsable(raw):
    with pytest.raises(PhoneNumberError) as info:
        normalize_phone(raw)
    assert info.value.code == "unparsable"
    assert repr(raw.strip()) in str(info.value)


@pytest.mark.parametrize(
    "raw",
    [
        "1",  # too short
        "123",
        "600 100 20",  # 8 digits
        "600 100 2001",  # 10 digits
        "6" * 20,  # too long
        "+48 0600 100 200",
        "+48 100 100 100",  # unassigned range
        "0 00 123 45 67",
        "+49 1",
        "+420 123",
    ],
)
def test_normalize_phone_invalid(raw):
    with pytest.raises(PhoneNumberError) as info:
        normalize_phone(raw)
    assert info.value.code == "invalid"


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+48600100200", True),
        ("+48500000000", True),
        ("+48451234567", True),
        ("+48721234567", True),
        ("+48221234567", False),  # Warsaw landline
        ("+48800123456", False),  # toll-free
        ("+48700123456", False),  # premium rate
        ("+4915123456789", False),  # German mobile, but not Polish
        ("+48600", False),
        ("600100200", False),  # not E.164
        ("", False),
        (None, False),
    ],
)
def test_is_mobile_poland(e164, expected):
    assert is_mobile(e164) is expected


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+4915123456789", True),
        ("+4930123456", False),
        ("+420601123456", True),
        ("+420222123456", False),
        ("+48600100200", True),
    ],
)
def test_is_mobile_any_country(e164, expected):
    assert is_mobile(e164, region=None) is expected
    assert is_mobile(e164, region=e164 and _region(e164)) is expected


def _region(e164):
    return {"+49": "DE", "+42": "CZ", "+48": "PL"}[e164[:3]]


def test_normalized_number_round_trips():
    for raw in ("600 100 200", "(22) 123 45 67", "+420 601 123 456"):
        e164 = normalize_phone(raw)
        assert normalize_phone(e164) == e164
