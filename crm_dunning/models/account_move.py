from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.addons.crm_invoicing_pl.tools.nbp import NbpError
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

from ..tools.interest import compensation_eur, compensation_rate_date

# An NBP table older than this before the month's end is not that month's.
_RATE_STALE_DAYS = 7


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_excluded = fields.Boolean(
        string="Excluded from Dunning",
        copy=False,
        tracking=True,
        help="No reminder, SMS or letter is sent about this invoice.",
    )
    dunning_excluded_reason = fields.Char(
        string="Dunning Exclusion Reason", copy=False, tracking=True
    )
    dunning_line_ids = fields.One2many(
        "crm.dunning.communication.line",
        "move_id",
        string="Dunning History",
        readonly=True,
    )
    dunning_level_id = fields.Many2one(
        "crm.dunning.level",
        compute="_compute_dunning_level_id",
        help="The highest dunning level sent about this invoice.",
    )
    dunning_line_count = fields.Integer(compute="_compute_dunning_level_id")

    dunning_interest_note_line_ids = fields.One2many(
        "crm.dunning.interest.note.line", "move_id", string="Interest Note Lines"
    )
    dunning_interest_note_ids = fields.Many2many(
        "crm.dunning.interest.note",
        string="Interest Notes",
        compute="_compute_dunning_interest_note_ids",
        help="The interest notes that charged this invoice.",
    )
    dunning_interest_note_count = fields.Integer(
        compute="_compute_dunning_interest_note_ids"
    )

    dunning_demand_ids = fields.Many2many(
        "crm.dunning.demand",
        compute="_compute_dunning_demand_ids",
        string="Payment Demands",
        help="Payment demands that included this invoice, with the registered "
        "letter's number, dispatch date and return receipt date.",
    )
    dunning_demand_count = fields.Integer(compute="_compute_dunning_demand_ids")

    @api.depends("dunning_line_ids.state", "dunning_line_ids.level_id")
    def _compute_dunning_level_id(self):
        for move in self:
            sent = move.dunning_line_ids.filtered(lambda line: line.state == "sent")
            levels = sent.level_id.sorted(
                lambda level: (level.offset_days, level.sequence, level.id)
            )
            move.dunning_level_id = levels[-1:]
            move.dunning_line_count = len(move.dunning_line_ids)

    def _compute_dunning_interest_note_ids(self):
        for move in self:
            notes = move.dunning_interest_note_line_ids.note_id
            move.dunning_interest_note_ids = notes
            move.dunning_interest_note_count = len(notes)

    def _compute_dunning_demand_ids(self):
        lines = self.env["crm.dunning.demand.line"].search(
            [("move_id", "in", self._origin.ids)]
        )
        by_move = {}
        for line in lines:
            by_move.setdefault(line.move_id.id, self.env["crm.dunning.demand"])
            by_move[line.move_id.id] |= line.demand_id
        for move in self:
            demands = by_move.get(move._origin.id, self.env["crm.dunning.demand"])
            move.dunning_demand_ids = demands
            move.dunning_demand_count = len(demands)

    @api.constrains("dunning_excluded", "dunning_excluded_reason")
    def _check_dunning_excluded_reason(self):
        for move in self:
            if (
                move.dunning_excluded
                and not (move.dunning_excluded_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Give the reason why %s is excluded from dunning.",
                        move.display_name,
                    )
                )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # An advance invoice of money already received asks for nothing.
        for move in posted.filtered(
            lambda m: m.pl_advance_received_date and not m.dunning_excluded
        ):
            move.write(
                {
                    "dunning_excluded": True,
                    "dunning_excluded_reason": self.env._(
                        "Advance invoice of a payment received on %s",
                        format_date(self.env, move.pl_advance_received_date),
                    ),
                }
            )
        return posted

    def _check_draftable(self):
        # The entry (or the reversal) of a posted interest note books the
        # note: reset to draft and changed, it would no longer match it.
        result = super()._check_draftable()
        notes = (
            self.env["crm.dunning.interest.note"]
            .sudo()
            .search(
                [
                    "|",
                    ("move_id", "in", self.ids),
                    ("reversal_move_id", "in", self.ids),
                ]
            )
            .filtered(lambda note: note._crm_dunning_is_evidence())
        )
        if notes:
            raise UserError(
                self.env._(
                    "The journal entry of the interest note %s cannot be reset to "
                    "draft: it books the posted note. To correct the note, cancel "
                    "it (its entry is reversed) and create a new one.",
                    notes[0].display_name,
                )
            )
        return result

    def action_crm_dunning_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_communication_line"
        )
        action["domain"] = [("move_id", "=", self.id)]
        return action

    def action_view_dunning_interest_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_interest_note"
        )
        action["domain"] = [("id", "in", self.dunning_interest_note_ids.ids)]
        action["context"] = {"create": False}
        return action

    def _crm_dunning_receivable_lines(self):
        return self.line_ids.filtered(
            lambda line: line.display_type == "payment_term" and line.balance > 0
        )

    def _crm_dunning_compensation(self, on_date):
        """Recovery compensation (art. 10) of this invoice on ``on_date``.

        Due once per B2B invoice that is paid late or still open after its
        due date: 40 / 70 / 100 EUR by its gross amount, at the NBP EUR rate
        of the last business day of the month before the (first late) due
        date. None when not due. Returns a dict with ``eur``, ``rate``,
        ``rate_date`` and ``amount`` (in the company currency, a Decimal).
        """
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "posted":
            return None
        if not self.commercial_partner_id._crm_dunning_is_business():
            return None
        portions = self._crm_dunning_receivable_lines()._crm_dunning_portions(on_date)
        if not portions:
            return None
        due_date = min(portion["due_date"] for portion in portions)
        claim = Decimal(str(abs(self.amount_total_signed)))
        eur = compensation_eur(claim, self._crm_dunning_concluded_on())
        rate_date = compensation_rate_date(due_date)
        rate, rate_day = self._crm_dunning_eur_rate(rate_date)
        amount = (eur * rate).quantize(Decimal("0.01"))
        return {"eur": eur, "rate": rate, "rate_date": rate_day, "amount": amount}

    def _crm_dunning_concluded_on(self):
        """The day the invoiced transaction was concluded: the earliest date of
        the sales orders invoiced, else the supply date, else the invoice date
        (the flat 40 EUR of transactions concluded before 2020 depends on it)."""
        self.ensure_one()
        days = [
            fields.Datetime.context_timestamp(self, order.date_order).date()
            for order in self.invoice_line_ids.sale_line_ids.order_id
            if order.date_order
        ] or [day for day in (self.taxable_supply_date, self.invoice_date) if day]
        return min(days)

    def _crm_dunning_eur_rate(self, rate_date):
        """PLN per EUR of the last NBP table on or before ``rate_date``."""
        self.ensure_one()
        company = self.company_id
        euro = self.env.ref("base.EUR")
        if company.currency_id == euro:
            return Decimal(1), rate_date
        rate = self._crm_dunning_recorded_eur_rate(rate_date)
        if not rate:
            rate = self._crm_dunning_fetch_eur_rate(rate_date)
        factor = Decimal(str(rate.inverse_company_rate)).quantize(Decimal("0.0001"))
        return factor, rate.name

    def _crm_dunning_recorded_eur_rate(self, rate_date):
        """The recorded EUR rate of the last table on or before ``rate_date``."""
        return self.env["res.currency.rate"].search(
            [
                ("currency_id", "=", self.env.ref("base.EUR").id),
                ("company_id", "in", [self.company_id.root_id.id, False]),
                ("name", "<=", rate_date),
                ("name", ">", rate_date - timedelta(days=_RATE_STALE_DAYS)),
            ],
            order="company_id, name desc",
            limit=1,
        )

    def _crm_dunning_fetch_eur_rate(self, rate_date):
        """Fetch and record the NBP EUR rate of the last business day on or
        before ``rate_date`` (crm_invoicing_pl's NBP exchange-rate client).

        Only for a PLN company (NBP rates are PLN per unit). Nothing is
        recorded when the fetch fails: a translated UserError says why.
        """
        company = self.company_id.root_id
        reason = self.env._("the company currency is not the Polish zloty")
        if company.currency_id.name == "PLN":
            Currency = self.env["res.currency"]
            try:
                nbp_rate = Currency._pl_nbp_client().rate_before(
                    "EUR", rate_date + timedelta(days=1)
                )
            except NbpError as error:
                reason = Currency._pl_nbp_error_message(error)
            else:
                if nbp_rate.effective_date > rate_date - timedelta(
                    days=_RATE_STALE_DAYS
                ):
                    return (
                        self.env["res.currency.rate"]
                        .sudo()
                        .create(
                            {
                                "name": nbp_rate.effective_date,
                                "currency_id": self.env.ref("base.EUR").id,
                                "company_id": company.id,
                                "inverse_company_rate": float(nbp_rate.mid),
                            }
                        )
                        .sudo(False)
                    )
                reason = self.env._("NBP published no rate for that period.")
        raise UserError(
            self.env._(
                "No EUR exchange rate is recorded for the last business day "
                "before %(date)s, needed for the recovery compensation of "
                "%(invoice)s, and it could not be fetched from NBP (%(reason)s). "
                "Record the NBP rate of that day first.",
                date=rate_date,
                invoice=self.display_name,
                reason=reason,
            )
        )
