"""FA(3) (KSeF) XML of our documents, on top of core ``l10n_pl_edi``.

``l10n_pl_edi`` builds the FA(3) XML from ``_l10n_pl_edi_get_xml_values`` and
its QWeb template ``l10n_pl_edi.fa3_xml_template``. We add our data to the
values (key ``pl_ksef`` and extra keys of each line) and the template
inheritance ``crm_invoicing_pl.fa3_xml_template`` uses it in place of the
hard-coded elements. The rendered XML is validated against the FA(3) XSD
shipped in ``l10n_pl_edi`` before anything is sent.
"""

# KSeF (FA(3)) data is a concern of its own.
# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_repr
from odoo.tools.misc import file_path

from ..tools import ksef_fa3, ksef_xsd

# FA(3) FormaPlatnosci codes (TFormaPlatnosci) of our payment methods; the
# others are "PlatnoscInna" with a description.
PAYMENT_FORM = {"cash": "1", "card": "2", "transfer": "6"}
PAYMENT_OTHER = {"compensation": "Kompensata", "other": "Inna"}

# Podmiot3/Rola (TRolaPodmiotu3): 8 = subordinate unit of a JST, 10 = member
# of a VAT group.
ROLE_JST_UNIT = "8"
ROLE_GV_MEMBER = "10"

EXEMPTION_ELEMENT = {"act": "P_19A", "directive": "P_19B", "other": "P_19C"}

