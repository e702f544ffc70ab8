"""The VAT sales register and the JPK_V7M(3) file.

Pure Python (lxml and xlsxwriter, which Odoo ships), no Odoo. A register row
is one VAT document (invoice, correction, advance invoice; never a pro
forma) with its amounts by JPK field: K_10 ... K_36, taken from the tax tags
of the document's journal items, so that the register, the JPK file and the
tax report add up to the same totals.

The sales part of the JPK file is ``Ewidencja``: one ``SprzedazWiersz`` per
row (LpSprzedazy, KodKrajuNadaniaTIN for a foreign TIN, NrKontrahenta or
"BRAK", NazwaKontrahenta, DowodSprzedazy, DataWystawienia, DataSprzedazy
when different, exactly one of NrKSeF / OFF / BFK / DI, TypDokumentu, the
GTU_01 ... GTU_13 and procedure markers as "1", then the K_ amounts) and a
``SprzedazCtrl`` with the number of rows and the output tax: the sum of
K_16, K_18, K_20, K_24, K_26, K_28, K_30, K_32, K_33 and K_34 less K_35 and
K_36; rows of type FP (invoices to receipts) are listed but not counted in
the tax.

The whole JPK_V7M(3) file (:func:`jpk_v7m_xml`) is ``Naglowek`` (form code,
variant 3, creation time given by the caller, CelZlozenia 1 = submission or
2 = correction, the tax office code, year, month), ``Podmiot1`` (a taxpayer
that is not a natural person: NIP, full name, e-mail, phone) and
``Ewidencja``: the sales rows, ``SprzedazCtrl``, then ``ZakupCtrl`` with zeros
(the suite keeps no purchase register). The declaration (``Deklaracja``,
optional in the schema) is not written: it needs the input tax of the
purchases. :func:`schema_problems` validates a file against the official
schema shipped in ``data/jpk_xsd`` (no network; see ``ksef_xsd``).

Which of NrKSeF / OFF / BFK / DI a row carries is decided by
:func:`ksef_marker` from what is known of the document (its KSeF number,
whether it belongs in KSeF, the mode it was issued in); GTU codes of the
product data are read by :func:`gtu_numbers`; :func:`split_buyer_boxes`
keeps K_31 / K_32 (the buyer's self-assessment boxes) off sales documents.

Errors are ``JpkError`` (a ValueError) with a ``code``: ``ksef_marker`` (a
marker that is not one of the four, or NrKSeF without a number),
``ksef_mode``, ``document_type``, ``gtu``, ``marker``, ``amount_field``, ``amount``,
``variant``, ``period``, ``created``, ``taxpayer``, ``tax_office``.
"""

import csv
import datetime
import io
import os
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import xlsxwriter
from lxml import etree

from . import ksef_xsd
from .export_text import spreadsheet_text, xml_text

