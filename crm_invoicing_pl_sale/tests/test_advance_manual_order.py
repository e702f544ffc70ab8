"""Advance and final invoices made without a sale order beside those of an
order (crm_invoicing_pl's tests/test_advance_manual.py).

An order named by hand on an advance or final invoice does not make it one
of the order: refused; a hand-made final invoice does not settle the
advance of an order; the same documents made from the order post with
their content (positive control).

The demo database holds a posted advance made from an order and the final
invoice of that order. (Their FA(3): crm_invoicing_pl_ksef_sale's
test_advance_manual_fa3.py.)
"""

from odoo.addons.crm_invoicing_pl.tests.test_advance_manual import (
    ManualAdvanceCommon,
)
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, freeze_time, tagged

from .test_advance_correction import AdvanceCorrectionCommon


@freeze_time("2026-11-20 09:00:00")
@tagged("post_install", "-at_install")
class TestManualAdvanceBesideOrders(
    ManualAdvanceCommon, AdvanceCorrectionCommon, HttpCase
):
    def test_advance_tied_to_an_order_by_hand_refused(self):
        """An order named on the invoice does not make its lines a down
        payment of that order: still no order to show."""
        order = self.make_order()
        advance = self.typed_advance()
        advance.pl_sale_order_id = order
        message = self.refused(advance)
        self.assertIn("not made from a sale order", message)
        self.assertIn("art. 106f ust. 1 pkt 4", message)
        self.assertFalse(order.pl_advance_ids.filtered(lambda m: m.state == "posted"))

    def test_final_tied_to_an_order_by_hand_refused(self):
        """The order has a posted advance, but the hand-made final invoice
        deducts it with a line of its own: no advance named, refused."""
        order = self.make_order()
        self.advance(order, 333.33)
        final = self.typed_final()
        final.pl_sale_order_id = order
        message = self.refused(final)
        self.assertIn("not made from a sale order", message)
        self.assertIn("art. 106f ust. 3", message)
        self.assertFalse(order.pl_final_ids.filtered(lambda m: m.state == "posted"))

    def test_manual_final_does_not_settle_an_advance_of_an_order(self):
        order = self.make_order()
        of_order = self.advance(order, 100.0)
        final = self.manual_final()
        final.pl_advance_invoice_ids = of_order
        with self.assertRaisesRegex(UserError, "cannot settle"):
            final.action_pl_deduct_advances()

    def test_advance_and_final_from_the_order_post_with_their_content(self):
        order = self.make_order(
            lines=[(self.goods, 3)], client_order_ref="Umowa 7/2026"
        )
        advance = self.advance(order, 123.0)
        self.assertTrue(advance._pl_made_from_order())
        final = self.final(order)
        self.assertTrue(final._pl_made_from_order())

    def final(self, order):
        final = self.final_invoice(order)
        final.action_post()
        return final


@tagged("post_install", "-at_install")
class TestDemoAdvanceAndFinal(TransactionCase):
    """The demo's advance and final invoices are made from an order."""

    def test_demo_has_an_advance_with_its_order_and_a_final_with_it(self):
        order = self.env.ref(
            "crm_invoicing_pl_sale.demo_order_advance", raise_if_not_found=False
        )
        if not order:
            self.skipTest("crm_invoicing_pl_sale is installed without demo data")
        order = order.with_company(order.company_id)
        advance = order.pl_advance_ids
        final = order.pl_final_ids
        self.assertEqual(len(advance), 1)
        self.assertEqual(len(final), 1)
        self.assertEqual(advance.state, "posted")
        self.assertEqual(final.state, "posted")
        self.assertTrue(advance.name.startswith("FZ/"))
        self.assertTrue(final.name.startswith("FK/"))
        self.assertTrue(advance._pl_made_from_order())
        self.assertTrue(final._pl_made_from_order())

    def test_demo_loaded_again_adds_nothing(self):
        """A database upgraded from the one-add-on layout loads the demo again
        on the order it took over: no second line, advance or final."""
        order = self.env.ref(
            "crm_invoicing_pl_sale.demo_order_advance", raise_if_not_found=False
        )
        if not order:
            self.skipTest("crm_invoicing_pl_sale is installed without demo data")
        order = order.with_company(order.company_id)
        lines, invoices = order.order_line, order.invoice_ids
        self.assertEqual(len(invoices), 2)
        order._pl_demo_advance_and_final()
        order.invalidate_recordset()
        self.assertEqual(order.order_line, lines)
        self.assertEqual(order.invoice_ids, invoices)
