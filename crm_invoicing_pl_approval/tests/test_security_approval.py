"""Approval controls that hold against the users they are meant to stop.

Each attack is made as the user, through the ORM (``with_user``) and through
JSON-RPC (``call_kw`` after logging in): the server refuses it and nothing
changes. Positive controls show that the legitimate route still works.
"""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged

from .common import ApprovalCommon, OfferApprovalCommon

ACCESS_ERROR = "odoo.exceptions.AccessError"


@freeze_time("2026-11-20 10:00:00")
@tagged("post_install", "-at_install")
class TestSecurityInvoiceApproval(ApprovalCommon, HttpCase):
    """Invoice approval: reviews change only through Validate / Reject, and
    the author of an invoice cannot approve it (four-eyes by default)."""

    def setUp(self):
        super().setUp()
        self.rule("Od 10 000 zł", pl_min_amount=10000.0)
        self.invoice = self.draft(10000.0)
        self.invoice.with_user(self.author).request_validation()
        self.review = self.invoice.review_ids
        self.assertEqual(self.review.status, "pending")

    def login(self, user):
        self.authenticate(user.login, f"{user.login}-pass-1234")

    def assert_untouched(self):
        """The invoice still waits for its approval, in draft."""
        self.invoice.invalidate_recordset()
        self.review.invalidate_recordset()
        self.assertEqual(self.invoice.review_ids, self.review)
        self.assertEqual(self.review.status, "pending")
        self.assertFalse(self.review.done_by)
        self.assertEqual(self.invoice.validation_status, "pending")
        self.assertEqual(self.invoice.state, "draft")
        with self.assertRaises(ValidationError):
            self.invoice.with_user(self.author).action_post()
        self.assertEqual(self.invoice.state, "draft")

    # ------------------------------------------------------------------
    # Writing a review
    # ------------------------------------------------------------------
    def test_author_writes_review_status_through_the_orm(self):
        review = self.review.with_user(self.author)
        with self.assertRaises(AccessError):
            review.write({"status": "approved", "done_by": self.author.id})
        # through the invoice: refused as well (tier validation locks it)
        with self.assertRaises(UserError):
            self.invoice.with_user(self.author).write(
                {"review_ids": [Command.update(self.review.id, {"status": "approved"})]}
            )
        self.assert_untouched()

    def test_author_writes_review_status_through_jsonrpc(self):
        self.login(self.author)
        refused = self._pl_jsonrpc_refusal(
            "tier.review", "write", [self.review.ids, {"status": "approved"}]
        )
        self.assertEqual(refused, ACCESS_ERROR)
        self.assert_untouched()

    def test_context_marker_cannot_be_sent_through_jsonrpc(self):
        self.login(self.author)
        with self.assertRaises(Exception) as refused:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/tier.review/write",
                {
                    "model": "tier.review",
                    "method": "write",
                    "args": [self.review.ids, {"status": "approved"}],
                    "kwargs": {"context": {"pl_tier_review_change": True}},
                },
            )
        self.assertEqual(refused.exception.args[0], ACCESS_ERROR)
        self.assert_untouched()

    # ------------------------------------------------------------------
    # Creating an approved review, deleting a pending one
    # ------------------------------------------------------------------
    def _approved_review_vals(self):
        return {
            "model": "account.move",
            "res_id": self.invoice.id,
            "definition_id": self.review.definition_id.id,
            "status": "approved",
            "done_by": self.author.id,
            "sequence": 1,
        }

    def test_author_creates_an_approved_review_through_the_orm(self):
        with self.assertRaises(AccessError):
            self.env["tier.review"].with_user(self.author).create(
                self._approved_review_vals()
            )
        self.assert_untouched()

    def test_author_creates_an_approved_review_through_jsonrpc(self):
        self.login(self.author)
        refused = self._pl_jsonrpc_refusal(
            "tier.review", "create", [self._approved_review_vals()]
        )
        self.assertEqual(refused, ACCESS_ERROR)
        self.assert_untouched()

    def test_author_unlinks_the_pending_review(self):
        with self.assertRaises(AccessError):
            self.review.with_user(self.author).unlink()
        self.assert_untouched()
        self.login(self.author)
        refused = self._pl_jsonrpc_refusal("tier.review", "unlink", [self.review.ids])
        self.assertEqual(refused, ACCESS_ERROR)
        self.assert_untouched()

    def test_comment_wizard_refuses_reviews_of_another_approver(self):
        wizard = (
            self.env["comment.wizard"]
            .with_user(self.author)
            .create(
                {
                    "res_model": "account.move",
                    "res_id": self.invoice.id,
                    "review_ids": [Command.set(self.review.ids)],
                    "validate_reject": "validate",
                    "comment": "OK",
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.add_comment()
        self.assertFalse(self.review.comment)
        self.assert_untouched()

    # ------------------------------------------------------------------
    # Four-eyes: the author does not approve his own invoice
    # ------------------------------------------------------------------
    def _group_rule_invoice(self):
        """An invoice under a rule approved by any billing user: the author
        is one of them."""
        self.env["tier.definition"].search(
            [("model", "=", "account.move")]
        ).active = False
        billing = self.env.ref("account.group_account_invoice")
        rule = self.rule("Każdy fakturzysta", review_type="group", reviewer_id=False)
        rule.reviewer_group_id = billing
        self.assertTrue(rule.exclude_requester, "four-eyes is on by default")
        invoice = self.draft(500.0)
        invoice.with_user(self.author).request_validation()
        self.assertIn(self.author, billing.all_user_ids)
        self.assertNotIn(self.author, invoice.review_ids.reviewer_ids)
        self.assertIn(self.approver, invoice.review_ids.reviewer_ids)
        return invoice

    def test_author_cannot_approve_his_own_invoice_through_the_orm(self):
        invoice = self._group_rule_invoice()
        # requested by someone else, the author is still left out
        invoice.with_user(self.author).restart_validation()
        invoice.with_user(self.approver2).request_validation()
        self.assertNotIn(self.author, invoice.review_ids.reviewer_ids)
        mine = invoice.with_user(self.author)
        self.assertFalse(mine.can_review)
        with self.assertRaises(UserError):
            mine.validate_tier()
        # posting does not approve on the spot what the poster may not approve
        with self.assertRaises(ValidationError):
            mine.action_post()
        self.assertEqual(invoice.validation_status, "pending")
        self.assertEqual(invoice.state, "draft")

    def test_author_cannot_approve_his_own_invoice_through_jsonrpc(self):
        invoice = self._group_rule_invoice()
        self.login(self.author)
        refused = self._pl_jsonrpc_refusal(
            "account.move", "validate_tier", [invoice.ids]
        )
        self.assertEqual(refused, "odoo.exceptions.UserError")
        refused = self._pl_jsonrpc_refusal("account.move", "action_post", [invoice.ids])
        self.assertEqual(refused, "odoo.exceptions.ValidationError")
        invoice.invalidate_recordset()
        self.assertEqual(invoice.validation_status, "pending")
        self.assertEqual(invoice.state, "draft")

        # positive control: another billing user approves, the author posts
        invoice.with_user(self.approver).validate_tier()
        self.assertEqual(invoice.validation_status, "validated")
        invoice.with_user(self.author).action_post()
        self.assertEqual(invoice.state, "posted")

    # ------------------------------------------------------------------
    # What was approved is what is posted
    # ------------------------------------------------------------------
    def test_invoice_changed_after_approval_is_not_posted(self):
        self.invoice.with_user(self.approver).validate_tier()
        self.assertEqual(self.invoice.validation_status, "validated")
        line = self.invoice.invoice_line_ids.with_user(self.author)
        line.write({"price_unit": 90000.0})
        with self.assertRaises(ValidationError) as refused:
            self.invoice.with_user(self.author).action_post()
        self.assertIn("changed after it was approved", str(refused.exception))
        self.assertEqual(self.invoice.state, "draft")

        # back to the approved content: it posts
        line.write({"price_unit": 10000.0})
        self.invoice.with_user(self.author).action_post()
        self.assertEqual(self.invoice.state, "posted")

    def test_approver_approves_and_author_posts(self):
        """Positive control, through JSON-RPC as each user."""
        self.login(self.approver)
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/account.move/validate_tier",
            {
                "model": "account.move",
                "method": "validate_tier",
                "args": [self.invoice.ids],
                "kwargs": {},
            },
        )
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.validation_status, "validated")
        self.assertEqual(self.review.done_by, self.approver)
        self.login(self.author)
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/account.move/action_post",
            {
                "model": "account.move",
                "method": "action_post",
                "args": [self.invoice.ids],
                "kwargs": {},
            },
        )
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.state, "posted")


