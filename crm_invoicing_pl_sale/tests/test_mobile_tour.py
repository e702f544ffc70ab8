from odoo.tests import HttpCase, tagged

from .test_advance_invoice import AdvanceCommon


@tagged("post_install", "-at_install")
class TestMobileTour(AdvanceCommon, HttpCase):
    """Browser tour on a phone-sized, touch screen: the invoice cards, the
    document chain of an order and the customer card (see mobile_tour.js).

    The data is the test's own: an order of 123,00 with a paid advance of
    61,50 and an unpaid final invoice of 61,50.
    """

    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_user(groups=("sales_team.group_sale_manager",))

    def test_mobile_tour(self):
        order = self.make_order(lines=[(self.goods, 1)])
        advance = self.advance(order, 61.5)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=advance.ids
        ).create({})._create_payments()
        final = self.env["account.move"].browse(
            order.action_pl_final_invoice()["res_id"]
        )
        final.action_post()
        self.assertEqual(final.pl_document_kind, "final")
        self.assertEqual(self.customer.pl_open_amount, 61.5)
        self.assertEqual(self.customer.pl_payment_status, "open")
        self.assertFalse(self.customer.phone)

        self.start_tour(
            "/odoo/action-account.action_move_out_invoice",
            "crm_invoicing_pl_mobile_tour",
            login=self.env.user.login,
        )

        # The tour ran to its end: it saved the customer's phone number.
        self.assertEqual(self.customer.phone, "+48 600 100 200")