NAMESPACES = {
    # JPK_V7M(3) and JPK_V7K(3), mandatory from the February 2026 period.
    "M": "http://crd.gov.pl/wzor/2025/12/19/14090/",
    "K": "http://crd.gov.pl/wzor/2025/12/19/14089/",
}
KSEF_MARKERS = ("NrKSeF", "OFF", "BFK", "DI")
DOCUMENT_TYPES = ("RO", "WEW", "FP")
# How a KSeF invoice was issued: normally (the number comes with the
# sending), in offline24 mode (art. 106nda), in the KSeF unavailability mode
# announced by the minister (art. 106nh) or in the failure mode (art. 106nf).
KSEF_MODES = ("online", "offline24", "unavailable", "failure")
# Documents that are not invoices: DI whatever else is known of them.
NOT_INVOICES = ("RO", "WEW")
# K_31 / K_32: the supply of goods for which the buyer is the taxpayer (art.
# 17 ust. 1 pkt 5): boxes of the buyer's self-assessment. The seller's box of
# the domestic reverse charge (art. 17 ust. 1 pkt 7 and 8) went with annexes
# 11 and 14 on 1 November 2019.
BUYER_BOXES = ("K_31", "K_32")
PROCEDURE_MARKERS = (
    "WSTO_EE",
    "IED",
    "TP",
    "TT_WNT",
    "TT_D",
    "MR_T",
    "MR_UZ",
    "I_42",
    "I_63",
    "B_SPV",
    "B_SPV_DOSTAWA",
    "B_MPV_PROWIZJA",
)
AMOUNT_FIELDS = tuple("K_%d" % n for n in range(10, 37))
# The sign of each field's tax tag in l10n_pl's tax report (its
# tax_tags formulas): "-K_19" (sales: credit balances), "K_23" (self-assessed
# acquisitions: debit balances).
POSITIVE_TAG_FIELDS = frozenset(
    {"K_23", "K_25", "K_27", "K_29", "K_33", "K_34", "K_35", "K_36"}
)
OUTPUT_TAX_FIELDS = (
    "K_16",
    "K_18",
    "K_20",
    "K_24",
    "K_26",
    "K_28",
    "K_30",
    "K_32",
    "K_33",
    "K_34",
)
OUTPUT_TAX_LESS = ("K_35", "K_36")
# JPK_V7M(3): the form's fixed attributes and its first period.
JPK_V7M_FORM = {"kodSystemowy": "JPK_V7M (3)", "wersjaSchemy": "1-0E"}
JPK_V7M_FIRST_PERIOD = (2026, 2)
CEL_SUBMISSION, CEL_CORRECTION = 1, 2
SCHEMA_FOLDER = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "jpk_xsd"
)
JPK_V7M_SCHEMA = os.path.join(SCHEMA_FOLDER, "schemat_JPK_V7M(3)_v1-0E.xsd")
_NIP = re.compile(r"^[1-9]((\d[1-9])|([1-9]\d))\d{7}$")  # etd:TNrNIP
_PHONE_MAX = 16
_CENTS = Decimal("0.01")
_ZERO = Decimal("0.00")


class JpkError(ValueError):
    """Refused register data; ``code`` names the reason."""

    def __init__(self, code, message=None):
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class SalesRow:
    """One VAT document of the sales register."""

    number: str
    issue_date: datetime.date
    partner_name: str
    amounts: dict = field(default_factory=dict)
    sale_date: datetime.date | None = None
    partner_tin: str | None = None
    tin_country: str | None = None
    ksef_marker: str = "BFK"
    ksef_number: str | None = None
    document_type: str | None = None
    gtu: frozenset = frozenset()
    markers: frozenset = frozenset()

    def __post_init__(self):
        if self.ksef_marker not in KSEF_MARKERS:
            raise JpkError("ksef_marker", "unknown KSeF marker %r" % self.ksef_marker)
        if self.ksef_marker == "NrKSeF" and not self.ksef_number:
            raise JpkError("ksef_marker", "NrKSeF needs the KSeF number")
        if self.document_type and self.document_type not in DOCUMENT_TYPES:
            raise JpkError("document_type", "unknown type %r" % self.document_type)
        for code in self.gtu:
            if not isinstance(code, int) or not 1 <= code <= 13:
                raise JpkError("gtu", "GTU codes are 1 to 13, not %r" % (code,))
        for marker in self.markers:
            if marker not in PROCEDURE_MARKERS:
                raise JpkError("marker", "unknown procedure marker %r" % marker)
        amounts = {}
        for name, value in self.amounts.items():
            if name not in AMOUNT_FIELDS:
                raise JpkError("amount_field", "unknown amount field %r" % name)
            amounts[name] = _money(value)
        object.__setattr__(self, "amounts", amounts)

    @property
    def output_tax(self):
        """This row's share of SprzedazCtrl/PodatekNalezny."""
        if self.document_type == "FP":
            return _ZERO
        due = sum((self.amounts.get(name, _ZERO) for name in OUTPUT_TAX_FIELDS), _ZERO)
        less = sum((self.amounts.get(name, _ZERO) for name in OUTPUT_TAX_LESS), _ZERO)
        return due - less


