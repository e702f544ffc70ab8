import csv
import datetime
import hashlib
import io
import pathlib
from decimal import Decimal

import openpyxl
import pytest
from lxml import etree
from odoo.addons.crm_invoicing_pl.tools import ksef_xsd
from odoo.addons.crm_invoicing_pl_jpk.tools.jpk import (
    JPK_V7M_SCHEMA,
    NAMESPACES,
    SCHEMA_FOLDER,
    JpkError,
    PurchaseRow,
    RegisterTotals,
    SalesRow,
    Taxpayer,
    file_schema_problems,
    gtu_numbers,
    is_nip,
    jpk_v7m_schema,
    ksef_marker,
    sales_csv,
    sales_xlsx,
    schema_problems,
    split_buyer_boxes,
    totals,
    write_jpk_v7m,
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


def register_totals(sales=(), purchases=()):
    result = RegisterTotals()
    for row in sales:
        result.add_sale(row)
    for row in purchases:
        result.add_purchase(row)
    return result


def declaration_values(sales, purchases, carried_over=0):
    return register_totals(sales, purchases).declaration(carried_over)


def test_control_sums_exclude_fp_rows():
    result = register_totals(rows())
    assert result.sales_count == 4
    # 230 + 8 - 23; the FP row's 2.30 is listed but not counted.
    assert result.output_tax == D("215.00")
    assert totals(rows())["K_20"] == D("209.30")
    assert list(totals(rows())) == ["K_11", "K_12", "K_17", "K_18", "K_19", "K_20"]


def test_xml_rows_in_schema_order():
    root = _valid(jpk(rows())).find("tns:Ewidencja", NS)
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


# ---------------------------------------------------------------------------
# The whole JPK_V7M(3) file, validated against the official schema
# ---------------------------------------------------------------------------
# Copies of ../shared/specs/jpk/examples (the README there names their source).
EXAMPLES = pathlib.Path(__file__).resolve().parent / "data" / "jpk"
# The SHA-256 of the published files (specs/jpk/README.md).
OFFICIAL_SHA256 = {
    "schemat_JPK_V7M(3)_v1-0E.xsd": (
        "1870324001ba1318f0535841b963571e970b45ef32ba5ca3d433f0dc5da412df"
    ),
    "KodyKrajow_v13-0E.xsd": (
        "447efc6e1a84de71d433666c60635856b8e01f090e5eedb3410b1afe545f8117"
    ),
    "KodyUrzedowSkarbowych_v8-0E.xsd": (
        "af27f583ea1ceb44ed37e0ec0d9bfdf2bfda74aadd5841ccbf0fc241175c2e91"
    ),
    "StrukturyDanych_v12-0E.xsd": (
        "01c45f7515f46cfa9bec843feef1409c126af3bee4d4e25f0325ae6323a9d512"
    ),
}
# The MF's example file (specs/jpk/examples), with its SHA-256.
MF_EXAMPLE = (
    "jpk_v7m-3-przykladowy-plik.xml",
    "b7e128b81df476894274047fd6970daab86495c26aed92ce0cb65644b9334a1a",
)
CREATED = datetime.datetime(2026, 3, 10, 9, 30, 15)
TAXPAYER = Taxpayer(
    nip="PL 526-025-02-74",
    name="Przykładowa Spółka z o.o.",
    email="biuro@przyklad.example.com",
    phone="+48 22 123 45 67",
)


HEADER = {
    "year": 2026,
    "month": 2,
    "created": CREATED,
    "tax_office": "1471",
    "taxpayer": TAXPAYER,
}


def jpk_v7m_xml(rows_, **arguments):
    """The whole file of ``write_jpk_v7m`` as bytes."""
    buffer = io.BytesIO()
    write_jpk_v7m(buffer, rows_, **arguments)
    return buffer.getvalue()


def jpk(rows_, **values):
    return jpk_v7m_xml(rows_, **{**HEADER, **values})


def iter_forbidden():
    """Rows that must not be read (the writer refuses its arguments first)."""
    raise AssertionError("a row was read")
    yield


def _valid(xml):
    problems = schema_problems(xml)
    assert problems == [], [p.message for p in problems]
    return etree.fromstring(xml)


def test_shipped_schema_files_are_the_official_bytes():
    folder = pathlib.Path(SCHEMA_FOLDER)
    assert sorted(p.name for p in folder.glob("*.xsd")) == sorted(OFFICIAL_SHA256)
    for name, digest in OFFICIAL_SHA256.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert (folder / ".gitattributes").read_text().splitlines()[-1] == "* -text"
    assert pathlib.Path(JPK_V7M_SCHEMA).parent == folder


def test_schema_compiles_offline_and_is_cached():
    assert isinstance(jpk_v7m_schema(), etree.XMLSchema)
    assert jpk_v7m_schema() is jpk_v7m_schema()


def test_missing_import_is_an_error_not_a_download(tmp_path):
    with pytest.raises(etree.XMLSchemaParseError):
        ksef_xsd.load_schema(JPK_V7M_SCHEMA, str(tmp_path))


def test_the_ministry_example_validates_with_our_loader():
    name, digest = MF_EXAMPLE
    raw = (EXAMPLES / name).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == digest
    assert schema_problems(raw) == []
    assert schema_problems((EXAMPLES / "minimal-one-sale.xml").read_bytes()) == []


def test_one_row_file_has_every_required_block():
    root = _valid(jpk(rows()[1:2]))
    ns = {"j": NAMESPACES["M"]}
    assert root.tag == "{%s}JPK" % NAMESPACES["M"]
    assert [etree.QName(child).localname for child in root] == [
        "Naglowek",
        "Podmiot1",
        "Ewidencja",
    ]
    form = root.find("j:Naglowek/j:KodFormularza", ns)
    assert (form.text, form.get("kodSystemowy"), form.get("wersjaSchemy")) == (
        "JPK_VAT",
        "JPK_V7M (3)",
        "1-0E",
    )
    header = {
        etree.QName(child).localname: child.text
        for child in root.find("j:Naglowek", ns)
    }
    assert header == {
        "KodFormularza": "JPK_VAT",
        "WariantFormularza": "3",
        "DataWytworzeniaJPK": "2026-03-10T09:30:15Z",
        "NazwaSystemu": "Odoo",
        "CelZlozenia": "1",
        "KodUrzedu": "1471",
        "Rok": "2026",
        "Miesiac": "2",
    }
    assert root.find("j:Naglowek/j:CelZlozenia", ns).get("poz") == "P_7"
    subject = root.find("j:Podmiot1", ns)
    assert subject.get("rola") == "Podatnik"
    assert [
        (etree.QName(c).localname, c.text)
        for c in subject.find("j:OsobaNiefizyczna", ns)
    ] == [
        ("NIP", "5260250274"),
        ("PelnaNazwa", "Przykładowa Spółka z o.o."),
        ("Email", "biuro@przyklad.example.com"),
        ("Telefon", "+48 22 123 45 67"),
    ]
    register = root.find("j:Ewidencja", ns)
    assert [etree.QName(c).localname for c in register] == [
        "SprzedazWiersz",
        "SprzedazCtrl",
        "ZakupCtrl",
    ]
    assert register.findtext("j:SprzedazCtrl/j:PodatekNalezny", namespaces=ns) == (
        "-23.00"
    )
    assert register.findtext("j:ZakupCtrl/j:LiczbaWierszyZakupow", namespaces=ns) == "0"
    assert register.findtext("j:ZakupCtrl/j:PodatekNaliczony", namespaces=ns) == "0.00"


def test_rows_with_gtu_markers_ksef_number_fp_and_foreign_tin_validate():
    """All the rows of the register test: NrKSeF with GTU_06/12 and TP, BFK,
    a foreign TIN with DI, and an FP row (listed, not counted)."""
    root = _valid(jpk(rows()))
    ns = {"j": NAMESPACES["M"]}
    lines = root.findall("j:Ewidencja/j:SprzedazWiersz", ns)
    assert len(lines) == 4
    assert lines[3].findtext("j:TypDokumentu", namespaces=ns) == "FP"
    assert (
        root.findtext("j:Ewidencja/j:SprzedazCtrl/j:PodatekNalezny", namespaces=ns)
        == "215.00"
    )


def test_every_procedure_marker_and_gtu_validates():
    from odoo.addons.crm_invoicing_pl_jpk.tools.jpk import PROCEDURE_MARKERS

    row = SalesRow(
        number="FV/2026/02/0009",
        issue_date=d(2026, 2, 20),
        sale_date=d(2026, 2, 19),
        partner_name="Kontrahent",
        partner_tin="5260250274",
        tin_country="PL",
        ksef_marker="OFF",
        gtu=frozenset(range(1, 14)),
        markers=frozenset(PROCEDURE_MARKERS),
        amounts={"K_19": "100", "K_20": "23", "K_21": "50", "K_22": "10"},
    )
    _valid(jpk([row]))


def test_correction_is_cel_zlozenia_2():
    root = _valid(jpk(rows()[:1], correction=True))
    assert (
        root.findtext("j:Naglowek/j:CelZlozenia", namespaces={"j": NAMESPACES["M"]})
        == "2"
    )


def test_a_month_without_sales_still_makes_a_valid_file():
    root = _valid(jpk([], year=2027, month=12))
    ns = {"j": NAMESPACES["M"]}
    assert root.find("j:Ewidencja/j:SprzedazWiersz", ns) is None
    assert (
        root.findtext(
            "j:Ewidencja/j:SprzedazCtrl/j:LiczbaWierszySprzedazy", namespaces=ns
        )
        == "0"
    )
    assert (
        root.findtext("j:Ewidencja/j:SprzedazCtrl/j:PodatekNalezny", namespaces=ns)
        == "0.00"
    )


def test_creation_time_is_written_in_utc():
    warsaw = datetime.timezone(datetime.timedelta(hours=1))
    root = _valid(jpk([], created=datetime.datetime(2026, 3, 1, 0, 30, tzinfo=warsaw)))
    assert (
        root.findtext(
            "j:Naglowek/j:DataWytworzeniaJPK", namespaces={"j": NAMESPACES["M"]}
        )
        == "2026-02-28T23:30:00Z"
    )


def test_phone_too_long_is_compacted_or_left_out():
    assert Taxpayer("5260250274", "X", "a@b.pl", "+48 (22) 123-45-67").phone == (
        "+48221234567"
    )
    assert (
        Taxpayer("5260250274", "X", "a@b.pl", "+48 22 123 45 67 wew. 123").phone is None
    )
    assert Taxpayer("5260250274", "X", "a@b.pl", " ").phone is None
    root = _valid(jpk([], taxpayer=Taxpayer("5260250274", "X", "a@b.pl")))
    assert root.find(".//{%s}Telefon" % NAMESPACES["M"]) is None


def test_nip_forms():
    assert is_nip("PL5260250274") and is_nip("526-025-02-74")
    assert not is_nip("DE123456788") and not is_nip("0260250274") and not is_nip("")


@pytest.mark.parametrize(
    "values, code",
    [
        ({"year": 2026, "month": 1}, "period"),
        ({"year": 2025, "month": 12}, "period"),
        ({"month": 13}, "period"),
        ({"created": d(2026, 3, 10)}, "created"),
        ({"tax_office": ""}, "tax_office"),
        ({"tax_office": None}, "tax_office"),
        ({"taxpayer": "5260250274"}, "taxpayer"),
    ],
)
def test_bad_file_arguments_are_refused(values, code):
    with pytest.raises(JpkError) as err:
        jpk([], **values)
    assert err.value.code == code


@pytest.mark.parametrize(
    "values",
    [
        {"nip": "DE123456788"},
        {"nip": ""},
        {"name": " "},
        {"email": ""},
        {"email": "biuro"},
    ],
)
def test_bad_taxpayer_is_refused(values):
    data = {"nip": "5260250274", "name": "X", "email": "a@b.pl", **values}
    with pytest.raises(JpkError) as err:
        Taxpayer(**data)
    assert err.value.code == "taxpayer"


def test_a_broken_file_gives_plain_problems():
    xml = jpk(rows()[:1])
    ns = NAMESPACES["M"].encode()
    # A KSeF number that is not one, a tax office not on the list, no ZakupCtrl.
    broken = xml.replace(b"5260250274-20260203-0100A1B2C3D4-E5", b"KSEF-123").replace(
        b"<KodUrzedu>1471<", b"<KodUrzedu>9999<"
    )
    problems = schema_problems(broken)
    by_element = {p.element: p for p in problems}
    assert set(by_element) == {"KodUrzedu", "NrKSeF"}
    office = by_element["KodUrzedu"]
    assert (office.kind, office.path, office.value) == (
        "value",
        "JPK/Naglowek/KodUrzedu",
        "9999",
    )
    assert "1471" in office.expected
    # The message quotes a few of the 400 codes, not all.
    assert office.message.endswith("'0213', ...}.")
    assert "{http" not in office.message
    number = by_element["NrKSeF"]
    assert number.path == "JPK/Ewidencja/SprzedazWiersz/NrKSeF"
    assert number.value == "KSEF-123"
    root = etree.fromstring(xml)
    root.find("{%s}Ewidencja" % ns.decode()).remove(
        root.find("{%s}Ewidencja/{%s}ZakupCtrl" % (ns.decode(), ns.decode()))
    )
    [missing] = schema_problems(etree.tostring(root))
    assert (missing.kind, missing.element, missing.expected) == (
        "missing",
        "Ewidencja",
        ("ZakupWiersz", "ZakupCtrl"),
    )
    [malformed] = schema_problems(b"<JPK><Naglowek></JPK>")
    assert malformed.kind == "malformed"


# ----------------------------------------------------------------------
# The KSeF marker of a row, GTU codes, the buyer's boxes K_31 / K_32
# ----------------------------------------------------------------------
KSEF_NUMBER = "5260250274-20260203-0100A1B2C3D4-E5"


@pytest.mark.parametrize(
    "values, marker",
    [
        # A KSeF number wins, whatever the mode it was issued in.
        ({"ksef_number": KSEF_NUMBER}, "NrKSeF"),
        ({"ksef_number": KSEF_NUMBER, "mode": "failure"}, "NrKSeF"),
        ({"ksef_number": KSEF_NUMBER, "mode": "offline24"}, "NrKSeF"),
        # Failure mode (art. 106nf ust. 1), no number yet: OFF.
        ({"mode": "failure"}, "OFF"),
        # Offline24 (art. 106nda) and unavailability mode (art. 106nh), no
        # number yet: DI, not BFK.
        ({"mode": "offline24"}, "DI"),
        ({"mode": "unavailable"}, "DI"),
        # Handed over before the number came back: an offline invoice.
        ({"mode": "online"}, "DI"),
        # Outside KSeF (a consumer invoice not sent, a company outside KSeF,
        # a foreign supplier's invoice): BFK, whatever the mode says.
        ({"in_ksef": False}, "BFK"),
        ({"in_ksef": False, "mode": "failure"}, "BFK"),
        # Not an invoice: a cash-register report, an internal document.
        ({"document_type": "RO", "in_ksef": False}, "DI"),
        ({"document_type": "WEW", "in_ksef": False}, "DI"),
        # An invoice to a receipt is an invoice like the others.
        ({"document_type": "FP", "in_ksef": False}, "BFK"),
        ({"document_type": "FP", "ksef_number": KSEF_NUMBER}, "NrKSeF"),
    ],
)
def test_ksef_marker_of_each_case(values, marker):
    """MF rules of JPK_V7(3): NrKSeF when the invoice has its number; OFF
    only for the failure mode of art. 106nf still without one; DI for an
    offline24 (art. 106nda) or unavailability (art. 106nh) invoice still
    without one and for a document that is not an invoice; BFK only for
    what is issued outside KSeF."""
    assert ksef_marker(**values) == marker


def test_ksef_marker_becomes_the_number_when_it_arrives():
    """The same invoice, exported before and after its number came: DI,
    then NrKSeF (the JPK row is corrected by exporting again)."""
    before = ksef_marker(ksef_number=None, in_ksef=True, mode="offline24")
    after = ksef_marker(ksef_number=KSEF_NUMBER, in_ksef=True, mode="offline24")
    assert (before, after) == ("DI", "NrKSeF")


@pytest.mark.parametrize(
    "values, code",
    [({"mode": "emergency"}, "ksef_mode"), ({"document_type": "XX"}, "document_type")],
)
def test_ksef_marker_refuses_unknown_values(values, code):
    with pytest.raises(JpkError) as error:
        ksef_marker(**values)
    assert error.value.code == code


def test_gtu_numbers_of_product_codes():
    """GTU_01 ... GTU_13 (§ 10 ust. 3 of the JPK_VAT regulation)."""
    assert gtu_numbers(["GTU_06", False, None, "GTU_12", "GTU_06"]) == {6, 12}
    assert gtu_numbers([]) == frozenset()
    for bad in ("GTU_14", "GTU_00", "GTU_6", "06"):
        with pytest.raises(JpkError) as error:
            gtu_numbers([bad])
        assert error.value.code == "gtu"


def test_buyer_boxes_stay_off_sales_documents():
    """K_31 / K_32: supply of goods for which the buyer is the taxpayer
    (art. 17 ust. 1 pkt 5), filled by the buyer. A sale tagged K_31 (l10n_pl's
    "0 % Stal") loses it: 500.00 left out, K_19 1000.00 / K_20 230.00 kept; a
    vendor bill keeps K_31 800.00 / K_32 184.00 (23 % of 800.00)."""
    sale = {"K_31": D("500.00"), "K_19": D("1000.00"), "K_20": D("230.00")}
    assert split_buyer_boxes(sale, purchase=False) == (
        {"K_19": D("1000.00"), "K_20": D("230.00")},
        {"K_31": D("500.00")},
    )
    bill = {"K_31": D("800.00"), "K_32": D("184.00")}
    assert split_buyer_boxes(bill, purchase=True) == (bill, {})


def test_rows_of_every_ksef_marker_validate():
    """One file with a row of each marker the rules give: NrKSeF, OFF, DI
    and BFK; each row has exactly one of them and the file matches the
    official schema."""
    cases = [
        {"ksef_number": KSEF_NUMBER},
        {"mode": "failure"},
        {"mode": "offline24"},
        {"in_ksef": False},
    ]
    rows = [
        SalesRow(
            number="FV/%d/02/2026" % index,
            issue_date=d(2026, 2, index),
            partner_name="Hurtownia Żółw Sp. z o.o.",
            partner_tin="1234567883",
            ksef_marker=ksef_marker(**case),
            ksef_number=case.get("ksef_number"),
            amounts={"K_19": "100.00", "K_20": "23.00"},
        )
        for index, case in enumerate(cases, start=1)
    ]
    xml = jpk_v7m_xml(
        rows,
        year=2026,
        month=2,
        created=datetime.datetime(2026, 3, 5, 8, 0),
        tax_office="1471",
        taxpayer=Taxpayer(nip="5260250274", name="Firma", email="biuro@firma.pl"),
    )
    assert schema_problems(xml) == []
    root = etree.fromstring(xml)
    found = [
        [
            etree.QName(child).localname
            for child in row
            if etree.QName(child).localname in ("NrKSeF", "OFF", "BFK", "DI")
        ]
        for row in root.iterfind(".//tns:SprzedazWiersz", NS)
    ]
    assert found == [["NrKSeF"], ["OFF"], ["DI"], ["BFK"]]


# ---------------------------------------------------------------------------
# Purchase register (ZakupWiersz) and declaration (Deklaracja)
# ---------------------------------------------------------------------------


def purchases():
    """A domestic bill (23 % + 8 %), a fixed asset imported under art. 33a,
    an intra-EU acquisition (self-assessed) and a vendor credit note."""
    return [
        PurchaseRow(
            number="FZ/2026/117",
            issue_date=d(2026, 1, 30),
            receipt_date=d(2026, 2, 2),
            partner_name="Hurtownia Żółw Sp. z o.o.",
            partner_tin="1234567883",
            tin_country="PL",
            ksef_marker="NrKSeF",
            ksef_number="1234567883-20260130-0100A1B2C3D4-E5",
            amounts={"K_42": "1100.00", "K_43": "238.00"},
        ),
        PurchaseRow(
            number="SAD/2026/7",
            issue_date=d(2026, 2, 4),
            partner_name="Shenzhen Machines Ltd",
            ksef_marker="DI",
            document_type="WEW",
            imported=True,
            amounts={"K_40": "5000", "K_41": "1150"},
        ),
        PurchaseRow(
            number="RE-2026-0042",
            issue_date=d(2026, 2, 7),
            partner_name="Stahlwerk Ostsee GmbH",
            partner_tin="123456788",
            tin_country="DE",
            amounts={"K_42": "800", "K_43": "184"},
        ),
        PurchaseRow(
            number="KFZ/2026/3",
            issue_date=d(2026, 2, 20),
            partner_name="Hurtownia Żółw Sp. z o.o.",
            partner_tin="1234567883",
            amounts={"K_42": "-100", "K_43": "-23"},
        ),
    ]


def test_purchase_rows_in_schema_order_with_their_control():
    """ZakupWiersz (§ 11 ust. 1 of the regulation of the Minister of Finance
    of 15 October 2019 on the detailed data of the declarations and of the VAT
    records): supplier, document, dates, KSeF marker, DokumentZakupu, IMP
    (§ 11 ust. 2 pkt 1), K_40 ... K_47; ZakupCtrl/PodatekNaliczony is the
    sum of K_41, K_43, K_44 ... K_47: 238 + 1150 + 184 - 23 = 1549,00."""
    root = _valid(jpk([], purchases=purchases()))
    ns = {"j": NAMESPACES["M"]}
    register = root.find("j:Ewidencja", ns)
    assert [etree.QName(child).localname for child in register] == [
        "SprzedazCtrl",
        "ZakupWiersz",
        "ZakupWiersz",
        "ZakupWiersz",
        "ZakupWiersz",
        "ZakupCtrl",
    ]
    first, imported, acquisition, credit = register.findall("j:ZakupWiersz", ns)
    assert [(etree.QName(c).localname, c.text) for c in first] == [
        ("LpZakupu", "1"),
        ("NrDostawcy", "1234567883"),
        ("NazwaDostawcy", "Hurtownia Żółw Sp. z o.o."),
        ("DowodZakupu", "FZ/2026/117"),
        ("DataZakupu", "2026-01-30"),
        ("DataWplywu", "2026-02-02"),
        ("NrKSeF", "1234567883-20260130-0100A1B2C3D4-E5"),
        ("K_42", "1100.00"),
        ("K_43", "238.00"),
    ]
    assert [(etree.QName(c).localname, c.text) for c in imported][1:] == [
        ("NrDostawcy", "BRAK"),
        ("NazwaDostawcy", "Shenzhen Machines Ltd"),
        ("DowodZakupu", "SAD/2026/7"),
        ("DataZakupu", "2026-02-04"),
        ("DI", "1"),
        ("DokumentZakupu", "WEW"),
        ("IMP", "1"),
        ("K_40", "5000.00"),
        ("K_41", "1150.00"),
    ]
    assert acquisition.findtext("j:KodKrajuNadaniaTIN", namespaces=ns) == "DE"
    assert acquisition.findtext("j:NrDostawcy", namespaces=ns) == "123456788"
    assert acquisition.findtext("j:BFK", namespaces=ns) == "1"
    assert acquisition.find("j:DataWplywu", ns) is None
    assert credit.findtext("j:K_43", namespaces=ns) == "-23.00"
    control = register.find("j:ZakupCtrl", ns)
    assert [c.text for c in control] == ["4", "1549.00"]
    result = register_totals(purchases=purchases())
    assert (result.purchase_count, result.input_tax) == (4, D("1549.00"))


def test_purchase_pair_is_written_whole_and_corrections_alone():
    """K_42 without K_43 (an exempt purchase) still writes K_43 = 0.00: the
    schema's sequence needs both. K_46 (art. 89b ust. 1, bad debts of
    the buyer) stands alone and counts in PodatekNaliczony."""
    row = PurchaseRow(
        number="F/1",
        issue_date=d(2026, 2, 3),
        partner_name="Lekarz",
        amounts={"K_42": "300", "K_46": "-46"},
    )
    root = _valid(jpk([], purchases=[row]))
    ns = {"j": NAMESPACES["M"]}
    node = root.find("j:Ewidencja/j:ZakupWiersz", ns)
    assert [(etree.QName(c).localname, c.text) for c in node][-3:] == [
        ("K_42", "300.00"),
        ("K_43", "0.00"),
        ("K_46", "-46.00"),
    ]
    assert row.input_tax == D("-46.00")


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"document_type": "FP"}, "purchase_document"),
        ({"amounts": {"K_19": 1}}, "amount_field"),
        ({"amounts": {"K_43": "x"}}, "amount"),
        ({"ksef_marker": "NrKSeF"}, "ksef_marker"),
    ],
)
def test_bad_purchase_rows_are_refused(values, code):
    args = {"number": "F/1", "issue_date": d(2026, 2, 3), "partner_name": "X"}
    with pytest.raises(JpkError) as info:
        PurchaseRow(**{**args, **values})
    assert info.value.code == code


