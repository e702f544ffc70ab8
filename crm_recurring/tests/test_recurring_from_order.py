from datetime import date

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged
from odoo.tools.misc import format_date

from .common import RecurringCommon


@tagged("post_install", "-at_install")
class TestRecurringFromOrder(RecurringCommon):
    """A recurring contract made from an offer starts as a draft, after what
    the offer's own invoices billed (tools/order_coverage.py: an invoice
    dated D billed the contract's period holding D), and warns about those
    periods: the same service is never invoiced twice (art. 106b ust. 1: one
    invoice per supply)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_salesman")
        cls.service.invoice_policy = "order"

    def invoiced_order(self, day="2026-11-10"):
        """A confirmed offer of 1 x 500,00 (service), fully invoiced on ``day``."""
        order = self._offer(lines=[(self.service, 1)])
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_date = day
        invoice.action_post()
        self.assertEqual(order.invoice_status, "invoiced")
        return order, invoice

    def contract_of(self, order):
        action = order.action_crm_recurring_create()
        return self.Contract.browse(action["res_id"])

    @freeze_time("2026-11-20")
    def test_fully_invoiced_order_starts_as_draft_after_its_period(self):
        """Invoiced on 10.11.2026: the order billed November 2026 (a monthly
        calendar contract, the default); the contract starts on 01.12.2026,
        first invoiced (in advance) on 01.12.2026 for 01.12-31.12."""
        order, invoice = self.invoiced_order("2026-11-10")
        contract = self.contract_of(order)
        self.assertEqual(contract.state, "draft")
        self.assertEqual(contract.sale_order_id, order)
        self.assertEqual(contract.date_start, date(2026, 12, 1))
        self.assertEqual(contract.next_invoice_date, date(2026, 12, 1))
        self.assertEqual(contract.next_period_start, date(2026, 12, 1))
        self.assertEqual(contract.next_period_end, date(2026, 12, 31))
        warning = contract.sale_order_warning
        self.assertIn(order.name, warning)
        self.assertIn("11/2026", warning)
        self.assertIn(invoice.name, warning)
        self.assertIn(format_date(self.env, date(2026, 12, 1)), warning)
        self.assertNotIn("again", warning)
        self.assertFalse(contract.catch_up_count, "a draft has nothing due")

    @freeze_time("2026-11-20")
    def test_overlap_is_warned(self):
        """Moved back to 01.11.2026, the contract would bill November again:
        the warning says so and names the day to start on."""
        order, _invoice = self.invoiced_order("2026-11-10")
        contract = self.contract_of(order)
        contract.date_start = date(2026, 11, 1)
        warning = contract.sale_order_warning
        self.assertIn("11/2026", warning)
        self.assertIn("again", warning)
        self.assertIn(format_date(self.env, date(2026, 12, 1)), warning)

    @freeze_time("2026-11-20")
    def test_not_invoiced_order(self):
        order = self._offer(lines=[(self.service, 1)])
        order.action_confirm()
        contract = self.contract_of(order)
        self.assertEqual(contract.state, "draft")
        self.assertEqual(contract.date_start, date(2026, 11, 20))
        self.assertFalse(contract.sale_order_warning)

    def test_cron_does_not_invoice_a_draft(self):
        """A draft due for months is not invoiced by the cron nor by hand;
        started, it is."""
        with freeze_time("2026-11-20"):
            order, _invoice = self.invoiced_order("2026-11-10")
            contract = self.contract_of(order)
        with freeze_time("2026-12-05"):
            self.Contract._cron_generate_invoices()
            self.assertFalse(contract.period_ids)
            self.assertEqual(contract.state, "draft")
            with self.assertRaises(UserError):
                contract.action_generate_now()
            self.assertFalse(contract.period_ids)
            contract.action_start()
            self.assertEqual(contract.state, "running")
            self.Contract._cron_generate_invoices()
        self.assertEqual(len(contract.period_ids), 1)
        self.assertEqual(contract.period_ids.date_start, date(2026, 12, 1))
        self.assertEqual(contract.period_ids.date_end, date(2026, 12, 31))
        self.assertEqual(contract.period_ids.invoice_id.state, "posted")

    def test_start_needs_lines(self):
        contract = self.contract(state="draft")
        contract.line_ids.unlink()
        with self.assertRaises(UserError):
            contract.action_start()
        self.assertEqual(contract.state, "draft")
