from odoo.addons.crm_invoicing_pl_sale.tests.test_advance_invoice import AdvanceCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestAdvanceReceived(AdvanceCommon):
    def test_advance_of_money_received_is_never_dunned(self):
        """An advance invoice documenting a payment already received owes
        nothing: it is excluded from reminders with the reason; an advance
        asked for (a percentage of the order) is dunned as any invoice."""
        order = self.make_order()
        received = self.advance(order, 333.33)
        self.assertTrue(received.dunning_excluded)
        self.assertIn("11/10/2026", received.dunning_excluded_reason)
        asked = self.advance(order, 10.0, method="percentage")
        self.assertFalse(asked.dunning_excluded)
