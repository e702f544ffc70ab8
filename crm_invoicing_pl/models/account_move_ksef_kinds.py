"""FA(3) (KSeF) of the advance, final and correction invoices.

On top of account_move_ksef.py (the values of a Faktura VAT):

* advance invoices (ZAL) carry the order in ``Zamowienie`` (from the order
  block frozen on the advance, account_move_advance.py) instead of lines;
  the advance paying the rest of the order lists the earlier ones;
* final invoices (ROZ) show the goods in full, the totals reduced by the
  advances (Odoo's deduction lines, left out of FaWiersz) and list the
  advances in ``FakturaZaliczkowa``, by KSeF number when they have one;
* corrections (KOR, KOR_ZAL, KOR_ROZ) carry the reason, the correction type
  chosen by the user (TypKorekty), the corrected invoice's data with its KSeF
  number, and each corrected line before (StanPrzed) and after, computed by
  tools/ksef_fa3.py from the invoice, its earlier corrections and the
  correction's own lines: taken off by a credit note (negative differences),
  added by an upward correction, a debit note (art. 106j ust. 1 pkt 5,
  positive differences; see account_move_correction.py).
"""

# The FA(3) of the other document kinds is a concern of its own.
# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models
from odoo.tools import float_repr

from ..tools import ksef_fa3