@freeze_time("2026-11-20 10:00:00")
@tagged("post_install", "-at_install")
class TestSecurityOfferApproval(OfferApprovalCommon, HttpCase):
    """Offer approval: an offer waiting for approval is confirmed by no
    route, and a sales manager does not approve his own offer."""

    def setUp(self):
        super().setUp()
        self.offer_rule("Rabat powyżej 10 %", "line_discount", 10.0)
        self.order = self.offer([(self.goods, 1, 15.0)])
        self.order.with_user(self.salesman).request_validation()
        self.assertEqual(self.order.validation_status, "pending")

    def login(self, user):
        self.authenticate(user.login, f"{user.login}-pass-1234")

    def call(self, model, method, args):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": {}},
        )

    def assert_waiting(self, order=None):
        order = order or self.order
        order.invalidate_recordset()
        order.review_ids.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self.assertIn(order.validation_status, ("pending", "no"))
        self.assertFalse(order.review_ids.filtered(lambda r: r.status == "approved"))

    def test_salesman_writes_state_sale_through_the_orm(self):
        with self.assertRaises(ValidationError):
            self.order.with_user(self.salesman).write({"state": "sale"})
        self.assert_waiting()

    def test_salesman_writes_state_sale_through_jsonrpc(self):
        self.login(self.salesman)
        refused = self._pl_jsonrpc_refusal(
            "sale.order", "write", [self.order.ids, {"state": "sale"}]
        )
        self.assertEqual(refused, "odoo.exceptions.ValidationError")
        self.assert_waiting()

    def test_salesman_confirms_through_the_orm_and_jsonrpc(self):
        with self.assertRaises(ValidationError):
            self.order.with_user(self.salesman).action_confirm()
        self.assert_waiting()
        self.login(self.salesman)
        refused = self._pl_jsonrpc_refusal(
            "sale.order", "action_confirm", [self.order.ids]
        )
        self.assertEqual(refused, "odoo.exceptions.ValidationError")
        self.assert_waiting()

    def test_offer_never_requested_is_not_confirmed_either(self):
        order = self.offer([(self.goods, 1, 25.0)])
        self.assertTrue(order.need_validation)
        with self.assertRaises(ValidationError):
            order.with_user(self.salesman).write({"state": "sale"})
        self.assert_waiting(order)
        self.login(self.salesman)
        refused = self._pl_jsonrpc_refusal("sale.order", "action_confirm", [order.ids])
        self.assertEqual(refused, "odoo.exceptions.ValidationError")
        self.assert_waiting(order)
        self.assertFalse(order.review_ids)

    def test_cancelled_offer_written_straight_to_sale(self):
        order = self.offer([(self.goods, 1, 25.0)])
        order.with_user(self.salesman).action_cancel()
        self.assertEqual(order.state, "cancel")
        with self.assertRaises(ValidationError):
            order.with_user(self.salesman).write({"state": "sale"})
        self.login(self.salesman)
        refused = self._pl_jsonrpc_refusal(
            "sale.order", "write", [order.ids, {"state": "sale"}]
        )
        self.assertEqual(refused, "odoo.exceptions.ValidationError")
        order.invalidate_recordset()
        self.assertEqual(order.state, "cancel")

    def test_order_created_straight_as_confirmed(self):
        vals = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "user_id": self.salesman.id,
            "state": "sale",
            "order_line": [
                Command.create(
                    {"product_id": self.goods.id, "product_uom_qty": 1, "discount": 50}
                )
            ],
        }
        Order = self.env["sale.order"].with_user(self.salesman)
        before = Order.search_count([])
        with self.assertRaises(ValidationError):
            Order.create(vals)
        self.login(self.salesman)
        refused = self._pl_jsonrpc_refusal("sale.order", "create", [vals])
        self.assertEqual(refused, "odoo.exceptions.ValidationError")
        self.assertEqual(Order.search_count([]), before)

    def test_salesman_writes_the_review_through_jsonrpc(self):
        self.login(self.salesman)
        refused = self._pl_jsonrpc_refusal(
            "tier.review", "write", [self.order.review_ids.ids, {"status": "approved"}]
        )
        self.assertEqual(refused, ACCESS_ERROR)
        self.assert_waiting()

    def test_manager_cannot_approve_his_own_offer_through_the_orm(self):
        order = self.offer([(self.goods, 1, 15.0)], user=self.manager)
        mine = order.with_user(self.manager)
        # confirming does not approve on the spot what he may not approve
        with self.assertRaises(ValidationError):
            mine.action_confirm()
        self.assert_waiting(order)
        mine.request_validation()
        self.assertNotIn(self.manager, order.review_ids.reviewer_ids)
        self.assertIn(self.manager_b, order.review_ids.reviewer_ids)
        self.assertFalse(mine.can_review)
        with self.assertRaises(UserError):
            mine.validate_tier()
        with self.assertRaises(ValidationError):
            mine.write({"state": "sale"})
        self.assert_waiting(order)

    def test_manager_cannot_approve_his_own_offer_through_jsonrpc(self):
        order = self.offer([(self.goods, 1, 15.0)], user=self.manager)
        order.with_user(self.manager).request_validation()
        self.login(self.manager)
        refused = self._pl_jsonrpc_refusal("sale.order", "validate_tier", [order.ids])
        self.assertEqual(refused, "odoo.exceptions.UserError")
        refused = self._pl_jsonrpc_refusal("sale.order", "action_confirm", [order.ids])
        self.assertEqual(refused, "odoo.exceptions.ValidationError")
        self.assert_waiting(order)

        # positive control: another manager approves, the author confirms
        self.login(self.manager_b)
        self.call("sale.order", "validate_tier", [order.ids])
        self.login(self.manager)
        self.call("sale.order", "action_confirm", [order.ids])
        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")

    def test_manager_approves_and_salesman_confirms(self):
        """Positive control, through JSON-RPC as each user."""
        self.login(self.manager)
        self.call("sale.order", "validate_tier", [self.order.ids])
        self.order.invalidate_recordset()
        self.assertEqual(self.order.validation_status, "validated")
        self.login(self.salesman)
        self.call("sale.order", "action_confirm", [self.order.ids])
        self.order.invalidate_recordset()
        self.assertEqual(self.order.state, "sale")
