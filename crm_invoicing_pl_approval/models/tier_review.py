from odoo import api, fields, models
from odoo.exceptions import AccessError

# Put in the context by the approval methods of base_tier_validation (request,
# validate, reject, restart, see models/tier_validation.py) so that they may
# change reviews. An object, not a string or a flag: a JSON-RPC or XML-RPC
# client can only pass JSON values in its context, never this very object.
REVIEW_CHANGE = object()
REVIEW_CHANGE_KEY = "pl_tier_review_change"


def allow_review_change(records):
    """``records`` in an environment allowed to change tier reviews."""
    return records.with_context(**{REVIEW_CHANGE_KEY: REVIEW_CHANGE})


class TierReview(models.Model):
    _inherit = "tier.review"

    pl_fingerprint = fields.Char(
        string="Approved Content",
        readonly=True,
        copy=False,
        help="Digest of the document's content when this review was approved: "
        "a document changed after its approval cannot be posted or confirmed.",
    )

    # ------------------------------------------------------------------
    # Reviews change only through the approval methods
    # ------------------------------------------------------------------
    def _pl_check_review_change(self):
        """Refuse a direct change of reviews (JSON-RPC, XML-RPC, code run as a
        user): base_tier_validation lets every internal user write them, so
        a user could approve his own document by writing its status."""
        if self.env.su or self.env.context.get(REVIEW_CHANGE_KEY) is REVIEW_CHANGE:
            return
        raise AccessError(
            self.env._(
                "Approvals cannot be created, changed or deleted directly: use "
                "Request Validation, Validate, Reject or Restart Validation on "
                "the document."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._pl_check_review_change()
        return super().create(vals_list)

    def _update_review_status(self):
        return super(TierReview, allow_review_change(self))._update_review_status()

    @api.model
    def _get_reviewer_fields(self):
        return super()._get_reviewer_fields() + [
            "definition_id.review_type",
            "definition_id.pl_team_reviewer",
            "definition_id.pl_team_id.user_id",
            "definition_id.pl_team_id.crm_team_member_ids.user_id",
            "definition_id.pl_team_id.crm_team_member_ids.active",
        ]

    def _pl_filter_reviewers(self, reviewers):
        """The reviewers who may approve this review: users of the document's
        company only and, under the four-eyes principle, neither the
        requester nor the document's authors (``_pl_tier_authors``)."""
        if not (self.res_id and self._has_resource_model()):
            if self.definition_id.exclude_requester:
                reviewers -= self.requested_by
            return reviewers
        document = self.env[self.model].sudo().browse(self.res_id).exists()
        if not document:
            return reviewers
        company_field = document._tier_validation_company_field
        company = company_field in document._fields and document[company_field]
        if company:
            reviewers = reviewers.filtered(
                lambda user: company in user.sudo().company_ids
            )
        if self.definition_id.exclude_requester:
            reviewers -= self.requested_by | document._pl_tier_authors().with_env(
                self.env
            )
        return reviewers

    def _get_reviewers(self):
        definition = self.definition_id
        if definition.review_type != "pl_team":
            return self._pl_filter_reviewers(super()._get_reviewers())
        team = definition.pl_team_id
        reviewers = (
            team.user_id
            if definition.pl_team_reviewer == "leader"
            else (team.member_ids)
        )
        return self._pl_filter_reviewers(reviewers)

    @api.depends("reviewer_ids", "definition_id.pl_team_id.name")
    def _compute_todo_by(self):
        res = super()._compute_todo_by()
        for review in self.filtered(
            lambda r: (
                r.definition_id.review_type == "pl_team"
                and r.definition_id.pl_team_reviewer == "members"
            )
        ):
            review.todo_by = self.env._(
                "Sales team %s", review.definition_id.pl_team_id.name
            )
        return res

    def write(self, vals):
        self._pl_check_review_change()
        res = super().write(vals)
        if "status" in vals:
            self._pl_moves()._pl_sync_approval_activities()
        return res

    def unlink(self):
        self._pl_check_review_change()
        moves = self._pl_moves()
        res = super().unlink()
        moves._pl_sync_approval_activities()
        return res

    def _pl_moves(self):
        """The invoices of these reviews."""
        return self.env["account.move"].browse(
            {r.res_id for r in self if r.model == "account.move" and r.res_id}
        )
