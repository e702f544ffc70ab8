from odoo import models
from odoo.exceptions import AccessError

from ..models.tier_review import allow_review_change


class CommentWizard(models.TransientModel):
    """The comment step of Validate / Reject: it writes the comment on the
    reviews the client names, so they are checked first to be the user's own
    reviews, waiting for him, on the document of the wizard."""

    _inherit = "comment.wizard"

    def add_comment(self):
        self.ensure_one()
        document = self.env[self.res_model].browse(self.res_id).exists()
        mine = document and document.review_ids.filtered(
            lambda review: (
                review.status in ("waiting", "pending")
                and review.sequence in document._get_sequences_to_approve(self.env.user)
                and self.env.user in review.reviewer_ids
            )
        )
        if not document or not self.review_ids or self.review_ids - mine:
            raise AccessError(
                self.env._(
                    "You can only comment on the approvals waiting for you on "
                    "this document."
                )
            )
        return super(CommentWizard, allow_review_change(self)).add_comment()
