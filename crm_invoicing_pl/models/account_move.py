"""The Polish customer documents (account.move).

One model, one file. The sections of the class below, each with what it is
about:

- the document type, its own numbering series, the data art. 106e asks for,
  the tax point (art. 19a, 20) and the NBP rate date (art. 31a);
- correction invoices, downward and upward (art. 106j);
- the data of the printouts (report/report_pl_invoice*.xml);
- the pro forma and its VAT invoice;
- advance and final invoices (art. 106f), also without a sale order;
- the buyer frozen at posting;
- the controls at posting that no user gets round (advance content, date
  window, NBP rate);
- cash accounting (art. 21);
- the exchange rate on the form, the Polish way.

``_post`` and ``write`` run the steps of those sections in one fixed order:
see their comments.
"""

import math
import re
from datetime import timedelta
from textwrap import shorten

from markupsafe import Markup
from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, RedirectWarning, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, float_round
from odoo.tools.misc import format_date

from ..tools.advance import (
    AdvanceError,
    advance_issue_deadline,
    advance_split,
    final_settlement,
)
from ..tools.amount_words import amount_in_words
from ..tools.cash_accounting import deadline as cash_deadline
from ..tools.pl_calendar import last_business_day_before
from ..tools.tax_point import rate_basis, tax_point
from ..tools.units import polish_unit
from .account_tax import pl_tax_key

SPLIT_PAYMENT_THRESHOLD = 15000.0
# The counter of a number of our series and what follows it (15 and /11/2026).
COUNTER = re.compile(r"^(\d+)(/.*)?$")

PAYMENT_METHODS = [
    ("transfer", "Bank transfer"),
    ("cash", "Cash"),
    ("card", "Card"),
    ("compensation", "Offset (kompensata)"),
    ("other", "Other"),
]
# How an invoice was issued when KSeF could not give its number at once
# (crm_invoicing_pl_ksef issues it so, crm_invoicing_pl_jpk marks its row).
OFFLINE_MODES = ("offline24", "unavailable", "failure")
KSEF_ISSUE_MODES = [
    ("online", "Online"),
    ("offline24", "Offline24 mode (art. 106nda)"),
    ("unavailable", "KSeF unavailability mode (art. 106nh)"),
    ("failure", "KSeF failure mode (art. 106nf)"),
]

# Printed VAT "rates" of the supplies that carry no percentage (art. 106e).
VAT_KIND_LABELS = {
    "exempt": "zw",
    "reverse_charge": "oo",
    "not_subject": "np",
}
# Order of the labels without a percentage, after the percentages.
VAT_KIND_ORDER = ("zw", "oo", "np")

REPORT_GOODS = "crm_invoicing_pl.report_pl_invoice_goods"
REPORT_SERVICES = "crm_invoicing_pl.report_pl_invoice_services"