def test_declaration_from_the_register_totals():
    """VAT-7 (23) in JPK_V7M(3): P_n = K_n of the register, whole zloty (art.
    63 § 1 Ordynacji podatkowej); the FP row is left out (its sale is in
    the RO report). Sales: P_11 500 (of which P_12 500), P_17 100, P_18 8,
    P_19 1000 - 100 + 0,40 = 900,40 -> 900, P_20 230 - 23 = 207; P_37 = 500
    + 100 + 900 = 1500 (P_12 is part of P_11), P_38 = 8 + 207 = 215.
    Purchases: P_40 5000, P_41 1150, P_42 1100 + 800 - 100 = 1800, P_43
    238 + 184 - 23 = 399; P_48 = P_39 10 + 1150 + 399 = 1559 > P_38: P_51
    0, P_53 = P_62 = 1559 - 215 = 1344. The sales row of K_19 0,40 without
    tax still writes K_20 = 0.00 (the schema's pair)."""
    sales = rows() + [
        SalesRow(
            number="FV/9",
            issue_date=d(2026, 2, 11),
            partner_name="Jan Kowalski",
            amounts={"K_19": "0.40"},
        )
    ]
    values = declaration_values(sales, purchases(), carried_over=10)
    assert {k: v for k, v in values.items() if v} == {
        "P_11": 500,
        "P_12": 500,
        "P_17": 100,
        "P_18": 8,
        "P_19": 900,
        "P_20": 207,
        "P_37": 1500,
        "P_38": 215,
        "P_39": 10,
        "P_40": 5000,
        "P_41": 1150,
        "P_42": 1800,
        "P_43": 399,
        "P_48": 1559,
        "P_53": 1344,
        "P_62": 1344,
    }
    root = _valid(jpk(sales, purchases=purchases(), carried_over=10))
    ns = {"j": NAMESPACES["M"]}
    assert root.findall("j:Ewidencja/j:SprzedazWiersz/j:K_20", ns)[-1].text == "0.00"
    assert [etree.QName(child).localname for child in root] == [
        "Naglowek",
        "Podmiot1",
        "Deklaracja",
        "Ewidencja",
    ]
    form = root.find("j:Deklaracja/j:Naglowek/j:KodFormularzaDekl", ns)
    assert (form.text, form.get("kodSystemowy")) == ("VAT-7", "VAT-7 (23)")
    boxes = root.find("j:Deklaracja/j:PozycjeSzczegolowe", ns)
    assert [(etree.QName(c).localname, c.text) for c in boxes] == [
        ("P_11", "500"),
        ("P_12", "500"),
        ("P_17", "100"),
        ("P_18", "8"),
        ("P_19", "900"),
        ("P_20", "207"),
        ("P_37", "1500"),
        ("P_38", "215"),
        ("P_39", "10"),
        ("P_40", "5000"),
        ("P_41", "1150"),
        ("P_42", "1800"),
        ("P_43", "399"),
        ("P_48", "1559"),
        ("P_51", "0"),
        ("P_53", "1344"),
        ("P_62", "1344"),
    ]
    assert root.findtext("j:Deklaracja/j:Pouczenia", namespaces=ns) == "1"


