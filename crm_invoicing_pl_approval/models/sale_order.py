"""Offer approval on OCA sale_tier_validation, with the suite's Polish rules.

An approval rule (``tier.definition`` on ``sale.order``) holds one limit: a
line discount, the offer's total discount or its untaxed total (company
currency); offers above it need the approval of its reviewers. Until the
approval is complete an offer cannot be confirmed (OCA guards the state
change, whatever the route: button, ``action_confirm`` or ``write`` through
the API), sent, marked as sent, given a pro forma or an advance invoice.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount, formatLang

from ..tools import offer_rules

OFFER_STATES = ("draft", "sent")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    pl_offer_held = fields.Boolean(
        string="Waiting for Approval",
        compute="_compute_pl_offer_held",
        help="The offer needs approval, waits for it, was refused or was "
        "changed after it: it cannot be sent, confirmed, given a pro forma or "
        "an advance invoice yet (those buttons are hidden).",
    )

    # ------------------------------------------------------------------
    # Which rules apply
    # ------------------------------------------------------------------
    @api.depends(
        "state",
        "review_ids",
        "order_line.discount",
        "order_line.price_unit",
        "order_line.product_uom_qty",
        "order_line.price_subtotal",
        "order_line.display_type",
        "amount_untaxed",
        "currency_id",
        "currency_rate",
        "company_id",
    )
    def _compute_need_validation(self):
        # base_tier_validation gives no dependencies: the value would stay in
        # the cache after a validation request or a change of the offer
        return super()._compute_need_validation()

    @api.depends(
        "state",
        "need_validation",
        "validation_status",
        "review_ids.status",
        "order_line.discount",
        "order_line.price_unit",
        "order_line.product_uom_qty",
    )
    def _compute_pl_offer_held(self):
        for order in self:
            order.pl_offer_held = bool(order.id) and order._pl_offer_held()

    # ------------------------------------------------------------------
    # The approval buttons: the suite's own names, never "Validate" next
    # to Odoo's "Confirm" (Zatwierdź / Potwierdź in Polish)
    # ------------------------------------------------------------------
    def _pl_offer_approval_buttons(self):
        """Labels (and classes) of base_tier_validation's buttons on offers."""
        return {
            "request_validation": (self.env._("Request Approval"), "btn-primary"),
            "restart_validation": (self.env._("Restart Approval"), None),
            "validate_tier": (self.env._("Approve Offer"), None),
            "reject_tier": (self.env._("Refuse Approval"), None),
        }

    def _pl_relabel_approval_buttons(self, node):
        for name, (label, css) in self._pl_offer_approval_buttons().items():
            for button in node.xpath(f".//button[@name='{name}']"):
                button.set("string", label)
                if css:
                    button.set("class", css)
        return node

    def _add_tier_validation_buttons(self, node, params):
        return self._pl_relabel_approval_buttons(
            super()._add_tier_validation_buttons(node, params)
        )

    def _add_tier_validation_label(self, node, params):
        return self._pl_relabel_approval_buttons(
            super()._add_tier_validation_label(node, params)
        )

    def evaluate_tier(self, tier):
        """The rule's domain (base_tier_validation) AND its offer limit."""
        matching = super().evaluate_tier(tier)
        if tier.model != self._name or not tier.pl_offer_rule:
            return matching
        return matching.filtered(lambda order: order._pl_offer_breaches(tier))

    def _pl_offer_lines(self):
        self.ensure_one()
        lines = []
        for line in self.order_line:
            if line.display_type or line.is_downpayment:
                continue
            if line._is_global_discount():
                lines.append(offer_rules.OfferLine(0.0, line.price_subtotal, None))
                continue
            lines.append(
                offer_rules.OfferLine(
                    line.discount,
                    line.price_subtotal,
                    offer_rules.list_subtotal(
                        line.price_subtotal,
                        line.discount,
                        undiscounted=line.price_unit * line.product_uom_qty,
                    ),
                )
            )
        return lines

    def _pl_offer_amount(self):
        """Untaxed total in the company currency (at the offer's rate)."""
        self.ensure_one()
        company_currency = self.company_id.currency_id or self.env.company.currency_id
        rate = self.currency_rate or 1.0
        if not self.currency_id or self.currency_id == company_currency:
            rate = 1.0
        return company_currency.round(self.amount_untaxed / rate)

    def _pl_offer_breaches(self, tier):
        """The limits of ``tier`` this offer exceeds (offer_rules.Breach)."""
        self.ensure_one()
        return offer_rules.breaches(
            self._pl_offer_lines(), self._pl_offer_amount(), tier._pl_offer_rules()
        )

    def _pl_offer_matching_rules(self):
        self.ensure_one()
        rules = self.env["tier.definition"].search(
            [
                ("model", "=", self._name),
                ("company_id", "in", [False, *self._get_company().ids]),
            ]
        )
        return rules.filtered(lambda rule: self.evaluate_tier(rule))

    def _pl_offer_breach_texts(self):
        """Why the offer needs approval, one text per rule."""
        self.ensure_one()
        currency = self.company_id.currency_id or self.env.company.currency_id
        texts = []
        for rule in self._pl_offer_matching_rules():
            breaches = rule.pl_offer_rule and self._pl_offer_breaches(rule)
            if not breaches:
                texts.append(rule.name)
                continue
            breach = breaches[0]
            if breach.rule == offer_rules.LINE_DISCOUNT:
                text = self.env._(
                    "A line discount of %(value)s %% is above %(limit)s %%.",
                    value=formatLang(self.env, breach.value, digits=2),
                    limit=formatLang(self.env, breach.limit, digits=2),
                )
            elif breach.rule == offer_rules.ORDER_DISCOUNT:
                text = self.env._(
                    "The offer's total discount of %(value)s %% is above %(limit)s %%.",
                    value=formatLang(self.env, breach.value, digits=2),
                    limit=formatLang(self.env, breach.limit, digits=2),
                )
            else:
                text = self.env._(
                    "The untaxed total of %(value)s is above %(limit)s.",
                    value=format_amount(self.env, breach.value, currency),
                    limit=format_amount(self.env, breach.limit, currency),
                )
            texts.append(f"{rule.name}: {text}")
        return texts

    # ------------------------------------------------------------------
    # What an offer waiting for approval may not do
    # ------------------------------------------------------------------
    def _pl_offer_held(self):
        """An offer whose approval is needed, pending, rejected, or which was
        changed after its approval."""
        self.ensure_one()
        if self.state not in OFFER_STATES:
            return False
        return bool(
            self.need_validation
            or (self.review_ids and self.validation_status != "validated")
            or (self.review_ids and self._pl_changed_since_approval())
        )

    def _pl_offer_block_message(self, action):
        """Why this offer cannot be ``action``-ed (a translated verb) yet."""
        self.ensure_one()
        if self.need_validation:
            return self.env._(
                "%(offer)s needs approval before you %(action)s it:\n%(reasons)s\n"
                "Request it with “Request Approval”.",
                offer=self.display_name,
                action=action,
                reasons="\n".join(self._pl_offer_breach_texts()),
            )
        if self.validation_status == "rejected":
            return self.env._(
                "%(offer)s was rejected by its approver: correct it, restart the "
                "validation and request it again before you %(action)s it.",
                offer=self.display_name,
                action=action,
            )
        if self.validation_status == "validated":
            return self.env._(
                "%s was changed after it was approved: restart its validation "
                "and request it again.",
                self.display_name,
            )
        open_reviews = self.review_ids.filtered(
            lambda r: r.status in ("waiting", "pending")
        )
        return self.env._(
            "%(offer)s is waiting for approval by %(reviewers)s: it must be "
            "approved before you %(action)s it.",
            offer=self.display_name,
            action=action,
            reviewers=", ".join(filter(None, open_reviews.mapped("todo_by"))),
        )

    def _pl_check_offer_approved(self, action):
        for order in self:
            if order._pl_offer_held():
                raise ValidationError(order._pl_offer_block_message(action))

    def action_quotation_send(self):
        self._pl_check_offer_approved(self.env._("send"))
        return super().action_quotation_send()

    def action_quotation_sent(self):
        self._pl_check_offer_approved(self.env._("mark as sent"))
        return super().action_quotation_sent()

    def action_pl_create_proforma(self):
        self._pl_check_offer_approved(self.env._("make a pro forma of"))
        return super().action_pl_create_proforma()

    def action_pl_advance_invoice(self, proforma=None):
        self._pl_check_offer_approved(self.env._("invoice an advance on"))
        return super().action_pl_advance_invoice(proforma=proforma)

    # ------------------------------------------------------------------
    # Confirming: OCA refuses it; say why, per offer
    # ------------------------------------------------------------------
    def _tier_validation_check_state_on_write(self, vals):
        reasons = {
            order: order._pl_offer_block_message(self.env._("confirm"))
            for order in self
            if order._check_state_conditions(vals) and order._pl_offer_held()
        }
        try:
            return super()._tier_validation_check_state_on_write(vals)
        except ValidationError as exc:
            # base approves on the spot the tiers the user may approve
            refused = [o for o in reasons if o.validation_status != "validated"]
            if not refused:
                raise
            raise ValidationError(reasons[refused[0]]) from exc

    @api.model_create_multi
    def create(self, vals_list):
        """An order created straight as sent or confirmed skips the tier
        validation (it only watches writes): refused when a rule applies."""
        orders = super().create(vals_list)
        for order, vals in zip(orders, vals_list, strict=True):
            if vals.get("state") in ("sent", "sale") and (
                order._pl_offer_matching_rules()
            ):
                raise ValidationError(
                    self.env._(
                        "%s needs approval before it is sent or confirmed: "
                        "create it as a quotation and request the validation.",
                        order.display_name,
                    )
                )
        return orders

    def write(self, vals):
        state = vals.get("state")
        if state == "sent":
            self.filtered(lambda o: o.state == "draft")._pl_check_offer_approved(
                self.env._("send")
            )
        elif state == "sale":
            # base_tier_validation only guards offers (draft, sent): a
            # cancelled offer written straight to "sale" would skip it
            for order in self.filtered(
                lambda o: o.state not in (*OFFER_STATES, "sale")
            ):
                if order._pl_offer_matching_rules() and (
                    order.validation_status != "validated"
                ):
                    raise ValidationError(
                        self.env._(
                            "%s needs approval before it is confirmed: set it "
                            "back to quotation and request the validation.",
                            order.display_name,
                        )
                    )
        return super().write(vals)

    def _get_under_validation_exceptions(self):
        # An approved offer may still be sent (state draft -> sent): the
        # state to "sale" is guarded apart, sending of an offer not approved
        # is refused in write().
        return super()._get_under_validation_exceptions() + ["state"]

    # ------------------------------------------------------------------
    # Four-eyes and what was approved
    # ------------------------------------------------------------------
    def _pl_tier_authors(self):
        """Four-eyes: the creator and the salesperson of the offer."""
        authors = super()._pl_tier_authors()
        if self.user_id and not self.user_id.share:
            authors |= self.user_id
        return authors

    def _pl_approval_content(self):
        """What an approver approves: the customer, currency and the priced
        lines (down payments and notes left out: they do not change the
        offer)."""
        items = super()._pl_approval_content()
        items.append(
            ("offer", self.partner_id.id, self.currency_id.id, self.company_id.id)
        )
        for line in self.order_line:
            if line.display_type or line.is_downpayment:
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
        return items