# TypKorekty (TTypKorekty): when the correction takes effect in the VAT records.
CORRECTION_TYPES = [
    ("1", "1 - On the date of the corrected invoice (an error in it)"),
    ("2", "2 - On the date of this correction (return, discount, price change)"),
    ("3", "3 - On another date (e.g. different dates for different lines)"),
]
# Procedure markers an order line (ZamowienieWiersz) may carry.
ORDER_PROCEDURES = {
    "WSTO_EE",
    "IED",
    "TT_D",
    "B_SPV",
    "B_SPV_DOSTAWA",
    "B_MPV_PROWIZJA",
}


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_correction_type = fields.Selection(
        CORRECTION_TYPES,
        string="Correction Effect",
        compute="_compute_pl_correction_type",
        store=True,
        readonly=False,
        help="When the correction counts in the VAT records (TypKorekty of the "
        "KSeF invoice): on the date of the corrected invoice (a mistake in it, "
        "e.g. a wrong rate or price), on the date of this correction (the usual "
        "case of a return, a discount, a refunded advance: art. 29a ust. 13) or "
        "on another date.",
    )

    @api.depends("move_type", "pl_document_type_id", "debit_origin_id")
    def _compute_pl_correction_type(self):
        # A decrease after the sale (return, discount, refunded advance) counts
        # when the correction is issued: the usual Polish credit note; so
        # does an increase whose cause arose after the sale (a price raised,
        # art. 29a ust. 17).
        for move in self:
            if not move.pl_document_type_id or not (
                move.move_type == "out_refund" or move._pl_is_upward_correction()
            ):
                move.pl_correction_type = False
            elif not move.pl_correction_type:
                move.pl_correction_type = "2"

    # ------------------------------------------------------------------
    # Document kind and values
    # ------------------------------------------------------------------
    def _l10n_pl_edi_get_ksef_invoice_type(self):
        # EXTENDS l10n_pl_edi: our advance and final invoices are ZAL and ROZ
        # whatever their lines; a correction follows what it corrects, also
        # an upward one (a debit note, an out_invoice for Odoo).
        self.ensure_one()
        if self.pl_document_type_id and self._pl_is_upward_correction():
            origin_kind = self.debit_origin_id._l10n_pl_edi_get_ksef_invoice_type()
            return {"ZAL": "KOR_ZAL", "ROZ": "KOR_ROZ"}.get(origin_kind, "KOR")
        if self.move_type == "out_invoice" and self.pl_document_kind == "advance":
            return "ZAL"
        if self.move_type == "out_invoice" and self.pl_document_kind == "final":
            return "ROZ"
        return super()._l10n_pl_edi_get_ksef_invoice_type()

    def _l10n_pl_edi_get_xml_values(self):
        # EXTENDS crm_invoicing_pl (account_move_ksef.py)
        values = super()._l10n_pl_edi_get_xml_values()
        if "pl_ksef" not in values:
            return values
        kind = values["invoice_type"]
        ksef = values["pl_ksef"]
        ksef["FakturaZaliczkowa"] = (
            self._pl_ksef_advances() if kind in ("ZAL", "ROZ") else []
        )
        ksef["Zamowienie"] = self._pl_ksef_order(kind, ksef["P_18A"] == "1")
        if ksef["Zamowienie"]:
            # An advance of an order shows the ordered goods in Zamowienie,
            # not as lines.
            values["invoice_lines"] = []
        elif kind == "ROZ":
            values["invoice_lines"] = self._pl_ksef_numbered(
                self._pl_ksef_goods_rows(values["invoice_lines"])
            )
        elif "KOR" in kind:
            values["invoice_lines"] = self._pl_ksef_correction_rows(values)
        if "KOR" in kind:
            values["correction_info"].update(self._pl_ksef_correction_info(kind))
        return values

    # ------------------------------------------------------------------
    # FA(3): advance (ZAL) and final (ROZ) invoices
    # ------------------------------------------------------------------
    def _pl_order_block_values(self):
        # EXTENDS account_move_advance: what the KSeF Zamowienie needs of each
        # ordered line, frozen on the advance with the rest of the block.
        block = super()._pl_order_block_values()
        order_lines = self._pl_order_block_lines()
        for values, line in zip(block["lines"], order_lines, strict=True):
            product = line.product_id.product_tmpl_id
            values["ksef"] = {
                "unit": self._pl_ksef_unit(line.product_uom_id),
                "price": line.price_unit,
                "rate": self._pl_ksef_rate_code(line.tax_ids),
                "gtu": product.l10n_pl_vat_gtu or False,
                "procedure": product.pl_ksef_procedure or False,
                "annex15": bool(product.pl_annex_15),
            }
        return block

    def _pl_ksef_order(self, kind, split_payment):
        """Zamowienie: the order of an advance invoice, in its currency.

        On the correction of an advance (KOR_ZAL) the order of the corrected
        advance, each line before (StanPrzedZ) and after the correction: the
        correction gives back (part of) the payment, the order is the same.
        """
        self.ensure_one()
        if kind == "ZAL":
            block = self._pl_report_order_block()
        elif kind == "KOR_ZAL":
            block = self._pl_corrected_invoice()._pl_report_order_block()
        else:
            return False
        if not block or not block.get("lines"):
            return False
        rows = []
        for line in block["lines"]:
            ksef = line.get("ksef") or {}
            quantity = line["quantity"]
            price = ksef.get("price")
            if price is None:  # an advance issued before this data was kept
                price = line["net"] / quantity if quantity else 0.0
            procedure = ksef.get("procedure")
            row = {
                "P_7Z": (line["name"] or "")[:512],
                "P_8AZ": ksef.get("unit") or ksef_fa3.polish_unit(line["uom"]),
                "P_8BZ": ksef_fa3.quantity_repr(quantity),
                "P_9AZ": ksef_fa3.price_repr(price),
                "P_11NettoZ": float_repr(line["net"], 2),
                "P_11VatZ": float_repr(line["vat"], 2),
                "P_12Z": ksef.get("rate")
                or ksef_fa3.rate_code_from_label(line["rate"]),
                "P_12Z_Zal_15": "1" if split_payment and ksef.get("annex15") else False,
                "GTUZ": ksef.get("gtu") or False,
                "ProceduraZ": procedure if procedure in ORDER_PROCEDURES else False,
            }
            if kind == "KOR_ZAL":
                rows += [{**row, "StanPrzedZ": "1"}, row]
            else:
                rows.append(row)
        for number, row in enumerate(rows, start=1):
            row["NrWierszaZam"] = number
        return {
            "WartoscZamowienia": float_repr(block["total"]["gross"], 2),
            "rows": rows,
        }

    def _pl_ksef_advances(self):
        """FakturaZaliczkowa: the advances a final invoice (or the advance
        paying the rest of the order) settles, by KSeF number when they have
        one, else by their number as advances issued outside KSeF."""
        self.ensure_one()
        return [
            {"number": row["name"], "ksef_number": row["ksef_number"]}
            for row in self._pl_report_advances()
        ]

    def _pl_ksef_goods_lines(self):
        """The product lines that are FaWiersz: on a final invoice (and its
        correction) without the deducted advances, which FakturaZaliczkowa
        and the reduced totals show."""
        self.ensure_one()
        lines = self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        if self._l10n_pl_edi_get_ksef_invoice_type() in ("ROZ", "KOR_ROZ"):
            lines = lines.filtered(lambda line: not line.is_downpayment)
        return lines

    def _pl_ksef_goods_rows(self, rows):
        """``rows`` (FaWiersz values) of the goods lines only."""
        uuids = {f"odoo-line-{line.id}" for line in self._pl_ksef_goods_lines()}
        return [row for row in rows if row.get("UU_ID") in uuids]

    @api.model
    def _pl_ksef_numbered(self, rows):
        for number, row in enumerate(rows, start=1):
            row["NrWierszaFa"] = number
        return rows

    # ------------------------------------------------------------------
    # FA(3): corrections (KOR, KOR_ZAL, KOR_ROZ)
    # ------------------------------------------------------------------
    def _pl_ksef_correction_info(self, kind):
        """DaneFaKorygowanej and the other correction data of l10n_pl_edi,
        completed: our reason and correction type, the number, issue date and
        KSeF number (not the sending reference) of the corrected invoice, also
        of the one an upward correction corrects (art. 106j ust. 2 pkt 2a and
        3), the amount before."""
        self.ensure_one()
        origin = self._pl_corrected_invoice()
        ksef_number = origin.l10n_pl_edi_number
        info = {
            "NrFaKorygowanej": origin.name or "BRAK",
            "DataWystFaKorygowanej": origin.invoice_date or self.invoice_date,
            "PrzyczynaKorekty": (self.pl_correction_reason or self.ref or "")[:256]
            or False,
            "TypKorekty": self.pl_correction_type or False,
            "NrKSeF": ksef_number or False,
            "NrKSeFN": False if ksef_number else "1",
            "P_15ZK": False,
            "KursWalutyZK": False,
        }
        if kind in ("KOR_ZAL", "KOR_ROZ") and origin:
            # The payment (KOR_ZAL) or the rest to pay (KOR_ROZ) before.
            rows = self._pl_report_correction_rows()
            info["P_15ZK"] = float_repr(rows[-1]["before"]["gross"], 2)
            foreign = origin.currency_id != origin.company_currency_id
            if kind == "KOR_ZAL" and foreign and origin.pl_rate:
                info["KursWalutyZK"] = float_repr(origin.pl_rate, 4)
        return info

    @api.model
    def _pl_ksef_line(self, line, data=None):
        """An invoice line for tools.ksef_fa3.correct_lines."""
        taxes = tuple(sorted(line.tax_ids.ids))
        product = line.product_id.id
        return ksef_fa3.Line(
            keys=((product, line.name or "", taxes), (product, taxes), (product,)),
            quantity=line.quantity,
            price=self._pl_ksef_net_price(line),
            net=line.price_subtotal,
            data=data or {},
        )

    def _pl_ksef_correction_rows(self, values):
        """FaWiersz of a correction: each corrected line of the invoice as it
        was (StanPrzed) and as it is after the correction; a line of the
        correction that corrects no line of the invoice, as a difference
        (negative on a credit note, positive on an upward correction)."""
        self.ensure_one()
        origin = self._pl_corrected_invoice()
        if not origin:
            return values["invoice_lines"]
        own = {row["UU_ID"]: row for row in values["invoice_lines"]}
        lines = [
            self._pl_ksef_line(line, own[uuid])
            for line in self._pl_ksef_goods_lines()
            if (uuid := f"odoo-line-{line.id}") in own
        ]
        origin_rows = {
            row["UU_ID"]: row
            for row in origin._l10n_pl_edi_get_xml_values()["invoice_lines"]
        }
        state = [
            self._pl_ksef_line(line, origin_rows[uuid])
            for line in origin._pl_ksef_goods_lines()
            if (uuid := f"odoo-line-{line.id}") in origin_rows
        ]
        for earlier in self._pl_earlier_corrections():
            earlier_lines = [
                self._pl_ksef_line(line) for line in earlier._pl_ksef_goods_lines()
            ]
            state = ksef_fa3.correct_lines(
                state, earlier_lines, increase=earlier._pl_is_upward_correction()
            ).state
        result = ksef_fa3.correct_lines(
            state, lines, increase=self._pl_is_upward_correction()
        )
        rows = []
        for before, after in result.pairs:
            rows += [self._pl_ksef_row(before, before=True), self._pl_ksef_row(after)]
        rows += [self._pl_ksef_row(line) for line in result.differences]
        return self._pl_ksef_numbered(rows)

    @api.model
    def _pl_ksef_row(self, line, before=False):
        """FaWiersz values of a tools.ksef_fa3.Line."""
        return {
            **line.data,
            "P_8B": ksef_fa3.quantity_repr(line.quantity),
            "P_9A": ksef_fa3.price_repr(line.price),
            "P_11": format(line.net, "f"),
            "StanPrzed": "1" if before else False,
        }
