from odoo import api, models


class TierReview(models.Model):
    _inherit = "tier.review"

    @api.model
    def _get_reviewer_fields(self):
        return super()._get_reviewer_fields() + [
            "definition_id.review_type",
            "definition_id.pl_team_reviewer",
            "definition_id.pl_team_id.user_id",
            "definition_id.pl_team_id.crm_team_member_ids.user_id",
            "definition_id.pl_team_id.crm_team_member_ids.active",
        ]

    def _get_reviewers(self):
        definition = self.definition_id
        if definition.review_type != "pl_team":
            return super()._get_reviewers()
        team = definition.pl_team_id
        reviewers = (
            team.user_id
            if definition.pl_team_reviewer == "leader"
            else (team.member_ids)
        )
        if definition.exclude_requester and self.requested_by:
            reviewers -= self.requested_by
        return reviewers

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
        res = super().write(vals)
        if "status" in vals:
            self._pl_moves()._pl_sync_approval_activities()
        return res

    def unlink(self):
        moves = self._pl_moves()
        res = super().unlink()
        moves._pl_sync_approval_activities()
        return res

    def _pl_moves(self):
        """The invoices of these reviews."""
        return self.env["account.move"].browse(
            {r.res_id for r in self if r.model == "account.move" and r.res_id}
        )
