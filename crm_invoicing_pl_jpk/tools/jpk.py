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

The whole JPK_V7M(3) file (:func:`write_jpk_v7m`, which writes it row by
row into a file) is ``Naglowek`` (form code,
variant 3, creation time given by the caller, CelZlozenia 1 = submission or
2 = correction, the tax office code, year, month), ``Podmiot1`` (a taxpayer
that is not a natural person: NIP, full name, e-mail, phone; or a natural
person: NIP, first name, surname, date of birth, e-mail, phone) and
``Deklaracja`` when asked for (the VAT-7 part:
:meth:`RegisterTotals.declaration` derives P_10 ... P_62 from the register
totals) and ``Ewidencja``: the sales
rows, ``SprzedazCtrl``, the purchase rows (:class:`PurchaseRow`, one
``ZakupWiersz`` each: LpZakupu, KodKrajuNadaniaTIN for a foreign TIN,
NrDostawcy or "BRAK", NazwaDostawcy, DowodZakupu, DataZakupu, DataWplywu
when different, one of NrKSeF / OFF / BFK / DI, DokumentZakupu, IMP, then
K_40 ... K_47) and ``ZakupCtrl`` with the number of purchase rows and the
input tax: the sum of K_41, K_43, K_44, K_45, K_46 and K_47 (§ 11 of the
regulation of the Minister of Finance of 15 October 2019 on the detailed
data of the declarations and of the VAT records).
:func:`schema_problems` validates a file against the official schema
shipped in ``data/jpk_xsd`` (no network; see ``ksef_xsd``),
:func:`file_schema_problems` a file on disk as it reads it.

