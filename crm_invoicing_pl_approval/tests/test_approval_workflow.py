from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalWorkflow(ApprovalCommon):
    """Routing, sequential tiers, approval, rejection back to the author."""

    def assert_refused(self, move, message):
        """Posting ``move`` fails with ``message``, leaving it in draft."""
        with self.assertRaises(ValidationError) as refused:
            move.action_post()
        self.assertIn(message, str(refused.exception))
        self.assertEqual(move.state, "draft")

    def comment(self, move, user, action, text):
        """Approve or reject ``move`` as ``user`` through the comment wizard."""
        wizard_action = getattr(move.with_user(user), action)()
        self.assertEqual(wizard_action["res_model"], "comment.wizard")
        wizard = Form(
            self.env["comment.wizard"]
            .with_user(user)
            .with_context(**wizard_action["context"])
        )
        wizard.comment = text
        wizard.save().add_comment()

    def test_amount_rule_routes_to_named_approver(self):
        self.rule("Od 10 000 zł", pl_min_amount=10000.0)
        invoice = self.draft(10000.0)
        self.assert_refused(invoice, "needs approval before it can be")
        invoice.request_validation()
        review = invoice.review_ids
        self.assertEqual(review.reviewer_ids, self.approver)
        self.assertEqual(review.status, "pending")
        self.assertEqual(len(self.activities(invoice, self.approval_type)), 1)
        activity = self.activities(invoice, self.approval_type, self.approver)
        self.assertIn("Od 10 000 zł", str(activity.note))
        self.assertIn("Hurtownia Żółw", str(activity.note))
        notified = (
            self.env["mail.message"]
            .sudo()
            .search_count(
                [
                    ("model", "=", "account.move"),
                    ("res_id", "=", invoice.id),
                    ("message_type", "=", "user_notification"),
                    ("partner_ids", "in", self.approver.partner_id.ids),
                ]
            )
        )
        self.assertEqual(notified, 1, "the approver is notified of the activity")
        self.assertFalse(invoice.can_review, "the author cannot approve")
        self.assert_refused(invoice, "waiting for approval by Piotr")

        invoice.with_user(self.approver).validate_tier()
        self.assertEqual(invoice.validation_status, "validated")
        self.assertFalse(self.activities(invoice, self.approval_type))
        self.assertIn(
            "Approved.",
            " ".join(invoice.message_ids.mapped("body")),
            "the approval is logged in the chatter",
        )
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_two_sequential_tiers(self):
        self.rule("Kierownik", pl_min_amount=1000.0, sequence=20, approve_sequence=True)
        self.rule(
            "Zarząd",
            pl_min_amount=1000.0,
            sequence=10,
            approve_sequence=True,
            reviewer_id=self.approver2.id,
        )
        invoice = self.draft(5000.0)
        invoice.request_validation()
        first, second = invoice.review_ids.sorted("sequence")
        self.assertEqual((first.name, second.name), ("Kierownik", "Zarząd"))
        self.assertEqual((first.status, second.status), ("pending", "waiting"))
        self.assertTrue(self.activities(invoice, self.approval_type, self.approver))
        self.assertFalse(self.activities(invoice, self.approval_type, self.approver2))

        self.assertFalse(invoice.with_user(self.approver2).can_review)
        with self.assertRaisesRegex(UserError, "not waiting for your approval now"):
            invoice.with_user(self.approver2).validate_tier()
        self.assertEqual(second.status, "waiting", "second tier cannot jump ahead")
        self.assertEqual(first.status, "pending")

        invoice.with_user(self.approver).validate_tier()
        self.assertEqual((first.status, second.status), ("approved", "pending"))
        self.assertTrue(self.activities(invoice, self.approval_type, self.approver2))
        self.assert_refused(invoice, "waiting for approval by Dorota")

        invoice.with_user(self.approver2).validate_tier()
        self.assertEqual(invoice.validation_status, "validated")
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_team_routing(self):
        leader_rule = self.rule(
            "Lider zespołu",
            review_type="pl_team",
            reviewer_id=False,
            pl_team_id=self.team.id,
            pl_team_reviewer="leader",
        )
        invoice = self.draft(1000.0)
        invoice.request_validation()
        self.assertEqual(invoice.review_ids.reviewer_ids, self.approver2)
        invoice.restart_validation()

        leader_rule.pl_team_reviewer = "members"
        invoice.request_validation()
        review = invoice.review_ids
        self.assertEqual(review.reviewer_ids, self.member | self.approver)
        self.assertEqual(review.todo_by, "Sales team Sprzedaż Kraków")
        self.assertEqual(
            self.activities(invoice, self.approval_type).user_id,
            self.member | self.approver,
        )
        invoice.with_user(self.member).validate_tier()
        self.assertEqual(invoice.validation_status, "validated")
        self.assertFalse(self.activities(invoice, self.approval_type))
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_reject_with_comment_goes_back_to_author(self):
        self.rule("Od 1 000 zł", pl_min_amount=1000.0, has_comment=True)
        invoice = self.draft(2000.0)
        invoice.request_validation()
        self.comment(invoice, self.approver, "reject_tier", "Zła cena, popraw rabat")

        self.assertEqual(invoice.validation_status, "rejected")
        self.assertEqual(invoice.state, "draft")
        todo = self.activities(invoice, self.rejected_type)
        self.assertEqual(todo.user_id, self.author)
        self.assertIn("Zła cena, popraw rabat", str(todo.note))
        self.assertIn("Piotr Pierwszy", str(todo.note))
        self.assertFalse(self.activities(invoice, self.approval_type))
        self.assertIn(
            "Rejected. Zła cena, popraw rabat",
            " ".join(invoice.message_ids.mapped("body")),
        )
        self.assert_refused(invoice, "was rejected by its approver")

        invoice.restart_validation()
        self.assertFalse(invoice.review_ids)
        self.assertFalse(self.activities(invoice, self.rejected_type))
        log = " ".join(invoice.message_ids.mapped("body"))
        self.assertIn("Approval requested by Anna Autorka: Od 1 000 zł.", log)
        self.assertIn("Approval restarted by Anna Autorka.", log)
        invoice.invoice_line_ids.price_unit = 800.0  # 984 zł gross
        self.assertFalse(invoice.need_validation)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_approve_with_comment(self):
        self.rule("Od 1 000 zł", pl_min_amount=1000.0, has_comment=True)
        invoice = self.draft(2000.0)
        invoice.request_validation()
        self.comment(invoice, self.approver, "validate_tier", "OK, klient stały")
        self.assertEqual(invoice.validation_status, "validated")
        self.assertEqual(invoice.review_ids.comment, "OK, klient stały")
        self.assertIn(
            "Approved. OK, klient stały",
            " ".join(invoice.message_ids.mapped("body")),
        )
