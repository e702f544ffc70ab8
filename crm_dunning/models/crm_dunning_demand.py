from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup
from odoo import api, fields, models
from odoo.addons.crm_invoicing_pl.tools.pl_calendar import (
    last_overdue_due_date,
    payment_deadline,
)
from odoo.exceptions import UserError

DEMAND_STATES = [("draft", "Draft"), ("issued", "Issued"), ("cancel", "Cancelled")]
DEMAND_MODES = [
    ("single", "Single invoice"),
    ("collective", "All overdue invoices of the customer"),
]


class CrmDunningDemand(models.Model):
    """Wezwanie do zapłaty: a payment demand for a customer's overdue instalments.

    Its lines are a snapshot on the demand date: the amount left of each
    overdue instalment and the late-payment interest to that date; B2B
    invoices add their recovery compensation (art. 10). Issuing gives the
    number of the company's own series (WZ/2026/0001).
    """

    _name = "crm.dunning.demand"
    _description = "Payment Demand"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.dunning.evidence"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _crm_dunning_route_fields = frozenset({"name", "state"})
    _crm_dunning_route_defaults = {"name": "/", "state": "draft"}
    # An issued demand may still be sent by registered letter too.
    _crm_dunning_free_fields = frozenset({"registered_letter"})

    name = fields.Char(
        string="Number", default="/", readonly=True, copy=False, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    deadline_days = fields.Integer(
        string="Deadline (days)",
        default=lambda self: self.env.company.dunning_demand_deadline_days,
    )
    date_deadline = fields.Date(
        string="Payment Deadline",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        tracking=True,
        help="The demand's date plus its deadline in days; a deadline on a "
        "Saturday, Sunday or public holiday ends on the next working day "
        "(art. 115 of the Civil Code).",
    )
    state = fields.Selection(
        DEMAND_STATES, default="draft", required=True, copy=False, tracking=True
    )
    mode = fields.Selection(DEMAND_MODES, default="collective", required=True)
    claim_compensation = fields.Boolean(
        default=True,
        help="Add the recovery compensation (40/70/100 EUR, art. 10 of the act of "
        "8 March 2013) of every late invoice; business customers only.",
    )
    registered_letter = fields.Boolean(
        help="Send as a registered letter: the demand waits for the next dispatch "
        "book once issued."
    )
    partner_bank_id = fields.Many2one(
        "res.partner.bank",
        string="Bank Account",
        compute="_compute_partner_bank_id",
        store=True,
        readonly=False,
        domain="[('partner_id', '=', company_partner_id)]",
    )
    company_partner_id = fields.Many2one(related="company_id.partner_id")
    line_ids = fields.One2many(
        "crm.dunning.demand.line", "demand_id", string="Overdue Instalments"
    )
    compensation_ids = fields.One2many(
        "crm.dunning.demand.compensation", "demand_id", string="Compensation Lines"
    )
    amount_principal = fields.Monetary(
        string="Principal", compute="_compute_amounts", store=True
    )
    amount_interest = fields.Monetary(
        string="Interest", compute="_compute_amounts", store=True
    )
    amount_compensation = fields.Monetary(
        string="Compensation", compute="_compute_amounts", store=True
    )
    amount_total = fields.Monetary(
        string="Total to Pay", compute="_compute_amounts", store=True
    )
    move_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_move_ids"
    )
    dispatch_line_ids = fields.One2many(
        "crm.dunning.dispatch.line", "demand_id", string="Registered Letters"
    )
    registered_number = fields.Char(compute="_compute_dispatch")
    dispatch_date = fields.Date(compute="_compute_dispatch")
    zpo_date = fields.Date(string="Return Receipt Date", compute="_compute_dispatch")
    dispatch_book_id = fields.Many2one(
        "crm.dunning.dispatch.book", compute="_compute_dispatch"
    )

    @api.depends("date", "deadline_days")
    def _compute_date_deadline(self):
        """``deadline_days`` after the date, moved past a Saturday, Sunday or
        public holiday to the next working day (KC art. 115), as the due
        dates of the invoices are before interest and levels are counted."""
        for demand in self:
            if not demand.date:
                demand.date_deadline = False
                continue
            end = demand.date + timedelta(days=demand.deadline_days or 0)
            demand.date_deadline = payment_deadline(end)

    @api.depends("company_id")
    def _compute_partner_bank_id(self):
        for demand in self:
            if not demand.partner_bank_id:
                demand.partner_bank_id = demand._crm_dunning_company_bank()

    @api.depends(
        "line_ids.amount_residual", "line_ids.interest", "compensation_ids.amount"
    )
    def _compute_amounts(self):
        for demand in self:
            demand.amount_principal = sum(demand.line_ids.mapped("amount_residual"))
            demand.amount_interest = sum(demand.line_ids.mapped("interest"))
            demand.amount_compensation = sum(demand.compensation_ids.mapped("amount"))
            demand.amount_total = (
                demand.amount_principal
                + demand.amount_interest
                + demand.amount_compensation
            )

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for demand in self:
            demand.move_ids = demand.line_ids.move_id

    @api.depends(
        "dispatch_line_ids.registered_number",
        "dispatch_line_ids.dispatch_date",
        "dispatch_line_ids.zpo_date",
    )
    def _compute_dispatch(self):
        for demand in self:
            letter = demand.dispatch_line_ids.sorted("id")[-1:]
            demand.registered_number = letter.registered_number
            demand.dispatch_date = letter.dispatch_date
            demand.zpo_date = letter.zpo_date
            demand.dispatch_book_id = letter.book_id

    def _crm_dunning_company_bank(self):
        self.ensure_one()
        banks = self.company_id.partner_id.bank_ids.filtered(
            lambda bank: bank.company_id in (self.company_id, self.env["res.company"])
        )
        return banks.filtered("allow_out_payment")[:1] or banks[:1]

    # ------------------------------------------------------------------
    # Creation from overdue instalments (public API)
    # ------------------------------------------------------------------
    @api.model
    def _crm_dunning_create_demands(
        self,
        records,
        on_date,
        mode="collective",
        deadline_days=None,
        claim_compensation=True,
        registered_letter=False,
        raise_if_empty=True,
    ):
        """Draft payment demands for the overdue instalments of ``records``.

        ``records``: customers (res.partner: all their open posted customer
        invoices in the allowed companies), invoices (account.move) or their
        receivable lines (account.move.line). An instalment is overdue when
        part of it is still open after its due date on ``on_date`` (the due
        date moved by art. 115 KC, ``pl_calendar.is_overdue``); paid
        invoices are left out. ``mode`` "collective" makes one demand per
        customer and company (wezwanie zbiorcze), "single" one per invoice.
        ``deadline_days`` defaults to the company's setting; the compensation
        is claimed for business customers when ``claim_compensation``.

        Returns the new draft demands (issue them with ``action_issue``).
        Nothing overdue: a UserError, or an empty recordset when
        ``raise_if_empty`` is False.
        """
        on_date = fields.Date.to_date(on_date)
        groups = defaultdict(list)
        for line, portions in self._crm_dunning_overdue(records, on_date):
            partner = line.move_id.commercial_partner_id
            key = (line.company_id, partner)
            if mode == "single":
                key += (line.move_id,)
            groups[key].append((line, portions))
        if not groups:
            if raise_if_empty:
                raise UserError(
                    self.env._(
                        "Nothing is overdue on %(date)s for the selected customers "
                        "or invoices: no payment demand was created.",
                        date=on_date,
                    )
                )
            return self.browse()
        demands = self.browse()
        for key, lines in groups.items():
            company, partner = key[0], key[1]
            values = {
                "company_id": company.id,
                "partner_id": partner.id,
                "date": on_date,
                "mode": mode,
                "claim_compensation": bool(
                    claim_compensation and partner._crm_dunning_is_business()
                ),
                "registered_letter": registered_letter,
                "deadline_days": company.dunning_demand_deadline_days
                if deadline_days is None
                else deadline_days,
            }
            demand = self.with_company(company).create(values)
            demand._crm_dunning_fill(lines)
            demands |= demand
        return demands

    @api.model
    def _crm_dunning_overdue(self, records, on_date):
        """[(receivable line, its late portions)] of the open overdue instalments."""
        if records._name == "res.partner":
            lines = self.env["account.move.line"].search(
                [
                    ("partner_id", "child_of", records.commercial_partner_id.ids),
                    ("company_id", "in", self.env.companies.ids),
                    ("move_id.move_type", "=", "out_invoice"),
                    ("parent_state", "=", "posted"),
                    ("display_type", "=", "payment_term"),
                    ("reconciled", "=", False),
                    ("date_maturity", "<=", last_overdue_due_date(on_date)),
                ]
            )
        elif records._name == "account.move":
            lines = records.filtered(
                lambda move: move.move_type == "out_invoice" and move.state == "posted"
            )._crm_dunning_receivable_lines()
        else:
            lines = records
        result = []
        for line in lines.sorted(lambda line: (line.date_maturity, line.id)):
            if line.reconciled:
                continue
            portions = line._crm_dunning_portions(on_date)
            if any(portion["paid_date"] is None for portion in portions):
                result.append((line, portions))
        return result

    def _crm_dunning_fill(self, lines_portions):
        """(Re)write the lines and compensation of this draft demand."""
        self.ensure_one()
        self.line_ids.unlink()
        self.compensation_ids.unlink()
        line_values = []
        for line, portions in lines_portions:
            open_portions = [p for p in portions if p["paid_date"] is None]
            line_values.append(
                {
                    "demand_id": self.id,
                    "move_id": line.move_id.id,
                    "move_line_id": line.id,
                    "due_date": open_portions[0]["due_date"],
                    "days_overdue": max(p["result"].days for p in open_portions),
                    "amount_residual": float(sum(p["amount"] for p in open_portions)),
                    "interest": float(sum(p["result"].total for p in portions)),
                }
            )
        self.env["crm.dunning.demand.line"].create(line_values)
        if not self.claim_compensation:
            return
        comp_values = []
        not_claimed = []
        for move in self.line_ids.move_id:
            try:
                compensation = move._crm_dunning_compensation(self.date)
            except UserError as error:
                # No NBP EUR rate to be had: the demand goes out without this
                # compensation, which can still be claimed later.
                not_claimed.append(error.args[0])
                continue
            if compensation:
                comp_values.append(
                    {
                        "demand_id": self.id,
                        "move_id": move.id,
                        "amount_eur": float(compensation["eur"]),
                        "eur_rate": float(compensation["rate"]),
                        "rate_date": compensation["rate_date"],
                        "amount": float(compensation["amount"]),
                    }
                )
        self.env["crm.dunning.demand.compensation"].create(comp_values)
        if not_claimed:
            self.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._(
                        "Recovery compensation not claimed in this demand (it can "
                        "be claimed later, e.g. on an interest note):"
                    ),
                    Markup().join(Markup("<li>%s</li>") % m for m in not_claimed),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_recompute(self):
        """Recompute a draft demand's instalments on its date.

        Payments recorded since are deducted; paid instalments drop out.
        """
        for demand in self:
            if demand.state != "draft":
                raise UserError(
                    self.env._("Only a draft payment demand can be recomputed.")
                )
            overdue = self.with_company(demand.company_id)._crm_dunning_overdue(
                demand.line_ids.move_line_id, demand.date
            )
            demand._crm_dunning_fill(overdue)
        return True

    def action_issue(self):
        for demand in self:
            if demand.state != "draft":
                raise UserError(
                    self.env._("Payment demand %s is not a draft.", demand.display_name)
                )
            if not demand.line_ids:
                raise UserError(
                    self.env._(
                        "Payment demand %s has no overdue invoice to demand.",
                        demand.display_name,
                    )
                )
            values = {"state": "issued"}
            if demand.name in (False, "/"):
                sequence = demand.company_id._crm_dunning_sequence(
                    "crm.dunning.demand", "WZ", self.env._("Payment Demands")
                )
                values["name"] = sequence.next_by_id(sequence_date=demand.date)
            demand._crm_dunning_on_route().write(values)
        return True

    def action_cancel(self):
        if self.dispatch_line_ids.filtered(lambda letter: letter.dispatch_date):
            raise UserError(
                self.env._("A payment demand already posted cannot be cancelled.")
            )
        self.dispatch_line_ids.filtered(
            lambda letter: letter.book_id.state == "draft"
        ).unlink()
        self._crm_dunning_on_route().write({"state": "cancel"})
        return True

    def action_draft(self):
        issued = self.filtered(lambda demand: demand.name not in (False, "/"))
        if issued:
            raise UserError(
                self.env._(
                    "The payment demand %s was issued: it cannot go back to "
                    "draft, as the customer may have it already. Issue a new "
                    "payment demand instead.",
                    issued[0].display_name,
                )
            )
        self.filtered(
            lambda demand: demand.state == "cancel"
        )._crm_dunning_on_route().write({"state": "draft"})
        return True

    def action_print(self):
        return self.env.ref(
            "crm_dunning.action_report_crm_dunning_demand"
        ).report_action(self)

    def action_send_email(self):
        """Queue the demand's e-mail with its PDF, logged in the chatter."""
        template = self.env.ref("crm_dunning.mail_template_crm_dunning_demand")
        for demand in self:
            if demand.state != "issued":
                raise UserError(
                    self.env._(
                        "Issue payment demand %s before sending it.",
                        demand.display_name,
                    )
                )
            if not demand.partner_id.email:
                raise UserError(
                    self.env._(
                        "%s has no e-mail address: the payment demand cannot be "
                        "sent by e-mail.",
                        demand.partner_id.display_name,
                    )
                )
            composer = (
                self.env["mail.compose.message"]
                .with_context(
                    default_model=demand._name,
                    default_res_ids=demand.ids,
                    default_composition_mode="comment",
                    default_template_id=template.id,
                    disable_attachment_import=True,
                )
                .create({"force_send": False})
            )
            composer.with_context(mail_notify_force_send=False)._action_send_mail()
        return True

    def _crm_dunning_is_evidence(self):
        # An issued demand, and a cancelled one that was issued (numbered).
        return self.state == "issued" or (
            self.state == "cancel" and self.name not in (False, "/")
        )

    def _crm_dunning_evidence_error(self):
        return UserError(
            self.env._(
                "The payment demand %s cannot be changed: once issued it is the "
                "evidence of what was demanded. To correct it, cancel it and "
                "issue a new payment demand.",
                self.display_name,
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_numbered(self):
        if any(demand.name not in (False, "/") for demand in self):
            raise UserError(
                self.env._(
                    "An issued payment demand cannot be deleted; cancel it instead."
                )
            )

    # ------------------------------------------------------------------
    # Report helpers
    # ------------------------------------------------------------------
    def _crm_dunning_fmt(self, amount):
        return self.env["account.move"]._pl_report_format_number(amount)

    def _crm_dunning_address_lines(self, partner):
        """Street, street2 and "postcode town" (country if not Poland)."""
        lines = [partner.street, partner.street2]
        lines.append(" ".join(filter(None, [partner.zip, partner.city])))
        if partner.country_id and partner.country_id.code != "PL":
            lines.append(partner.country_id.name)
        return [line for line in lines if line]

    def _crm_dunning_interest_label(self):
        """The Polish name of the customer's interest, for the letter."""
        self.ensure_one()
        kind = self.partner_id.with_company(
            self.company_id
        )._crm_dunning_interest_kind()
        if kind == "contractual":
            return "odsetkami umownymi"
        if kind == "civil":
            return "odsetkami ustawowymi za opóźnienie"
        return "odsetkami ustawowymi za opóźnienie w transakcjach handlowych"