# The buyer as invoiced, frozen at posting.
BUYER_FIELDS = (
    "pl_buyer_name",
    "pl_buyer_vat",
    "pl_buyer_street",
    "pl_buyer_street2",
    "pl_buyer_zip",
    "pl_buyer_city",
    "pl_buyer_country_id",
)
BUYER_FIELDS_SET = frozenset(BUYER_FIELDS)


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_document_type_id = fields.Many2one(
        "pl.document.type",
        string="Document Type",
        compute="_compute_pl_document_type_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        domain="[('company_id', '=', company_id), "
        "('move_type', '=', pl_document_move_type)]",
        tracking=True,
    )
    pl_document_move_type = fields.Selection(
        [("out_invoice", "Customer Invoice"), ("out_refund", "Customer Credit Note")],
        string="Document Types of",
        compute="_compute_pl_document_move_type",
        help="The document types this document may have: those of credit "
        "notes for every correction invoice, also an upward one (a debit "
        "note, art. 106j ust. 1 pkt 5).",
    )
    pl_document_kind = fields.Selection(
        related="pl_document_type_id.kind", string="Document Kind"
    )
    pl_place_of_issue = fields.Char(
        string="Place of Issue",
        compute="_compute_pl_place_of_issue",
        store=True,
        readonly=False,
        precompute=True,
    )
    pl_payment_method = fields.Selection(
        PAYMENT_METHODS,
        string="Payment Method",
        default="transfer",
        tracking=True,
    )
    pl_split_payment = fields.Boolean(
        string="Split Payment (MPP)",
        compute="_compute_pl_split_payment",
        store=True,
        help="B2B invoice above 15 000 zł gross with goods or services of "
        "załącznik nr 15: printed as 'mechanizm podzielonej płatności'.",
    )
    pl_reverse_charge = fields.Boolean(
        string="Reverse Charge", compute="_compute_pl_tax_annotations", store=True
    )
    pl_has_exempt_lines = fields.Boolean(
        string="Has Exempt Lines", compute="_compute_pl_tax_annotations", store=True
    )
    pl_exemption_basis = fields.Char(
        string="Exemption Basis",
        compute="_compute_pl_exemption_basis",
        store=True,
        readonly=False,
        help="Legal basis of the VAT exemption, printed on the invoice.",
    )
    pl_correction_reason = fields.Char(
        string="Correction Reason", tracking=True, copy=False
    )
    pl_correction_reason_warning = fields.Boolean(
        string="No Correction Reason",
        compute="_compute_pl_correction_reason_warning",
        help="A draft correction without a reason. Not a legal requirement "
        "since 2021 (art. 106j ust. 2 no longer lists it), so it can still "
        "be posted; the customer and FA(3) (PrzyczynaKorekty) read it.",
    )
    pl_amount_words = fields.Char(
        string="Amount in Words", compute="_compute_pl_amount_words"
    )
    pl_amount_words_en = fields.Char(
        string="Amount in Words (English)", compute="_compute_pl_amount_words"
    )
    pl_rate_date = fields.Date(
        string="Exchange Rate Date",
        compute="_compute_pl_rate",
        help="Date of the NBP table of the rate used: the last business day "
        "before the tax point (art. 31a).",
    )
    # Shown and edited on the form in place of Odoo's rate (see "The
    # exchange rate on the form, the Polish way" below).
    pl_rate = fields.Float(
        string="Exchange Rate (PLN)",
        compute="_compute_pl_rate",
        inverse="_inverse_pl_rate",
        readonly=False,
        digits=(12, 4),
        help="PLN for one unit of the document's currency, as NBP publishes "
        "it (1 EUR = 4,2450 PLN): the inverse of Odoo's currency rate.",
    )
    pl_is_bilingual = fields.Boolean(
        string="Bilingual Printout", compute="_compute_pl_is_bilingual"
    )
    pl_bank_warning = fields.Boolean(
        string="No Bank Account for the Transfer",
        compute="_compute_pl_bank_warning",
        help="The invoice is paid by transfer but shows no bank account: the "
        "customer does not see where to pay. Not a legal requirement (art. 106e "
        "lists no bank account), so the invoice can still be posted.",
    )
    # TypDokumentu of the JPK_V7 sales row; FP (an invoice to a receipt,
    # art. 109 ust. 3d) is also the FA(3) flag FP.
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
    pl_ksef_issue_mode = fields.Selection(
        KSEF_ISSUE_MODES,
        string="KSeF Issue Mode",
        default="online",
        required=True,
        copy=False,
        help="How the invoice was issued when KSeF could not give its number "
        "at once: offline24 mode (art. 106nda), the KSeF unavailability mode "
        "announced by the Minister of Finance (art. 106nh) or the failure mode "
        "(art. 106nf). Until the KSeF number comes, the JPK_V7 row carries DI "
        "(offline24, unavailability) or OFF (failure mode).",
    )

    # The pro forma and its VAT invoice
    pl_proforma_id = fields.Many2one(
        "account.move",
        string="Pro Forma",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The pro forma this VAT invoice was made from.",
    )
    pl_proforma_invoice_ids = fields.One2many(
        "account.move", "pl_proforma_id", string="VAT Invoices of the Pro Forma"
    )
    pl_proforma_invoice_id = fields.Many2one(
        "account.move",
        string="VAT Invoice",
        compute="_compute_pl_proforma_invoice_id",
        help="The VAT invoice made from this pro forma (not cancelled).",
    )

    # Advance and final invoices (art. 106f)
    pl_order_snapshot = fields.Json(
        string="Order at Issue",
        copy=False,
        readonly=True,
        help="The order block of an advance invoice (ordered goods, values per "
        "VAT rate) as it was when the advance was posted: the printout shows it "
        "even if the order changes later.",
    )

    pl_advance_received_date = fields.Date(
        string="Advance Received On",
        copy=False,
        readonly=True,
        help="The advance invoice documents money already received on this "
        "day: it is printed and sent to KSeF as paid, with no amount due, and "
        "no reminder is sent about it.",
    )
    pl_advance_issue_warning = fields.Char(compute="_compute_pl_advance_issue_warning")

    # Advance and final invoices without a sale order
    pl_order_line_ids = fields.One2many(
        "pl.advance.order.line",
        "move_id",
        string="Ordered Goods and Services",
        copy=True,
        help="The order an advance invoice made without a sale order is for "
        "(art. 106f ust. 1 pkt 4): the goods or services ordered, with their "
        "quantities, net prices and VAT rates.",
    )
    pl_order_reference = fields.Char(
        string="Order Reference",
        copy=False,
        help="The order or contract the advance is paid on, e.g. its number "
        "and date: printed on the advance invoice.",
    )
    pl_advance_amount = fields.Monetary(
        string="Advance Received (Gross)",
        copy=False,
        help="The gross payment received: Compute Advance splits it per VAT "
        "rate of the order (art. 106f ust. 1 pkt 3).",
    )
    pl_advance_invoice_ids = fields.Many2many(
        "account.move",
        "pl_final_advance_rel",
        "final_id",
        "advance_id",
        string="Advance Invoices Settled",
        copy=False,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('pl_document_type_id.kind', '=', 'advance'), "
        "('commercial_partner_id', '=', commercial_partner_id), "
        "('currency_id', '=', currency_id), ('company_id', '=', company_id)]",
        help="The posted advance invoices of this customer that this final "
        "invoice settles (art. 106f ust. 3): Deduct Advances deducts them per "
        "VAT rate.",
    )
    pl_is_manual_advance = fields.Boolean(
        string="Advance Without Sale Order", compute="_compute_pl_is_manual"
    )
    pl_is_manual_final = fields.Boolean(
        string="Final Invoice Without Sale Order", compute="_compute_pl_is_manual"
    )

    # The buyer as invoiced, frozen at posting (BUYER_FIELDS)
    pl_buyer_name = fields.Char(
        string="Buyer Name (as Invoiced)", readonly=True, copy=False
    )
    pl_buyer_vat = fields.Char(
        string="Buyer Tax ID (as Invoiced)", readonly=True, copy=False
    )
    pl_buyer_street = fields.Char(readonly=True, copy=False)
    pl_buyer_street2 = fields.Char(readonly=True, copy=False)
    pl_buyer_zip = fields.Char(readonly=True, copy=False)
    pl_buyer_city = fields.Char(readonly=True, copy=False)
    pl_buyer_country_id = fields.Many2one(
        "res.country", string="Buyer Country (as Invoiced)", readonly=True, copy=False
    )

    # Cash accounting (art. 21)
    pl_cash_deadline = fields.Date(
        string="Cash Accounting: VAT Due at the Latest",
        compute="_compute_pl_cash_deadline",
        store=True,
        help="Cash accounting (art. 21 ust. 1 pkt 1 of the VAT Act): the VAT "
        "of an invoice to a VAT taxpayer is due on the payment, at the latest "
        "on the 180th day after the delivery; what is unpaid then is reported "
        "in that day's period. Empty for other buyers, whose VAT is due only "
        "when they pay (pkt 2).",
    )

    # The exchange rate on the form
    pl_show_pln_rate = fields.Boolean(
        string="Rate in PLN per Unit",
        compute="_compute_pl_show_pln_rate",
        help="The form shows the rate as PLN per unit of the currency.",
    )
    pl_rate_display = fields.Char(
        string="Exchange Rate",
        compute="_compute_pl_rate_display",
        help='The rate as NBP publishes it and the invoice prints it: "1 EUR = '
        '4,2450 PLN".',
    )
    pl_rate_source = fields.Char(
        string="Rate Source",
        compute="_compute_pl_rate_display",
        help="The date of the NBP table whose rate the document uses, or that "
        "the rate was entered by hand.",
    )

    # ==================================================================
    # The Polish document: type, numbering, tax point, content
    # ==================================================================

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("move_type", "debit_origin_id")
    def _compute_pl_document_move_type(self):
        # An upward correction (debit note, an out_invoice) is a correction
        # invoice like a credit note: it takes the correction document types.
        for move in self:
            if move.move_type == "out_invoice" and move.debit_origin_id:
                move.pl_document_move_type = "out_refund"
            elif move.move_type in ("out_invoice", "out_refund"):
                move.pl_document_move_type = move.move_type
            else:
                move.pl_document_move_type = False

    @api.depends("move_type", "company_id", "debit_origin_id")
    def _compute_pl_document_type_id(self):
        defaults = {}
        for move in self:
            move_type = move.pl_document_move_type or move.move_type
            if move.pl_document_type_id.move_type == move_type and (
                move.pl_document_type_id.company_id == move.company_id
            ):
                continue
            key = (move.company_id.id, move_type)
            if key not in defaults:
                defaults[key] = self.env["pl.document.type"]._default_for(
                    move.company_id, move_type
                )
            move.pl_document_type_id = defaults[key]

    @api.depends("company_id")
    def _compute_pl_place_of_issue(self):
        for move in self:
            if not move.pl_place_of_issue and move.pl_document_type_id:
                move.pl_place_of_issue = move.company_id._pl_place_of_issue()

    @api.depends(
        "pl_document_type_id",
        "amount_total_signed",
        "commercial_partner_id.is_company",
        "commercial_partner_id.vat",
        "invoice_line_ids.product_id.pl_annex_15",
        "pl_order_line_ids.price_total",
        "pl_order_line_ids.product_id",
        "pl_advance_invoice_ids",
    )
    def _compute_pl_split_payment(self):
        for move in self:
            if move.pl_is_manual_advance or move.pl_is_manual_final:
                # Without a sale order: see _pl_manual_split_payment.
                move.pl_split_payment = move._pl_manual_split_payment()
                continue
            move.pl_split_payment = bool(
                move.pl_document_kind in ("vat", "advance", "final")
                and move._pl_buyer_is_taxpayer()
                and any(move.invoice_line_ids.product_id.mapped("pl_annex_15"))
                and float_compare(
                    move._pl_amount_in_pln(abs(move.amount_total_signed)),
                    SPLIT_PAYMENT_THRESHOLD,
                    precision_digits=2,
                )
                > 0
            )

    def _pl_buyer_is_taxpayer(self):
        """Whether the buyer is a taxpayer (art. 106e ust. 1 pkt 18a: split
        payment is owed to taxpayers only): a company or anyone with a NIP / VAT
        id, e.g. a sole trader stored as a person. The others are consumers."""
        self.ensure_one()
        buyer = self.commercial_partner_id
        return bool(buyer.is_company or buyer.vat)

    @api.depends(
        "invoice_line_ids.tax_ids.pl_vat_kind",
        "invoice_line_ids.product_id.type",
        "commercial_partner_id.is_company",
        "commercial_partner_id.vat",
    )
    def _compute_pl_tax_annotations(self):
        for move in self:
            kinds = set(move.invoice_line_ids.tax_ids.mapped("pl_vat_kind"))
            move.pl_reverse_charge = (
                "reverse_charge" in kinds or move._pl_has_foreign_reverse_charge()
            )
            move.pl_has_exempt_lines = "exempt" in kinds

    def _pl_has_foreign_reverse_charge(self):
        """Whether the invoice bills services taxed where the buyer is (art. 28b:
        a taxpayer buyer, in the EU or outside it), for which the buyer settles
        the tax: art. 106e ust. 1 pkt 18 requires "odwrotne obciążenie"."""
        self.ensure_one()
        return self._pl_buyer_is_taxpayer() and any(
            line.product_id.type == "service"
            or any(tax.tax_scope == "service" for tax in line.tax_ids)
            for line in self.invoice_line_ids
            if any(tax.pl_vat_kind == "not_subject" for tax in line.tax_ids)
        )

    @api.depends("invoice_line_ids.tax_ids.pl_exemption_basis")
    def _compute_pl_exemption_basis(self):
        for move in self:
            bases = move.invoice_line_ids.tax_ids.filtered(
                lambda t: t.pl_vat_kind == "exempt" and t.pl_exemption_basis
            ).mapped("pl_exemption_basis")
            if bases and not move.pl_exemption_basis:
                move.pl_exemption_basis = "; ".join(dict.fromkeys(bases))

    @api.depends("amount_total", "currency_id")
    def _compute_pl_amount_words(self):
        for move in self:
            move.pl_amount_words = amount_in_words(
                move.amount_total, move.currency_id.name, lang="pl"
            )
            move.pl_amount_words_en = amount_in_words(
                move.amount_total, move.currency_id.name, lang="en"
            )

    @api.depends("currency_id", "invoice_currency_rate", "invoice_date", "date")
    def _compute_pl_rate(self):
        for move in self:
            if move.currency_id == move.company_currency_id or not move.currency_id:
                move.pl_rate_date = False
                move.pl_rate = 0.0
                continue
            rate = self.env["res.currency.rate"].search(
                [
                    ("currency_id", "=", move.currency_id.id),
                    ("company_id", "in", (False, move.company_id.root_id.id)),
                    ("name", "<=", move._get_invoice_currency_rate_date()),
                ],
                order="name desc",
                limit=1,
            )
            move.pl_rate_date = rate.name
            move.pl_rate = (
                1.0 / move.invoice_currency_rate if move.invoice_currency_rate else 0.0
            )

    @api.depends("partner_id.lang")
    def _compute_pl_is_bilingual(self):
        for move in self:
            move.pl_is_bilingual = bool(
                move.partner_id.lang and not move.partner_id.lang.startswith("pl")
            )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _pl_amount_in_pln(self, amount_company_currency):
        self.ensure_one()
        pln = self.env.ref("base.PLN")
        if self.company_currency_id == pln:
            return amount_company_currency
        return self.company_currency_id._convert(
            amount_company_currency,
            pln,
            self.company_id,
            self.invoice_date or fields.Date.context_today(self),
        )

    def _pl_uses_own_series(self):
        self.ensure_one()
        return bool(self.pl_document_type_id.sequence_id)

    def _get_accounting_date_source(self):
        # EXTENDS l10n_pl (the supply date): the VAT period of a Polish
        # invoice is that of its tax point (art. 19a, 20).
        self.ensure_one()
        # A correction, also an upward one (art. 29a ust. 17: the period in
        # which its cause arose), is booked at its own date as l10n_pl books
        # it, not at a tax point of a sale.
        if (
            self.pl_document_type_id
            and self.country_code == "PL"
            and self.move_type == "out_invoice"
            and not self._pl_is_correction()
            and (self.invoice_date or self.taxable_supply_date)
        ):
            return self._pl_tax_point()
        return super()._get_accounting_date_source()

    def _pl_sync_tax_point(self):
        """Book these drafts at their tax point.

        The tax point rule may follow from the lines (their taxes, products)
        or the due date, set after the dates Odoo recomputes the booking date
        from: posting brings it in line. A rate that no longer is that of the
        tax point is refused at posting (``_pl_check_nbp_rates``), with
        the button that applies the right one.
        """
        for move in self.filtered(
            lambda m: (
                m.state == "draft"
                and m.pl_document_type_id
                and m.country_code == "PL"
                and m.is_sale_document()
            )
        ):
            date = move._get_accounting_date_source()
            if date and move.date != date:
                move.date = date

    def refresh_invoice_currency_rate(self):
        # EXTENDS account: the expected rate also follows the lines (the tax
        # point rule), which are not among its cached dependencies.
        self.invalidate_recordset(["expected_currency_rate"])
        return super().refresh_invoice_currency_rate()

    def _pl_tax_point_rule(self):
        """The tax point rule of the document (tools/tax_point.py): art. 20
        ust. 1 for an intra-Community supply of goods, else the rule its
        products share (the supply date when they differ)."""
        self.ensure_one()
        all_lines = self.invoice_line_ids
        # filtered() keeps only its records to prefetch: keep those of the
        # batch being posted, so their taxes are read once, not per document.
        lines = all_lines.filtered(
            lambda line: line.display_type == "product"
        ).with_prefetch(all_lines._prefetch_ids)
        if any(tax.pl_vat_kind == "intra_eu" for tax in lines.tax_ids):
            return "wdt"
        rules = set(lines.product_id.product_tmpl_id.mapped("pl_tax_point_rule"))
        return rules.pop() if len(rules) == 1 else "general"

    def _pl_tax_point(self):
        """The VAT tax point (art. 19a, 20): see tools/tax_point.py."""
        self.ensure_one()
        rule = self._pl_tax_point_rule()
        return tax_point(
            rule,
            self.taxable_supply_date,
            self.invoice_date,
            self._pl_payment_due_for(rule),
        ) or fields.Date.context_today(self)

    def _pl_payment_due_for(self, rule):
        """The payment deadline when ``rule`` reads it (art. 19a ust. 7);
        computing it from the payment terms costs a draft's creation a pass
        over its lines, for nothing under the other rules."""
        return self.invoice_date_due if rule == "on_invoice" else None

    def _pl_rate_basis(self):
        """The day whose previous business day gives the NBP rate: the tax
        point, or the issue date of an invoice issued before it (art. 31a
        ust. 1 and 2)."""
        self.ensure_one()
        rule = self._pl_tax_point_rule()
        return rate_basis(
            rule,
            self.taxable_supply_date,
            self.invoice_date,
            self._pl_payment_due_for(rule),
        ) or fields.Date.context_today(self)

    def _get_invoice_currency_rate_date(self):
        # The NBP rate of the last business day BEFORE the tax point: rates are
        # only recorded on publication days, so the latest rate dated at most
        # the day before the tax point is that rate.
        if self.pl_document_type_id and self.country_code == "PL":
            origin = self._pl_corrected_invoice()
            if origin and origin.currency_id == self.currency_id:
                # A correction, downward or upward, keeps the rate of the
                # invoice it corrects (art. 31a; corrections-2026-12.md).
                return origin._get_invoice_currency_rate_date()
            return self._pl_rate_basis() - timedelta(days=1)
        return super()._get_invoice_currency_rate_date()

    @api.depends(
        "date",
        "journal_id",
        "move_type",
        "name",
        "posted_before",
        "sequence_number",
        "sequence_prefix",
        "state",
        "pl_document_type_id",
    )
    def _compute_name_placeholder(self):
        # EXTENDS account: a Polish document takes its number from its own
        # series at posting; the journal's next number (another series) is
        # not shown on its draft, which reads "Draft".
        polish = self.filtered("pl_document_type_id")
        polish.name_placeholder = False
        return super(AccountMove, self - polish)._compute_name_placeholder()

    def _get_move_display_name(self, show_ref=False):
        # EXTENDS account: a draft Polish correction is a "Draft Correction
        # Invoice", not a "Draft Credit Note" (checked first); an issued pro
        # forma is not a "Draft Invoice": it is named by its title (also the
        # file name of its PDF).
        if not self.env.context.get("name_as_amount_total"):
            if self.state == "draft" and self._pl_is_correction_document():
                return self._pl_draft_correction_name(show_ref)
            if self.pl_document_kind == "proforma" and self.name and self.name != "/":
                name = f"{self.pl_document_type_id.title} {self.name}"
                return name + (f" ({self.ref})" if show_ref and self.ref else "")
        return super()._get_move_display_name(show_ref=show_ref)

    # ------------------------------------------------------------------
    # Numbering (sequence.mixin)
    # ------------------------------------------------------------------
    def _set_next_sequence(self):
        self.ensure_one()
        if not self._pl_uses_own_series():
            return super()._set_next_sequence()
        number_date = self.invoice_date or self.date or fields.Date.context_today(self)
        self[self._sequence_field] = self.pl_document_type_id._next_number(number_date)
        self._compute_split_sequence()

    def _compute_split_sequence(self):
        # EXTENDS sequence.mixin: Odoo takes the LAST digits of a number as
        # its counter, which for our series (FV/15/11/2026: counter first)
        # would give every document a sequence of its own numbered 2026 (each
        # then a "gap" for Odoo, and a hash chain of its own). Read our
        # layout: one series and period (FV/…/11/2026) is one sequence.
        result = super()._compute_split_sequence()
        for move in self.filtered(lambda m: m.name and m.pl_document_type_id):
            prefix = "%s/" % (move.pl_document_type_id.number_prefix or "").strip(" /")
            matching = move.name.startswith(prefix) and COUNTER.match(
                move.name[len(prefix) :]
            )
            if matching:
                # FV/15/11/2026 -> sequence "FV//11/2026", number 15.
                move.sequence_prefix = prefix + (matching.group(2) or "")
                move.sequence_number = int(matching.group(1))
        return result

    def _sequence_matches_date(self):
        # Our series put the counter first (FV/15/11/2026); the date check of
        # sequence.mixin cannot read that layout and the series is dated by
        # construction.
        self.ensure_one()
        if self._pl_uses_own_series():
            return True
        return super()._sequence_matches_date()

    def _must_check_constrains_date_sequence(self):
        if self._pl_uses_own_series():
            return False
        return super()._must_check_constrains_date_sequence()

    def _get_last_sequence_domain(self, relaxed=False):
        # Keep the journal's own sequence away from numbers of our series.
        where_string, param = super()._get_last_sequence_domain(relaxed=relaxed)
        return where_string + " AND pl_document_type_id IS NULL ", param

    # ------------------------------------------------------------------
    # Onchanges and CRUD
    # ------------------------------------------------------------------
    @api.onchange("pl_document_type_id")
    def _onchange_pl_document_type_id(self):
        if self.pl_document_type_id.journal_id and self.state == "draft":
            self.journal_id = self.pl_document_type_id.journal_id

    @api.model_create_multi
    def create(self, vals_list):
        doc_types = self.env["pl.document.type"].browse(
            [
                vals["pl_document_type_id"]
                for vals in vals_list
                if vals.get("pl_document_type_id")
            ]
        )
        journal_by_type = {t.id: t.journal_id.id for t in doc_types if t.journal_id}
        for vals in vals_list:
            journal_id = journal_by_type.get(vals.get("pl_document_type_id"))
            if journal_id and not vals.get("journal_id"):
                vals["journal_id"] = journal_id
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS account: what an issued document froze is not written; the
        # buyer is checked first, then the order and the advances.
        self._pl_check_frozen_buyer(vals)
        self._pl_check_frozen_advance_data(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------
    def _post(self, soft=True):
        # EXTENDS account. The steps of the sections below, in a fixed order:
        # 1. the controls no user gets round (advance content, date window,
        #    tax point, NBP rate), before anything of the posting happens:
        #    a document they refuse gets that refusal, whatever else it lacks;
        # 2. the buyer frozen on the documents before Odoo posts them, so
        #    that the hash computed at posting (crm_invoicing_pl_archive)
        #    covers it;
        # 3. the corrections made outside the wizards, then the pro forma and
        #    the content art. 106e asks for (the tax point synced again, as
        #    the checks read it), then the amounts of the corrections;
        # 4. Odoo's posting; only then are the order blocks of the issued
        #    advances frozen (their printout reads the frozen block once they
        #    are no longer drafts).
        self._pl_check_posting_controls(soft)
        self._pl_freeze_buyer()
        self._pl_check_correction_links()
        self._pl_check_invoice_content()
        posted = super()._post(soft=soft)
        posted._pl_freeze_order_snapshot()
        return posted

    def _pl_check_invoice_content(self):
        """Refuse a pro forma, then documents without what art. 106e asks
        for, then corrections taking more off an invoice than it is worth."""
        proformas = self.filtered(lambda m: m.pl_document_kind == "proforma")
        if proformas:
            raise UserError(
                self.env._(
                    "A pro forma is not a VAT invoice: it is never posted. Issue "
                    "it, and invoice the sale with its 'Create VAT Invoice' "
                    "button (%s).",
                    ", ".join(proformas.mapped("display_name")),
                )
            )
        self._pl_sync_tax_point()
        problems = []
        for move in self.filtered("pl_document_type_id"):
            missing = move._pl_missing_elements()
            if missing:
                problems.append(
                    self.env._("%(document)s is missing:", document=move.display_name)
                    + "\n"
                    + "\n".join("- %s" % item for item in missing)
                )
        if problems:
            raise UserError(
                self.env._(
                    "The invoice cannot be posted: Polish law (art. 106e) "
                    "requires more data."
                )
                + "\n\n"
                + "\n\n".join(problems)
            )
        self.filtered("pl_document_type_id")._pl_check_correction_amounts()

    @api.depends("state", "pl_document_type_id", "pl_correction_reason")
    def _compute_pl_correction_reason_warning(self):
        for move in self:
            move.pl_correction_reason_warning = (
                move.state == "draft"
                and move.pl_document_kind == "correction"
                and not (move.pl_correction_reason or "").strip()
            )

    @api.depends(
        "move_type", "pl_document_type_id", "pl_payment_method", "partner_bank_id"
    )
    def _compute_pl_bank_warning(self):
        # Customary, not required: art. 106e ust. 1 lists no bank account, so
        # an invoice without one is posted, with this warning on its form.
        for move in self:
            move.pl_bank_warning = bool(
                move.pl_document_type_id
                and move.move_type == "out_invoice"
                and move.pl_payment_method == "transfer"
                and not move.partner_bank_id
            )

    def _pl_missing_elements(self):
        """List, in words a user understands, what art. 106e needs and lacks."""
        self.ensure_one()
        missing = []
        seller = self.company_id.partner_id
        buyer = self.commercial_partner_id
        if not self.company_id.vat:
            missing.append(self.env._("the seller's NIP (company settings)"))
        if not (seller.street and seller.zip and seller.city):
            missing.append(
                self.env._("the seller's full address (street, postcode, city)")
            )
        if not buyer.name:
            missing.append(self.env._("the buyer's name"))
        if not (buyer.street and buyer.zip and buyer.city):
            missing.append(
                self.env._("the buyer's full address (street, postcode, city)")
            )
        if buyer.is_company and not buyer.vat:
            missing.append(
                self.env._(
                    "the buyer's NIP or VAT number (%s is a company)", buyer.name
                )
            )
        product_lines = self.invoice_line_ids.filtered(
            lambda aml: aml.display_type == "product"
        )
        for number, line in enumerate(product_lines, start=1):
            if not line.name:
                missing.append(
                    self.env._("the name of the goods or service of line %s", number)
                )
            if not line.tax_ids:
                missing.append(
                    self.env._(
                        "the VAT rate of line %(number)s (%(name)s)",
                        number=number,
                        name=line.name or line.product_id.display_name or "",
                    )
                )
            if (
                not line.product_uom_id
                and not line.is_downpayment  # an advance has no unit
                and self.pl_document_type_id.report_template == "goods"
            ):
                missing.append(self.env._("the unit of measure of line %s", number))
        if self.pl_has_exempt_lines and not self.pl_exemption_basis:
            missing.append(
                self.env._(
                    "the legal basis of the exemption (the invoice has exempt lines)"
                )
            )
        if (
            self.move_type == "out_refund"
            or self.pl_document_kind == "correction"
            or self._pl_is_correction()
        ):
            # Art. 106j ust. 2 pkt 3: the corrected invoice. The reason is no
            # longer required since 2021: a warning on the form only
            # (pl_correction_reason_warning).
            if not self._pl_corrected_invoice():
                missing.append(self.env._("the corrected invoice"))
        return missing

    def _pl_check_correction_amounts(self):
        """Posted corrections of an invoice never take more off it than it
        is worth: its total plus its upward corrections (debit notes)."""
        for move in self.filtered(
            lambda m: m.move_type == "out_refund" and m.reversed_entry_id
        ):
            origin = move.reversed_entry_id
            corrections = (origin._pl_posted_corrections() - move) | move
            down = corrections.filtered(lambda m: m.move_type == "out_refund")
            total = sum(down.mapped("amount_total"))
            up = corrections - down
            worth = origin.amount_total + sum(up.mapped("amount_total"))
            if origin.currency_id.compare_amounts(total, worth) > 0:
                raise ValidationError(
                    self.env._(
                        "The corrections of %(invoice)s (%(corrected)s) would exceed "
                        "its total (%(total)s).",
                        invoice=origin.name,
                        corrected=origin.currency_id.format(total),
                        total=origin.currency_id.format(worth),
                    )
                )

    # ------------------------------------------------------------------
    # Pro forma
    # ------------------------------------------------------------------
    def action_pl_issue_proforma(self):
        """Give a pro forma its number from the pro forma series.

        A pro forma stays a draft: it never reaches the ledger, the VAT
        register or KSeF.
        """
        for move in self:
            if move.pl_document_kind != "proforma":
                raise UserError(self.env._("Only a pro forma can be issued this way."))
            if move.name and move.name != "/":
                continue
            missing = move._pl_missing_elements()
            if missing:
                raise UserError(
                    self.env._("The pro forma cannot be issued, it is missing:")
                    + "\n"
                    + "\n".join("- %s" % item for item in missing)
                )
            move.invoice_date = move.invoice_date or fields.Date.context_today(move)
            move.name = move.pl_document_type_id._next_number(move.invoice_date)
        return True

    def action_pl_send_proforma(self):
        """Open the e-mail composer with the pro forma and its PDF."""
        self.ensure_one()
        if self.pl_document_kind != "proforma":
            raise UserError(self.env._("Only a pro forma can be sent this way."))
        if not self.name or self.name == "/":
            raise UserError(
                self.env._("Issue the pro forma first: it is sent with its number.")
            )
        template = self.env.ref("crm_invoicing_pl.mail_template_pl_proforma")
        return {
            "name": self.env._("Send Pro Forma"),
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": "account.move",
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }

    # ==================================================================
    # Correction invoices (faktury korygujące, art. 106j), both ways
    # ==================================================================
    #
    # A seller corrects an invoice it issued with a correction invoice that
    # references it: art. 106j ust. 2 pkt 2a and 3 (the corrected invoice's KSeF
    # number, number and date) and pkt 5 (the change of the taxable amount and tax
    # per rate). The reason, no longer required by the statute since 2021, is
    # optional: a draft without one shows a warning, FA(3) carries it when
    # given (PrzyczynaKorekty). Odoo has two documents for it, which the suite
    # treats as one kind, "correction":
    #
    # * a **credit note** (``out_refund``, ``reversed_entry_id``): a decrease -
    #   a return, a discount, a price cut, a refunded advance (art. 106j ust. 1
    #   pkt 1-4), with negative differences;
    # * a **debit note** of ``account_debit_note`` (``out_invoice``,
    #   ``debit_origin_id``): an increase - a price raised after the sale, goods
    #   or services left off the invoice, a mistake in its favour (art. 106j ust. 1
    #   pkt 5), with positive differences. It is never a new VAT invoice
    #   (corrections-2026-12.md).
    #
    # Both go through the same paths: numbering in the correction series
    # (pl.document.type of kind "correction"), the corrected invoice's NBP rate
    # (art. 31a), the printout (before / after / difference), FA(3) (RodzajFaktury
    # KOR / KOR_ROZ with DaneFaKorygowanej and the before / after rows) and the JPK
    # row. The helpers here tell those paths which invoice a document corrects and
    # in which direction; ``_pl_correction_sign`` is -1 for a decrease, +1 for an
    # increase.
    #
    # Polish users see these documents as "Faktura korygująca": the buttons, the
    # wizards' titles and the document's type name say so, instead of Odoo's
    # "Credit Note" / "Debit Note" (rendered "Nota kredytowa" / "Nota debetowa" by
    # Odoo's Polish translation; a nota korygująca is a different document, issued
    # by the buyer, art. 106k).

    # ------------------------------------------------------------------
    # Which invoice, which direction
    # ------------------------------------------------------------------
    def _pl_corrected_invoice(self):
        """The invoice this correction corrects (art. 106j ust. 2 pkt 3),
        or an empty recordset for any other document: the reversed invoice
        of a credit note, the debited invoice of a debit note."""
        self.ensure_one()
        if self.move_type == "out_refund":
            return self.reversed_entry_id
        if self.move_type == "out_invoice":
            return self.debit_origin_id
        return self.browse()

    def _pl_is_correction(self):
        """Whether this is a correction invoice of another customer invoice,
        downward (credit note) or upward (debit note)."""
        self.ensure_one()
        return bool(self._pl_corrected_invoice())

    def _pl_is_upward_correction(self):
        """Whether this is an upward correction (art. 106j ust. 1 pkt 5)."""
        self.ensure_one()
        return self.move_type == "out_invoice" and bool(self.debit_origin_id)

    def _pl_correction_sign(self):
        """How this correction changes the invoice it corrects: -1 takes its
        amounts off (credit note), +1 adds them (debit note)."""
        self.ensure_one()
        return 1 if self.move_type == "out_invoice" else -1

    def _pl_posted_corrections(self):
        """The posted corrections of this invoice, both ways, in the order
        they were issued (date, then creation)."""
        self.ensure_one()
        corrections = self.reversal_move_ids.filtered(
            lambda m: m.move_type == "out_refund"
        ) | self.debit_note_ids.filtered(lambda m: m.move_type == "out_invoice")
        return corrections.filtered(lambda m: m.state == "posted").sorted(
            lambda m: (m.invoice_date or m.date, m.id)
        )

    def _pl_earlier_corrections(self):
        """The posted corrections of the same invoice issued before this one:
        the invoice as they left it is this correction's "before"."""
        self.ensure_one()
        origin = self._pl_corrected_invoice()
        if not origin:
            return self.browse()
        position = (self.invoice_date or self.date, self.id)
        return origin._pl_posted_corrections().filtered(
            lambda m: m != self and (m.invoice_date or m.date, m.id) < position
        )

    # ------------------------------------------------------------------
    # Names the user sees
    # ------------------------------------------------------------------
    def _pl_is_correction_document(self):
        """Whether this is a Polish correction invoice, made or not yet
        linked to the invoice it corrects."""
        self.ensure_one()
        return bool(
            self.pl_document_type_id
            and (self.pl_document_kind == "correction" or self._pl_is_correction())
        )

    @api.depends("pl_document_type_id", "debit_origin_id")
    def _compute_type_name(self):
        # EXTENDS account: a Polish correction is a "Faktura korygująca",
        # not a "Credit Note" (Odoo's Polish "Nota kredytowa" is the buyer's
        # nota korygująca of art. 106k, another document).
        result = super()._compute_type_name()
        for move in self:
            if move._pl_is_correction_document():
                move.type_name = self.env._("Correction Invoice")
        return result

    def _pl_draft_correction_name(self, show_ref):
        """The name of a draft correction (see ``_get_move_display_name``):
        "Draft Correction Invoice", not "Draft Credit Note"."""
        self.ensure_one()
        name = self.env._("Draft Correction Invoice")
        if self.name and self.name != "/":
            name = f"{name} {self.name}"
        if show_ref and self.ref:
            name += f" ({shorten(self.ref, width=50)})"
        return name

    def _pl_offers_corrections(self):
        """Whether this is a posted Polish customer invoice that correction
        invoices (down and up) are made from in the suite's own words."""
        self.ensure_one()
        return bool(
            self.pl_document_type_id
            and self.move_type == "out_invoice"
            and not self._pl_is_correction()
            and self.pl_document_kind != "proforma"
        )

    def action_reverse(self):
        # EXTENDS account: the wizard of a Polish invoice makes a correction
        # invoice (decrease), and says so.
        action = super().action_reverse()
        if len(self) == 1 and self._pl_offers_corrections():
            action["name"] = self.env._("Correction Invoice (Decrease)")
        return action

    def action_debit_note(self):
        # EXTENDS account_debit_note: the same for an increase.
        action = super().action_debit_note()
        if len(self) == 1 and self._pl_offers_corrections():
            action["name"] = self.env._("Correction Invoice (Increase)")
        return action

    def action_pl_view_upward_corrections(self):
        """The upward corrections of this invoice (its debit notes)."""
        self.ensure_one()
        action = self.action_view_debit_notes()
        action["name"] = self.env._("Upward Corrections")
        action["context"] = {"default_move_type": "out_invoice"}
        return action

    # ------------------------------------------------------------------
    # What may be corrected upward
    # ------------------------------------------------------------------
    def _pl_upward_correction_refusal(self):
        """Why no upward correction of this Polish document is made ("" if
        one is), in words a user understands."""
        self.ensure_one()
        if not self.pl_document_type_id:
            return ""
        if self.move_type == "out_refund" or self._pl_is_correction():
            return self.env._(
                "%(document)s is a correction invoice: to raise the amounts "
                "again, make an upward correction of the invoice it corrects "
                "(%(invoice)s).",
                document=self.display_name,
                invoice=self._pl_corrected_invoice().display_name or "-",
            )
        if self.pl_document_kind == "advance":
            return self.env._(
                "%s is an advance invoice: a further payment gets an advance "
                "invoice of its own (art. 106b ust. 1 pkt 4), and the order's "
                "final invoice settles the advances; an advance is only "
                "corrected downward.",
                self.display_name,
            )
        return ""

    def _pl_check_upward_correction_allowed(self):
        problems = [
            reason for move in self if (reason := move._pl_upward_correction_refusal())
        ]
        if problems:
            raise UserError("\n".join(problems))

    def _pl_check_correction_links(self):
        """Refuse, at posting, the corrections the wizards refuse up front:
        made another way (the ORM, JSON-RPC, an import)."""
        for move in self.filtered(
            lambda m: m.pl_document_type_id and m.state == "draft"
        ):
            if move._pl_is_upward_correction():
                move.debit_origin_id._pl_check_upward_correction_allowed()
            elif move.move_type == "out_refund" and move.reversed_entry_id:
                move.reversed_entry_id._pl_check_reversal_allowed()

    def _pl_check_reversal_allowed(self):
        """An upward correction is not itself reversed into a credit note:
        the invoice is corrected again, so that every correction lists the
        invoice as the corrections before it left it."""
        upward = self.filtered(
            lambda m: m.pl_document_type_id and m._pl_is_upward_correction()
        )
        if upward:
            raise UserError(
                self.env._(
                    "%(documents)s raised the amounts of %(invoices)s: to take "
                    "them off again, make a correction invoice (decrease) of "
                    "%(invoices)s; it shows the invoice as corrected so far.",
                    documents=", ".join(upward.mapped("display_name")),
                    invoices=", ".join(upward.debit_origin_id.mapped("display_name")),
                )
            )

    # ==================================================================
    # Printouts (report/report_pl_invoice.xml)
    # ==================================================================
    #
    # The printed labels are Polish legal text and live in the QWeb templates; the
    # helpers here only select the template and compute plain data (amounts per VAT
    # rate, correction rows, formatted numbers) so that the templates stay simple
    # and the computations can be unit tested.

    # ------------------------------------------------------------------
    # Template selection
    # ------------------------------------------------------------------
    def _get_name_invoice_report(self):
        self.ensure_one()
        if self.pl_document_type_id and self.move_type in ("out_invoice", "out_refund"):
            if self.pl_document_type_id.report_template == "services":
                return REPORT_SERVICES
            return REPORT_GOODS
        return super()._get_name_invoice_report()

    # ------------------------------------------------------------------
    # Formatting
    # ------------------------------------------------------------------
    @api.model
    def _pl_report_format_number(self, value, digits=2):
        """Polish number format, independent of the active languages.

        1234.5 -> "1 234,50"; the thousands separator is a plain space (the
        template keeps amounts on one line with CSS).
        """
        value = float_round(value or 0.0, precision_digits=digits)
        if float_is_zero(value, precision_digits=digits):
            value = 0.0
        text = "{:,.{digits}f}".format(value, digits=digits)
        return text.replace(",", " ").replace(".", ",")

    def _pl_report_format_amount(self, amount, currency=None, with_code=False):
        currency = currency or self.currency_id
        digits = currency.decimal_places if currency else 2
        text = self._pl_report_format_number(amount, digits)
        return "%s %s" % (text, currency.name) if with_code and currency else text

    @api.model
    def _pl_report_format_quantity(self, quantity):
        """2.0 -> "2", 1.5 -> "1,5", 1234.25 -> "1 234,25"."""
        text = self._pl_report_format_number(quantity, 3)
        if "," in text:
            text = text.rstrip("0").rstrip(",")
        return text

    @api.model
    def _pl_report_format_date(self, date):
        """ISO dates (2026-11-15): unambiguous in Polish and in English."""
        return fields.Date.to_string(date) if date else ""

    # ------------------------------------------------------------------
    # Title
    # ------------------------------------------------------------------
    def _pl_report_title(self):
        """The printed title of the document type, in Polish when available."""
        self.ensure_one()
        doc_type = self.pl_document_type_id
        if self.env["res.lang"]._lang_get("pl_PL"):
            doc_type = doc_type.with_context(lang="pl_PL")
        return doc_type.title or ""

    # ------------------------------------------------------------------
    # Parties
    # ------------------------------------------------------------------
    @api.model
    def _pl_report_nip(self, partner):
        """The Polish NIP (10 digits) of a Polish partner, else its VAT id."""
        vat = (partner.vat or "").replace(" ", "").replace("-", "")
        if vat[:2].upper() == "PL" and (partner.country_code in (False, "PL")):
            return vat[2:]
        return vat

    @api.model
    def _pl_report_is_eu_partner(self, partner):
        """Whether ``partner`` is in another EU member state (VAT-EU ids)."""
        europe = self.env.ref("base.europe", raise_if_not_found=False)
        return bool(
            partner.country_id
            and partner.country_code != "PL"
            and europe
            and partner.country_id in europe.country_ids
        )

    def _pl_report_show_eu_vat(self):
        """Print the VAT-EU ids of both parties (intra-community supplies)."""
        self.ensure_one()
        return self._pl_report_is_eu_partner(self.commercial_partner_id)

    def _pl_report_is_triangular(self):
        """Whether the invoice is the second taxpayer's in a simplified
        triangular transaction (l10n_pl's "Triangular Sale" tax; art. 136
        ust. 1: its annotation and both EU VAT numbers are printed)."""
        self.ensure_one()
        taxes = self.invoice_line_ids.tax_ids
        tags = taxes.invoice_repartition_line_ids.tag_ids.with_context(lang="en_US")
        return "Triangular Sale" in tags.mapped("name")

    def _pl_report_seller_eu_vat(self):
        self.ensure_one()
        vat = (self.company_id.vat or "").replace(" ", "").replace("-", "")
        if vat and not vat[:2].isalpha():
            vat = "PL" + vat
        return vat

    # ------------------------------------------------------------------
    # Dates
    # ------------------------------------------------------------------
    def _pl_report_sale_date(self):
        """The sale (supply) date to print, or False (company policy)."""
        self.ensure_one()
        issue_date = self.invoice_date
        sale_date = self.taxable_supply_date
        if self.company_id.pl_sale_date_policy == "always":
            return sale_date or issue_date
        if sale_date and sale_date != issue_date:
            return sale_date
        return False

    # ------------------------------------------------------------------
    # Lines and amounts per VAT rate
    # ------------------------------------------------------------------
    @api.model
    def _pl_unit(self, uom):
        """The unit's Polish abbreviation ("szt.", "godz.", "kg", ...), as the
        printouts and the KSeF invoice (P_8A) write it."""
        names = [uom.with_context(lang="en_US").name]
        if self.env["res.lang"]._lang_get("pl_PL"):
            names.append(uom.with_context(lang="pl_PL").name)
        return polish_unit(*names)

    @api.model
    def _pl_report_tax_label(self, taxes):
        """Printed VAT rate of ``taxes``: "23%", "0%", "zw", "oo" or "np"."""
        labels = []
        for tax in taxes.flatten_taxes_hierarchy():
            label = VAT_KIND_LABELS.get(tax.pl_vat_kind)
            if not label:
                if tax.amount_type == "percent":
                    label = "%s%%" % self._pl_report_format_quantity(tax.amount)
                else:
                    label = tax.invoice_label or tax.name
            if label not in labels:
                labels.append(label)
        return ", ".join(labels)

    @api.model
    def _pl_report_rate_sort_key(self, label):
        try:
            return (0, -float(label.rstrip("%").replace(",", ".")), label)
        except ValueError:
            if label in VAT_KIND_ORDER:
                return (1, VAT_KIND_ORDER.index(label), label)
            return (2, 0, label)

    def _pl_report_lines(self):
        """Rows of the lines table, as plain dicts in the document currency."""
        self.ensure_one()
        rows = []
        number = 0
        for line in self.invoice_line_ids.sorted("sequence"):
            if line.display_type in ("line_section", "line_subsection", "line_note"):
                rows.append({"type": line.display_type, "name": line.name or ""})
                continue
            if line.display_type != "product":
                continue
            number += 1
            price_unit = line.price_unit
            if any(line.tax_ids.mapped("price_include")) and line.quantity:
                # Polish invoices show net unit prices.
                factor = line.quantity * (1.0 - (line.discount or 0.0) / 100.0)
                if factor:
                    price_unit = line.currency_id.round(line.price_subtotal / factor)
            rows.append(
                {
                    "type": "product",
                    "number": number,
                    "name": line.name or line.product_id.display_name or "",
                    "uom": self._pl_unit(line.product_uom_id)
                    if line.product_uom_id
                    else "",
                    "quantity": line.quantity,
                    "price_unit": price_unit,
                    "discount": line.discount,
                    "net": line.price_subtotal,
                    "vat": line.price_total - line.price_subtotal,
                    "gross": line.price_total,
                    "rate": self._pl_report_tax_label(line.tax_ids),
                }
            )
        return rows

    def _pl_report_vat_summary(self):
        """Amounts per VAT rate, from the journal items of the move.

        Returns ``{"rows": [...], "total": {...}}``; each row has ``rate``
        (printed label), ``net``, ``vat``, ``gross`` in the document currency
        and ``net_company``, ``vat_company``, ``gross_company`` in the company
        currency (PLN), taken from the ``balance`` of the product and tax
        lines, never re-multiplied by the rate. Amounts have the sign of the
        document (positive on an invoice and on a credit note).
        """
        self.ensure_one()
        sign = self.direction_sign
        keys = ("net", "vat", "gross", "net_company", "vat_company", "gross_company")
        by_rate = {}
        tax_rate = {}

        def row(rate):
            return by_rate.setdefault(rate, dict.fromkeys(keys, 0.0) | {"rate": rate})

        for line in self.line_ids.filtered(lambda ml: ml.display_type == "product"):
            rate = self._pl_report_tax_label(line.tax_ids)
            for tax in line.tax_ids.flatten_taxes_hierarchy():
                tax_rate.setdefault(tax.id, rate)
            values = row(rate)
            values["net"] += line.amount_currency * sign
            values["net_company"] += line.balance * sign
        for line in self.line_ids.filtered(lambda ml: ml.display_type == "tax"):
            rate = tax_rate.get(line.tax_line_id.id) or self._pl_report_tax_label(
                line.tax_line_id
            )
            values = row(rate)
            values["vat"] += line.amount_currency * sign
            values["vat_company"] += line.balance * sign
        currency, company_currency = self.currency_id, self.company_currency_id
        total = dict.fromkeys(keys, 0.0) | {"rate": False}
        rows = []
        for rate in sorted(by_rate, key=self._pl_report_rate_sort_key):
            values = by_rate[rate]
            for key in ("net", "vat"):
                values[key] = currency.round(values[key])
                values[key + "_company"] = company_currency.round(
                    values[key + "_company"]
                )
            values["gross"] = values["net"] + values["vat"]
            values["gross_company"] = values["net_company"] + values["vat_company"]
            rows.append(values)
            for key in keys:
                total[key] += values[key]
        return {"rows": rows, "total": total}

    def _pl_report_is_foreign_currency(self):
        self.ensure_one()
        return self.currency_id != self.company_currency_id

    # ------------------------------------------------------------------
    # Corrections
    # ------------------------------------------------------------------
    def _pl_report_correction_rows(self):
        """Per VAT rate: the corrected invoice before and after this correction.

        Returns a list of ``{"rate", "before", "difference", "after"}``, each
        of the three being ``{"net", "vat", "gross"}`` in the document
        currency, sorted by rate, with a last entry of rate False for the
        totals. ``before`` is the corrected invoice (after the corrections
        posted before this one, down or up), ``difference`` is minus this
        credit note or plus this upward correction, ``after`` is ``before +
        difference`` (art. 106j ust. 2 pkt 5).
        """
        self.ensure_one()
        origin = self._pl_corrected_invoice()
        if not origin:
            return []
        amounts = ("net", "vat", "gross")
        before = {}

        def add(target, summary, factor):
            for values in summary["rows"]:
                current = target.setdefault(values["rate"], dict.fromkeys(amounts, 0.0))
                for key in amounts:
                    current[key] += factor * values[key]

        add(before, origin._pl_report_vat_summary(), 1)
        for correction in self._pl_earlier_corrections():
            add(
                before,
                correction._pl_report_vat_summary(),
                correction._pl_correction_sign(),
            )
        difference = {}
        add(difference, self._pl_report_vat_summary(), self._pl_correction_sign())

        currency = self.currency_id
        zero = dict.fromkeys(amounts, 0.0)
        rows = []
        totals = {part: dict(zero) for part in ("before", "difference", "after")}
        for rate in sorted(
            set(before) | set(difference), key=self._pl_report_rate_sort_key
        ):
            entry = {"rate": rate}
            entry["before"] = {
                k: currency.round(v) for k, v in before.get(rate, zero).items()
            }
            entry["difference"] = {
                k: currency.round(v) for k, v in difference.get(rate, zero).items()
            }
            entry["after"] = {
                k: currency.round(entry["before"][k] + entry["difference"][k])
                for k in amounts
            }
            rows.append(entry)
            for part in totals:
                for key in amounts:
                    totals[part][key] += entry[part][key]
        rows.append({"rate": False, **totals})
        return rows

    # ==================================================================
    # Pro forma -> Faktura VAT in one click
    # ==================================================================
    #
    # A pro forma is no invoice (it is never posted, art. 106b lists no such
    # document): the sale it announces is invoiced by a Faktura VAT. From any pro
    # forma one button makes that invoice as a draft and opens it:
    #
    # - a pro forma is copied into a Faktura VAT: its customer, lines, payment
    #   terms and currency;
    # - a pro forma of an offer (crm_invoicing_pl_sale) is invoiced by the offer
    #   itself.
    #
    # The invoice keeps the link to its pro forma, and a pro forma gets one VAT
    # invoice (one not cancelled).

    @api.depends("pl_proforma_invoice_ids.state")
    def _compute_pl_proforma_invoice_id(self):
        for move in self:
            move.pl_proforma_invoice_id = move.pl_proforma_invoice_ids.filtered(
                lambda invoice: invoice.state != "cancel"
            )[:1]

    @api.depends("pl_document_type_id")
    def _compute_hide_post_button(self):
        # EXTENDS account: a pro forma is never posted (see _post), so Odoo's
        # Confirm button, which could only fail, is not shown on it.
        res = super()._compute_hide_post_button()
        for move in self.filtered(lambda m: m.pl_document_kind == "proforma"):
            move.hide_post_button = True
        return res

    def _get_copy_message_content(self, default):
        if default.get("pl_proforma_id"):
            return self.env._(
                "VAT invoice made from the pro forma %s.", self._get_html_link()
            )
        return super()._get_copy_message_content(default)

    # ------------------------------------------------------------------
    # Action
    # ------------------------------------------------------------------
    def action_pl_invoice_from_proforma(self):
        """Make the draft Faktura VAT of this pro forma and open it."""
        self.ensure_one()
        self._pl_check_invoice_from_proforma()
        with self.env.cr.savepoint():
            invoices = self._pl_make_proforma_invoice()
            invoices.pl_proforma_id = self
            self.message_post(
                body=Markup("%s %s")
                % (
                    self.env._("VAT invoice made from this pro forma:"),
                    Markup(", ").join(inv._get_html_link() for inv in invoices),
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.invalidate_recordset(["pl_proforma_invoice_ids", "pl_proforma_invoice_id"])
        return self._pl_invoice_form_action(invoices)

    def action_pl_view_proforma_invoice(self):
        self.ensure_one()
        return self._pl_invoice_form_action(self.pl_proforma_invoice_id)

    def action_pl_view_proforma(self):
        self.ensure_one()
        return self._pl_invoice_form_action(self.pl_proforma_id)

    def _pl_check_invoice_from_proforma(self):
        """Refuse what is no pro forma, or a pro forma already invoiced."""
        self.ensure_one()
        if self.pl_document_kind != "proforma":
            raise UserError(
                self.env._(
                    "%s is not a pro forma: only a pro forma is turned into a VAT "
                    "invoice this way.",
                    self.display_name,
                )
            )
        if self.pl_proforma_invoice_id:
            raise UserError(
                self.env._(
                    "The pro forma %(proforma)s already has its VAT invoice "
                    "%(invoice)s: a pro forma is invoiced once. Open the invoice "
                    "from the pro forma's VAT Invoice button (cancel it first to "
                    "make a new one).",
                    proforma=self.display_name,
                    invoice=self.pl_proforma_invoice_id.display_name,
                )
            )

    def _pl_make_proforma_invoice(self):
        """The draft VAT invoice(s) of this pro forma (crm_invoicing_pl_sale:
        the offer's invoice for a pro forma of an offer)."""
        return self._pl_copy_proforma_to_invoice()

    def _pl_copy_proforma_to_invoice(self):
        """A Faktura VAT with the pro forma's customer, lines and terms."""
        vat_type = self.env["pl.document.type"]._default_for(
            self.company_id, "out_invoice"
        )
        if not vat_type:
            raise UserError(
                self.env._(
                    "No Faktura VAT document type is set up for %s.",
                    self.company_id.name,
                )
            )
        return self.copy(
            {
                "pl_document_type_id": vat_type.id,
                "journal_id": (vat_type.journal_id or self.journal_id).id,
                "pl_proforma_id": self.id,
                "invoice_origin": self.name if self.name != "/" else False,
            }
        )

    def _pl_invoice_form_action(self, moves):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", moves.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        if len(moves) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = moves.id
        return action

    # ==================================================================
    # Advance and final invoices: the printouts' data (art. 106f)
    # ==================================================================
    #
    # The order block of an advance, frozen when it is issued, and the
    # advances a final invoice deducts.
    #
    # Without a sale order the order is the one entered on the advance and the
    # advances are those chosen on the final invoice (next section);
    # crm_invoicing_pl_sale fills the same blocks from a sale order (the
    # ``_pl_order_block_*`` and ``_pl_report_*`` methods below are its hooks).

    @api.depends("pl_advance_received_date", "invoice_date")
    def _compute_pl_advance_issue_warning(self):
        for move in self:
            late = advance_issue_deadline(move.pl_advance_received_date)
            issued = move.invoice_date or fields.Date.context_today(move)
            move.pl_advance_issue_warning = (
                late
                and issued > late
                and self.env._(
                    "An advance invoice is issued by the 15th day of the month "
                    "after the month the payment was received (art. 106i ust. "
                    "2): %(late)s for a payment of %(received)s.",
                    late=format_date(self.env, late),
                    received=format_date(self.env, move.pl_advance_received_date),
                )
            )

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    def _pl_freeze_order_snapshot(self):
        """Freeze the order block of these posted advances (art. 106f ust. 1
        pkt 4): a reprint shows the order as it was at issue."""
        for move in self.filtered(
            lambda m: m.pl_document_kind == "advance" and m._pl_has_order_block()
        ):
            move.pl_order_snapshot = move._pl_order_block_values()
            if move.pl_advance_issue_warning:
                move.message_post(body=move.pl_advance_issue_warning)

    def _pl_check_advance_content(self):
        """Refuse an advance or final invoice without what art. 106f asks.

        An advance invoice (faktura zaliczkowa) shows the order: the ordered
        goods or services with their quantities, prices and rates, and the
        order's value (art. 106f ust. 1 pkt 4, ``Zamowienie`` in FA(3)); a
        final invoice deducts the advances per VAT rate and names the advance
        invoices (art. 106f ust. 3, ``FakturaZaliczkowa``). Made without a
        sale order, they take both from the ordered goods entered on the
        advance and the advance invoices chosen on the final invoice
        (``_pl_check_manual_advance``, ``_pl_check_manual_final``;
        crm_invoicing_pl_sale takes them from a sale order). A document whose
        type was merely set to advance or final has neither: its lines are not
        an order, and a negative line is not a deduction of an advance. It is
        refused, with how to make it, before anything of the posting happens.
        """
        for move in self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "draft"
                and m.pl_document_kind in ("advance", "final")
            )
        ):
            if move.pl_document_kind == "advance":
                move._pl_check_manual_advance()
            else:
                move._pl_check_manual_final()

    # ------------------------------------------------------------------
    # Printout data (report/report_pl_invoice.xml)
    # ------------------------------------------------------------------
    def _pl_has_order_block(self):
        """Whether the document shows an order block: an advance with the
        ordered goods entered on it."""
        self.ensure_one()
        return self.pl_document_kind == "advance" and bool(self.pl_order_line_ids)

    def _pl_settles_advances(self):
        """Whether the document is a final invoice settling advance invoices."""
        self.ensure_one()
        return self.pl_document_kind == "final" and bool(self.pl_advance_invoice_ids)

    def _pl_report_order_block(self):
        """The order an advance invoice is for (art. 106f ust. 1 pkt 4).

        ``{"order_name": ..., "order_ref": ..., "lines": [...], "rates":
        [...], "total": {...}}``: ordered goods with quantities and values,
        and the net, tax and gross order value per VAT rate, in the order's
        currency. An issued advance shows the order as it was when posted
        (``pl_order_snapshot``); a draft, or an advance posted before the
        snapshot existed, shows the order as it is now.
        """
        self.ensure_one()
        if not self._pl_has_order_block():
            return {}
        snapshot = self.state != "draft" and self.pl_order_snapshot
        return dict(snapshot) if snapshot else self._pl_order_block_values()

    def _pl_order_block_lines(self):
        """The ordered lines of the order block: those entered on the
        advance."""
        self.ensure_one()
        return self.pl_order_line_ids

    def _pl_order_block_quantity(self, line):
        """The ordered quantity of a line of the order block."""
        return line.quantity

    def _pl_order_block_buckets(self):
        """``(buckets, taxes)`` of the order per VAT rate (see
        account.tax._pl_buckets_of_base_lines)."""
        return self._pl_manual_order_buckets()

    def _pl_order_block_values(self):
        """The order block from the order as it is now, JSON-serializable."""
        self.ensure_one()
        lines = []
        for line in self._pl_order_block_lines():
            lines.append(
                {
                    "name": line.name or line.product_id.display_name or "",
                    "uom": self._pl_unit(line.product_uom_id)
                    if line.product_uom_id
                    else "",
                    "quantity": self._pl_order_block_quantity(line),
                    "net": line.price_subtotal,
                    "rate": self._pl_report_tax_label(line.tax_ids),
                    "vat": line.price_tax,
                    "gross": line.price_total,
                }
            )
        buckets, taxes = self._pl_order_block_buckets()
        rates = [
            {
                "rate": self._pl_report_tax_label(taxes[bucket.key]),
                "net": float(bucket.net),
                "vat": float(bucket.tax),
                "gross": float(bucket.gross),
            }
            for bucket in buckets
        ]
        total = {key: sum(row[key] for row in rates) for key in ("net", "vat", "gross")}
        return {
            "order_name": self.pl_order_reference or "",
            "order_ref": "",
            "lines": lines,
            "rates": rates,
            "total": total,
        }

    def _pl_report_advances(self):
        """The advances to list on this printout, as dicts (``move``: the
        advance).

        On a final invoice: every advance it deducts (on the advance that
        pays the rest of an order, crm_invoicing_pl_sale lists the earlier
        advances, art. 106f ust. 4).
        """
        self.ensure_one()
        if self.pl_document_kind != "final":
            return []
        return self._pl_advance_rows(self._pl_manual_advances())

    def _pl_advance_rows(self, advances):
        """``[(advance, [RateBucket])]`` as the rows of the printout."""
        rows = []
        for move, split in advances:
            rows.append(
                {
                    "name": move.name,
                    "date": move.invoice_date,
                    "payment_date": move.taxable_supply_date or move.invoice_date,
                    "net": float(sum(bucket.net for bucket in split)),
                    "vat": float(sum(bucket.tax for bucket in split)),
                    "gross": float(sum(bucket.gross for bucket in split)),
                    "move": move,
                }
            )
        return rows

    def _pl_report_settlement(self):
        """Per VAT rate: the order, the advances and the rest (final invoice)."""
        self.ensure_one()
        if not self._pl_settles_advances():
            return []
        taxes = self._pl_goods_buckets()[1]
        return self._pl_settlement_rows(self._pl_manual_settlement(), taxes)

    def _pl_settlement_rows(self, settlement, taxes):
        """A tools.advance settlement as the rows of the printout."""
        rows = []
        for line in settlement.lines:
            rows.append(
                {
                    "rate": self._pl_report_tax_label(taxes[line.key]),
                    **{
                        part: {
                            "net": float(getattr(line, part).net),
                            "vat": float(getattr(line, part).tax),
                            "gross": float(getattr(line, part).gross),
                        }
                        for part in ("order", "advanced", "remainder")
                    },
                }
            )
        rows.append(
            {
                "rate": False,
                **{
                    part: {
                        "net": float(getattr(settlement, part).net),
                        "vat": float(getattr(settlement, part).tax),
                        "gross": float(getattr(settlement, part).gross),
                    }
                    for part in ("order", "advanced", "remainder")
                },
            }
        )
        return rows

    # ==================================================================
    # Advance and final invoices without a sale order (art. 106f)
    # ==================================================================
    #
    # Some advances are received on an order that lives outside Odoo: a contract
    # signed on paper, an order by e-mail. The advance invoice is then made by
    # hand, and the suite asks for what art. 106f requires instead of the order:
    #
    # * an advance invoice (faktura zaliczkowa) gets the ordered goods or services
    #   (name, quantity, unit, net unit price, VAT rate) in ``pl_order_line_ids``
    #   and the gross payment received; *Compute Advance* splits the payment per
    #   VAT rate of the order with KP = ZB x SP / (100 + SP) (art. 106f ust. 1 pkt
    #   3, tools/advance.py) into one invoice line per rate. The order block of the
    #   printout and the ``Zamowienie`` of FA(3) come from those lines (ust. 1 pkt
    #   4), frozen at posting like those of an order;
    # * a final invoice (faktura końcowa) lists the goods or services of the whole
    #   order as lines and picks the posted advance invoices of the same customer
    #   it settles (``pl_advance_invoice_ids``, ust. 3); *Deduct Advances* adds, per
    #   advance and VAT rate, a deduction line of exactly what remains of that
    #   advance (its net and KP less its corrections), as the final invoice of an
    #   order deducts its down payments. The printout lists them with the
    #   settlement per rate, FA(3) in ``FakturaZaliczkowa`` (by KSeF number when
    #   they have one), the totals reduced by them.
    #
    # Posting checks that the lines are still what the buttons made (an edited
    # line is refused with the button to press) and that the advances fit in the
    # order, rate by rate.

    @api.depends("pl_document_type_id", "move_type")
    def _compute_pl_is_manual(self):
        # crm_invoicing_pl_sale: not those made from a sale order.
        for move in self:
            manual = move.move_type == "out_invoice"
            move.pl_is_manual_advance = manual and move.pl_document_kind == "advance"
            move.pl_is_manual_final = manual and move.pl_document_kind == "final"

    def _pl_manual_split_payment(self):
        """Split payment of an advance or final invoice without a sale order
        (see ``_compute_pl_split_payment``): the goods of załącznik 15 and the
        value of the transaction are those entered on the advance, or the
        goods of the final invoice (before the deductions), as for an order."""
        self.ensure_one()
        if self.pl_is_manual_advance:
            goods = self.pl_order_line_ids
        else:
            goods = self._pl_product_lines(deductions=False)
        order_total = self.currency_id._convert(
            sum(goods.mapped("price_total")),
            self.company_currency_id,
            self.company_id,
            self.invoice_date or fields.Date.context_today(self),
        )
        amount = max(
            self._pl_amount_in_pln(abs(self.amount_total_signed)),
            self._pl_amount_in_pln(order_total),
        )
        return bool(
            self._pl_buyer_is_taxpayer()
            and any(goods.product_id.mapped("pl_annex_15"))
            and float_compare(amount, SPLIT_PAYMENT_THRESHOLD, precision_digits=2) > 0
        )

    def _pl_check_frozen_advance_data(self, vals):
        """An issued invoice keeps its order and the advances it settles (art.
        106e: it is corrected, not changed)."""
        frozen = {"pl_order_reference", "pl_advance_amount", "pl_advance_invoice_ids"}
        if frozen & set(vals):
            issued = self.filtered(lambda m: m.state != "draft")
            if issued:
                raise UserError(
                    self.env._(
                        "%s is issued: its order and the advances it settles "
                        "cannot be changed. Correct it with a correction invoice.",
                        ", ".join(issued.mapped("display_name")),
                    )
                )

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # The correction of a hand-made advance corrects the payment: the
        # order stays on the advance, where KOR_ZAL reads it.
        if not default_values_list:
            default_values_list = [{} for _move in self]
        for values in default_values_list:
            values.setdefault("pl_order_line_ids", [])
        return super()._reverse_moves(
            default_values_list=default_values_list, cancel=cancel
        )

    def _pl_check_order_lines_editable(self):
        posted = self.filtered(lambda m: m.state != "draft")
        if posted:
            raise UserError(
                self.env._(
                    "The ordered goods of %s cannot be changed: the advance "
                    "invoice is issued. Correct it with a correction invoice.",
                    ", ".join(posted.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Values
    # ------------------------------------------------------------------
    def _pl_manual_order_buckets(self):
        """The values of ``pl_order_line_ids`` per VAT rate: ``(buckets,
        taxes)`` as sale.order._pl_order_buckets gives them for an order."""
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        lines = self.pl_order_line_ids
        base_lines = [line._pl_base_line() for line in lines]
        AccountTax._add_tax_details_in_base_lines(base_lines, self.company_id)
        AccountTax._round_base_lines_tax_details(base_lines, self.company_id)
        return self.env["account.tax"]._pl_buckets_of_base_lines(
            base_lines, self.currency_id
        )

    def _pl_product_lines(self, deductions=None):
        """The product lines; only the deductions of advances (down payment
        lines) or only the others when ``deductions`` is True or False."""
        self.ensure_one()
        return self.invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product"
                and (deductions is None or line.is_downpayment == deductions)
            )
        )

    def _pl_lines_buckets(self, signed_lines):
        """``[(invoice lines, sign)]`` summed per tax combination, in the
        order of the lines: ``(RateBuckets, {key: taxes})``."""
        amounts, taxes_by_key = {}, {}
        for lines, sign in signed_lines:
            for line in lines:
                key = pl_tax_key(line.tax_ids)
                taxes_by_key.setdefault(key, line.tax_ids)
                total = amounts.setdefault(key, [0.0, 0.0])
                total[0] += sign * line.price_subtotal
                total[1] += sign * (line.price_total - line.price_subtotal)
        buckets = self.env["account.tax"]._pl_rate_buckets(
            amounts, taxes_by_key, self.currency_id
        )
        return buckets, taxes_by_key

    def _pl_advance_buckets(self):
        """What counts of this posted advance, per VAT rate: its lines less
        its posted corrections. ``(buckets, taxes)``."""
        self.ensure_one()
        corrections = self.reversal_move_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_refund"
        )
        return self._pl_lines_buckets(
            [(self._pl_product_lines(), 1)]
            + [(move._pl_product_lines(), -1) for move in corrections]
        )

    def _pl_manual_advances(self):
        """The advances a final invoice without an order settles, as
        sale.order._pl_advances gives them: ``[(advance, [RateBucket])]``,
        oldest first, those corrected to zero left out."""
        self.ensure_one()
        result = []
        for advance in self.pl_advance_invoice_ids.sorted(
            lambda m: (m.invoice_date or m.date, m.id)
        ):
            buckets = advance._pl_advance_buckets()[0]
            if any(not advance.currency_id.is_zero(float(b.gross)) for b in buckets):
                result.append((advance, buckets))
        return result

    def _pl_goods_buckets(self):
        """The goods of a final invoice without an order (its lines less the
        deductions), per VAT rate: the order it settles."""
        self.ensure_one()
        return self._pl_lines_buckets([(self._pl_product_lines(deductions=False), 1)])

    def _pl_manual_amount_lines(self, buckets, taxes, name, quantity, **values):
        """Invoice line commands carrying exactly the net and tax of each
        bucket (manual tax amounts, as the down payments of an order)."""
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        currency = self.currency_id
        commands = []
        for bucket in buckets:
            if currency.is_zero(float(bucket.gross)):
                continue
            net, tax = float(bucket.net), float(bucket.tax)
            line_taxes = taxes[bucket.key]
            extra = {
                "currency_id": currency.id,
                "price_unit": net,
                "discount": 0.0,
                "quantity": 1.0,
                "rate": self.invoice_currency_rate or 1.0,
                "manual_total_excluded_currency": net,
                "manual_tax_amounts": AccountTax._pl_spread_tax(
                    line_taxes.flatten_taxes_hierarchy(), currency, net, tax
                ),
            }
            if quantity < 0:
                extra = AccountTax._reverse_quantity_base_line_extra_tax_data(extra)
            commands.append(
                Command.create(
                    {
                        "name": name,
                        "quantity": quantity,
                        "price_unit": net,
                        "discount": 0.0,
                        "tax_ids": [Command.set(line_taxes.ids)],
                        "extra_tax_data": extra,
                        **values,
                    }
                )
            )
        return commands

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_pl_compute_advance(self):
        """Split the payment received per VAT rate of the order (art. 106f
        ust. 1 pkt 3) into the lines of this advance invoice."""
        for move in self:
            move._pl_check_manual_draft("advance")
            buckets, taxes = move._pl_manual_split()
            name = (
                self.with_context(lang=move.partner_id.lang or self.env.lang)
                .env._("Advance payment for order %s", move.pl_order_reference or "")
                .strip()
            )
            product_lines = move._pl_product_lines()
            move.invoice_line_ids = [
                Command.unlink(line.id) for line in product_lines
            ] + move._pl_manual_amount_lines(
                buckets, taxes, name, 1.0, is_downpayment=True
            )
        return True

    def action_pl_deduct_advances(self):
        """Deduct the chosen advance invoices, per VAT rate (art. 106f ust. 3)."""
        for move in self:
            move._pl_check_manual_draft("final")
            move._pl_check_manual_advances()
            deductions = move._pl_product_lines(deductions=True)
            commands = [Command.unlink(line.id) for line in deductions]
            for advance, buckets in move._pl_manual_advances():
                name = self.with_context(
                    lang=move.partner_id.lang or self.env.lang
                ).env._(
                    "Advance invoice %(number)s of %(date)s",
                    number=advance.name,
                    date=format_date(self.env, advance.invoice_date),
                )
                commands += move._pl_manual_amount_lines(
                    buckets,
                    advance._pl_advance_buckets()[1],
                    name,
                    -1.0,
                    is_downpayment=True,
                )
            move.invoice_line_ids = commands
        return True

    def _pl_check_manual_draft(self, kind):
        self.ensure_one()
        if (
            self.state != "draft"
            or self.pl_document_kind != kind
            or not (self.pl_is_manual_advance or self.pl_is_manual_final)
        ):
            raise UserError(
                self.env._(
                    "Only a draft advance or final invoice made without a sale "
                    "order is computed here: %s.",
                    self.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _pl_manual_split(self):
        """The split of ``pl_advance_amount`` over the order's rates."""
        self.ensure_one()
        if not self.pl_order_line_ids:
            raise UserError(
                self.env._(
                    "Enter the ordered goods or services of %s (Order tab): an "
                    "advance invoice shows the order it is paid on (art. 106f "
                    "ust. 1 pkt 4).",
                    self.display_name,
                )
            )
        buckets, taxes = self._pl_manual_order_buckets()
        try:
            split = advance_split(buckets, self.pl_advance_amount)
        except AdvanceError as error:
            raise UserError(self._pl_manual_advance_error(error)) from error
        return split, taxes

    def _pl_manual_advance_error(self, error):
        self.ensure_one()
        fmt = self.currency_id.format
        if error.code == "not_positive":
            return self.env._(
                "Enter the advance received of %s: an amount above zero.",
                self.display_name,
            )
        if error.code in ("exceeds_order", "advances_exceed_order"):
            order = sum(line.price_total for line in self.pl_order_line_ids)
            return self.env._(
                "The advance of %(invoice)s, %(amount)s, exceeds the value of "
                "its order, %(order)s.",
                invoice=self.display_name,
                amount=fmt(self.amount_total or self.pl_advance_amount),
                order=fmt(order),
            )
        if error.code == "empty_order":
            return self.env._(
                "The order of %s has no value to pay in advance.", self.display_name
            )
        if error.code == "rate_mismatch":
            return self.env._(
                "A line of the advance invoice %s has a VAT rate its order does "
                "not have: compute the advance again.",
                self.display_name,
            )
        return self.env._("The advance cannot be computed: %s", error)

    def _pl_check_manual_advance(self):
        """A hand-made advance posts with its order and, as its lines, the
        split of the payment received over the order's VAT rates with KP =
        ZB x SP / (100 + SP) per rate (art. 106f ust. 1 pkt 3-4), as Compute
        Advance made it."""
        self.ensure_one()
        if not self.pl_order_line_ids:
            raise UserError(
                self.env._(
                    "%(document)s is an advance invoice without its order. An "
                    "advance invoice must show the order: the ordered goods or "
                    "services with their quantities, prices and VAT rates, and "
                    "the order's value (art. 106f ust. 1 pkt 4 of the VAT Act, "
                    "the Zamowienie of the KSeF invoice).\n\n"
                    "Enter the ordered goods or services on the Order tab, the "
                    "advance received, and click Compute Advance; or create "
                    "the advance invoice from the sale order (Advance Invoice "
                    "on the order). An invoice for goods or services already "
                    "supplied is a Faktura VAT: choose that document type "
                    "instead.",
                    document=self.display_name,
                )
            )
        split = {
            bucket.key: (bucket.net, bucket.tax)
            for bucket in self._pl_manual_split()[0]
            if bucket.gross
        }
        lines = {
            bucket.key: (bucket.net, bucket.tax)
            for bucket in self._pl_lines_buckets([(self._pl_product_lines(), 1)])[0]
            if bucket.gross
        }
        if split != lines:
            raise UserError(
                self.env._(
                    "The lines of %(invoice)s are not the advance received, "
                    "%(amount)s, split over the VAT rates of its order with KP "
                    "= ZB × SP / (100 + SP) per rate (art. 106f ust. 1 pkt 3): "
                    "click Compute Advance to split it again.",
                    invoice=self.display_name,
                    amount=self.currency_id.format(self.pl_advance_amount),
                )
            )

    def _pl_check_manual_advances(self):
        """The advances a hand-made final invoice settles: posted advance
        invoices made without an order, of its customer, company and
        currency, not settled by another final invoice."""
        self.ensure_one()
        if not self.pl_advance_invoice_ids:
            raise UserError(
                self.env._(
                    "%(document)s is a final invoice that settles no advance "
                    "invoice. A final invoice deducts the advances per VAT "
                    "rate and names the advance invoices it settles (art. "
                    "106f ust. 3 of the VAT Act, the FakturaZaliczkowa of the "
                    "KSeF invoice); a line with a negative price does not.\n\n"
                    "Choose the advance invoices on the Advances tab and click "
                    "Deduct Advances; or create the final invoice from the "
                    "sale order of its advance invoices (Final Invoice on the "
                    "order).",
                    document=self.display_name,
                )
            )
        for advance in self.pl_advance_invoice_ids:
            wrong = (
                advance.move_type != "out_invoice"
                or advance.state != "posted"
                or not advance.pl_is_manual_advance
                or advance.commercial_partner_id != self.commercial_partner_id
                or advance.company_id != self.company_id
                or advance.currency_id != self.currency_id
            )
            if wrong:
                raise UserError(
                    self.env._(
                        "%(final)s cannot settle %(advance)s: a final invoice "
                        "settles posted advance invoices of its customer, in "
                        "its currency, made without a sale order (those of an "
                        "order are settled by the order's final invoice).",
                        final=self.display_name,
                        advance=advance.display_name,
                    )
                )
        others = self.search(
            [
                ("id", "!=", self._origin.id or 0),
                ("state", "=", "posted"),
                ("pl_advance_invoice_ids", "in", self.pl_advance_invoice_ids.ids),
            ]
        )
        for other in others:
            settled = other.pl_advance_invoice_ids & self.pl_advance_invoice_ids
            raise UserError(
                self.env._(
                    "%(advance)s is already settled by the final invoice %(final)s.",
                    advance=", ".join(settled.mapped("display_name")),
                    final=other.display_name,
                )
            )

    def _pl_check_manual_final(self):
        """A hand-made final invoice posts with its advances deducted exactly
        as Deduct Advances computes them, within its goods rate by rate."""
        self.ensure_one()
        self._pl_check_manual_advances()
        expected = {}
        for _advance, buckets in self._pl_manual_advances():
            for bucket in buckets:
                values = expected.setdefault(bucket.key, [0.0, 0.0])
                values[0] += float(bucket.net)
                values[1] += float(bucket.tax)
        deducted = {
            bucket.key: [float(bucket.net), float(bucket.tax)]
            for bucket in self._pl_lines_buckets(
                [(self._pl_product_lines(deductions=True), -1)]
            )[0]
        }
        compare = self.currency_id.compare_amounts
        if set(expected) != set(deducted) or any(
            compare(expected[key][index], deducted[key][index])
            for key in expected
            for index in (0, 1)
        ):
            raise UserError(
                self.env._(
                    "The deductions of %(document)s are not those of its advance "
                    "invoices %(advances)s (art. 106f ust. 3): click Deduct "
                    "Advances to compute them again.",
                    document=self.display_name,
                    advances=", ".join(self.pl_advance_invoice_ids.mapped("name")),
                )
            )
        settlement = self._pl_manual_settlement()
        if any(line.remainder.gross < 0 for line in settlement.lines):
            raise UserError(
                self.env._(
                    "The advances settled by %s exceed the goods it invoices on "
                    "a VAT rate: a final invoice lists the whole order.",
                    self.display_name,
                )
            )

    def _pl_manual_settlement(self):
        """tools.advance.final_settlement of a final invoice without an
        order: its goods against the advances it settles."""
        self.ensure_one()
        buckets = self._pl_goods_buckets()[0]
        try:
            return final_settlement(
                buckets, [split for _advance, split in self._pl_manual_advances()]
            )
        except AdvanceError as error:
            if error.code == "rate_mismatch":
                raise UserError(
                    self.env._(
                        "An advance settled by %s has a VAT rate none of its "
                        "goods has: a final invoice lists the whole order.",
                        self.display_name,
                    )
                ) from error
            if error.code == "empty_order":
                raise UserError(
                    self.env._(
                        "%s lists no goods or services: a final invoice lists "
                        "the whole order.",
                        self.display_name,
                    )
                ) from error
            raise UserError(
                self.env._(
                    "The advances settled by %s exceed the goods it invoices on "
                    "a VAT rate: a final invoice lists the whole order.",
                    self.display_name,
                )
            ) from error

    # ==================================================================
    # The buyer's data, frozen at posting
    # ==================================================================
    #
    # A posted invoice must keep showing the buyer as invoiced (art. 106e) even
    # when the customer's record changes or is anonymised (GDPR,
    # crm_invoicing_pl_archive): the printout reads these fields when they are set.

    def _pl_check_frozen_buyer(self, vals):
        """The buyer as invoiced is frozen once posted, hashed or not (a
        hashed document is also guarded by Odoo's hash check)."""
        if not BUYER_FIELDS_SET.isdisjoint(vals):
            frozen = self.filtered(lambda m: m.state == "posted" and m.pl_buyer_name)
            if frozen:
                raise UserError(
                    self.env._(
                        "The buyer's data of %(documents)s were frozen when it was "
                        "posted: the document shows the buyer as invoiced (art. "
                        "106e of the VAT Act). To correct them, issue a correction "
                        "invoice.",
                        documents=", ".join(frozen.mapped("display_name")),
                    )
                )

    def _pl_freeze_buyer(self):
        """Write the buyer as invoiced on these documents being posted.

        Frozen before posting: the hash computed at posting (the hash chain
        of crm_invoicing_pl_archive) covers them.
        """
        # They touch no journal item: the invoice's line synchronisation and
        # balance check (most of the cost of a write on a move; posting
        # checks the balance itself) are skipped, and the documents of one
        # buyer are written at once.
        by_values = {}
        for move in self.filtered(
            lambda m: m.pl_document_type_id and m.is_sale_document()
        ):
            values = move._pl_buyer_snapshot_values()
            key = tuple(values.items())
            by_values.setdefault(key, [values, self.browse()])[1] |= move
        for values, moves in by_values.values():
            moves.with_context(skip_invoice_sync=True, check_move_validity=False).write(
                values
            )

    def button_draft(self):
        result = super().button_draft()
        # A draft shows the customer as it is now; posting freezes it again.
        # (Odoo calls this on empty sets for every journal item written.)
        frozen = self.filtered("pl_buyer_name")
        if frozen:
            frozen.write(dict.fromkeys(BUYER_FIELDS, False))
        return result

    def _pl_buyer_address_partner(self):
        """The partner whose address the document shows for the buyer."""
        self.ensure_one()
        if self.partner_id.street or self.partner_id.city:
            return self.partner_id
        return self.commercial_partner_id

    def _pl_buyer_snapshot_values(self):
        """The buyer as the printout shows it (see pl_invoice_parties)."""
        self.ensure_one()
        buyer = self.commercial_partner_id
        address = self._pl_buyer_address_partner()
        return {
            "pl_buyer_name": buyer.name,
            "pl_buyer_vat": buyer.vat,
            "pl_buyer_street": address.street,
            "pl_buyer_street2": address.street2,
            "pl_buyer_zip": address.zip,
            "pl_buyer_city": address.city,
            "pl_buyer_country_id": address.country_id.id,
        }

    def _pl_report_buyer_snapshot_nip(self):
        """The frozen buyer's NIP as printed (see ``_pl_report_nip``)."""
        self.ensure_one()
        vat = (self.pl_buyer_vat or "").replace(" ", "").replace("-", "")
        if vat[:2].upper() == "PL" and self.pl_buyer_country_id.code in (False, "PL"):
            return vat[2:]
        return vat

    def _pl_frozen_buyer_partner(self, live):
        """An in-memory partner holding the buyer as frozen at posting (name,
        tax id, address); contact data (e-mail, phone) stay those of
        ``live``, the customer's record."""
        self.ensure_one()
        return self.env["res.partner"].new(
            {
                "name": self.pl_buyer_name,
                "vat": self.pl_buyer_vat,
                "street": self.pl_buyer_street,
                "street2": self.pl_buyer_street2,
                "zip": self.pl_buyer_zip,
                "city": self.pl_buyer_city,
                "country_id": self.pl_buyer_country_id.id,
                "is_company": live.is_company,
                "email": live.email,
                "phone": live.phone,
            }
        )

    # ==================================================================
    # Controls at posting that no user gets round
    # ==================================================================
    #
    # Enforced in ``_post`` (the ORM and JSON-RPC reach the same code), before
    # anything of the posting happens: ``_pl_check_posting_controls`` is its first
    # step.
    #
    # - **Exchange rate** (art. 31a ust. 1 of the VAT Act): a document in a foreign
    #   currency is converted at the NBP average rate of the last working day
    #   before the tax point. Without that rate Odoo would use whatever rate it
    #   finds (an older one, or 1.0 when there is none): refused, naming the
    #   currency and the day, with a button that fetches the rate from NBP and
    #   applies it. A correction that keeps the corrected invoice's rate is
    #   accepted (corrections-2026-12.md).
    # - **Advance and final invoices** (art. 106f ust. 1 pkt 4 and ust. 3): an
    #   advance shows its order, a final invoice deducts and names its advances,
    #   from the sale order or as entered on the invoice; one without them is
    #   refused, see ``_pl_check_advance_content``.
    # - **Date window** (a safety rule of the suite, not a legal one): no invoice
    #   dated after today (in the company's time zone) plus the company's "days
    #   ahead" (default 0), nor before the start of the company's books in Odoo
    #   (the first day of the fiscal year of its opening date or of its first
    #   posted entry), unless a consultant widens the window in Settings.

    def _pl_check_posting_controls(self, soft):
        """The controls no user gets round (see above), ``soft`` as in
        ``_post``."""
        self._pl_check_advance_content()
        # Users who may not post at all get Odoo's own refusal.
        if self.env.su or self.env.user.has_group("account.group_account_invoice"):
            documents = self.filtered(
                lambda m: (
                    m.pl_document_type_id
                    and m.is_sale_document()
                    and m.pl_document_kind != "proforma"
                    and m.state == "draft"
                )
            )
            if soft:
                # Odoo only schedules these (auto-post at their date).
                today = fields.Date.context_today(self)
                documents = documents.filtered(lambda m: m.date <= today)
            documents._pl_check_invoice_dates()
            # The lines may decide the tax point after the dates were set.
            documents._pl_sync_tax_point()
            documents._pl_check_nbp_rates()

    # ------------------------------------------------------------------
    # Date window
    # ------------------------------------------------------------------
    def _pl_check_invoice_dates(self):
        """Refuse documents dated in the future or before the company's books.

        A safety rule, not art. 106e: widened in Settings (Invoicing, Invoice
        Date Window) by the number of days ahead and the earliest date.
        """
        problems = []
        windows = {}
        for move in self.filtered("invoice_date"):
            company = move.company_id
            if company not in windows:
                windows[company] = company._pl_invoice_date_window()
            earliest, latest, earliest_is_set = windows[company]
            day = format_date(self.env, move.invoice_date)
            if move.invoice_date > latest:
                problems.append(
                    self.env._(
                        "%(document)s is dated %(date)s, after %(latest)s: an "
                        "invoice is dated the day it is issued, not in the future "
                        "(a supply still to come goes in its Sale Date).",
                        document=move.display_name,
                        date=day,
                        latest=format_date(self.env, latest),
                    )
                )
            elif earliest and move.invoice_date < earliest:
                if earliest_is_set:
                    message = self.env._(
                        "%(document)s is dated %(date)s, before %(earliest)s, the "
                        "earliest invoice date set for %(company)s.",
                        document=move.display_name,
                        date=day,
                        earliest=format_date(self.env, earliest),
                        company=company.name,
                    )
                else:
                    message = self.env._(
                        "%(document)s is dated %(date)s, before %(earliest)s, the "
                        "start of the first fiscal year of %(company)s in Odoo.",
                        document=move.display_name,
                        date=day,
                        earliest=format_date(self.env, earliest),
                        company=company.name,
                    )
                problems.append(message)
        if problems:
            raise UserError(
                "\n".join(problems)
                + "\n\n"
                + self.env._(
                    "This is a safety rule against mistyped dates. If the date is "
                    "right, a consultant can widen the window in Settings "
                    "(Invoicing, Invoice Date Window)."
                )
            )

    # ------------------------------------------------------------------
    # NBP rate (art. 31a)
    # ------------------------------------------------------------------
    def _pl_rate_day(self):
        """The day whose NBP rate converts the document (art. 31a ust. 1):
        the last working day before the tax point."""
        self.ensure_one()
        return last_business_day_before(
            self._get_invoice_currency_rate_date() + timedelta(days=1)
        )

    def _pl_needs_nbp_rate(self):
        self.ensure_one()
        return bool(
            self.pl_document_type_id
            and self.is_sale_document()
            and self.country_code == "PL"
            and self.company_currency_id.name == "PLN"
            and self.currency_id
            and self.currency_id != self.company_currency_id
        )

    def _pl_rate_used(self):
        """The rate record Odoo converts the document with (res.currency's
        ``_get_rates``: the company's rates first, then the shared ones)."""
        self.ensure_one()
        return self.env["res.currency.rate"].search(
            [
                ("currency_id", "=", self.currency_id.id),
                ("company_id", "in", (False, self.company_id.root_id.id)),
                ("name", "<=", self._get_invoice_currency_rate_date()),
            ],
            order="company_id.id, name desc",
            limit=1,
        )

    def _pl_keeps_corrected_rate(self):
        """A correction, downward or upward, converted at the rate of the
        invoice it corrects."""
        self.ensure_one()
        origin = self._pl_corrected_invoice()
        return bool(
            origin
            and origin.currency_id == self.currency_id
            and math.isclose(
                origin.invoice_currency_rate,
                self.invoice_currency_rate,
                rel_tol=1e-9,
            )
        )

    def _pl_nbp_rate_problem(self):
        """Why the document's rate is not that of art. 31a ("" if it is)."""
        self.ensure_one()
        if not self._pl_needs_nbp_rate() or self._pl_keeps_corrected_rate():
            return ""
        rate_day = self._pl_rate_day()
        used = self._pl_rate_used()
        values = {
            "document": self.display_name,
            "currency": self.currency_id.name,
            "day": format_date(self.env, rate_day),
            "tax_point": format_date(self.env, self._pl_tax_point()),
        }
        if used.name != rate_day:
            message = self.env._(
                "%(document)s is in %(currency)s, but there is no NBP rate of "
                "%(currency)s of %(day)s, the last working day before its tax "
                "point (%(tax_point)s).",
                **values,
            )
            if used:
                message += " " + self.env._(
                    "The latest rate recorded is of %(used)s: a stale rate is "
                    "not the rate of art. 31a.",
                    used=format_date(self.env, used.name),
                )
            return message
        if not self.invoice_date:
            # Odoo dates it today at posting and converts it again then.
            return ""
        expected = self._get_expected_currency_rate_at(
            self._get_invoice_currency_rate_date()
        )
        if not math.isclose(expected, self.invoice_currency_rate, rel_tol=1e-6):
            return self.env._(
                "%(document)s is converted at another rate than the NBP rate of "
                "%(currency)s of %(day)s, the last working day before its tax "
                "point (%(tax_point)s).",
                **values,
            )
        return ""

    def _pl_check_nbp_rates(self):
        """Refuse documents without the NBP rate of their rate day (art. 31a)."""
        problems = self.filtered(lambda m: m._pl_nbp_rate_problem())
        if not problems:
            return
        message = (
            "\n".join(move._pl_nbp_rate_problem() for move in problems)
            + "\n\n"
            + self.env._(
                "Art. 31a of the VAT Act converts amounts in a foreign currency "
                "at the average NBP rate of the last working day before the tax "
                'point. Press "Fetch the NBP Rate": it records the rate from NBP '
                "and applies it to the document; then post again."
            )
        )
        action = self.env.ref(
            "crm_invoicing_pl.action_server_pl_fetch_nbp_rate", raise_if_not_found=False
        )
        if not action:
            raise UserError(message)
        raise RedirectWarning(
            message,
            action.id,
            self.env._("Fetch the NBP Rate"),
            {
                "active_model": "account.move",
                "active_id": problems[0].id,
                "active_ids": problems.ids,
            },
        )

    def action_pl_fetch_nbp_rate(self):
        """Record the NBP rates of the documents' rate days and apply them.

        For invoicing users: the rates come from NBP, not from the user, so
        they are written with superuser rights (billing users may not edit
        currency rates by hand).
        """
        if not (
            self.env.su or self.env.user.has_group("account.group_account_invoice")
        ):
            raise AccessError(
                self.env._("Only invoicing users can fetch NBP rates for documents.")
            )
        self.check_access("write")
        moves = self.filtered(lambda m: m.state == "draft" and m._pl_needs_nbp_rate())
        Currency = self.env["res.currency"].sudo()
        fetched = set()
        for move in moves:
            key = (move.company_id.root_id, move._pl_rate_day())
            if key not in fetched and move._pl_rate_used().name != key[1]:
                Currency._pl_update_nbp_rates(key[0], on_date=key[1])
            fetched.add(key)
        moves.invalidate_recordset(["expected_currency_rate"])
        for move in moves.filtered(lambda m: not m._pl_keeps_corrected_rate()):
            if move._pl_rate_used().name == move._pl_rate_day():
                move.refresh_invoice_currency_rate()
        still = moves.filtered(lambda m: m._pl_nbp_rate_problem())
        if still:
            raise UserError(
                self.env._(
                    "NBP published no rate of %(currencies)s for %(days)s in "
                    "table A: record it by hand (Accounting, Currencies) from the "
                    "NBP table that lists it.",
                    currencies=", ".join(sorted(set(still.currency_id.mapped("name")))),
                    days=", ".join(
                        sorted({format_date(self.env, m._pl_rate_day()) for m in still})
                    ),
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The NBP rate is recorded and applied to %s: post it again.",
                    ", ".join(moves.mapped("display_name")),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ==================================================================
    # Cash accounting (metoda kasowa, art. 21)
    # ==================================================================
    #
    # The mechanism: the invoice keeps Odoo's ordinary (on-invoice) taxes, so its
    # journal items, its FA(3) file (every FaWiersz, P_13_x / P_14_x, P_16 = 1) and
    # its printout stay those of any VAT invoice. Only the VAT period moves: the
    # VAT sales register (``crm_invoicing_pl_jpk``), and through it the JPK_V7M
    # file, lists the invoice once per payment received, in the payment's month,
    # with that payment's share of every JPK box, and once on the 180th day after
    # the delivery with what is still unpaid then when the buyer is a VAT taxpayer
    # (tools/cash_accounting.py). The payments are read from the reconciliations
    # of the invoice's receivable (account.partial.reconcile).
    #
    # Odoo's on-payment taxes (tax_exigibility = on_payment, cash basis) are not
    # used: they post the VAT on a transition account and move it with a CABA
    # entry, so l10n_pl_edi finds no tax tags on the invoice's lines (FA(3) loses
    # every FaWiersz and P_13_x / P_14_x) and the tax report lists the CABA entry
    # of the payment instead of the invoice.

    @api.depends(
        "move_type",
        "company_id.pl_cash_accounting",
        "taxable_supply_date",
        "invoice_date",
        "commercial_partner_id.is_company",
        "commercial_partner_id.vat",
    )
    def _compute_pl_cash_deadline(self):
        for move in self:
            if move.move_type == "out_invoice" and move.company_id.pl_cash_accounting:
                move.pl_cash_deadline = cash_deadline(
                    move.taxable_supply_date,
                    move.invoice_date,
                    move._pl_buyer_is_taxpayer(),
                )
            else:
                move.pl_cash_deadline = False

    # ==================================================================
    # The exchange rate on the form, the Polish way
    # ==================================================================
    #
    # Odoo shows and edits the rate of a foreign-currency document as "1 PLN =
    # 0,235571 EUR" (``invoice_currency_rate``, document currency per company
    # currency). NBP publishes, and Polish invoices print, the inverse: "1 EUR =
    # 4,2450 PLN". For a company in PLN the form shows ``pl_rate`` (PLN per unit
    # of the currency) in place of Odoo's rate, editable on a draft like Odoo's
    # (its inverse and its onchange set ``invoice_currency_rate``), with where the
    # rate comes from next to it: the NBP table's date, or "entered by hand".

    @api.depends("company_currency_id")
    def _compute_pl_show_pln_rate(self):
        for move in self:
            move.pl_show_pln_rate = move.company_currency_id.name == "PLN"

    @api.depends(
        "pl_rate",
        "pl_rate_date",
        "currency_id",
        "company_currency_id",
        "invoice_currency_rate",
        "expected_currency_rate",
    )
    def _compute_pl_rate_display(self):
        for move in self:
            if not move.pl_rate or move.currency_id == move.company_currency_id:
                move.pl_rate_display = False
                move.pl_rate_source = False
                continue
            move.pl_rate_display = "1 %s = %s %s" % (
                move.currency_id.name,
                move._pl_report_format_number(move.pl_rate, 4),
                move.company_currency_id.name,
            )
            move.pl_rate_source = move._pl_rate_source_text()

    def _pl_rate_source_text(self):
        """Where the document's rate comes from, in words ("" if unknown)."""
        self.ensure_one()
        if not self.pl_rate_date:
            return ""
        day = format_date(self.env, self.pl_rate_date)
        expected = self.expected_currency_rate
        if expected and math.isclose(
            expected, self.invoice_currency_rate, rel_tol=1e-6
        ):
            return self.env._("NBP table of %(date)s", date=day)
        return self.env._(
            "entered by hand (NBP table of %(date)s: %(rate)s)",
            date=day,
            rate=self._pl_report_format_number(1.0 / expected, 4) if expected else "-",
        )

    def _pl_rate_differs(self):
        """Whether ``pl_rate`` says another rate than ``invoice_currency_rate``,
        at the 4 decimals NBP publishes (and ``pl_rate`` holds): a form saving
        the rounded figure back does not change Odoo's exact rate. Companies
        in PLN only (the others do not show the rate this way)."""
        self.ensure_one()
        if self.pl_rate <= 0 or not self.pl_show_pln_rate:
            return False
        if not self.invoice_currency_rate:
            return True
        return (
            float_compare(
                1.0 / self.invoice_currency_rate, self.pl_rate, precision_digits=4
            )
            != 0
        )

    def _inverse_pl_rate(self):
        for move in self:
            if move._pl_rate_differs():
                move.invoice_currency_rate = 1.0 / move.pl_rate

    @api.onchange("pl_rate")
    def _onchange_pl_rate(self):
        # The form converts the lines at once, as when Odoo's rate is edited.
        for move in self:
            if move._pl_rate_differs():
                move.invoice_currency_rate = 1.0 / move.pl_rate