Which of NrKSeF / OFF / BFK / DI a row carries is decided by
:func:`ksef_marker` from what is known of the document (its KSeF number,
whether it belongs in KSeF, the mode it was issued in); GTU codes of the
product data are read by :func:`gtu_numbers`; :func:`split_buyer_boxes`
keeps K_31 / K_32 (the buyer's self-assessment boxes) off sales documents.

Errors are ``JpkError`` (a ValueError) with a ``code``: ``ksef_marker`` (a
marker that is not one of the four, or NrKSeF without a number),
``ksef_mode``, ``document_type``, ``gtu``, ``marker``, ``amount_field``, ``amount``,
``variant``, ``period``, ``created``, ``taxpayer``, ``tax_office``,
``purchase_document``, ``carried_over``.
"""

import csv
import datetime
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import xlsxwriter
from lxml import etree
from odoo.addons.crm_invoicing_pl.tools import ksef_xsd
from odoo.addons.crm_invoicing_pl.tools.export_text import spreadsheet_text, xml_text
from stdnum.pl import nip as pl_nip

NAMESPACES = {
    # JPK_V7M(3), mandatory from the February 2026 period.
    "M": "http://crd.gov.pl/wzor/2025/12/19/14090/",
}
# The eD base types (etd:), in which OsobaFizyczna's identity is written.
ETD_NAMESPACE = (
    "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/09/13/eD/DefinicjeTypy/"
)
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
# The purchase register (ZakupWiersz): K_40 / K_41 fixed assets, K_42 /
# K_43 other goods and services, K_44 ... K_47 corrections of input tax
# (art. 90a-90c, 91, 89b ust. 1 and 4). l10n_pl's report reads all of
# their tags with a plus sign (debit balances).
PURCHASE_AMOUNT_FIELDS = tuple("K_%d" % n for n in range(40, 48))
INPUT_TAX_FIELDS = ("K_41", "K_43", "K_44", "K_45", "K_46", "K_47")
# Pairs the schema writes together (a base with its tax: a sequence in
# which both are required).
PURCHASE_PAIRS = (("K_40", "K_41"), ("K_42", "K_43"))
SALES_PAIRS = tuple(
    ("K_%d" % n, "K_%d" % (n + 1)) for n in (15, 17, 19, 23, 25, 27, 29, 31)
)
# DokumentZakupu: MK (a supplier settling by cash accounting, art. 21),
# VAT_RR (an invoice of a flat-rate farmer, art. 116), WEW (internal).
PURCHASE_DOCUMENT_TYPES = ("MK", "VAT_RR", "WEW")
# VAT-7 (23) in Deklaracja: fixed attributes and variant.
VAT7_FORM = {
    "kodSystemowy": "VAT-7 (23)",
    "kodPodatku": "VAT",
    "rodzajZobowiazania": "Z",
    "wersjaSchemy": "1-0E",
}
# P_ boxes copied from the register totals (whole zloty): P_n is K_n.
DECLARATION_SALES_BOXES = tuple("P_%d" % n for n in range(10, 37))
DECLARATION_PURCHASE_BOXES = tuple("P_%d" % n for n in range(40, 48))
# Sums of the form (its notes to P_37, P_38 and P_48).
DECLARATION_BASES = tuple(
    "P_%d" % n for n in (10, 11, 13, 15, 17, 19, 21, 22, 23, 25, 27, 29, 31)
)
DECLARATION_OUTPUT_TAX = tuple(
    "P_%d" % n for n in (16, 18, 20, 24, 26, 28, 30, 32, 33, 34)
)
DECLARATION_OUTPUT_LESS = ("P_35", "P_36")
DECLARATION_INPUT_TAX = tuple("P_%d" % n for n in (39, 41, 43, 44, 45, 46, 47))
# Pairs of boxes the schema writes together (a sequence with both
# required); the second of (P_11, P_12) and (P_13, P_14) is optional.
DECLARATION_PAIRS = tuple(
    ("P_%d" % n, "P_%d" % (n + 1))
    for n in (11, 13, 15, 17, 19, 23, 25, 27, 29, 31, 40, 42)
)
DECLARATION_OPTIONAL_SECOND = ("P_12", "P_14")
# Boxes the file always carries (P_38 and P_51 are required by the schema).
DECLARATION_ALWAYS = ("P_37", "P_38", "P_48", "P_51", "P_53", "P_62")
DECLARATION_ORDER = (
    DECLARATION_SALES_BOXES
    + ("P_37", "P_38", "P_39")
    + DECLARATION_PURCHASE_BOXES
    + ("P_48", "P_51", "P_53", "P_62")
)
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
# etd:TData, the type of DataUrodzenia.
_BIRTH_FIRST, _BIRTH_LAST = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
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
class PurchaseRow:
    """One purchase document of the register of input tax (ZakupWiersz).

    ``number`` is the supplier's document number (DowodZakupu),
    ``issue_date`` its issue date (DataZakupu), ``receipt_date`` the day it
    was received (DataWplywu, written when it differs), ``document_type``
    one of MK / VAT_RR / WEW, ``imported`` the IMP marker (input tax on the
    import of goods, also under art. 33a).
    """

    number: str
    issue_date: datetime.date
    partner_name: str
    amounts: dict = field(default_factory=dict)
    receipt_date: datetime.date | None = None
    partner_tin: str | None = None
    tin_country: str | None = None
    ksef_marker: str = "BFK"
    ksef_number: str | None = None
    document_type: str | None = None
    imported: bool = False

    def __post_init__(self):
        if self.ksef_marker not in KSEF_MARKERS:
            raise JpkError("ksef_marker", "unknown KSeF marker %r" % self.ksef_marker)
        if self.ksef_marker == "NrKSeF" and not self.ksef_number:
            raise JpkError("ksef_marker", "NrKSeF needs the KSeF number")
        if self.document_type and self.document_type not in PURCHASE_DOCUMENT_TYPES:
            raise JpkError(
                "purchase_document", "unknown purchase document %r" % self.document_type
            )
        amounts = {}
        for name, value in self.amounts.items():
            if name not in PURCHASE_AMOUNT_FIELDS:
                raise JpkError("amount_field", "unknown amount field %r" % name)
            amounts[name] = _money(value)
        object.__setattr__(self, "amounts", amounts)

    @property
    def input_tax(self):
        """This row's share of ZakupCtrl/PodatekNaliczony."""
        return sum((self.amounts.get(name, _ZERO) for name in INPUT_TAX_FIELDS), _ZERO)


@dataclass(frozen=True)
class Taxpayer:
    """``Podmiot1`` of the JPK: a taxpayer that is not a natural person
    (``OsobaNiefizyczna``: NIP, full name), or, with ``first_name``,
    ``last_name`` and ``birth_date``, a natural person (``OsobaFizyczna``: NIP,
    first name, surname, date of birth; the name is then not written).

    ``nip`` is normalised (spaces, dashes and a ``PL`` prefix removed); a phone
    longer than the schema's 16 characters loses its spaces, and is left out
    when still too long (it is optional).
    """

    nip: str
    name: str
    email: str
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth_date: datetime.date | None = None

    @property
    def natural_person(self):
        return bool(self.last_name)

    def __post_init__(self):
        nip = normalize_nip(self.nip)
        if not _NIP.match(nip):
            raise JpkError("taxpayer", "not a Polish NIP: %r" % (self.nip,))
        person = (self.first_name, self.last_name, self.birth_date)
        if any(person):
            first, last = ((value or "").strip() for value in person[:2])
            if not first or not last or len(first) > 30 or len(last) > 81:
                raise JpkError(
                    "taxpayer",
                    "a natural person needs a first name (30 characters at "
                    "most) and a surname (81 at most)",
                )
            if not isinstance(self.birth_date, datetime.date) or not (
                _BIRTH_FIRST <= self.birth_date <= _BIRTH_LAST
            ):
                raise JpkError(
                    "taxpayer", "not a date of birth: %r" % (self.birth_date,)
                )
            object.__setattr__(self, "first_name", first)
            object.__setattr__(self, "last_name", last)
        elif not (self.name or "").strip():
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
    """The ten digits of a Polish NIP as written in the JPK (no ``PL``):
    python-stdnum's compact form."""
    return pl_nip.compact(value or "")


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
    """The register's totals: a dict of every K_ field that has an amount
    (sales or purchase rows)."""
    result = {}
    for row in rows:
        for name, value in row.amounts.items():
            result[name] = result.get(name, _ZERO) + value
    return {
        name: result[name]
        for name in AMOUNT_FIELDS + PURCHASE_AMOUNT_FIELDS
        if name in result
    }


class RegisterTotals:
    """Running totals of the register rows written to a JPK file: the
    control sums (``SprzedazCtrl``: rows and output tax, ``ZakupCtrl``: rows
    and input tax) and the K_ totals the declaration is made of, without
    the rows of invoices to receipts (FP)."""

    def __init__(self):
        self.sales_count = 0
        self.output_tax = _ZERO
        self.purchase_count = 0
        self.input_tax = _ZERO
        self.sold = {}
        self.bought = {}

    def add_sale(self, row):
        self.sales_count += 1
        self.output_tax += row.output_tax
        if row.document_type != "FP":
            _add(self.sold, row.amounts)

    def add_purchase(self, row):
        self.purchase_count += 1
        self.input_tax += row.input_tax
        _add(self.bought, row.amounts)

    def declaration(self, carried_over=0):
        """The VAT-7 boxes of ``Deklaracja`` (whole zloty, ints) by name.

        P_10 ... P_36 are the sales register's K_10 ... K_36 and P_40 ...
        P_47 the purchase register's K_40 ... K_47, each total rounded to
        the whole zloty (art. 63 § 1 of the Tax Ordinance: below 50 grosz
        down, from 50 grosz up); the rows of invoices to receipts (FP) are
        left out: their sale is already in the cash register's report. P_37
        and P_38 (bases, output tax), P_39 the excess ``carried_over`` from
        the previous declaration (P_62 there), P_48 the input tax to deduct
        (P_39 + P_41 + P_43 ... P_47), then P_51 the tax to pay (P_38 - P_48
        when positive) or P_53 the excess of input tax, all of it carried
        over to the next period (P_62): no refund (P_54) is asked for,
        nothing of P_49 / P_50 is known here.
        """
        values = {}
        for name in DECLARATION_SALES_BOXES:
            values[name] = _zloty(self.sold.get("K" + name[1:], _ZERO))
        for name in DECLARATION_PURCHASE_BOXES:
            values[name] = _zloty(self.bought.get("K" + name[1:], _ZERO))
        values["P_37"] = sum(values[name] for name in DECLARATION_BASES)
        values["P_38"] = sum(values[name] for name in DECLARATION_OUTPUT_TAX) - sum(
            values[name] for name in DECLARATION_OUTPUT_LESS
        )
        values["P_39"] = _carried_over(carried_over)
        values["P_48"] = sum(values[name] for name in DECLARATION_INPUT_TAX)
        values["P_51"] = max(values["P_38"] - values["P_48"], 0)
        values["P_53"] = max(values["P_48"] - values["P_38"], 0)
        values["P_62"] = values["P_53"]
        return values


def _add(result, amounts):
    for name, value in amounts.items():
        result[name] = result.get(name, _ZERO) + value


def _carried_over(value):
    """P_39, the excess carried over from the previous declaration: whole
    zloty, not negative."""
    try:
        carried = int(value)
    except (TypeError, ValueError) as exc:
        raise JpkError("carried_over", "not an amount: %r" % (value,)) from exc
    if carried != value or carried < 0:
        raise JpkError(
            "carried_over", "P_39 is whole zloty, not negative: %r" % (value,)
        )
    return carried


def _subelement(ns):
    def sub(parent, tag, text=None, **attributes):
        node = etree.SubElement(parent, "{%s}%s" % (ns, tag), attributes)
        if text is not None:
            node.text = xml_text(text)
        return node

    return sub


def write_jpk_v7m(
    out,
    rows,
    *,
    year,
    month,
    created,
    tax_office,
    taxpayer,
    correction=False,
    system_name="Odoo",
    purchases=(),
    carried_over=None,
):
    """Write the whole JPK_V7M(3) file of a month, UTF-8, to the binary
    file ``out`` (not validated) and return its :class:`RegisterTotals`.

    ``rows`` (the :class:`SalesRow` s) and ``purchases`` (the
    :class:`PurchaseRow` s) are iterables read once, row by row: a month of
    100 000 documents is never held in memory. The rows go to a temporary
    file first, because ``Deklaracja``, which comes before them, is made of
    their totals.

    ``created`` is DataWytworzeniaJPK (a datetime; naive means UTC), given
    by the caller: nothing here reads the clock. ``tax_office`` is the code
    of the official list (KodUrzedu), ``taxpayer`` a :class:`Taxpayer`,
    ``correction`` makes CelZlozenia 2. ``carried_over``: P_39 of the
    declaration (see :meth:`RegisterTotals.declaration`); None writes no
    declaration (e.g. a correction of the records only).
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
    if carried_over is not None:
        _carried_over(carried_over)
    result = RegisterTotals()
    with tempfile.TemporaryFile() as register:
        for index, row in enumerate(rows, start=1):
            register.write(_sales_row(index, row))
            result.add_sale(row)
        register.write(
            _block(
                "SprzedazCtrl",
                [
                    ("LiczbaWierszySprzedazy", str(result.sales_count)),
                    ("PodatekNalezny", _text(result.output_tax)),
                ],
            )
        )
        for index, row in enumerate(purchases, start=1):
            register.write(_purchase_row(index, row))
            result.add_purchase(row)
        register.write(
            _block(
                "ZakupCtrl",
                [
                    ("LiczbaWierszyZakupow", str(result.purchase_count)),
                    ("PodatekNaliczony", _text(result.input_tax)),
                ],
            )
        )
        declaration = None
        if carried_over is not None:
            declaration = result.declaration(carried_over)
        head, tail = _head(
            year=year,
            month=month,
            created=created,
            tax_office=tax_office,
            taxpayer=taxpayer,
            correction=correction,
            system_name=system_name,
            declaration=declaration,
        )
        out.write(head)
        register.seek(0)
        shutil.copyfileobj(register, out)
        out.write(tail)
    return result


def _head(
    *, year, month, created, tax_office, taxpayer, correction, system_name, declaration
):
    """The file around ``Ewidencja``'s rows: (the bytes before, the bytes
    after), serialised by lxml as one pretty-printed document."""
    ns = NAMESPACES["M"]
    sub = _subelement(ns)
    root = etree.Element("{%s}JPK" % ns, nsmap={None: ns, "etd": ETD_NAMESPACE})
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
    if taxpayer.natural_person:
        etd = _subelement(ETD_NAMESPACE)
        subject = sub(sub(root, "Podmiot1", rola="Podatnik"), "OsobaFizyczna")
        etd(subject, "NIP", taxpayer.nip)
        etd(subject, "ImiePierwsze", taxpayer.first_name)
        etd(subject, "Nazwisko", taxpayer.last_name)
        etd(subject, "DataUrodzenia", taxpayer.birth_date.isoformat())
    else:
        subject = sub(sub(root, "Podmiot1", rola="Podatnik"), "OsobaNiefizyczna")
        sub(subject, "NIP", taxpayer.nip)
        sub(subject, "PelnaNazwa", taxpayer.name.strip()[:240])
    sub(subject, "Email", taxpayer.email.strip())
    if taxpayer.phone:
        sub(subject, "Telefon", taxpayer.phone)
    if declaration is not None:
        _declaration_part(root, declaration, sub)
    sub(root, "Ewidencja")
    document = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    before, after = document.split(b"<Ewidencja/>")
    return before + b"<Ewidencja>\n", b"  </Ewidencja>" + after


def jpk_v7m_schema():
    """The compiled official JPK_V7M(3) schema (cached, no network)."""
    return ksef_xsd.load_schema(JPK_V7M_SCHEMA, SCHEMA_FOLDER)


def schema_problems(xml):
    """The schema problems (``ksef_xsd.SchemaProblem``) of a JPK_V7M(3) file."""
    return ksef_xsd.validate(jpk_v7m_schema(), xml)


def file_schema_problems(source):
    """:func:`schema_problems` of the JPK_V7M(3) file in the binary file
    ``source``, read as it is parsed (constant memory)."""
    return ksef_xsd.validate_file(
        jpk_v7m_schema(),
        source,
        rows=[
            "{%s}%s" % (NAMESPACES["M"], tag)
            for tag in ("SprzedazWiersz", "ZakupWiersz")
        ],
    )


# Text of an element as lxml writes it (see _head): the rows are written as
# text, the same bytes lxml gives, at a fraction of the cost.
_ESCAPED = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _escape(value):
    """``value`` as the text of an element: without the characters XML
    forbids, ``&``, ``<``, ``>`` and CR escaped."""
    return xml_text(value).translate(_ESCAPED)


def _block(tag, children):
    """One child of ``Ewidencja`` as UTF-8 bytes, indented as in the
    pretty-printed file. ``children``: (tag, text) pairs, the text escaped
    already (:func:`_escape`) unless it cannot need it (numbers, dates,
    amounts, codes of a fixed list)."""
    inner = "".join(
        "      <%s>%s</%s>\n" % (name, text, name) for name, text in children
    )
    return ("    <%s>\n%s    </%s>\n" % (tag, inner, tag)).encode("utf-8")


def _ksef_marker(row):
    """The row's KSeF number, or its marker (OFF, BFK, DI) set to 1."""
    if row.ksef_marker == "NrKSeF":
        return ("NrKSeF", _escape(row.ksef_number))
    return (row.ksef_marker, "1")