# TypKorekty (TTypKorekty): when the correction takes effect in the VAT records.
CORRECTION_TYPES = [
    ("1", "1 - On the date of the corrected invoice (an error in it)"),
    ("2", "2 - On the date of this correction (return, discount, price cut)"),
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

    pl_exemption_basis_type = fields.Selection(
        [
            ("act", "Polish VAT act or regulation"),
            ("directive", "Directive 2006/112/EC"),
            ("other", "Other legal basis"),
        ],
        string="Exemption Basis Type",
        compute="_compute_pl_exemption_basis_type",
        store=True,
        readonly=False,
        help="Where the exemption basis goes in the KSeF invoice: P_19A (a "
        "provision of the VAT act or of a regulation), P_19B (Directive "
        "2006/112/EC) or P_19C (another legal basis).",
    )

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

    @api.depends("move_type", "pl_document_type_id")
    def _compute_pl_correction_type(self):
        # A decrease after the sale (return, discount, refunded advance) counts
        # when the correction is issued: the usual Polish credit note.
        for move in self:
            if move.move_type != "out_refund" or not move.pl_document_type_id:
                move.pl_correction_type = False
            elif not move.pl_correction_type:
                move.pl_correction_type = "2"

    @api.depends(
        "invoice_line_ids.tax_ids.pl_exemption_basis_type",
        "invoice_line_ids.tax_ids.pl_vat_kind",
    )
    def _compute_pl_exemption_basis_type(self):
        # From the exempt tax while the document is a draft; a posted document
        # keeps what it was issued with.
        for move in self:
            types = move.invoice_line_ids.tax_ids.filtered(
                lambda t: t.pl_vat_kind == "exempt"
            ).mapped("pl_exemption_basis_type")
            if types and (move.state == "draft" or not move.pl_exemption_basis_type):
                move.pl_exemption_basis_type = types[0]
            elif not move.pl_exemption_basis_type:
                move.pl_exemption_basis_type = "act"

    # ------------------------------------------------------------------
    # KSeF: never for pro formas
    # ------------------------------------------------------------------
    @api.constrains("l10n_pl_edi_status", "l10n_pl_edi_ref", "pl_document_type_id")
    def _check_pl_proforma_not_in_ksef(self):
        for move in self:
            if move.pl_document_kind == "proforma" and (
                move.l10n_pl_edi_status or move.l10n_pl_edi_ref
            ):
                raise ValidationError(
                    self.env._(
                        "%s is a pro forma: a pro forma is not an invoice and never "
                        "goes to KSeF.",
                        move.display_name,
                    )
                )

    def _pl_ksef_applicable(self):
        """Whether this document may be sent to KSeF at all."""
        self.ensure_one()
        return self.pl_document_kind != "proforma"

    def action_l10n_pl_edi_update_invoice_status(self):
        # EXTENDS l10n_pl_edi: a pro forma has nothing to ask KSeF about.
        for move in self:
            if not move._pl_ksef_applicable():
                raise UserError(
                    self.env._(
                        "%s is a pro forma: it is never sent to KSeF.",
                        move.display_name,
                    )
                )
        return super().action_l10n_pl_edi_update_invoice_status()

    # ------------------------------------------------------------------
    # FA(3) values
    # ------------------------------------------------------------------
    def _l10n_pl_edi_get_ksef_invoice_type(self):
        # EXTENDS l10n_pl_edi: our advance and final invoices are ZAL and ROZ
        # whatever their lines; a correction follows what it corrects.
        self.ensure_one()
        if self.move_type == "out_invoice" and self.pl_document_kind == "advance":
            return "ZAL"
        if self.move_type == "out_invoice" and self.pl_document_kind == "final":
            return "ROZ"
        return super()._l10n_pl_edi_get_ksef_invoice_type()

    def _l10n_pl_edi_get_xml_values(self):
        # EXTENDS l10n_pl_edi
        values = super()._l10n_pl_edi_get_xml_values()
        values["pl_ksef"] = self._pl_ksef_values(values)
        if values["pl_ksef"]["Podmiot3"]:
            # The local government unit / VAT group is the buyer for VAT.
            taxpayer = self.commercial_partner_id.pl_ksef_buyer_id.commercial_partner_id
            values["buyer"] = taxpayer
            values["buyer_address"] = " ".join(taxpayer._display_address(True).split())
        lines_by_uuid = {f"odoo-line-{line.id}": line for line in self.invoice_line_ids}
        for line_vals in values["invoice_lines"]:
            line = lines_by_uuid.get(line_vals.get("UU_ID"))
            if line:
                line_vals.update(
                    self._pl_ksef_line_values(line, values["pl_ksef"], line_vals)
                )
        kind = values["invoice_type"]
        if values["pl_ksef"]["Zamowienie"]:
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

    def _pl_ksef_values(self, values):
        """Our data for the FA(3) elements that l10n_pl_edi hard-codes."""
        self.ensure_one()
        company = self.company_id
        buyer = self.commercial_partner_id
        kind = values.get("invoice_type")
        foreign = self.currency_id != self.company_currency_id
        split_payment = self.pl_split_payment
        exempt = self.pl_has_exempt_lines and bool(self.pl_exemption_basis)
        cash_accounting = company.pl_cash_accounting or any(
            tax.tax_exigibility == "on_payment" for tax in self.line_ids.tax_ids
        )
        rate = float_repr(self.pl_rate, 4) if foreign and self.pl_rate else False
        recipient = self._pl_ksef_third_party()
        sale_date = self.taxable_supply_date or self.delivery_date
        return {
            "P_1M": (self.pl_place_of_issue or company._pl_place_of_issue() or "")[
                :256
            ],
            "P_6": sale_date if sale_date and sale_date != self.invoice_date else False,
            "P_16": "1" if cash_accounting else "2",
            "P_18": "1" if self.pl_reverse_charge else "2",
            "P_18A": "1" if split_payment else "2",
            "P_19": exempt,
            "P_19_element": EXEMPTION_ELEMENT.get(
                self.pl_exemption_basis_type or "act", "P_19A"
            ),
            "P_19_text": (self.pl_exemption_basis or "")[:256],
            "P_13_10": self._pl_ksef_amount_by_tag(values, "K_31"),
            "P_15": float_repr(self.amount_total_in_currency_signed, 2),
            "JST": "1" if buyer.pl_ksef_jst else "2",
            "GV": "1" if buyer.pl_ksef_gv else "2",
            "Podmiot3": recipient,
            "TP": bool(buyer.l10n_pl_links_with_customer),
            # KursWalutyZ is for advance invoices (and their corrections) in a
            # foreign currency only; the others carry the rate on each line.
            "KursWalutyZ": rate if kind in ("ZAL", "KOR_ZAL") else False,
            "KursWaluty": rate,
            "FormaPlatnosci": PAYMENT_FORM.get(self.pl_payment_method or ""),
            "OpisPlatnosci": PAYMENT_OTHER.get(self.pl_payment_method or ""),
            "FakturaZaliczkowa": self._pl_ksef_advances()
            if kind in ("ZAL", "ROZ")
            else [],
            "Zamowienie": self._pl_ksef_order(kind, split_payment),
        }

    def _pl_ksef_amount_by_tag(self, values, tag):
        amount = values["get_amounts_from_tag"](tag)
        if self.currency_id.is_zero(amount):
            return False
        return float_repr(amount, 2)

    def _pl_ksef_third_party(self):
        """Podmiot3 of a JST subordinate unit or a VAT group member, or False.

        The customer is the unit (member); the buyer (Podmiot2) of the FA(3)
        is then its local government unit (VAT group) when one is set.
        """
        self.ensure_one()
        customer = self.commercial_partner_id
        taxpayer = customer.pl_ksef_buyer_id.commercial_partner_id
        if not (customer.pl_ksef_jst or customer.pl_ksef_gv) or not taxpayer:
            return False
        return {
            "partner": customer,
            "address": " ".join(customer._display_address(True).split()),
            "Rola": ROLE_JST_UNIT if customer.pl_ksef_jst else ROLE_GV_MEMBER,
        }

    def _pl_ksef_line_values(self, line, move_values, line_vals):
        """Extra (or corrected) FaWiersz values of one invoice line."""
        product = line.product_id.product_tmpl_id
        extra = {}
        if line_vals.get("P_12") == "zw" and not line.tax_ids.filtered(
            lambda t: t.pl_vat_kind == "exempt"
        ):
            # l10n_pl_edi maps the 5 % boxes (K_15/K_16) to "zw": a taxed
            # line at 5 % is "5".
            tags = {
                name.lstrip("+-")
                for name in line.tax_tag_ids.with_context(lang="en_US").mapped("name")
            }
            if "K_15" in tags:
                extra["P_12"] = "5"
        return {
            **extra,
            # The unit as Polish invoices write it, the net unit price (also
            # of a line with a tax-included price), an exact quantity.
            "P_8A": self._pl_ksef_unit(line.product_uom_id),
            "P_8B": ksef_fa3.quantity_repr(line_vals["P_8B"]),
            "P_9A": ksef_fa3.price_repr(self._pl_ksef_net_price(line)),
            "P_12_Zal_15": "1"
            if move_values["P_18A"] == "1" and product.pl_annex_15
            else False,
            "GTU": product.l10n_pl_vat_gtu or False,
            "Procedura": line.pl_ksef_procedure or False,
            "KursWaluty": move_values["KursWaluty"],
        }

    @api.model
    def _pl_ksef_unit(self, uom):
        """P_8A: the unit's Polish abbreviation ("szt.", "godz.", "kg", ...)."""
        names = [uom.with_context(lang="en_US").name]
        if self.env["res.lang"]._lang_get("pl_PL"):
            names.append(uom.with_context(lang="pl_PL").name)
        return ksef_fa3.polish_unit(*names)

    @api.model
    def _pl_ksef_net_price(self, line):
        """Net unit price of an invoice line (before its discount)."""
        if any(line.tax_ids.mapped("price_include")) and line.quantity:
            factor = line.quantity * (1.0 - (line.discount or 0.0) / 100.0)
            if factor:
                return line.price_subtotal / factor
        return line.price_unit

    @api.model
    def _pl_ksef_rate_code(self, taxes):
        """FA(3) rate code (P_12 / P_12Z) of ``taxes``, or False."""
        tax = taxes.flatten_taxes_hierarchy()[:1]
        if not tax:
            return False
        tags = {
            name.lstrip("+-")
            for name in tax.invoice_repartition_line_ids.tag_ids.with_context(
                lang="en_US"
            ).mapped("name")
        }
        return (
            ksef_fa3.rate_code(tax.pl_vat_kind, tax.amount, art_100="K_12" in tags)
            or False
        )

    # ------------------------------------------------------------------
    # FA(3): advance (ZAL) and final (ROZ) invoices
    # ------------------------------------------------------------------
    def _pl_order_block_values(self):
        # EXTENDS account_move_advance: what the KSeF Zamowienie needs of each
        # ordered line, frozen on the advance with the rest of the block.
        block = super()._pl_order_block_values()
        order_lines = self.pl_sale_order_id.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )
        for values, line in zip(block["lines"], order_lines, strict=True):
            product = line.product_id.product_tmpl_id
            values["ksef"] = {
                "unit": self._pl_ksef_unit(line.product_uom_id),
                "price": line.price_reduce_taxexcl,
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
            block = self.reversed_entry_id._pl_report_order_block()
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
        completed: our reason and correction type, the KSeF number (not the
        sending reference) of the corrected invoice, the amount before."""
        self.ensure_one()
        origin = self.reversed_entry_id
        ksef_number = origin.l10n_pl_edi_number
        info = {
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

    def _pl_ksef_earlier_corrections(self):
        """The posted corrections of the same invoice issued before this one."""
        self.ensure_one()
        position = (self.invoice_date or self.date, self.id)
        return self.reversed_entry_id.reversal_move_ids.filtered(
            lambda m: (
                m != self
                and m.move_type == "out_refund"
                and m.state == "posted"
                and (m.invoice_date or m.date, m.id) < position
            )
        ).sorted(lambda m: (m.invoice_date or m.date, m.id))

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
        credit note that corrects no line of the invoice, as a difference."""
        self.ensure_one()
        origin = self.reversed_entry_id
        own = {row["UU_ID"]: row for row in values["invoice_lines"]}
        credit = [
            self._pl_ksef_line(line, own[uuid])
            for line in self._pl_ksef_goods_lines()
            if (uuid := f"odoo-line-{line.id}") in own
        ]
        if not origin:
            return values["invoice_lines"]
        origin_rows = {
            row["UU_ID"]: row
            for row in origin._l10n_pl_edi_get_xml_values()["invoice_lines"]
        }
        state = [
            self._pl_ksef_line(line, origin_rows[uuid])
            for line in origin._pl_ksef_goods_lines()
            if (uuid := f"odoo-line-{line.id}") in origin_rows
        ]
        for earlier in self._pl_ksef_earlier_corrections():
            earlier_lines = [
                self._pl_ksef_line(line) for line in earlier._pl_ksef_goods_lines()
            ]
            state = ksef_fa3.correct_lines(state, earlier_lines).state
        result = ksef_fa3.correct_lines(state, credit)
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

    # ------------------------------------------------------------------
    # FA(3) schema validation
    # ------------------------------------------------------------------
    @api.model
    def _pl_ksef_schema(self):
        """The FA(3) XSD of l10n_pl_edi, its imports served from our data."""
        return ksef_xsd.load_schema(
            file_path("l10n_pl_edi/data/fa3_schema.xsd"),
            file_path("crm_invoicing_pl/data/ksef_xsd"),
        )

    def _pl_ksef_schema_problems(self, xml=None):
        """Schema problems of this document's FA(3) XML ([] when valid)."""
        self.ensure_one()
        if xml is None:
            xml = self._l10n_pl_edi_render_xml()
        return ksef_xsd.validate(self._pl_ksef_schema(), xml)

    def _pl_ksef_problem_text(self, problem):
        """One schema problem in words a user understands."""
        where = problem.path or problem.element
        expected = ", ".join(problem.expected[:12])
        if problem.kind == "unexpected":
            text = self.env._(
                "the element %(element)s is not allowed here (expected: %(expected)s)",
                element=problem.element,
                expected=expected or "-",
            )
        elif problem.kind == "missing":
            text = self.env._(
                "the element %(element)s is incomplete, it lacks: %(expected)s",
                element=problem.element,
                expected=expected or "-",
            )
        elif problem.kind == "empty":
            text = self.env._(
                "the element %(element)s is empty or too short: fill in the data "
                "it comes from",
                element=problem.element,
            )
        elif problem.kind == "value" and expected:
            text = self.env._(
                "the value '%(value)s' of %(element)s is not allowed (allowed: "
                "%(expected)s)",
                value=problem.value,
                element=problem.element,
                expected=expected,
            )
        elif problem.kind == "malformed":
            text = self.env._("the document is not well-formed XML")
        else:
            text = self.env._(
                "the element %(element)s has a wrong value",
                element=problem.element or "?",
            )
        return self.env._(
            "line %(line)s, %(where)s: %(text)s (%(detail)s)",
            line=problem.line,
            where=where or "-",
            text=text,
            detail=problem.message,
        )

    def _pl_ksef_check_xml(self, xml=None):
        """Raise a UserError in plain words if the FA(3) XML is not valid."""
        self.ensure_one()
        problems = self._pl_ksef_schema_problems(xml)
        if problems:
            raise UserError(
                self.env._(
                    "The KSeF invoice (FA(3) XML) of %(document)s does not match "
                    "the official schema, so it cannot be sent:",
                    document=self.display_name,
                )
                + "\n"
                + "\n".join(
                    "- " + self._pl_ksef_problem_text(problem) for problem in problems
                )
            )
        return True
