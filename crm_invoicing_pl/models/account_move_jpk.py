# A concern of its own, kept apart from the other extensions of the model.
# pylint: disable=consider-merging-classes-inherited
import re

from odoo import api, fields, models

_VAT_PREFIX = re.compile(r"^([A-Z]{2})(.+)$")

KSEF_MARKERS = [
    ("NrKSeF", "KSeF number"),
    ("OFF", "OFF: issued in KSeF failure mode"),
    ("BFK", "BFK: issued outside KSeF"),
    ("DI", "DI: other document / awaiting the KSeF number"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_jpk_ksef_marker = fields.Selection(
        KSEF_MARKERS,
        string="KSeF Marker (JPK)",
        compute="_compute_pl_jpk_ksef_marker",
        store=True,
        readonly=False,
        copy=False,
        help="How the JPK_V7 sales row identifies the document: its KSeF "
        "number, OFF (issued in KSeF failure mode, number pending), BFK "
        "(issued outside KSeF) or DI (not an invoice, or an offline invoice "
        "still without its KSeF number).",
    )
    pl_jpk_document_type = fields.Selection(
        [
            ("RO", "RO: cash register report"),
            ("WEW", "WEW: internal document"),
            ("FP", "FP: invoice to a receipt"),
        ],
        string="JPK Document Type",
        copy=False,
        help="Only for the documents JPK_V7 marks: FP rows are listed in the "
        "register but not counted in the output tax.",
    )

    @api.depends("l10n_pl_edi_number")
    def _compute_pl_jpk_ksef_marker(self):
        for move in self:
            if move.l10n_pl_edi_number:
                move.pl_jpk_ksef_marker = "NrKSeF"
            elif not move.pl_jpk_ksef_marker or move.pl_jpk_ksef_marker == "NrKSeF":
                move.pl_jpk_ksef_marker = "BFK"

    def _pl_jpk_codes(self):
        """(GTU codes as ints, procedure markers) of this document's JPK row."""
        self.ensure_one()
        gtu = {
            int(code[4:])
            for code in self.invoice_line_ids.product_id.product_tmpl_id.mapped(
                "l10n_pl_vat_gtu"
            )
            if code
        }
        markers = set()
        if self.commercial_partner_id.l10n_pl_links_with_customer:
            markers.add("TP")
        for marker, flag in (
            ("B_SPV", self.l10n_pl_vat_b_spv),
            ("B_SPV_DOSTAWA", self.l10n_pl_vat_b_spv_dostawa),
            ("B_MPV_PROWIZJA", self.l10n_pl_vat_b_mpv_prowizja),
        ):
            if flag:
                markers.add(marker)
        return gtu, markers

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
