import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from lxml import etree
from odoo.addons.crm_invoicing_pl.tools.jpk import (
    NAMESPACES,
    JpkError,
    SalesRow,
    sales_control,
    sales_csv,
    sales_xlsx,
    sales_xml,
    totals,
)

D = Decimal
d = datetime.date
NS = {"tns": NAMESPACES["M"]}


def rows():
    return [
        SalesRow(
            number="FV/2026/02/0001",
            issue_date=d(2026, 2, 3),
            sale_date=d(2026, 1, 30),
            partner_name="Hurtownia Żółw Sp. z o.o.",
            partner_tin="1234567883",
            tin_country="PL",
            ksef_marker="NrKSeF",
            ksef_number="5260250274-20260203-0100A1B2C3D4-E5",
            gtu=frozenset({12, 6}),
            markers=frozenset({"TP"}),
            amounts={"K_19": "1000.00", "K_20": "230.00", "K_17": 100, "K_18": 8},
        ),
        SalesRow(
            number="FK/2026/02/0001",
            issue_date=d(2026, 2, 10),
            partner_name="Jan Kowalski",
            amounts={"K_19": "-100", "K_20": "-23"},
        ),
        SalesRow(
            number="FV/2026/02/0002",
            issue_date=d(2026, 2, 11),
            partner_name="Acme GmbH",
            partner_tin="123456789",
            tin_country="DE",
            ksef_marker="DI",
            amounts={"K_11": "500", "K_12": "500"},
        ),
        SalesRow(
            number="FP/2026/02/0001",
            issue_date=d(2026, 2, 12),
            partner_name="Anna Nowak",
            document_type="FP",
            amounts={"K_19": "10", "K_20": "2.30"},
        ),
    ]


def test_control_sums_exclude_fp_rows():
    count, tax = sales_control(rows())
    assert count == 4
    # 230 + 8 - 23; the FP row's 2.30 is listed but not counted.
    assert tax == D("215.00")
    assert totals(rows())["K_20"] == D("209.30")
    assert list(totals(rows())) == ["K_11", "K_12", "K_17", "K_18", "K_19", "K_20"]


def test_xml_rows_in_schema_order():
    root = etree.fromstring(sales_xml(rows()))
    assert root.tag == "{%s}Ewidencja" % NAMESPACES["M"]
    first = root.find("tns:SprzedazWiersz", NS)
    tags = [etree.QName(child).localname for child in first]
    assert tags == [
        "LpSprzedazy",
        "NrKontrahenta",
        "NazwaKontrahenta",
        "DowodSprzedazy",
        "DataWystawienia",
        "DataSprzedazy",
        "NrKSeF",
        "GTU_06",
        "GTU_12",
        "TP",
        "K_17",
        "K_18",
        "K_19",
        "K_20",
    ]
    assert first.findtext("tns:K_19", namespaces=NS) == "1000.00"
    assert first.findtext("tns:NazwaKontrahenta", namespaces=NS) == (
        "Hurtownia Żółw Sp. z o.o."
    )
    second, third, fourth = root.findall("tns:SprzedazWiersz", NS)[1:]
    assert second.findtext("tns:NrKontrahenta", namespaces=NS) == "BRAK"
    assert second.findtext("tns:BFK", namespaces=NS) == "1"
    assert second.find("tns:DataSprzedazy", NS) is None
    assert second.findtext("tns:K_20", namespaces=NS) == "-23.00"
    assert third.findtext("tns:KodKrajuNadaniaTIN", namespaces=NS) == "DE"
    assert third.findtext("tns:DI", namespaces=NS) == "1"
    assert fourth.findtext("tns:TypDokumentu", namespaces=NS) == "FP"
    control = root.find("tns:SprzedazCtrl", NS)
    assert control.findtext("tns:LiczbaWierszySprzedazy", namespaces=NS) == "4"
    assert control.findtext("tns:PodatekNalezny", namespaces=NS) == "215.00"


def test_quarterly_variant_namespace():
    root = etree.fromstring(sales_xml(rows()[:1], variant="K"))
    assert root.tag == "{%s}Ewidencja" % NAMESPACES["K"]
    with pytest.raises(JpkError) as err:
        sales_xml(rows(), variant="Q")
    assert err.value.code == "variant"


def test_csv_and_xlsx_carry_the_same_totals():
    text = sales_csv(rows())
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body, total = table[0], table[1:-1], table[-1]
    assert header[:4] == ["Lp.", "Data wystawienia", "Data sprzedaży", "Numer"]
    assert len(body) == 4
    assert body[0][6].startswith("5260250274-")
    assert body[2][5] == "DE123456789"
    assert total[0] == "Razem"
    assert total[header.index("K_20")] == "209.30"
    sheet = openpyxl.load_workbook(io.BytesIO(sales_xlsx(rows()))).active
    assert sheet.cell(1, 4).value == "Numer"
    assert sheet.cell(2, 5).value == "Hurtownia Żółw Sp. z o.o."
    assert sheet.cell(6, 1).value == "Razem"
    assert sheet.cell(6, header.index("K_20") + 1).value == pytest.approx(209.30)


@pytest.mark.parametrize(
    "values, code",
    [
        ({"ksef_marker": "KSEF"}, "ksef_marker"),
        ({"ksef_marker": "NrKSeF"}, "ksef_marker"),
        ({"document_type": "VAT"}, "document_type"),
        ({"gtu": frozenset({14})}, "gtu"),
        ({"markers": frozenset({"MPP"})}, "marker"),
        ({"amounts": {"K_9": 1}}, "amount_field"),
        ({"amounts": {"K_19": "abc"}}, "amount"),
        ({"amounts": {"K_19": "NaN"}}, "amount"),
    ],
)
def test_bad_rows_are_refused(values, code):
    with pytest.raises(JpkError) as err:
        SalesRow(number="X", issue_date=d(2026, 2, 1), partner_name="Y", **values)
    assert err.value.code == code