def test_declaration_tax_to_pay_and_empty_month():
    """P_51 = P_38 - P_48 when positive (the form's note to P_51): sales
    K_20 230,50 -> 231 (50 grosz up), purchases K_43 100,49 -> 100: 131. A
    month without documents still writes the required P_38 and P_51 = 0."""
    sale = SalesRow(
        number="FV/1",
        issue_date=d(2026, 2, 3),
        partner_name="X",
        amounts={"K_19": "1002.17", "K_20": "230.50"},
    )
    bill = PurchaseRow(
        number="F/1",
        issue_date=d(2026, 2, 3),
        partner_name="Y",
        amounts={"K_42": "436.91", "K_43": "100.49"},
    )
    values = declaration_values([sale], [bill])
    assert (values["P_38"], values["P_48"], values["P_51"], values["P_53"]) == (
        231,
        100,
        131,
        0,
    )
    _valid(jpk([sale], purchases=[bill], carried_over=0))
    empty = declaration_values([], [])
    assert set(v for v in empty.values()) == {0}
    root = _valid(jpk([], carried_over=0))
    ns = {"j": NAMESPACES["M"]}
    boxes = root.find("j:Deklaracja/j:PozycjeSzczegolowe", ns)
    assert [etree.QName(c).localname for c in boxes] == [
        "P_37",
        "P_38",
        "P_48",
        "P_51",
        "P_53",
        "P_62",
    ]


