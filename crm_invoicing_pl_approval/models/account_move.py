from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

from ..tools.rule_match import InvoiceFacts, rule_matches

APPROVAL_ACTIVITY = "crm_invoicing_pl_approval.mail_activity_type_invoice_approval"
REJECTED_ACTIVITY = "crm_invoicing_pl_approval.mail_activity_type_invoice_rejected"


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_max_discount = fields.Float(
        string="Largest Line Discount (%)",
        digits="Discount",
        compute="_compute_pl_max_discount",
        store=True,
        help="The largest discount of the invoice lines, for approval rules.",
    )

    @api.depends("invoice_line_ids.discount", "invoice_line_ids.display_type")
    def _compute_pl_max_discount(self):
        for move in self:
            lines = move.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            )
            move.pl_max_discount = max(lines.mapped("discount"), default=0.0)

    # ------------------------------------------------------------------
    # Which rules apply
    # ------------------------------------------------------------------
    @api.depends(
        "state",
        "review_ids",
        "amount_total_signed",
        "pl_max_discount",
        "commercial_partner_id",
        "pl_document_type_id",
        "team_id",
        "move_type",
    )
    def _compute_need_validation(self):
        # base_tier_validation gives no dependencies: the value would stay in
        # the cache after a validation request or a change of the invoice
        return super()._compute_need_validation()

    def evaluate_tier(self, tier):
        """The rule's domain (base_tier_validation) AND its invoice criteria."""
        matching = super().evaluate_tier(tier)
        criteria = tier._pl_criteria()
        return matching.filtered(
            lambda move: rule_matches(criteria, move._pl_approval_facts())
        )

    def _pl_approval_facts(self):
        self.ensure_one()
        return InvoiceFacts(
            amount=abs(self.amount_total_signed),
            max_discount=self.pl_max_discount,
            customer_id=self.commercial_partner_id.id or None,
            document_type_id=self.pl_document_type_id.id or None,
            team_id=self.team_id.id or None,
            is_customer_document=self.move_type in ("out_invoice", "out_refund"),
        )

    def _pl_matching_rules(self):
        """The active approval rules this invoice falls under."""
        self.ensure_one()
        rules = self.env["tier.definition"].search(
            [
                ("model", "=", self._name),
                ("company_id", "in", [False, *self._get_company().ids]),
            ]
        )
        return rules.filtered(lambda rule: self.evaluate_tier(rule))

    def _pl_approval_holds_posting(self):
        """Draft that needs approval, or whose approval is not complete."""
        self.ensure_one()
        return self.state == "draft" and bool(
            self.need_validation
            or (self.review_ids and self.validation_status != "validated")
        )

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------
    def _tier_validation_check_state_on_write(self, vals):
        """base_tier_validation refuses the posting; say why, per invoice."""
        reasons = {
            move: move._pl_approval_block_message()
            for move in self
            if move._check_state_conditions(vals) and move._pl_approval_holds_posting()
        }
        try:
            return super()._tier_validation_check_state_on_write(vals)
        except ValidationError as exc:
            # base approves on the spot the tiers the poster may approve
            refused = [m for m in reasons if m.validation_status != "validated"]
            if not refused:
                raise
            raise ValidationError(reasons[refused[0]]) from exc

    def _pl_approval_block_message(self):
        """Why this invoice cannot be posted yet, before anything changes."""
        self.ensure_one()
        if self.need_validation:
            return self.env._(
                "%(move)s needs approval before it can be posted (%(rules)s). "
                "Request it with “Request Validation” and post the invoice once "
                "it is approved.",
                move=self.display_name,
                rules=", ".join(self._pl_matching_rules().mapped("name")),
            )
        if self.validation_status == "rejected":
            return self.env._(
                "%(move)s was rejected by its approver and cannot be posted: "
                "correct it, restart the validation and request it again.",
                move=self.display_name,
            )
        open_reviews = self.review_ids.filtered(
            lambda r: r.status in ("waiting", "pending")
        )
        return self.env._(
            "%(move)s is waiting for approval by %(reviewers)s and cannot be "
            "posted before it is approved.",
            move=self.display_name,
            reviewers=", ".join(filter(None, open_reviews.mapped("todo_by"))),
        )

    def _post(self, soft=True):
        """In a scheduled action (cron), an invoice that needs approval is
        not posted and does not fail the run: its approval is requested and it
        stays in draft. Elsewhere (user, API), posting it raises an error."""
        if not self.env.context.get("cron_id"):
            return super()._post(soft=soft)
        held = self.filtered(lambda move: move._pl_approval_holds_posting())
        if held:
            held._pl_request_approval_from_cron()
        to_post = self - held
        if not to_post:
            return to_post
        return super(AccountMove, to_post)._post(soft=soft)

    def _pl_request_approval_from_cron(self):
        cron = self.env["ir.cron"].sudo().browse(self.env.context["cron_id"])
        for move in self.filtered("need_validation"):
            rules = move._pl_matching_rules()
            move.request_validation()
            move._message_log(
                body=self.env._(
                    "Not posted by the scheduled action “%(cron)s”: the invoice "
                    "needs approval first (%(rules)s). It was sent for approval "
                    "and stays in draft.",
                    cron=cron.name,
                    rules=", ".join(rules.mapped("name")),
                )
            )
        self.invalidate_recordset(["need_validation"])

    # ------------------------------------------------------------------
    # Activities: approvers, and the author of a rejected invoice
    # ------------------------------------------------------------------
    def _pl_sync_approval_activities(self):
        """One approval activity per approver who can act now (pending
        review); an approver's activity is marked done with the decision when
        the review is approved or rejected, removed otherwise."""
        activity_type = self.env.ref(APPROVAL_ACTIVITY)
        for move in self.sudo().exists():
            reviews = move.review_ids
            wanted = reviews.filtered(lambda r: r.status == "pending").reviewer_ids
            activities = move.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            )
            users_with_activity = activities.user_id
            for activity in activities.filtered(lambda a, w=wanted: a.user_id not in w):
                decided = reviews.filtered(
                    lambda r, u=activity.user_id: (
                        r.done_by == u and r.status in ("approved", "rejected")
                    )
                )[:1]
                if decided:
                    activity.action_feedback(feedback=move._pl_decision_text(decided))
                else:
                    activity.unlink()
            for user in wanted - users_with_activity:
                move.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    summary=self.env._("Approve %s", move.display_name),
                    note=move._pl_approval_request_note(user),
                )

    def _pl_approval_request_note(self, user):
        self.ensure_one()
        rules = self.review_ids.filtered(
            lambda r: r.status == "pending" and user in r.reviewer_ids
        ).mapped("name")
        return self.env._(
            "%(move)s (%(partner)s, %(amount)s) needs your approval: %(rules)s.",
            move=self.display_name,
            partner=self.partner_id.display_name,
            amount=formatLang(
                self.env, self.amount_total, currency_obj=self.currency_id
            ),
            rules=", ".join(rules),
        )

    def _pl_decision_text(self, review):
        if review.status == "approved":
            text = self.env._("Approved.")
        else:
            text = self.env._("Rejected.")
        if review.comment:
            text = f"{text} {review.comment}"
        return text

    def _pl_tier_authors(self):
        """Four-eyes: the creator and the salesperson of the invoice."""
        authors = super()._pl_tier_authors()
        salesperson = self.invoice_user_id
        if salesperson and not salesperson.share:
            authors |= salesperson
        return authors

    def _pl_approval_content(self):
        """What an approver approves: the customer, the amounts, the lines."""
        items = super()._pl_approval_content()
        items.append(
            (
                "invoice",
                self.move_type,
                self.partner_id.id,
                self.currency_id.id,
                self.pl_document_type_id.id,
                "%.6f" % self.amount_total,
            )
        )
        for line in self.invoice_line_ids:
            items.append(
                (
                    line.display_type,
                    line.product_id.id,
                    line.account_id.id,
                    "%.6f" % line.quantity,
                    "%.6f" % line.price_unit,
                    "%.6f" % line.discount,
                    "%.6f" % line.price_subtotal,
                    tuple(sorted(line.tax_ids.ids)),
                )
            )
        return items

    def _pl_author(self):
        """Who gets a rejected invoice back: its creator, or its salesperson
        when a scheduled action (the superuser) created it."""
        self.ensure_one()
        author = self.create_uid
        if not author.active or author.share or author._is_superuser():
            author = self.invoice_user_id
        return author

    def _rejected_tier(self, tiers=False):
        res = super()._rejected_tier(tiers)
        if self.validation_status == "rejected":
            self._pl_return_to_author()
        return res

    def _pl_return_to_author(self):
        self.ensure_one()
        rejected = self.review_ids.filtered(lambda r: r.status == "rejected")
        comments = "; ".join(
            f"{r.done_by.name}: {r.comment}" if r.comment else r.done_by.name
            for r in rejected
        )
        note = self.env._(
            "Rejected (%(comments)s). Correct the invoice, then restart the "
            "validation and request it again.",
            comments=comments,
        )
        author = self._pl_author()
        if author:
            self.sudo().activity_schedule(
                act_type_xmlid=REJECTED_ACTIVITY,
                user_id=author.id,
                summary=self.env._("%s was rejected", self.display_name),
                note=note,
            )

    def request_validation(self):
        reviews = super().request_validation()
        for move in self:
            requested = reviews.filtered(lambda r, m=move: r.res_id == m.id)
            if requested:
                move._message_log(
                    body=self.env._(
                        "Approval requested by %(user)s: %(rules)s.",
                        user=self.env.user.name,
                        rules=", ".join(requested.mapped("name")),
                    )
                )
        return reviews

    def restart_validation(self):
        restarted = self.filtered("review_ids")
        res = super().restart_validation()
        for move in restarted:
            move._message_log(
                body=self.env._("Approval restarted by %s.", self.env.user.name)
            )
        rejected_type = self.env.ref(REJECTED_ACTIVITY)
        self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == rejected_type
        ).action_feedback(feedback=self.env._("Validation restarted."))
        return res
