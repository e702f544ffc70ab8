from odoo import Command
from odoo.tests import Form, tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestPriceGroups(PlInvoicingCommon):
    """Price groups: the customer's pricelist, its discounts on the lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_manager")
        (cls.goods + cls.service).invoice_policy = "order"
        Pricelist = cls.env["product.pricelist"]

        def tiers(*percent_by_quantity):
            return [
                Command.create(
                    {
                        "applied_on": "3_global",
                        "compute_price": "percentage",
                        "percent_price": percent,
                        "min_quantity": quantity,
                    }
                )
                for quantity, percent in percent_by_quantity
            ]

        values = {"currency_id": cls.pln.id, "company_id": cls.company.id}
        cls.detal = Pricelist.create({"name": "Detal", **values})
        cls.hurt = Pricelist.create(
            {"name": "Hurt", "item_ids": tiers((0, 10), (20, 15), (100, 20)), **values}
        )
        cls.vip = Pricelist.create(
            {"name": "VIP", "item_ids": tiers((0, 15), (20, 20), (100, 25)), **values}
        )
        cls._set_group(cls.customer, cls.hurt)
        cls._set_group(cls.consumer, cls.detal)

    def test_features_enabled_on_install(self):
        """Pricelists and their discount column are on after installation."""
        groups = self.env["res.groups"]
        self.assertTrue(groups._is_feature_enabled("product.group_product_pricelist"))
        self.assertTrue(groups._is_feature_enabled("sale.group_discount_per_so_line"))
        self.assertTrue(
            self.env["product.pricelist.item"]._is_discount_feature_enabled()
        )

    def test_tiers_apply_by_quantity(self):
        order = self._offer(lines=[(self.goods, 1), (self.goods, 20), (self.goods, 99)])
        order.order_line = [
            Command.create({"product_id": self.service.id, "product_uom_qty": 100})
        ]
        self.assertEqual(order.pricelist_id, self.hurt)
        expected = [
            (100.0, 10.0, 90.0),
            (100.0, 15.0, 1700.0),
            (100.0, 15.0, 8415.0),
            (500.0, 20.0, 40000.0),
        ]
        for line, (price, discount, subtotal) in zip(
            order.order_line, expected, strict=True
        ):
            # The list price stays; the group's discount is in its column.
            self.assertAlmostEqual(line.price_unit, price)
            self.assertAlmostEqual(line.discount, discount)
            self.assertAlmostEqual(line.price_subtotal, subtotal)
        # Reaching the next tier in the form moves the line to it.
        with Form(order) as order_form:
            with order_form.order_line.edit(0) as line_form:
                line_form.product_uom_qty = 100
                self.assertAlmostEqual(line_form.discount, 20.0)
                self.assertAlmostEqual(line_form.price_unit, 100.0)
        self.assertAlmostEqual(order.order_line[0].discount, 20.0)
        self.assertAlmostEqual(order.order_line[0].price_subtotal, 8000.0)
        # The retail group has no tiers: list prices.
        retail = self._offer(partner=self.consumer, lines=[(self.goods, 500)])
        self.assertEqual(retail.pricelist_id, self.detal)
        self.assertAlmostEqual(retail.order_line.discount, 0.0)
        self.assertAlmostEqual(retail.order_line.price_unit, 100.0)

    def test_group_discount_combined_with_customer_discount(self):
        self._set_group(self.customer, self.vip)
        self.customer.pl_discount = 10.0
        line = self._offer(lines=[(self.goods, 20)]).order_line
        # 1 - (1 - 20 %) * (1 - 10 %) = 28 %
        self.assertAlmostEqual(line.price_unit, 100.0)
        self.assertAlmostEqual(line.discount, 28.0)
        self.assertAlmostEqual(line.price_subtotal, 1440.0)

    def test_discount_on_invoice_from_offer(self):
        order = self._offer(lines=[(self.goods, 20), (self.service, 1)])
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertTrue(invoice.pl_document_type_id)
        lines = invoice.invoice_line_ids.sorted("sequence")
        self.assertEqual(
            [(line.price_unit, line.discount) for line in lines],
            [(100.0, 15.0), (500.0, 10.0)],
        )
        self.assertAlmostEqual(invoice.amount_untaxed, 1700.0 + 450.0)
        invoice.action_post()
        rows = [r for r in invoice._pl_report_lines() if r["type"] == "product"]
        self.assertEqual([row["discount"] for row in rows], [15.0, 10.0])
        self.assertEqual([row["price_unit"] for row in rows], [100.0, 500.0])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("Rabat %", html)

    def test_group_change_affects_new_offers_only(self):
        order = self._offer(lines=[(self.goods, 20)])
        confirmed = self._offer(lines=[(self.goods, 20)])
        confirmed.action_confirm()
        invoice = confirmed._create_invoices()
        invoice.action_post()

        self._set_group(self.customer, self.vip)
        self.env.flush_all()
        self.env.invalidate_all()
        for record in (order, confirmed):
            self.assertEqual(record.pricelist_id, self.hurt)
            self.assertAlmostEqual(record.order_line.discount, 15.0)
            self.assertAlmostEqual(record.amount_untaxed, 1700.0)
        self.assertAlmostEqual(invoice.invoice_line_ids.discount, 15.0)
        self.assertAlmostEqual(invoice.amount_untaxed, 1700.0)
        # Editing the existing offer keeps its group.
        order.order_line = [Command.create({"product_id": self.goods.id})]
        self.assertEqual(order.pricelist_id, self.hurt)
        self.assertAlmostEqual(order.order_line[1].discount, 10.0)
        self.assertAlmostEqual(order.order_line[0].discount, 15.0)
        # A new offer gets the new group.
        new_order = self._offer(lines=[(self.goods, 20)])
        self.assertEqual(new_order.pricelist_id, self.vip)
        self.assertAlmostEqual(new_order.order_line.discount, 20.0)

    def test_price_group_labels(self):
        partner_list = self.env["res.partner"].get_view(
            self.env.ref("base.view_partner_tree").id, "list"
        )["arch"]
        self.assertIn('name="property_product_pricelist"', partner_list)
        self.assertIn("Price Group", partner_list)
        partner_form = self.env["res.partner"].get_view(
            self.env.ref("base.view_partner_form").id, "form"
        )["arch"]
        self.assertIn("Price Group", partner_form)
        order_form = self.env["sale.order"].get_view(
            self.env.ref("sale.view_order_form").id, "form"
        )["arch"]
        self.assertIn("Price Group", order_form)
        with Form(self.env["sale.order"]) as order_form:
            order_form.partner_id = self.customer
            self.assertEqual(order_form.pricelist_id, self.hurt)
            order_form.partner_id = self.consumer
            self.assertEqual(order_form.pricelist_id, self.detal)
