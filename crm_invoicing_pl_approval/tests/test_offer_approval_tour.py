from odoo.tests import HttpCase, tagged

from .common import OfferApprovalCommon


@tagged("post_install", "-at_install")
class TestOfferApprovalTour(OfferApprovalCommon, HttpCase):
    """Browser tours of an offer above an approval rule (a 15 % line
    discount, the rule allows 10 %): its salesperson asks for approval, a
    sales manager (another user: four-eyes) approves it, and then the
    salesperson can confirm it (see offer_approval_tour.js).

    The browser shares the test transaction: what the tours did is checked
    here.
    """

    request_tour = "crm_invoicing_pl_approval_offer_request_tour"
    approve_tour = "crm_invoicing_pl_approval_offer_approve_tour"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The browser logs in with the login as its password.
        for user in cls.salesman | cls.manager:
            user.password = user.login

    def test_offer_approval_tour(self):
        self.offer_rule("Rabat powyżej 10 %", "line_discount", 10.0)
        order = self.offer([(self.goods, 1, 15.0)])
        self.assertTrue(order.pl_offer_held)
        self.assertFalse(order.review_ids)

        self.start_tour(
            "/odoo/sales/%d" % order.id, self.request_tour, login=self.salesman.login
        )
        self.env.invalidate_all()
        self.assertEqual(order.review_ids.mapped("status"), ["pending"])
        self.assertEqual(order.review_ids.requested_by, self.salesman)
        self.assertTrue(order.pl_offer_held, "requested, not yet approved")

        self.start_tour(
            "/odoo/sales/%d" % order.id, self.approve_tour, login=self.manager.login
        )
        self.env.invalidate_all()
        self.assertEqual(order.validation_status, "validated")
        self.assertEqual(order.review_ids.mapped("status"), ["approved"])
        self.assertEqual(order.review_ids.done_by, self.manager)
        self.assertFalse(order.pl_offer_held)
        self.assertEqual(order.state, "draft", "approving does not confirm")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestOfferApprovalMobileTour(TestOfferApprovalTour):
    """The same on a phone-sized, touch screen: the request for approval is
    folded into the header's "More" dropdown; the approval buttons stay in
    the banner above the offer."""

    allow_inherited_tests_method = True  # Odoo collects own methods only
    browser_size = "375x667"
    touch_enabled = True
    request_tour = "crm_invoicing_pl_approval_offer_request_mobile_tour"
