from datetime import date

from odoo.tests import HttpCase, freeze_time, tagged

from .common import RecurringCommon


@tagged("post_install", "-at_install")
class TestRecurringFromOrderTour(RecurringCommon, HttpCase):
    """Browser tour: from a confirmed order, invoiced on 10.11.2026, the user
    makes its recurring contract ("Recurring Contract"), sees it as a draft
    with its first invoice date (01.12.2026: the order billed November) and
    the warning about the period the order invoiced, and starts it
    (see recurring_from_order_tour.js).

    The browser shares the test transaction: the contract the tour made is
    checked here.
    """

    tour = "crm_recurring_from_order_tour"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_user(groups=("sales_team.group_sale_salesman",))
        cls.service.invoice_policy = "order"

    @freeze_time("2026-11-20 10:00:00", tick=True)
    def test_recurring_from_order_tour(self):
        order = self._offer(lines=[(self.service, 1)])
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_date = date(2026, 11, 10)
        invoice.action_post()
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertFalse(order.crm_recurring_contract_count)

        self.start_tour(
            "/odoo/sales/%d" % order.id, self.tour, login=self.env.user.login
        )
        self.env.invalidate_all()
        contract = self.Contract.search([("sale_order_id", "=", order.id)])
        self.assertEqual(len(contract), 1, "the tour makes one contract")
        self.assertEqual(contract.state, "running")
        self.assertEqual(contract.next_invoice_date, date(2026, 12, 1))
        self.assertIn(invoice.name, contract.sale_order_warning)
        # Started, it invoices nothing before its first invoice date...
        self.Contract._cron_generate_invoices()
        self.assertFalse(contract.period_ids)
        self.assertFalse(contract.invoice_count)
        # ... and December from then on, not November again.
        with freeze_time("2026-12-01 10:00:00"):
            self.Contract._cron_generate_invoices()
        self.assertEqual(contract.period_ids.date_start, date(2026, 12, 1))
        self.assertEqual(contract.period_ids.date_end, date(2026, 12, 31))


@tagged("post_install", "-at_install")
class TestRecurringFromOrderMobileTour(TestRecurringFromOrderTour):
    """The same on a phone-sized, touch screen: the order's "Recurring
    Contract" is folded into the header's "More" dropdown."""

    allow_inherited_tests_method = True  # Odoo collects own methods only
    browser_size = "375x667"
    touch_enabled = True
    tour = "crm_recurring_from_order_mobile_tour"
