"""Hardening of base_tier_validation for every validated model (invoices,
offers).

- Reviews change only through the approval methods below (see
  ``tier.review._pl_check_review_change``): each of them runs with the
  context marker that ``allow_review_change`` sets, and still checks what it
  did before (the approve / reject methods only act on the reviews of the user
  whose turn it is).
- Four-eyes: the document's authors cannot approve it (``_pl_tier_authors``).
- The content approved is what gets posted or confirmed: each approved review
  keeps a digest of the document (``_pl_approval_fingerprint``); a document
  changed after its approval (even through its lines, which the tier
  validation does not lock) is refused until its validation is restarted.
"""

import hashlib

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from .tier_review import allow_review_change


class TierValidation(models.AbstractModel):
    _inherit = "tier.validation"

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        """base_tier_validation returns the form's arch as bytes (lxml's
        tostring), every other view as text: text for all callers."""
        res = super().get_view(view_id=view_id, view_type=view_type, **options)
        if isinstance(res.get("arch"), bytes):
            res["arch"] = res["arch"].decode()
        return res

    # ------------------------------------------------------------------
    # The approval methods may change reviews
    # ------------------------------------------------------------------
    def request_validation(self):
        return super(TierValidation, allow_review_change(self)).request_validation()

    def restart_validation(self):
        # Restarting deletes the reviews: only who may change the document.
        self.check_access("write")
        return super(TierValidation, allow_review_change(self)).restart_validation()

    def _validate_tier(self, tiers=False):
        document = allow_review_change(self)
        tiers = allow_review_change(tiers) if tiers else tiers
        res = super(TierValidation, document)._validate_tier(tiers)
        approved = document.review_ids.filtered(
            lambda review: review.status == "approved" and not review.pl_fingerprint
        )
        if approved:
            approved.write({"pl_fingerprint": self._pl_approval_fingerprint()})
        return res

    def _rejected_tier(self, tiers=False):
        tiers = allow_review_change(tiers) if tiers else tiers
        return super(TierValidation, allow_review_change(self))._rejected_tier(tiers)

    def _tier_validation_check_write_remove_reviews(self, vals):
        return super(
            TierValidation, allow_review_change(self)
        )._tier_validation_check_write_remove_reviews(vals)

    def unlink(self):
        self.check_access("unlink")
        return super(TierValidation, allow_review_change(self)).unlink()

    # ------------------------------------------------------------------
    # Approve / reject: only the approver whose turn it is
    # ------------------------------------------------------------------
    def validate_tier(self):
        self._pl_check_can_review()
        return super().validate_tier()

    def reject_tier(self):
        self._pl_check_can_review()
        return super().reject_tier()

    def _pl_check_can_review(self):
        """Only an approver whose turn it is may approve or reject (the
        buttons are hidden for the others; this guards the API)."""
        for move in self:
            if not move.can_review:
                raise UserError(
                    self.env._(
                        "%(move)s is not waiting for your approval now (%(next)s).",
                        move=move.display_name,
                        next=move.next_review or self.env._("no approval pending"),
                    )
                )

    # ------------------------------------------------------------------
    # Four-eyes principle
    # ------------------------------------------------------------------
    def _pl_tier_authors(self):
        """Users who made the document: under the four-eyes principle
        (``exclude_requester`` of the rule) they cannot approve it. Its
        creator, unless a scheduled action (the superuser) created it."""
        self.ensure_one()
        author = self.create_uid
        if author._is_superuser() or author.share:
            return self.env["res.users"]
        return author

    # ------------------------------------------------------------------
    # What was approved
    # ------------------------------------------------------------------
    def _pl_approval_content(self):
        """Plain values describing what an approver approves; extended per
        model (lines, prices, amounts)."""
        self.ensure_one()
        return [("document", self._name, self.id)]

    def _pl_approval_fingerprint(self):
        self.ensure_one()
        items = self.sudo()._pl_approval_content()
        text = "\n".join(sorted(repr(tuple(item)) for item in items))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def _pl_changed_since_approval(self):
        """True when an approved review holds another content than now."""
        self.ensure_one()
        approved = self.review_ids.filtered(
            lambda review: review.status == "approved" and review.pl_fingerprint
        )
        if not approved:
            return False
        now = self._pl_approval_fingerprint()
        return any(review.pl_fingerprint != now for review in approved)

    def _tier_validation_check_state_on_write(self, vals):
        for record in self:
            if (
                record._check_state_conditions(vals)
                and record.review_ids
                and record._pl_changed_since_approval()
            ):
                raise ValidationError(
                    self.env._(
                        "%s was changed after it was approved: restart its "
                        "validation and request it again.",
                        record.display_name,
                    )
                )
        return super(
            TierValidation, allow_review_change(self)
        )._tier_validation_check_state_on_write(vals)
