"""Offer approval: offers exceeding the company's rules wait for an approver.

The rules and their arithmetic are in tools/offer_approval.py; Odoo's own
state machine of sale.order is kept, sending and confirming are blocked.
"""

# Approval is a concern of its own, kept apart from the pro forma of the offer.
# pylint: disable=consider-merging-classes-inherited
from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, formatLang

from ..tools import offer_approval

APPROVER_GROUP = "crm_invoicing_pl.group_pl_offer_approver"
APPROVAL_ACTIVITY = "crm_invoicing_pl.mail_activity_pl_offer_approval"
# Written only by an approver (or the system): a salesperson's write() of
# them is refused, the decision is taken with the buttons.
DECISION_FIELDS = {
    "pl_approval_decision",
    "pl_approval_fingerprint",
    "pl_approval_user_id",
    "pl_approval_date",
    "pl_approval_refuse_reason",
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    pl_approval_state = fields.Selection(
        [
            ("not_needed", "Not Needed"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        string="Approval",
        compute="_compute_pl_approval_state",
        store=True,
        index=True,
        copy=False,
        tracking=True,
        help="Offers exceeding the approval rules of the company (Sales "
        "settings) wait for an offer approver before they can be sent or "
        "confirmed. Changing an approved offer asks for approval again when it "
        "still exceeds the rules.",
    )
    pl_approval_reasons = fields.Text(
        string="Approval Needed Because",
        compute="_compute_pl_approval_reasons",
    )
    pl_approval_requested = fields.Boolean(
        string="Approval Requested", copy=False, readonly=True
    )
    pl_approval_decision = fields.Selection(
        [("approved", "Approved"), ("refused", "Refused")],
        string="Approval Decision",
        copy=False,
        readonly=True,
    )
    # Digest of the offer's content when the decision was taken: the decision
    # holds while the content is the same.
    pl_approval_fingerprint = fields.Char(copy=False, readonly=True)
    pl_approval_user_id = fields.Many2one(
        "res.users", string="Decided By", copy=False, readonly=True
    )
    pl_approval_date = fields.Datetime(string="Decided On", copy=False, readonly=True)
    pl_approval_refuse_reason = fields.Text(
        string="Refusal Reason", copy=False, readonly=True
    )

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    def _pl_approval_rules(self):
        self.ensure_one()
        company = self.company_id
        discount_digits = self.env["decimal.precision"].precision_get("Discount")
        return offer_approval.ApprovalRules(
            line_discount=company.pl_offer_approval_line_discount_limit
            if company.pl_offer_approval_line_discount
            else None,
            order_discount=company.pl_offer_approval_order_discount_limit
            if company.pl_offer_approval_order_discount
            else None,
            amount=company.pl_offer_approval_amount_limit
            if company.pl_offer_approval_amount
            else None,
            discount_digits=discount_digits,
            amount_digits=company.currency_id.decimal_places or 0,
        )

    def _pl_approval_lines(self):
        self.ensure_one()
        lines = []
        for line in self.order_line:
            if line.display_type or line.is_downpayment:
                continue
            if line._is_global_discount():
                lines.append(offer_approval.OfferLine(0.0, line.price_subtotal, None))
                continue
            lines.append(
                offer_approval.OfferLine(
                    line.discount,
                    line.price_subtotal,
                    offer_approval.list_subtotal(
                        line.price_subtotal,
                        line.discount,
                        undiscounted=line.price_unit * line.product_uom_qty,
                    ),
                )
            )
        return lines

    def _pl_approval_amount(self):
        """Untaxed total in the company currency (at the offer's rate)."""
        self.ensure_one()
        company_currency = self.company_id.currency_id or self.env.company.currency_id
        rate = self.currency_rate or 1.0
        if not self.currency_id or self.currency_id == company_currency:
            rate = 1.0
        return company_currency.round(self.amount_untaxed / rate)

    def _pl_approval_breaches(self):
        self.ensure_one()
        rules = self._pl_approval_rules()
        if not rules.active():
            return []
        return offer_approval.breaches(
            self._pl_approval_lines(), self._pl_approval_amount(), rules
        )

    def _pl_approval_fingerprint_now(self):
        """Digest of what an approver approves: lines, prices, amounts."""
        self.ensure_one()
        items = [
            (
                "order",
                self.currency_id.id,
                self.company_id.id,
                "%.6f" % self.amount_untaxed,
            )
        ]
        for line in self.order_line:
            if line.display_type:
                continue
            items.append(
                (
                    line.product_id.id,
                    line.product_uom_id.id,
                    "%.6f" % line.product_uom_qty,
                    "%.6f" % line.price_unit,
                    "%.6f" % line.discount,
                    "%.6f" % line.price_subtotal,
                    tuple(sorted(line.tax_ids.ids)),
                )
            )
        return offer_approval.fingerprint(items)

    def _pl_approval_state_now(self):
        self.ensure_one()
        if not self._pl_approval_breaches():
            return "not_needed"
        if (
            self.pl_approval_decision
            and self.pl_approval_fingerprint == self._pl_approval_fingerprint_now()
        ):
            return self.pl_approval_decision
        return "to_approve"

    _PL_APPROVAL_DEPENDS = (
        "state",
        "order_line.product_id",
        "order_line.product_uom_id",
        "order_line.product_uom_qty",
        "order_line.price_unit",
        "order_line.discount",
        "order_line.price_subtotal",
        "order_line.tax_ids",
        "order_line.display_type",
        "amount_untaxed",
        "currency_id",
        "currency_rate",
        "company_id",
        "company_id.pl_offer_approval_line_discount",
        "company_id.pl_offer_approval_line_discount_limit",
        "company_id.pl_offer_approval_order_discount",
        "company_id.pl_offer_approval_order_discount_limit",
        "company_id.pl_offer_approval_amount",
        "company_id.pl_offer_approval_amount_limit",
        "pl_approval_decision",
        "pl_approval_fingerprint",
    )

    @api.depends(*_PL_APPROVAL_DEPENDS)
    def _compute_pl_approval_state(self):
        for order in self:
            # Approval concerns offers; confirmed or cancelled orders keep
            # the state they had.
            if order.state not in ("draft", "sent"):
                order.pl_approval_state = order.pl_approval_state or "not_needed"
                continue
            order.pl_approval_state = order._pl_approval_state_now()

    @api.depends(*_PL_APPROVAL_DEPENDS)
    def _compute_pl_approval_reasons(self):
        for order in self:
            order.pl_approval_reasons = "\n".join(order._pl_approval_breach_texts())

    def _pl_approval_breach_texts(self):
        self.ensure_one()
        texts = []
        if self.state not in ("draft", "sent"):
            return texts
        currency = self.company_id.currency_id or self.env.company.currency_id
        for breach in self._pl_approval_breaches():
            if breach.rule == offer_approval.LINE_DISCOUNT:
                texts.append(
                    self.env._(
                        "A line discount of %(value)s %% is above %(limit)s %%.",
                        value=formatLang(self.env, breach.value, digits=2),
                        limit=formatLang(self.env, breach.limit, digits=2),
                    )
                )
            elif breach.rule == offer_approval.ORDER_DISCOUNT:
                texts.append(
                    self.env._(
                        "The offer's total discount of %(value)s %% is above "
                        "%(limit)s %%.",
                        value=formatLang(self.env, breach.value, digits=2),
                        limit=formatLang(self.env, breach.limit, digits=2),
                    )
                )
            else:
                texts.append(
                    self.env._(
                        "The untaxed total of %(value)s is above %(limit)s.",
                        value=format_amount(self.env, breach.value, currency),
                        limit=format_amount(self.env, breach.limit, currency),
                    )
                )
        return texts

    # ------------------------------------------------------------------
    # Guarding the decision
    # ------------------------------------------------------------------
    def _pl_is_approver(self):
        return self.env.su or self.env.user.has_group(APPROVER_GROUP)

    def _pl_check_approver(self):
        if not self._pl_is_approver():
            raise AccessError(
                self.env._(
                    "Only an offer approver can approve or refuse offers "
                    "(group Sales / Offer Approver)."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if any(DECISION_FIELDS.intersection(vals) for vals in vals_list):
            self._pl_check_approver()
        return super().create(vals_list)

    def write(self, vals):
        if DECISION_FIELDS.intersection(vals):
            self._pl_check_approver()
        return super().write(vals)

    # ------------------------------------------------------------------
    # Blocking sending and confirming
    # ------------------------------------------------------------------
    def _pl_approval_blocked(self):
        """Offers of ``self`` that may not be sent or confirmed yet.

        The state is evaluated again (rates or rules may have changed since it
        was stored) and stored when it differs.
        """
        blocked = self.browse()
        for order in self:
            if order.state not in ("draft", "sent"):
                continue
            state = order._pl_approval_state_now()
            if state != order.pl_approval_state:
                self.env.add_to_compute(self._fields["pl_approval_state"], order)
            if state in ("to_approve", "refused"):
                blocked |= order
        return blocked

    def _pl_check_approval(self, action):
        """Raise when an offer of ``self`` waits for approval or was refused.

        ``action`` is the translated name of what the user tried.
        """
        for order in self._pl_approval_blocked():
            if order.pl_approval_state == "refused":
                raise UserError(
                    self.env._(
                        "%(offer)s was refused by %(user)s: %(reason)s\n"
                        "Change the offer and request approval again before "
                        "you %(action)s it.",
                        offer=order.name,
                        user=order.pl_approval_user_id.name or "",
                        reason=order.pl_approval_refuse_reason or "",
                        action=action,
                    )
                )
            if order.pl_approval_requested:
                next_step = self.env._("Its approval is requested: wait for it.")
            else:
                next_step = self.env._("Use Request Approval.")
            raise UserError(
                self.env._(
                    "%(offer)s needs the approval of a manager before you "
                    "%(action)s it:\n%(reasons)s\n%(next_step)s",
                    offer=order.name,
                    action=action,
                    reasons="\n".join(order._pl_approval_breach_texts()),
                    next_step=next_step,
                )
            )

    def action_confirm(self):
        self._pl_check_approval(self.env._("confirm"))
        return super().action_confirm()

    def action_quotation_send(self):
        self._pl_check_approval(self.env._("send"))
        return super().action_quotation_send()

    def action_quotation_sent(self):
        self._pl_check_approval(self.env._("mark as sent"))
        return super().action_quotation_sent()

    def action_pl_create_proforma(self):
        self._pl_check_approval(self.env._("make a pro forma of"))
        return super().action_pl_create_proforma()

    # ------------------------------------------------------------------
    # Request, approve, refuse
    # ------------------------------------------------------------------
    def _pl_offer_approvers(self):
        """Who decides: the team leader when an approver, else every approver."""
        self.ensure_one()
        group = self.env.ref(APPROVER_GROUP)
        users = group.sudo().all_user_ids.filtered(
            lambda user: (
                user.active
                and not user.share
                and user.id != self.env.ref("base.user_root").id
                and self.company_id in user.company_ids
            )
        )
        leader = self.team_id.user_id
        if leader in users:
            return leader
        return users

    def action_pl_request_approval(self):
        for order in self:
            if order._pl_approval_state_now() != "to_approve":
                raise UserError(
                    self.env._(
                        "%s does not wait for approval: it is within the rules "
                        "or already decided.",
                        order.name,
                    )
                )
            if order.pl_approval_requested:
                raise UserError(
                    self.env._("The approval of %s is already requested.", order.name)
                )
            approvers = order._pl_offer_approvers()
            if not approvers:
                raise UserError(
                    self.env._(
                        "Nobody can approve offers of %s: ask your administrator "
                        "to give someone the Offer Approver group.",
                        order.company_id.name,
                    )
                )
            reasons = order._pl_approval_breach_texts()
            note = Markup("<br/>").join(reasons)
            for approver in approvers:
                order.activity_schedule(
                    APPROVAL_ACTIVITY,
                    user_id=approver.id,
                    note=note,
                )
            order.message_post(
                body=Markup("%s<br/>%s") % (self.env._("Approval requested."), note),
                subtype_xmlid="mail.mt_note",
            )
        self.pl_approval_requested = True
        return True

    def _pl_decide(self, decision, reason=False):
        self._pl_check_approver()
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(
                    self.env._(
                        "%s is no offer any more: only quotations are approved.",
                        order.name,
                    )
                )
        for order in self:
            order.write(
                {
                    "pl_approval_decision": decision,
                    "pl_approval_fingerprint": order._pl_approval_fingerprint_now(),
                    "pl_approval_user_id": self.env.user.id,
                    "pl_approval_date": fields.Datetime.now(),
                    "pl_approval_refuse_reason": reason or False,
                    "pl_approval_requested": False,
                }
            )

    def _pl_notify_salesperson(self, body):
        self.ensure_one()
        salesperson = self.user_id
        partner_ids = []
        if salesperson and salesperson != self.env.user:
            partner_ids = salesperson.partner_id.ids
        self.message_post(
            body=body, subtype_xmlid="mail.mt_note", partner_ids=partner_ids
        )

    def action_pl_approve(self):
        self._pl_check_approver()
        for order in self:
            if order._pl_approval_state_now() not in ("to_approve", "refused"):
                raise UserError(
                    self.env._(
                        "%s does not need approval now (within the rules or "
                        "already approved).",
                        order.name,
                    )
                )
        self._pl_decide("approved")
        for order in self:
            order.activity_feedback(
                [APPROVAL_ACTIVITY], feedback=self.env._("Approved")
            )
            order._pl_notify_salesperson(
                self.env._("Offer approved by %s.", self.env.user.name)
            )
        return True

    def action_pl_refuse(self):
        """Open the wizard asking for the reason of the refusal."""
        self._pl_check_approver()
        return {
            "name": self.env._("Refuse Offer"),
            "type": "ir.actions.act_window",
            "res_model": "sale.order.pl.refuse",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    def _pl_refuse(self, reason):
        self._pl_check_approver()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the refusal."))
        for order in self:
            if order._pl_approval_state_now() not in ("to_approve", "approved"):
                raise UserError(
                    self.env._(
                        "%s cannot be refused: it is within the rules or "
                        "already refused.",
                        order.name,
                    )
                )
        self._pl_decide("refused", reason)
        for order in self:
            order.activity_feedback(
                [APPROVAL_ACTIVITY], feedback=self.env._("Refused: %s", reason)
            )
            order._pl_notify_salesperson(
                self.env._(
                    "Offer refused by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                )
            )
            if order.user_id:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=order.user_id.id,
                    summary=self.env._("Offer refused: revise it"),
                    note=reason,
                )
        return True