@pytest.mark.parametrize("carried", [-1, 1.5, "x", None])
def test_declaration_refuses_a_bad_carry_over(carried):
    with pytest.raises(JpkError) as info:
        declaration_values([], [], carried_over=carried)
    assert info.value.code == "carried_over"
    if carried is None:  # the writer's "no declaration"
        return
    # Refused before a row is read.
    out = io.BytesIO()
    with pytest.raises(JpkError) as info:
        write_jpk_v7m(out, iter_forbidden(), carried_over=carried, **HEADER)
    assert info.value.code == "carried_over"
    assert out.getvalue() == b""


def test_natural_person_is_osoba_fizyczna():
    """A sole trader (a natural person) is ``OsobaFizyczna`` in Podmiot1:
    etd:NIP, etd:ImiePierwsze, etd:Nazwisko, etd:DataUrodzenia, then the
    JPK-namespace Email and Telefon, as in the Ministry's example file."""
    person = Taxpayer(
        nip="PL 526-025-02-74",
        name="Usługi Remontowe Jan Kowalski",
        email="jan@kowalski.example.com",
        phone="600 100 200",
        first_name=" Jan ",
        last_name="Kowalski",
        birth_date=d(1980, 5, 17),
    )
    assert person.natural_person and not TAXPAYER.natural_person
    root = _valid(jpk(rows(), taxpayer=person))
    etd = "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/09/13/eD/DefinicjeTypy/"
    subject = root.find("j:Podmiot1/j:OsobaFizyczna", {"j": NAMESPACES["M"]})
    assert [(child.tag, child.text) for child in subject] == [
        ("{%s}NIP" % etd, "5260250274"),
        ("{%s}ImiePierwsze" % etd, "Jan"),
        ("{%s}Nazwisko" % etd, "Kowalski"),
        ("{%s}DataUrodzenia" % etd, "1980-05-17"),
        ("{%s}Email" % NAMESPACES["M"], "jan@kowalski.example.com"),
        ("{%s}Telefon" % NAMESPACES["M"], "600 100 200"),
    ]