def _contractor(row, number_tag, name_tag):
    """KodKrajuNadaniaTIN (a foreign TIN), the TIN or BRAK, the name."""
    children = []
    if row.tin_country and row.tin_country != "PL":
        children.append(("KodKrajuNadaniaTIN", _escape(row.tin_country)))
    children.append((number_tag, _escape(row.partner_tin or "BRAK")))
    children.append((name_tag, _escape(row.partner_name or "BRAK")))
    return children


def _sales_row(index, row):
    """``SprzedazWiersz`` number ``index`` of ``row``."""
    children = [("LpSprzedazy", str(index))]
    children += _contractor(row, "NrKontrahenta", "NazwaKontrahenta")
    children += [
        ("DowodSprzedazy", _escape(row.number)),
        ("DataWystawienia", row.issue_date.isoformat()),
    ]
    if row.sale_date and row.sale_date != row.issue_date:
        children.append(("DataSprzedazy", row.sale_date.isoformat()))
    children.append(_ksef_marker(row))
    if row.document_type:
        children.append(("TypDokumentu", row.document_type))
    children += [("GTU_%02d" % code, "1") for code in sorted(row.gtu)]
    children += [(marker, "1") for marker in PROCEDURE_MARKERS if marker in row.markers]
    children += _amounts(row.amounts, AMOUNT_FIELDS, SALES_PAIRS)
    return _block("SprzedazWiersz", children)


