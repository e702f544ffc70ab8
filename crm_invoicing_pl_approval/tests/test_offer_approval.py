"""Offer approval on sale_tier_validation with the suite's Polish rules
(ported from crm_invoicing_pl's own engine, which it replaces)."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import OfferApprovalCommon


@freeze_time("2026-11-20 10:00:00")
@tagged("post_install", "-at_install")
class TestOfferApproval(OfferApprovalCommon):
    # ------------------------------------------------------------------
    # Thresholds: reaching a limit needs no approval, exceeding it does
    # ------------------------------------------------------------------
    def test_line_discount_threshold(self):
        self.offer_rule("Rabat powyżej 10 %", "line_discount", 10.0)
        at_limit = self.offer([(self.goods, 1, 0.0), (self.service, 2, 10.0)])
        self.assertFalse(at_limit.need_validation)
        above = self.offer([(self.goods, 1, 0.0), (self.service, 2, 10.01)])
        self.assertTrue(above.need_validation)
        reasons = "\n".join(above._pl_offer_breach_texts())
        self.assertIn("Rabat powyżej 10 %", reasons)
        self.assertIn("10.01", reasons)
        self.assertIn("10.00", reasons)

    def test_order_discount_threshold(self):
        self.offer_rule("Rabat oferty powyżej 5 %", "order_discount", 5.0)
        # 500 list at 10 % + 500 list at 0 %: 50 off 1000 = 5 %
        order = self.offer([(self.goods, 5, 10.0), (self.service, 1, 0.0)])
        self.assertAlmostEqual(order.amount_untaxed, 950.0)
        self.assertFalse(order.need_validation)
        order.with_user(self.salesman).order_line[1].discount = 0.2  # 5.1 %
        self.assertTrue(order.need_validation)
        self.assertIn("total discount", "\n".join(order._pl_offer_breach_texts()))
        self.assertFalse(self.offer([(self.goods, 5, 0.0)]).need_validation)

    def test_amount_threshold(self):
        self.offer_rule("Powyżej 1000 zł", "amount", 1000.0)
        at_limit = self.offer([(self.goods, 10, 0.0)])
        self.assertAlmostEqual(at_limit.amount_untaxed, 1000.0)
        self.assertFalse(at_limit.need_validation)
        # Taxes do not count: 1000 net is 1230 gross.
        self.assertAlmostEqual(at_limit.amount_total, 1230.0)
        above = self.offer([(self.goods, 10, 0.0, 100.001)])
        self.assertAlmostEqual(above.amount_untaxed, 1000.01)
        self.assertTrue(above.need_validation)
        self.assertIn("untaxed total", "\n".join(above._pl_offer_breach_texts()))

    def test_no_rules_no_approval(self):
        order = self.offer([(self.goods, 1000, 99.0)])
        self.assertFalse(order.need_validation)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_foreign_currency_converted(self):
        self.offer_rule("Powyżej 1000 zł", "amount", 1000.0)
        # 1 EUR = 4 PLN
        eur = self.setup_other_currency("EUR", rates=[("2020-01-01", 0.25)])
        eur_prices = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id, "company_id": self.company.id}
        )
        at_limit = self.offer([(self.goods, 1, 0.0, 250.0)], pricelist_id=eur_prices.id)
        self.assertEqual(at_limit.currency_id, eur)
        self.assertFalse(at_limit.need_validation)
        above = self.offer([(self.goods, 1, 0.0, 250.01)], pricelist_id=eur_prices.id)
        self.assertTrue(above.need_validation)
        self.assertIn("1,000.04", "\n".join(above._pl_offer_breach_texts()))
        # 900 EUR would pass unconverted: 3600 PLN does not.
        self.assertTrue(
            self.offer(
                [(self.goods, 1, 0.0, 900.0)], pricelist_id=eur_prices.id
            ).need_validation
        )

    def test_rules_per_company(self):
        self.offer_rule("Powyżej 1000 zł", "amount", 1000.0)
        self.offer_rule("Rabat powyżej 30 %", "line_discount", 30.0, self.company2)
        lines = [(self.goods, 20, 20.0)]  # 1600 zł, 20 %
        first = self.offer(lines)
        second = self.offer(lines, company=self.company2)
        self.assertTrue(first.need_validation)
        self.assertFalse(second.need_validation)
        second.with_user(self.salesman).order_line.discount = 35.0
        self.assertTrue(second.need_validation)
        # Each company's managers decide on its offers.
        second.with_user(self.salesman).with_company(self.company2).request_validation()
        self.assertIn(self.manager2, second.review_ids.reviewer_ids)
        self.assertNotIn(self.manager, second.review_ids.reviewer_ids)
        second.with_user(self.manager2).with_company(self.company2).validate_tier()
        self.assertEqual(second.validation_status, "validated")

    # ------------------------------------------------------------------
    # What an offer waiting for approval may not do
    # ------------------------------------------------------------------
    def test_blocked_send_confirm_proforma_advance(self):
        self.offer_rule("Rabat powyżej 10 %", "line_discount", 10.0)
        order = self.offer([(self.goods, 1, 15.0)]).with_user(self.salesman)
        for action in (
            order.action_confirm,
            order.action_quotation_send,
            order.with_context(proforma=True).action_quotation_send,
            order.action_quotation_sent,
            order.action_pl_create_proforma,
            order.action_pl_advance_invoice,
        ):
            with self.assertRaises(ValidationError) as refused:
                action()
            self.assertIn("needs approval before you", str(refused.exception))
            self.assertIn("15.00", str(refused.exception))
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.pl_proforma_ids)
        self.assertFalse(order.review_ids)

    def test_within_rules_no_approval(self):
        self.offer_rule("Rabat powyżej 10 %", "line_discount", 10.0)
        order = self.offer([(self.goods, 3, 5.0)]).with_user(self.salesman)
        self.assertFalse(order.need_validation)
        action = order.action_quotation_send()
        self.assertEqual(action["res_model"], "mail.compose.message")
        order.action_quotation_sent()
        self.assertEqual(order.state, "sent")
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.review_ids)

    # ------------------------------------------------------------------
    # Request, approve, reject
    # ------------------------------------------------------------------
    def test_request_approve_send_confirm(self):
        self.offer_rule("Rabat powyżej 10 %", "line_discount", 10.0)
        order = self.offer([(self.goods, 1, 15.0)])
        order.with_user(self.salesman).request_validation()
        review = order.review_ids
        self.assertEqual(review.status, "pending")
        self.assertEqual(review.requested_by, self.salesman)
        self.assertIn(self.manager, review.reviewer_ids)
        self.assertNotIn(self.salesman, review.reviewer_ids)
        with self.assertRaises(ValidationError) as refused:
            order.with_user(self.salesman).action_confirm()
        self.assertIn("waiting for approval by", str(refused.exception))
        self.assertEqual(order.state, "draft")

        order.with_user(self.manager).validate_tier()
        self.assertEqual(order.validation_status, "validated")
        self.assertEqual(review.done_by, self.manager)
        # approved: it may be sent, then confirmed
        order.with_user(self.salesman).action_quotation_sent()
        self.assertEqual(order.state, "sent")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_reject_then_restart(self):
        self.offer_rule("Rabat powyżej 10 %", "line_discount", 10.0)
        order = self.offer([(self.goods, 1, 15.0)])
        order.with_user(self.salesman).request_validation()
        order.with_user(self.manager).reject_tier()
        self.assertEqual(order.validation_status, "rejected")
        with self.assertRaises(ValidationError) as refused:
            order.with_user(self.salesman).action_quotation_send()
        self.assertIn("was rejected", str(refused.exception))
        # the salesman restarts, lowers the discount: no approval needed
        order.with_user(self.salesman).restart_validation()
        order.with_user(self.salesman).order_line.discount = 10.0
        self.assertFalse(order.need_validation)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_changed_after_approval(self):
        self.offer_rule("Rabat powyżej 10 %", "line_discount", 10.0)
        order = self.offer([(self.goods, 1, 15.0)])
        order.with_user(self.salesman).request_validation()
        order.with_user(self.manager).validate_tier()
        # the order is locked under validation ...
        with self.assertRaises(ValidationError):
            order.with_user(self.salesman).write({"note": "Nowe warunki"})
        # ... its lines are not: a change is caught at confirmation
        order.order_line.with_user(self.salesman).write({"discount": 40.0})
        with self.assertRaises(ValidationError) as refused:
            order.with_user(self.salesman).action_confirm()
        self.assertIn("changed after it was approved", str(refused.exception))
        self.assertEqual(order.state, "draft")
        order.with_user(self.salesman).restart_validation()
        self.assertTrue(order.need_validation)

    def test_copy_needs_its_own_approval(self):
        self.offer_rule("Rabat powyżej 10 %", "line_discount", 10.0)
        order = self.offer([(self.goods, 1, 15.0)])
        order.with_user(self.salesman).request_validation()
        order.with_user(self.manager).validate_tier()
        copy = order.with_user(self.salesman).copy()
        self.assertFalse(copy.review_ids)
        self.assertTrue(copy.need_validation)
        with self.assertRaises(ValidationError):
            copy.action_confirm()
        self.assertEqual(copy.state, "draft")

    def test_not_my_turn(self):
        self.offer_rule("Rabat powyżej 10 %", "line_discount", 10.0)
        order = self.offer([(self.goods, 1, 15.0)])
        order.with_user(self.salesman).request_validation()
        with self.assertRaises(UserError):
            order.with_user(self.manager2).validate_tier()
        self.assertEqual(order.validation_status, "pending")