@pytest.mark.parametrize(
    "values",
    [
        {"first_name": "Jan", "birth_date": d(1980, 5, 17)},
        {"last_name": "Kowalski", "birth_date": d(1980, 5, 17)},
        {"first_name": "Jan", "last_name": "Kowalski"},
        {"first_name": "Jan", "last_name": "Kowalski", "birth_date": d(1899, 1, 1)},
        {"first_name": "J" * 31, "last_name": "K", "birth_date": d(1980, 5, 17)},
    ],
)
def test_incomplete_natural_person_is_refused(values):
    with pytest.raises(JpkError) as info:
        Taxpayer(nip="5260250274", name="X", email="a@b.pl", **values)
    assert info.value.code == "taxpayer"


# ---------------------------------------------------------------------------
# The file written row by row (a month of 100 000 documents)
# ---------------------------------------------------------------------------
def _awkward_rows():
    """Rows with every character XML escapes or drops."""
    return [
        SalesRow(
            number="FV/1 <&> \"cudzysłów\" 'apostrof'",
            issue_date=d(2026, 2, 3),
            partner_name="Żółw & Syn <sp. j.> \x01\x1b ok",
            partner_tin="1234567883",
            amounts={"K_19": "100", "K_20": "23"},
        ),
        SalesRow(
            number="FV/2\r\nnowa linia\ttab",
            issue_date=d(2026, 2, 4),
            partner_name="]]> koniec CDATA",
            amounts={"K_13": "5"},
        ),
    ]