def _purchase_row(index, row):
    """``ZakupWiersz`` number ``index`` of ``row``."""
    children = [("LpZakupu", str(index))]
    children += _contractor(row, "NrDostawcy", "NazwaDostawcy")
    children += [
        ("DowodZakupu", _escape(row.number)),
        ("DataZakupu", row.issue_date.isoformat()),
    ]
    if row.receipt_date and row.receipt_date != row.issue_date:
        children.append(("DataWplywu", row.receipt_date.isoformat()))
    children.append(_ksef_marker(row))
    if row.document_type:
        children.append(("DokumentZakupu", row.document_type))
    if row.imported:
        children.append(("IMP", "1"))
    children += _amounts(row.amounts, PURCHASE_AMOUNT_FIELDS, PURCHASE_PAIRS)
    return _block("ZakupWiersz", children)


def _amounts(amounts, names, pairs):
    """The K_ amounts of a row in the schema's order, as (tag, text); a base
    and its tax (``pairs``) go together, the missing one as 0.00."""
    written = set(amounts)
    for pair in pairs:
        if written.intersection(pair):
            written.update(pair)
    return [
        (name, _text(amounts.get(name, _ZERO))) for name in names if name in written
    ]


def _declaration_part(root, values, sub):
    """``Deklaracja``: the VAT-7 header, the P_ boxes of ``values`` (a
    zero box is left out unless the schema or the form's sums need it; the
    two boxes of a pair go together) and ``Pouczenia`` = 1."""
    part = sub(root, "Deklaracja")
    header = sub(part, "Naglowek")
    sub(header, "KodFormularzaDekl", "VAT-7", **VAT7_FORM)
    sub(header, "WariantFormularzaDekl", "23")
    written = set(DECLARATION_ALWAYS)
    written.update(name for name, value in values.items() if value)
    for first, second in DECLARATION_PAIRS:
        if first in written or second in written:
            written.add(first)
            if second not in DECLARATION_OPTIONAL_SECOND:
                written.add(second)
    boxes = sub(part, "PozycjeSzczegolowe")
    for name in DECLARATION_ORDER:
        if name in written:
            sub(boxes, name, str(values.get(name, 0)))
    sub(part, "Pouczenia", "1")


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


def _zloty(amount):
    """Whole zloty (art. 63 § 1 of the Tax Ordinance) as an int."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _text(amount):
    return "%.2f" % amount
