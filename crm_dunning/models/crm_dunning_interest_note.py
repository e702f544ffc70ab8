from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.addons.crm_invoicing_pl.tools.amount_words import amount_in_words
from odoo.exceptions import UserError

from ..tools.note_coverage import overlaps
from .crm_dunning_interest_rate import INTEREST_KINDS


class CrmDunningInterestNote(models.Model):
    """Nota odsetkowa: late-payment interest (and recovery compensation).

    Single (one invoice) or collective (zbiorcza, several invoices of one
    customer). Posting numbers the note from the company's own series and
    books it on a receivable of the customer against the interest and
    compensation income accounts, outside VAT (it is not a VAT invoice).
    """

    _name = "crm.dunning.interest.note"
    _description = "Interest Note"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.dunning.evidence"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _crm_dunning_route_fields = frozenset(
        {"name", "state", "move_id", "reversal_move_id"}
    )
    _crm_dunning_route_defaults = {"name": "/", "state": "draft"}

    name = fields.Char(
        string="Number", readonly=True, copy=False, default="/", tracking=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    date = fields.Date(
        string="Computed On",
        required=True,
        default=fields.Date.context_today,
        help="Interest is computed up to this date for the amounts still unpaid.",
    )
    date_due = fields.Date(
        string="Due Date",
        compute="_compute_date_due",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    period_from = fields.Date(string="Payments From")
    period_to = fields.Date(string="Payments To")
    collective = fields.Boolean(
        string="Collective Note", help="A note for several invoices (zbiorcza)."
    )
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    interest_kind = fields.Selection(
        INTEREST_KINDS + [("contractual", "Contractual rate")],
        string="Interest",
    )
    contractual_rate = fields.Float(
        string="Agreed Rate (%)",
        digits=(5, 2),
        readonly=True,
        help="The contractual rate agreed with the customer when the note was "
        "made; where it exceeds the maximum (twice the statutory delay rate, art. "
        "481 § 2¹ of the Civil Code) the lines charge the maximum (§ 2²).",
    )
    contractual_capped = fields.Boolean(
        string="Capped at the Maximum",
        compute="_compute_contractual_capped",
        help="Some days are charged at the maximum contractual delay interest "
        "instead of the higher agreed rate (art. 481 § 2² of the Civil Code).",
    )
    line_ids = fields.One2many(
        "crm.dunning.interest.note.line",
        "note_id",
        string="Interest Lines",
        domain=[("kind", "=", "interest")],
    )
    compensation_line_ids = fields.One2many(
        "crm.dunning.interest.note.line",
        "note_id",
        string="Compensation Lines",
        domain=[("kind", "=", "compensation")],
    )
    all_line_ids = fields.One2many(
        "crm.dunning.interest.note.line", "note_id", string="All Lines"
    )
    invoice_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_invoice_ids"
    )
    amount_interest = fields.Monetary(
        string="Interest", compute="_compute_amounts", store=True
    )
    amount_compensation = fields.Monetary(
        string="Compensation", compute="_compute_amounts", store=True
    )
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True, tracking=True
    )
    amount_words = fields.Char(
        string="Amount in Words", compute="_compute_amount_words"
    )
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True, copy=False
    )
    reversal_move_id = fields.Many2one(
        "account.move", string="Reversal Entry", readonly=True, copy=False
    )
    amount_residual = fields.Monetary(
        string="Amount Due", compute="_compute_amount_residual"
    )

    @api.depends("date", "company_id")
    def _compute_date_due(self):
        for note in self:
            days = note.company_id.dunning_note_payment_days if note.company_id else 7
            note.date_due = (note.date or fields.Date.context_today(note)) + timedelta(
                days=max(days, 0)
            )

    @api.depends("all_line_ids.interest", "all_line_ids.compensation")
    def _compute_amounts(self):
        for note in self:
            interest = sum(note.all_line_ids.mapped("interest"))
            compensation = sum(note.all_line_ids.mapped("compensation"))
            note.amount_interest = interest
            note.amount_compensation = compensation
            note.amount_total = note.currency_id.round(interest + compensation)

    @api.depends("amount_total", "currency_id")
    def _compute_amount_words(self):
        for note in self:
            note.amount_words = amount_in_words(
                note.amount_total, note.currency_id.name or "PLN", lang="pl"
            )

    @api.depends("all_line_ids.move_id")
    def _compute_invoice_ids(self):
        for note in self:
            note.invoice_ids = note.all_line_ids.move_id

    @api.depends("move_id.line_ids.amount_residual")
    def _compute_amount_residual(self):
        for note in self:
            receivable = note.move_id.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            note.amount_residual = (
                sum(receivable.mapped("amount_residual"))
                if note.state == "posted"
                else 0.0
            )

    @api.depends("interest_kind", "contractual_rate", "line_ids.rate")
    def _compute_contractual_capped(self):
        for note in self:
            note.contractual_capped = note.interest_kind == "contractual" and any(
                line.rate < note.contractual_rate for line in note.line_ids
            )

    @api.depends("name", "state")
    def _compute_display_name(self):
        for note in self:
            note.display_name = (
                note.name
                if note.name and note.name != "/"
                else self.env._("Draft Interest Note")
            )

    # ------------------------------------------------------------------
    # Building a note
    # ------------------------------------------------------------------
    @api.model
    def _crm_dunning_line_values(
        self,
        invoices,
        on_date,
        period_from=False,
        period_to=False,
        include_unpaid=True,
        include_compensation=True,
        skip_charged=True,
    ):
        """Values of the note lines charging ``invoices`` on ``on_date``.

        Late portions paid inside the period (``period_from`` -
        ``period_to``, each optional), and the amounts unpaid on ``on_date``
        when ``include_unpaid``; the recovery compensation of each invoice
        with a late portion on the note when ``include_compensation``. What
        a posted note already charged is skipped (its later days only) with
        ``skip_charged``, else refused.
        """
        Rate = self.env["crm.dunning.interest.rate"]
        values = []
        for invoice in invoices.sorted(lambda move: (move.invoice_date, move.id)):
            charged = self.env["crm.dunning.interest.note.line"].search(
                [("move_id", "=", invoice.id), ("state", "=", "posted")]
            )
            portions = invoice._crm_dunning_receivable_lines()._crm_dunning_portions(
                on_date
            )
            invoice_lines = []
            for portion in portions:
                paid_date = portion["paid_date"]
                if paid_date:
                    if (period_from and paid_date < period_from) or (
                        period_to and paid_date > period_to
                    ):
                        continue
                elif not include_unpaid:
                    continue
                move_line = portion["line"]
                result = portion["result"]
                covering = charged._crm_dunning_covers(move_line, paid_date)
                if covering:
                    if not skip_charged:
                        raise UserError(
                            self.env._(
                                "The interest of %(invoice)s (due %(due)s) up to "
                                "%(date)s is already charged by the interest note "
                                "%(note)s: choose a later date or skip what is "
                                "already charged.",
                                invoice=invoice.display_name,
                                due=portion["due_date"],
                                date=max(covering.mapped("date_to")),
                                note=", ".join(covering.note_id.mapped("name")),
                            )
                        )
                    charged_until = max(covering.mapped("date_to"))
                    until = paid_date or on_date
                    if until <= charged_until:
                        continue
                    partner = move_line.partner_id.commercial_partner_id
                    kind, rates = partner.with_company(
                        move_line.company_id
                    )._crm_dunning_rates()
                    result = Rate._pl_interest(
                        kind,
                        portion["amount"],
                        max(charged_until, portion["due_date"]),
                        until,
                        move_line.company_id._crm_dunning_denominator(),
                        rates=rates,
                    )
                for segment in result.lines:
                    if not segment.interest:
                        continue
                    invoice_lines.append(
                        {
                            "kind": "interest",
                            "move_id": invoice.id,
                            "move_line_id": move_line.id,
                            "invoice_amount": abs(invoice.amount_total_signed),
                            "due_date": portion["due_date"],
                            "paid_date": paid_date or False,
                            "amount": float(portion["amount"]),
                            "date_from": segment.date_from,
                            "date_to": segment.date_to,
                            "days": segment.days,
                            "rate": float(segment.rate),
                            "interest": float(segment.interest),
                        }
                    )
            values += invoice_lines
            if not (include_compensation and invoice_lines):
                continue
            compensation = invoice._crm_dunning_compensation(on_date)
            if not compensation:
                continue
            done = charged.filtered(lambda line: line.kind == "compensation")
            if done:
                if not skip_charged:
                    raise UserError(
                        self.env._(
                            "The recovery compensation of %(invoice)s is already "
                            "charged by the interest note %(note)s.",
                            invoice=invoice.display_name,
                            note=", ".join(done.note_id.mapped("name")),
                        )
                    )
                continue
            values.append(
                {
                    "kind": "compensation",
                    "move_id": invoice.id,
                    "invoice_amount": abs(invoice.amount_total_signed),
                    "due_date": min(line["due_date"] for line in invoice_lines),
                    "eur": float(compensation["eur"]),
                    "eur_rate": float(compensation["rate"]),
                    "eur_rate_date": compensation["rate_date"],
                    "compensation": float(compensation["amount"]),
                }
            )
        return values

    @api.model
    def _crm_dunning_create_note(
        self, partner, invoices, on_date, raise_if_empty=True, **options
    ):
        """A draft note of ``partner`` for ``invoices`` (see the line values).

        Refused with a clear error when there is nothing to charge (or an
        empty recordset without ``raise_if_empty``).
        """
        if on_date > fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "Interest cannot be charged up to %(date)s: that day has not "
                    "come yet (interest is due for the days of delay that have "
                    "passed, art. 481 § 1 of the Civil Code).",
                    date=on_date,
                )
            )
        partner = partner.commercial_partner_id
        company = invoices.company_id[:1] or self.env.company
        values = self._crm_dunning_line_values(invoices, on_date, **options)
        if not values and not raise_if_empty:
            return self.browse()
        if not values:
            raise UserError(
                self.env._(
                    "Nothing to charge for %(partner)s on %(date)s: no invoice "
                    "was paid late in the period or is overdue and unpaid on "
                    "that date, or its interest is already charged.",
                    partner=partner.display_name,
                    date=on_date,
                )
            )
        return self.create(
            {
                "company_id": company.id,
                "partner_id": partner.id,
                "date": on_date,
                "period_from": options.get("period_from") or False,
                "period_to": options.get("period_to") or False,
                "collective": len({vals["move_id"] for vals in values}) > 1,
                "interest_kind": partner.with_company(
                    company
                )._crm_dunning_interest_kind(),
                "contractual_rate": partner.with_company(
                    company
                ).commercial_partner_id.dunning_contractual_rate,
                "all_line_ids": [
                    Command.create(dict(vals, sequence=index))
                    for index, vals in enumerate(values)
                ],
            }
        )

    # ------------------------------------------------------------------
    # Posting and cancelling
    # ------------------------------------------------------------------
    def _crm_dunning_check_not_charged(self):
        """Refuse a portion or a compensation already on another posted note."""
        for note in self:
            others = self.env["crm.dunning.interest.note.line"].search(
                [
                    ("move_id", "in", note.all_line_ids.move_id.ids),
                    ("state", "=", "posted"),
                    ("note_id", "!=", note.id),
                ]
            )
            for line in note.all_line_ids:
                if line.kind == "compensation":
                    clash = others.filtered(
                        lambda other, line=line: (
                            other.kind == "compensation"
                            and other.move_id == line.move_id
                        )
                    )
                else:
                    clash = others._crm_dunning_covers(
                        line.move_line_id, line.paid_date
                    ).filtered(
                        lambda other, line=line: overlaps(
                            other.date_from, other.date_to, line.date_from, line.date_to
                        )
                    )
                if clash:
                    raise UserError(
                        self.env._(
                            "%(invoice)s is already charged for the same days by "
                            "the interest note %(note)s: an amount cannot be "
                            "charged twice. Create a new note instead.",
                            invoice=line.move_id.display_name,
                            note=", ".join(clash.note_id.mapped("name")),
                        )
                    )

    def action_post(self):
        for note in self:
            if note.state != "draft":
                raise UserError(self.env._("Only a draft interest note can be posted."))
            if note.currency_id.compare_amounts(note.amount_total, 0.0) <= 0:
                raise UserError(
                    self.env._(
                        "The interest note %s has nothing to charge.", note.display_name
                    )
                )
        self._crm_dunning_check_not_charged()
        for note in self:
            company = note.company_id
            name = company._crm_dunning_note_number(note.date)
            note._crm_dunning_on_route().write({"name": name})
            move = note._crm_dunning_create_move()
            move.action_post()
            note._crm_dunning_on_route().write({"move_id": move.id, "state": "posted"})
        return True

    def _crm_dunning_create_move(self):
        """The journal entry of the note: customer receivable against income."""
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id.with_company(company)
        receivable = partner.property_account_receivable_id
        if not receivable:
            raise UserError(
                self.env._(
                    "%s has no receivable account: set it on the customer first.",
                    partner.display_name,
                )
            )
        label = self.env._("Interest note %s", self.name)
        lines = [
            Command.create(
                {
                    "name": label,
                    "account_id": receivable.id,
                    "partner_id": partner.id,
                    "debit": self.amount_total,
                    "credit": 0.0,
                    "date_maturity": self.date_due,
                }
            )
        ]
        if self.amount_interest:
            lines.append(
                Command.create(
                    {
                        "name": self.env._("Late-payment interest, %s", self.name),
                        "account_id": company._crm_dunning_note_account("interest").id,
                        "partner_id": partner.id,
                        "debit": 0.0,
                        "credit": self.amount_interest,
                    }
                )
            )
        if self.amount_compensation:
            lines.append(
                Command.create(
                    {
                        "name": self.env._("Recovery compensation, %s", self.name),
                        "account_id": company._crm_dunning_note_account(
                            "compensation"
                        ).id,
                        "partner_id": partner.id,
                        "debit": 0.0,
                        "credit": self.amount_compensation,
                    }
                )
            )
        return (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "company_id": company.id,
                    "journal_id": company._crm_dunning_note_journal().id,
                    "date": self.date,
                    "ref": self.name,
                    "partner_id": partner.id,
                    "line_ids": lines,
                }
            )
        )

    def action_cancel(self):
        """Cancel: a posted note's entry is reversed (refused once paid)."""
        for note in self:
            if note.state == "cancel":
                continue
            move = note.move_id
            if move and move.state == "posted":
                receivable = move.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                )
                if receivable.matched_credit_ids:
                    raise UserError(
                        self.env._(
                            "The interest note %s is already (partly) paid: "
                            "unreconcile its payment before cancelling it.",
                            note.display_name,
                        )
                    )
                reversal = move._reverse_moves(
                    [
                        {
                            "date": max(move.date, fields.Date.context_today(note)),
                            "ref": self.env._("Cancellation of %s", note.name),
                        }
                    ],
                    cancel=True,
                )
                note._crm_dunning_on_route().reversal_move_id = reversal
            note._crm_dunning_on_route().state = "cancel"
        return True

    def _crm_dunning_is_evidence(self):
        # A posted note, and a cancelled one that was posted (numbered).
        return self.state == "posted" or (
            self.state == "cancel" and self.name not in (False, "/")
        )

    def _crm_dunning_evidence_error(self):
        return UserError(
            self.env._(
                "The interest note %s cannot be changed: once posted it is the "
                "evidence of the interest charged, and its journal entry books "
                "it. To correct it, cancel the note (its entry is reversed) and "
                "create a new one.",
                self.display_name,
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(note.state != "draft" for note in self):
            raise UserError(
                self.env._(
                    "Only draft interest notes can be deleted; cancel it instead."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send(self):
        """Open the e-mail composer with the note's template and PDF."""
        self.ensure_one()
        template = self.env.ref(
            "crm_dunning.mail_template_interest_note", raise_if_not_found=False
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Interest Note"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id if template else False,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }

    def action_print(self):
        return self.env.ref("crm_dunning.action_report_interest_note").report_action(
            self
        )

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "form",
            "res_id": self.move_id.id,
        }

    def _crm_dunning_report_bank(self):
        """The company bank account printed on the note."""
        self.ensure_one()
        journal = self.env["account.journal"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("type", "=", "bank"),
                ("bank_account_id", "!=", False),
            ],
            limit=1,
        )
        return journal.bank_account_id or self.company_id.partner_id.bank_ids[:1]