@dataclass(frozen=True)
class Taxpayer:
    """``Podmiot1`` of the JPK: a taxpayer that is not a natural person.

    ``nip`` is normalised (spaces, dashes and a ``PL`` prefix removed); a phone
    longer than the schema's 16 characters loses its spaces, and is left out
    when still too long (it is optional).
    """

    nip: str
    name: str
    email: str
    phone: str | None = None

    def __post_init__(self):
        nip = normalize_nip(self.nip)
        if not _NIP.match(nip):
            raise JpkError("taxpayer", "not a Polish NIP: %r" % (self.nip,))
        if not (self.name or "").strip():
            raise JpkError("taxpayer", "the taxpayer's name is missing")
        if "@" not in (self.email or ""):
            raise JpkError("taxpayer", "not an e-mail address: %r" % (self.email,))
        phone = (self.phone or "").strip() or None
        if phone and len(phone) > _PHONE_MAX:
            phone = re.sub(r"[\s().-]", "", phone)
            if len(phone) > _PHONE_MAX:
                phone = None
        object.__setattr__(self, "nip", nip)
        object.__setattr__(self, "phone", phone)


def normalize_nip(value):
    """The ten digits of a Polish NIP as written in the JPK (no ``PL``)."""
    nip = re.sub(r"[\s-]", "", (value or "").upper())
    return nip[2:] if nip.startswith("PL") else nip


def is_nip(value):
    """Whether ``value`` (with or without ``PL``) is a NIP the JPK accepts."""
    return bool(_NIP.match(normalize_nip(value)))


def ksef_marker(*, ksef_number=None, in_ksef=True, mode="online", document_type=None):
    """Which of NrKSeF / OFF / BFK / DI identifies the document in its row.

    The Ministry of Finance's rules for JPK_V7(3), in this order:

    * the document has a KSeF number: ``NrKSeF`` (also when it arrived after
      an earlier file: the row is corrected by exporting again);
    * it is not an invoice (``RO`` cash-register report, ``WEW`` internal
      document): ``DI``, "dowód inny niż faktura";
    * it was issued outside KSeF (``in_ksef`` false: an invoice to a
      consumer the company does not send to KSeF, an invoice of a company
      outside KSeF, a foreign supplier's invoice): ``BFK``;
    * a KSeF invoice still without its number: ``OFF`` only when it was
      issued in the failure mode (art. 106nf ust. 1); ``DI`` when issued in
      offline24 mode (art. 106nda), in the unavailability mode (art. 106nh)
      or handed over before its number came back (which makes it an
      offline invoice).
    """
    if mode not in KSEF_MODES:
        raise JpkError("ksef_mode", "unknown KSeF issue mode %r" % (mode,))
    if document_type and document_type not in DOCUMENT_TYPES:
        raise JpkError("document_type", "unknown type %r" % (document_type,))
    if ksef_number:
        return "NrKSeF"
    if document_type in NOT_INVOICES:
        return "DI"
    if not in_ksef:
        return "BFK"
    return "OFF" if mode == "failure" else "DI"


def gtu_numbers(codes):
    """The GTU numbers (1 ... 13) of product codes such as ``"GTU_06"``;
    empty values are skipped, anything else is refused."""
    numbers = set()
    for code in codes:
        if not code:
            continue
        match = re.fullmatch(r"GTU_(\d{2})", str(code))
        if not match or not 1 <= int(match.group(1)) <= 13:
            raise JpkError("gtu", "not a GTU code: %r" % (code,))
        numbers.add(int(match.group(1)))
    return frozenset(numbers)


def split_buyer_boxes(amounts, *, purchase):
    """(kept, left out) of a document's amounts by field.

    K_31 / K_32 are the buyer's boxes (art. 17 ust. 1 pkt 5): a vendor bill
    of such goods keeps them, a sales document never reports there (l10n_pl
    still tags its "0 % Stal" sale tax K_31, a leftover of the seller's box
    repealed on 1 November 2019): its amounts there are left out.
    """
    if purchase:
        return dict(amounts), {}
    kept, dropped = {}, {}
    for name, value in amounts.items():
        (dropped if name in BUYER_BOXES else kept)[name] = value
    return kept, dropped


def totals(rows):
    """The register's totals: a dict of every K_ field that has an amount."""
    result = {}
    for row in rows:
        for name, value in row.amounts.items():
            result[name] = result.get(name, _ZERO) + value
    return {name: result[name] for name in AMOUNT_FIELDS if name in result}


def sales_control(rows):
    """SprzedazCtrl: (LiczbaWierszySprzedazy, PodatekNalezny)."""
    rows = list(rows)
    return len(rows), sum((row.output_tax for row in rows), _ZERO)