def test_written_file_is_what_lxml_writes():
    """The rows are written as text, not through lxml: the file must be the
    bytes lxml itself writes for the same document (escaping of & < > and
    CR, dropped control characters, indentation)."""
    xml = jpk(_awkward_rows(), purchases=purchases(), carried_over=0)
    root = _valid(xml)
    assert xml == etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    first, second = root.findall("tns:Ewidencja/tns:SprzedazWiersz", NS)
    assert first.findtext("tns:DowodSprzedazy", namespaces=NS) == (
        "FV/1 <&> \"cudzysłów\" 'apostrof'"
    )
    assert first.findtext("tns:NazwaKontrahenta", namespaces=NS) == (
        "Żółw & Syn <sp. j.>  ok"
    )
    assert second.findtext("tns:DowodSprzedazy", namespaces=NS) == (
        "FV/2\r\nnowa linia\ttab"
    )


def test_rows_are_read_once_from_generators():
    """The writer reads each iterable once, in order, and returns the totals
    of what it wrote (the control sums and the declaration's source)."""
    read = []

    def sales():
        for row in rows():
            read.append(row.number)
            yield row

    out = io.BytesIO()
    result = write_jpk_v7m(
        out, sales(), purchases=iter(purchases()), carried_over=10, **HEADER
    )
    assert read == [row.number for row in rows()]
    assert (result.sales_count, result.output_tax) == (4, D("215.00"))
    assert (result.purchase_count, result.input_tax) == (4, D("1549.00"))
    assert out.getvalue() == jpk(rows(), purchases=purchases(), carried_over=10)
    root = _valid(out.getvalue())
    assert (
        root.findtext("tns:Deklaracja/tns:PozycjeSzczegolowe/tns:P_39", namespaces=NS)
        == "10"
    )


