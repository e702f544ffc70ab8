from decimal import Decimal

import pytest
from odoo.addons.crm_dunning.tools.dispatch_csv import (
    HEADER,
    DispatchError,
    Letter,
    build_csv,
    grosze,
    normalize_registered_number,
    split_name,
    split_street,
)


@pytest.mark.parametrize(
    "street, expected",
    [
        ("ul. Łąkowa 3", ("ul. Łąkowa", "3", "")),
        ("ul. Długa 12/4", ("ul. Długa", "12", "4")),
        ("ul. Długa 12A / 4b", ("ul. Długa", "12A", "4b")),
        ("os. Kościuszki 5 m. 7", ("os. Kościuszki", "5", "7")),
        ("Polna 5 lok. 12", ("Polna", "5", "12")),
        ("Aleje 3 Maja 10 m 2", ("Aleje 3 Maja", "10", "2")),
        ("ul. Żwirki i Wigury 12-14", ("ul. Żwirki i Wigury", "12-14", "")),
        ("ul. Świętokrzyska nr 12", ("ul. Świętokrzyska", "12", "")),
        ("  ul.   Łąkowa   3  ", ("ul. Łąkowa", "3", "")),
        # Nothing that is safely a house number: the line as typed.
        ("ul. 3 Maja", ("ul. 3 Maja", "", "")),
        ("Zakopane", ("Zakopane", "", "")),
        ("Kolonia 123456789012", ("Kolonia 123456789012", "", "")),
        ("", ("", "", "")),
        (None, ("", "", "")),
    ],
)
def test_split_street(street, expected):
    assert split_street(street) == expected


def test_registered_number():
    assert normalize_registered_number("00659 00773 11234 56789") == (
        "00659007731123456789"
    )
    assert normalize_registered_number("rr123456785pl") == "RR123456785PL"
    for bad in ("123456789", "1" * 21, "00659-0077311234", "", None, "ĄĘ12345678"):
        with pytest.raises(DispatchError) as error:
            normalize_registered_number(bad)
        assert error.value.code == "registered_number"


def test_split_name_and_grosze():
    long_name = (
        "Przedsiębiorstwo Handlowo-Usługowe Żółw Spółka z ograniczoną "
        "odpowiedzialnością"
    )
    first, second = split_name(long_name)
    # 60 characters at most, cut at a space.
    assert first == "Przedsiębiorstwo Handlowo-Usługowe Żółw Spółka z ograniczoną"
    assert len(first) == 60
    assert second == "odpowiedzialnością"
    assert split_name("Jan Kowalski") == ("Jan Kowalski", "")
    assert grosze(Decimal("8.7")) == 870
    assert grosze(12.345) == 1235


def test_build_csv_exact():
    letters = [
        Letter(
            1,
            "00659007731123456789",
            "Hurtownia Żółw Sp. z o.o.",
            "ul. Łąkowa 3/12",
            "30-001",
            "Kraków",
            weight=20,
            return_receipt=True,
            fee=Decimal("12.30"),
        ),
        Letter(
            2,
            "",
            'Jan "Janek" Kowalski; Gdańsk',
            "ul. Długa 1",
            "80-001",
            "Gdańsk",
            return_receipt=False,
            fee=Decimal("8.70"),
        ),
    ]
    text = build_csv(letters)
    assert text == (
        ";".join(HEADER) + "\r\n"
        "1;00659007731123456789;Hurtownia Żółw Sp. z o.o.;;ul. Łąkowa;3;12;"
        "30-001;Kraków;Polska;20;1;1230;wezwanie do zapłaty\r\n"
        '2;;"Jan ""Janek"" Kowalski; Gdańsk";;ul. Długa;1;;80-001;Gdańsk;'
        "Polska;;0;870;wezwanie do zapłaty\r\n"
    )
    # UTF-8 keeps the Polish letters as they are.
    assert "Żółw".encode() in text.encode("utf-8")


def test_build_csv_refuses_bad_rows():
    with pytest.raises(DispatchError) as error:
        build_csv([Letter(1, "123", "Jan", "Długa 1", "80-001", "Gdańsk")])
    assert error.value.code == "registered_number"
    with pytest.raises(DispatchError) as error:
        build_csv([Letter(1, "", " ", "Długa 1", "80-001", "Gdańsk")])
    assert error.value.code == "invalid_row"
    with pytest.raises(DispatchError) as error:
        build_csv([Letter(1, "", "Jan", "", "", "", fee=Decimal(-1))])
    assert error.value.code == "invalid_row"
    assert build_csv([]) == ";".join(HEADER) + "\r\n"
