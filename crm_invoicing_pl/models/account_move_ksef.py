"""FA(3) (KSeF) XML of our documents, on top of core ``l10n_pl_edi``.

``l10n_pl_edi`` builds the FA(3) XML from ``_l10n_pl_edi_get_xml_values`` and
its QWeb template ``l10n_pl_edi.fa3_xml_template``. We add our data to the
values (key ``pl_ksef`` and extra keys of each line) and our template
``crm_invoicing_pl.fa3_xml_template`` (a primary copy of core's) uses it in
place of the hard-coded elements. An invoice without a document type of ours
(a company that has not switched the suite's documents on) keeps core's FA(3).
The rendered XML is validated against the FA(3) XSD shipped in ``l10n_pl_edi``
before anything is sent.
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


class AccountMove(models.Model):
    _inherit = "account.move"

    # TypDokumentu of the JPK_V7 sales row; FP (an invoice to a receipt,
    # art. 109 ust. 3d) is also the FA(3) flag FP (_pl_ksef_values).
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
        return not self._pl_ksef_not_applicable_reason()

    def _pl_ksef_not_applicable_reason(self):
        """Why this document is not sent to KSeF, in plain words ("" if it is)."""
        self.ensure_one()
        if self.pl_document_kind == "proforma":
            return self.env._(
                "%s is a pro forma: it is never sent to KSeF.", self.display_name
            )
        return ""

    def action_l10n_pl_edi_update_invoice_status(self):
        # EXTENDS l10n_pl_edi: a document outside KSeF has nothing to ask about.
        for move in self:
            if reason := move._pl_ksef_not_applicable_reason():
                raise UserError(reason)
        return super().action_l10n_pl_edi_update_invoice_status()

    # ------------------------------------------------------------------
    # FA(3) values
    # ------------------------------------------------------------------
    def _l10n_pl_edi_render_xml(self):
        # EXTENDS l10n_pl_edi: a document of the suite is rendered by our
        # FA(3) template (a primary copy of l10n_pl_edi's with our elements);
        # an invoice of a company without the suite's documents by Odoo's.
        self.ensure_one()
        if not self.pl_document_type_id:
            return super()._l10n_pl_edi_render_xml()
        xml = self.env["ir.qweb"]._render(
            "crm_invoicing_pl.fa3_xml_template", self._l10n_pl_edi_get_xml_values()
        )
        return "\n".join(line for line in xml.splitlines() if line.strip())

    def _l10n_pl_edi_get_xml_values(self):
        # EXTENDS l10n_pl_edi
        values = super()._l10n_pl_edi_get_xml_values()
        if not self.pl_document_type_id:
            return values
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
        return values

    def _pl_ksef_values(self, values):
        """Our data for the FA(3) elements that l10n_pl_edi hard-codes."""
        self.ensure_one()
        company = self.company_id
        buyer = self.commercial_partner_id
        kind = values.get("invoice_type")
        foreign = self.currency_id != self.company_currency_id
        # A correction, downward or upward, carries the split payment mark
        # of what it corrects.
        split_payment = self.pl_split_payment or bool(
            self._pl_corrected_invoice().pl_split_payment
        )
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
            # Outside the country (np I, box K_11 less its K_12 part) and the
            # art. 100 ust. 1 pkt 4 services (np II, box K_12).
            "P_13_8": self._pl_ksef_amount(
                values["get_amounts_from_tag"]("K_11")
                - values["get_amounts_from_tag"]("K_12")
            ),
            "P_13_9": self._pl_ksef_amount_by_tag(values, "K_12"),
            # Domestic 0 %, TAX FREE (art. 129, box K_14) included.
            "P_13_6_1": self._pl_ksef_amount(
                values["get_amounts_from_tag"]("K_13")
                + values["get_amounts_from_tag"]("K_14")
            ),
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
            # An advance invoice of money already received is paid.
            "DataZaplaty": self.pl_advance_received_date,
            # An invoice to a receipt (art. 109 ust. 3d), as in the JPK row.
            "FP": self.pl_jpk_document_type == "FP",
            "FormaPlatnosci": PAYMENT_FORM.get(self.pl_payment_method or ""),
            "OpisPlatnosci": PAYMENT_OTHER.get(self.pl_payment_method or ""),
        }

    def _pl_ksef_amount_by_tag(self, values, tag):
        return self._pl_ksef_amount(values["get_amounts_from_tag"](tag))

    def _pl_ksef_amount(self, amount):
        """``amount`` for an optional FA(3) element: False when zero."""
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
            # l10n_pl_edi maps the 5 % boxes (K_15/K_16) and TAX FREE (0 % of
            # art. 129, box K_14) to "zw": a taxed line at 5 % is "5", a TAX
            # FREE line is domestic 0 %, "0 KR".
            tags = {
                name.lstrip("+-")
                for name in line.tax_tag_ids.with_context(lang="en_US").mapped("name")
            }
            if "K_15" in tags:
                extra["P_12"] = "5"
            elif "K_14" in tags:
                extra["P_12"] = "0 KR"
        return {
            **extra,
            # The unit as Polish invoices write it, the net unit price (also
            # of a line with a tax-included price), an exact quantity.
            "P_8A": self._pl_ksef_unit(line.product_uom_id),
            "P_8B": ksef_fa3.quantity_repr(line_vals["P_8B"]),
            "P_9A": ksef_fa3.price_repr(self._pl_ksef_net_price(line)),
            "P_10": self._pl_ksef_discount(line),
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
    def _pl_ksef_discount(self, line):
        """P_10: the line's discount in money, as P_9A is the price before it
        (art. 106e ust. 1 pkt 10): quantity x P_9A less the net value."""
        if not line.discount:
            return False
        before = line.currency_id.round(self._pl_ksef_net_price(line) * line.quantity)
        return float_repr(abs(before - line.price_subtotal), 2)

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