def test_many_rows_in_bounded_python_memory(tmp_path):
    """20 000 rows from a generator: what the writer keeps in Python memory
    does not grow with the rows (they go to a temporary file); the file
    validates when read back as it is parsed."""
    import tracemalloc

    def sales(count):
        for index in range(count):
            yield SalesRow(
                number="FV/%d/2026" % index,
                issue_date=d(2026, 2, 1 + index % 28),
                partner_name="Kontrahent %d Sp. z o.o." % index,
                partner_tin="1234567883",
                amounts={"K_19": "100.00", "K_20": "23.00"},
            )

    peaks = {}
    for count in (2000, 20000):
        path = tmp_path / ("jpk-%d.xml" % count)
        tracemalloc.start()
        with open(path, "wb") as out:
            result = write_jpk_v7m(out, sales(count), carried_over=0, **HEADER)
        peaks[count] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert result.sales_count == count
        with open(path, "rb") as source:
            assert file_schema_problems(source) == []
    assert peaks[20000] < 1.5 * peaks[2000] + 2**20, peaks


def test_file_schema_problems_of_a_bad_file():
    """A file that does not match: the same problems as the in-memory check
    (with their paths), read back whole only then; malformed XML too."""
    xml = jpk(rows())
    bad = xml.replace(b"<LpSprzedazy>2</LpSprzedazy>", b"<LpSprzedazy>x</LpSprzedazy>")
    problems = file_schema_problems(io.BytesIO(bad))
    assert problems == schema_problems(bad)
    assert [(p.path, p.kind) for p in problems] == [
        ("JPK/Ewidencja/SprzedazWiersz[2]/LpSprzedazy", "value")
    ]
    [malformed] = file_schema_problems(io.BytesIO(xml[:-20]))
    assert malformed.kind == "malformed"
    assert file_schema_problems(io.BytesIO(xml)) == []
