"""The ordered lines of an advance of a sales order in FA(3) (Zamowienie):
each at the order's price after its discount, without tax (P_9AZ)."""

from odoo.addons.crm_invoicing_pl_ksef.tests.fa3_xml import Fa3XmlMixin
from odoo.addons.crm_invoicing_pl_sale.tests.test_advance_invoice import AdvanceCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestKsefOrderPrice(Fa3XmlMixin, AdvanceCommon):
    def test_discounted_order_line_at_its_net_price(self):
        order = self.make_order(lines=[(self.goods, 3)], confirm=False)
        order.order_line.write({"price_unit": 100.0, "discount": 10.0})
        order.action_confirm()
        advance = self.advance(order, 123.0)
        self.assertEqual(advance.pl_order_snapshot["lines"][0]["ksef"]["price"], 90.0)
        root = self.xml(advance)
        self.assertEqual(
            self.rows(
                root,
                "Zamowienie/fa:ZamowienieWiersz",
                ("P_8BZ", "P_9AZ", "P_11NettoZ", "P_11VatZ"),
            ),
            [("3", "90.00", "270.00", "62.10")],
        )