def _subelement(ns):
    def sub(parent, tag, text=None, **attributes):
        node = etree.SubElement(parent, "{%s}%s" % (ns, tag), attributes)
        if text is not None:
            node.text = xml_text(text)
        return node

    return sub


def sales_xml(rows, variant="M"):
    """The sales part of JPK_V7M / JPK_V7K: ``Ewidencja`` as UTF-8 bytes.

    Only the sales rows and ``SprzedazCtrl``: a fragment, not a file the
    schema accepts (see :func:`jpk_v7m_xml` for the whole file).
    """
    if variant not in NAMESPACES:
        raise JpkError("variant", "JPK_V7 variant is M or K, not %r" % (variant,))
    ns = NAMESPACES[variant]
    root = etree.Element("{%s}Ewidencja" % ns, nsmap={"tns": ns})
    _sales_part(root, list(rows), _subelement(ns))
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def jpk_v7m_xml(
    rows,
    *,
    year,
    month,
    created,
    tax_office,
    taxpayer,
    correction=False,
    system_name="Odoo",
):
    """The whole JPK_V7M(3) file of a month as UTF-8 bytes (not validated).

    ``created`` is DataWytworzeniaJPK (a datetime; naive means UTC), given
    by the caller: nothing here reads the clock. ``tax_office`` is the code
    of the official list (KodUrzedu), ``taxpayer`` a :class:`Taxpayer`,
    ``correction`` makes CelZlozenia 2. No ``Deklaracja``; ``ZakupCtrl``
    with zeros.
    """
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise JpkError("period", "month is 1 to 12, not %r" % (month,))
    if not isinstance(year, int) or (year, month) < JPK_V7M_FIRST_PERIOD:
        raise JpkError(
            "period", "JPK_V7M(3) starts with 2026-02, not %r-%r" % (year, month)
        )
    if not isinstance(created, datetime.datetime):
        raise JpkError("created", "the creation time is a datetime: %r" % (created,))
    if created.tzinfo is not None:
        created = created.astimezone(datetime.UTC).replace(tzinfo=None)
    if not isinstance(taxpayer, Taxpayer):
        raise JpkError("taxpayer", "the taxpayer is a Taxpayer: %r" % (taxpayer,))
    if not re.fullmatch(r"\d{4}", tax_office or ""):
        raise JpkError("tax_office", "not a tax office code: %r" % (tax_office,))
    ns = NAMESPACES["M"]
    sub = _subelement(ns)
    root = etree.Element("{%s}JPK" % ns, nsmap={None: ns})
    header = sub(root, "Naglowek")
    sub(header, "KodFormularza", "JPK_VAT", **JPK_V7M_FORM)
    sub(header, "WariantFormularza", "3")
    sub(header, "DataWytworzeniaJPK", created.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if system_name:
        sub(header, "NazwaSystemu", system_name[:240])
    sub(
        header,
        "CelZlozenia",
        str(CEL_CORRECTION if correction else CEL_SUBMISSION),
        poz="P_7",
    )
    sub(header, "KodUrzedu", tax_office)
    sub(header, "Rok", str(year))
    sub(header, "Miesiac", str(month))
    subject = sub(sub(root, "Podmiot1", rola="Podatnik"), "OsobaNiefizyczna")
    sub(subject, "NIP", taxpayer.nip)
    sub(subject, "PelnaNazwa", taxpayer.name.strip()[:240])
    sub(subject, "Email", taxpayer.email.strip())
    if taxpayer.phone:
        sub(subject, "Telefon", taxpayer.phone)
    register = sub(root, "Ewidencja")
    _sales_part(register, list(rows), sub)
    purchases = sub(register, "ZakupCtrl")
    sub(purchases, "LiczbaWierszyZakupow", "0")
    sub(purchases, "PodatekNaliczony", _text(_ZERO))
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def jpk_v7m_schema():
    """The compiled official JPK_V7M(3) schema (cached, no network)."""
    return ksef_xsd.load_schema(JPK_V7M_SCHEMA, SCHEMA_FOLDER)


def schema_problems(xml):
    """The schema problems (``ksef_xsd.SchemaProblem``) of a JPK_V7M(3) file."""
    return ksef_xsd.validate(jpk_v7m_schema(), xml)


def _sales_part(root, rows, sub):
    """The sales rows and ``SprzedazCtrl`` of ``rows`` under ``root``."""
    for index, row in enumerate(rows, start=1):
        node = sub(root, "SprzedazWiersz")
        sub(node, "LpSprzedazy", str(index))
        if row.tin_country and row.tin_country != "PL":
            sub(node, "KodKrajuNadaniaTIN", row.tin_country)
        sub(node, "NrKontrahenta", row.partner_tin or "BRAK")
        sub(node, "NazwaKontrahenta", row.partner_name or "BRAK")
        sub(node, "DowodSprzedazy", row.number)
        sub(node, "DataWystawienia", row.issue_date.isoformat())
        if row.sale_date and row.sale_date != row.issue_date:
            sub(node, "DataSprzedazy", row.sale_date.isoformat())
        if row.ksef_marker == "NrKSeF":
            sub(node, "NrKSeF", row.ksef_number)
        else:
            sub(node, row.ksef_marker, "1")
        if row.document_type:
            sub(node, "TypDokumentu", row.document_type)
        for code in sorted(row.gtu):
            sub(node, "GTU_%02d" % code, "1")
        for marker in PROCEDURE_MARKERS:
            if marker in row.markers:
                sub(node, marker, "1")
        for name in AMOUNT_FIELDS:
            if name in row.amounts:
                sub(node, name, _text(row.amounts[name]))
    count, tax = sales_control(rows)
    control = sub(root, "SprzedazCtrl")
    sub(control, "LiczbaWierszySprzedazy", str(count))
    sub(control, "PodatekNalezny", _text(tax))


COLUMNS = (
    "Lp.",
    "Data wystawienia",
    "Data sprzedaży",
    "Numer",
    "Kontrahent",
    "NIP",
    "KSeF",
    "Typ",
    "GTU",
    "Oznaczenia",
) + AMOUNT_FIELDS


def _cells(index, row):
    return [
        index,
        row.issue_date.isoformat(),
        (row.sale_date or row.issue_date).isoformat(),
        row.number,
        row.partner_name,
        ((row.tin_country or "") if row.tin_country != "PL" else "")
        + (row.partner_tin or ""),
        row.ksef_number if row.ksef_marker == "NrKSeF" else row.ksef_marker,
        row.document_type or "",
        " ".join("GTU_%02d" % code for code in sorted(row.gtu)),
        " ".join(m for m in PROCEDURE_MARKERS if m in row.markers),
    ] + [row.amounts.get(name) for name in AMOUNT_FIELDS]


def sales_csv(rows):
    """The register as CSV text (semicolon-separated, a totals row last)."""
    rows = list(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for index, row in enumerate(rows, start=1):
        writer.writerow(
            ""
            if value is None
            else _text(value)
            if isinstance(value, Decimal)
            else value
            if isinstance(value, int)
            else spreadsheet_text(value)
            for value in _cells(index, row)
        )
    total = totals(rows)
    writer.writerow(
        ["Razem"]
        + [""] * 9
        + [_text(total[name]) if name in total else "" for name in AMOUNT_FIELDS]
    )
    return buffer.getvalue()


def sales_xlsx(rows, title="Rejestr VAT sprzedaży"):
    """The register as an XLSX workbook (bytes), amounts as numbers."""
    rows = list(rows)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(title[:31])
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, COLUMNS, bold)
    for index, row in enumerate(rows, start=1):
        for col, value in enumerate(_cells(index, row)):
            if isinstance(value, Decimal):
                sheet.write_number(index, col, float(value), money)
            elif isinstance(value, int):
                sheet.write_number(index, col, value)
            elif value is not None:  # text, never a formula
                sheet.write_string(index, col, spreadsheet_text(value))
    total = totals(rows)
    last = len(rows) + 1
    sheet.write(last, 0, "Razem", bold)
    for offset, name in enumerate(AMOUNT_FIELDS):
        if name in total:
            sheet.write_number(last, 10 + offset, float(total[name]), money)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def _money(value):
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise JpkError("amount", "not an amount: %r" % (value,)) from exc
    if not amount.is_finite():
        raise JpkError("amount", "not an amount: %r" % (value,))
    return amount.quantize(_CENTS, rounding=ROUND_HALF_UP)


def _text(amount):
    return "%.2f" % amount
