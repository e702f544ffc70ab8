import re
from collections import defaultdict

from odoo import api, fields, models

from ..tools.jpk import PROCEDURE_MARKERS, gtu_numbers, ksef_marker

_VAT_PREFIX = re.compile(r"^([A-Z]{2})(.+)$")

KSEF_MARKERS = [
    ("NrKSeF", "KSeF number"),
    ("OFF", "OFF: issued in KSeF failure mode"),
    ("BFK", "BFK: issued outside KSeF"),
    ("DI", "DI: other document / awaiting the KSeF number"),
]
PURCHASE_TYPES = ("in_invoice", "in_refund", "in_receipt")
# l10n_pl's tag of the import of goods settled under art. 33a (K_25).
IMPORT_33A_TAG = "K_25"
# What a JPK row reads of its document (_pl_jpk_prefetch).
JPK_FIELDS = (
    "name",
    "ref",
    "move_type",
    "company_id",
    "commercial_partner_id",
    "reversed_entry_id",
    "pl_document_type_id",
    "pl_sale_order_id",
    "pl_ksef_issue_mode",
    "pl_jpk_document_type",
    "l10n_pl_edi_number",
    "l10n_pl_edi_status",
    "l10n_pl_edi_ref",
    "l10n_pl_vat_b_spv",
    "l10n_pl_vat_b_spv_dostawa",
    "l10n_pl_vat_b_mpv_prowizja",
)


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_jpk_ksef_marker = fields.Selection(
        KSEF_MARKERS,
        string="KSeF Marker (JPK)",
        compute="_compute_pl_jpk_ksef_marker",
        help="How the JPK_V7 sales row identifies the document, worked out "
        "at each export: its KSeF number; OFF (issued in KSeF failure mode, "
        "number pending); BFK (issued outside KSeF: consumer invoices the "
        "company does not send to KSeF, invoices of a company outside KSeF, "
        "foreign suppliers' invoices); DI (not an invoice, or an offline "
        "invoice still without its KSeF number).",
    )
    pl_jpk_purchase_document = fields.Selection(
        [
            ("MK", "MK: supplier using cash accounting"),
            ("VAT_RR", "VAT_RR: VAT RR invoice (flat-rate farmer)"),
            ("WEW", "WEW: internal document"),
        ],
        string="JPK Purchase Document",
        copy=False,
        help="DokumentZakupu of the JPK_V7 purchase row (§ 11 ust. 1 of the "
        "JPK_VAT regulation): an invoice of a supplier settling by the cash "
        "method (art. 21), a VAT RR invoice for the purchase from a flat-rate "
        "farmer (art. 116) or an internal document. Empty for any other "
        "purchase document.",
    )
    pl_jpk_import = fields.Boolean(
        string="Import of Goods (IMP)",
        copy=False,
        help="The input tax of this document comes from the import of goods "
        "(customs declaration): the JPK_V7 purchase row carries IMP. Set "
        "automatically for the import of goods settled under art. 33a.",
    )

    @api.depends(
        "l10n_pl_edi_number",
        "l10n_pl_edi_status",
        "l10n_pl_edi_ref",
        "pl_ksef_issue_mode",
        "pl_jpk_document_type",
        "move_type",
        "pl_document_type_id",
        "commercial_partner_id.is_company",
        "commercial_partner_id.vat",
        "company_id.pl_ksef_b2c",
        "company_id.l10n_pl_edi_register",
    )
    def _compute_pl_jpk_ksef_marker(self):
        # Never stored: a KSeF number that arrives after an export gives
        # NrKSeF in the next one.
        for move in self:
            move.pl_jpk_ksef_marker = ksef_marker(
                ksef_number=move.l10n_pl_edi_number,
                in_ksef=move._pl_jpk_in_ksef(),
                mode=move.pl_ksef_issue_mode or "online",
                document_type=move.pl_jpk_document_type or None,
            )

    def _pl_jpk_in_ksef(self):
        """Whether the document was issued in KSeF (art. 106na): a sales
        document KSeF applies to, of a company that uses KSeF, or one that
        went there. Vendor bills (self-assessed acquisitions) are the
        foreign supplier's invoices, issued outside KSeF unless they carry a
        KSeF number."""
        self.ensure_one()
        if self.move_type not in ("out_invoice", "out_refund"):
            return False
        if self.l10n_pl_edi_status or self.l10n_pl_edi_ref:
            return True
        return bool(
            self.company_id.sudo().l10n_pl_edi_register and self._pl_ksef_applicable()
        )

    def _pl_jpk_document_number(self):
        """DowodSprzedazy: our number, or on a vendor bill (self-assessed
        acquisition) the supplier's invoice number (``ref``), the document
        the tax is accounted on (art. 109 ust. 3)."""
        self.ensure_one()
        if self.move_type in PURCHASE_TYPES and (self.ref or "").strip():
            return self.ref.strip()
        return self.name

    def _pl_jpk_codes(self):
        """(GTU codes as ints, procedure markers) of this document's JPK row
        (see :meth:`_pl_jpk_codes_by_move`)."""
        self.ensure_one()
        return self._pl_jpk_codes_by_move()[self.id]

    def _pl_jpk_codes_by_move(self):
        """{document id: (GTU codes as ints, procedure markers)} of these
        documents' JPK rows, their lines read together (the export reads
        the register a page of documents at a time).

        GTU (§ 10 ust. 3 of the JPK_VAT regulation) and the procedure
        markers (§ 10 ust. 4) of the goods and services supplied: on an
        advance invoice (art. 106b ust. 1 pkt 4), and on its correction, those
        of the ordered goods it is paid for, not of the advance product.
        """
        # What the rows read of the documents, in one query (not all of
        # their columns, which the first field read would fetch).
        self.fetch(JPK_FIELDS)
        groups = self.env["account.move.line"]._read_group(
            [
                ("move_id", "in", self.ids),
                ("display_type", "=", "product"),
                ("is_downpayment", "=", False),
            ],
            ["move_id", "product_id", "pl_ksef_procedure"],
        )
        products = self.env["product.product"].union(
            *(product for _move, product, _procedure in groups)
        )
        gtu_of = {
            product.id: product.product_tmpl_id.l10n_pl_vat_gtu for product in products
        }
        goods = defaultdict(list)
        for move, product, procedure in groups:
            goods[move.id].append((gtu_of.get(product.id), procedure))
        # An advance invoice, and a correction of one, report the goods of
        # the order it is paid for (see _pl_jpk_order_codes).
        advance_types = (
            self.pl_document_type_id | self.reversed_entry_id.pl_document_type_id
        ).filtered(lambda doc_type: doc_type.kind == "advance")
        result = {}
        for move in self:
            advance = advance_types and next(
                (
                    document
                    for document in (move, move.reversed_entry_id)
                    if document.pl_document_type_id in advance_types
                    and document.pl_sale_order_id
                ),
                None,
            )
            if advance:
                gtu_values, procedures = advance._pl_jpk_order_codes()
            else:
                gtu_values = [gtu for gtu, _procedure in goods[move.id]]
                procedures = {procedure for _gtu, procedure in goods[move.id]}
            markers = {marker for marker in procedures if marker in PROCEDURE_MARKERS}
            if move.commercial_partner_id.l10n_pl_links_with_customer:
                markers.add("TP")
            for marker, flag in (
                ("B_SPV", move.l10n_pl_vat_b_spv),
                ("B_SPV_DOSTAWA", move.l10n_pl_vat_b_spv_dostawa),
                ("B_MPV_PROWIZJA", move.l10n_pl_vat_b_mpv_prowizja),
            ):
                if flag:
                    markers.add(marker)
            result[move.id] = (set(gtu_numbers(gtu_values)), markers)
        return result

    def _pl_jpk_order_codes(self):
        """(GTU codes, procedures) of the goods of this advance's order: as
        frozen on the advance when it was issued, else the order's products."""
        self.ensure_one()
        lines = self._pl_report_order_block().get("lines") or []
        if lines and all("ksef" in line for line in lines):
            return (
                [line["ksef"].get("gtu") for line in lines],
                {line["ksef"].get("procedure") for line in lines},
            )
        products = self.pl_sale_order_id.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        ).product_id.product_tmpl_id
        return products.mapped("l10n_pl_vat_gtu"), set(
            products.mapped("pl_ksef_procedure")
        )

    def _pl_jpk_tin(self):
        """(KodKrajuNadaniaTIN, NrKontrahenta) of the contractor, or Nones."""
        self.ensure_one()
        partner = self.commercial_partner_id
        vat = re.sub(r"[\s-]", "", (partner.vat or "").upper())
        if not vat:
            return None, None
        match = _VAT_PREFIX.match(vat)
        if match:
            return match.group(1), match.group(2)
        return partner.country_id.code or None, vat

    def _pl_jpk_imported(self):
        """IMP (§ 11 ust. 2 pkt 1 of the JPK_VAT regulation): input tax on
        the import of goods, including the import settled under art. 33a
        (l10n_pl's K_25 tag on the document)."""
        self.ensure_one()
        return self.pl_jpk_import or IMPORT_33A_TAG in self.line_ids.tax_tag_ids.mapped(
            "name"
        )
