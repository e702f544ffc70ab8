import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from ..tools.amount_words import amount_in_words
from ..tools.tax_point import rate_basis, tax_point

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
    pl_rate = fields.Float(
        string="Exchange Rate (PLN)",
        compute="_compute_pl_rate",
        digits=(12, 4),
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
    )
    def _compute_pl_split_payment(self):
        for move in self:
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
        tax point is refused at posting (account_move_post_checks.py), with
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
        # An issued pro forma is not a "Draft Invoice": name it by its title
        # (also the file name of its PDF).
        if (
            self.pl_document_kind == "proforma"
            and self.name
            and self.name != "/"
            and not self.env.context.get("name_as_amount_total")
        ):
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

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------
    def _post(self, soft=True):
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
        return super()._post(soft=soft)

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
