from lxml import etree
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestCustomerDiscount(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Pricelists and pricelist discounts shown on the lines, as in the
        # settings (features are read on the superuser, who is internal).
        cls.env.ref("base.group_user").sudo().implied_ids += cls.env.ref(
            "product.group_product_pricelist"
        ) + cls.env.ref("sale.group_discount_per_so_line")
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_manager")
        Pricelist = cls.env["product.pricelist"]
        cls.detal = Pricelist.create(
            {"name": "Detal", "currency_id": cls.pln.id, "company_id": cls.company.id}
        )
        cls.hurt = Pricelist.create(
            {
                "name": "Hurt",
                "currency_id": cls.pln.id,
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.goods.id,
                            "compute_price": "percentage",
                            "percent_price": 20.0,
                        }
                    ),
                    # Quantity tiers on the service.
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.service.id,
                            "compute_price": "fixed",
                            "fixed_price": 450.0,
                            "min_quantity": 10,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.service.id,
                            "compute_price": "fixed",
                            "fixed_price": 400.0,
                            "min_quantity": 100,
                        }
                    ),
                ],
            }
        )
        cls._set_group(cls.customer, cls.detal)
        cls._set_group(cls.consumer, cls.detal)

    # ------------------------------------------------------------------
    # Customer discount
    # ------------------------------------------------------------------
    def test_discount_on_new_offer_line(self):
        self.customer.pl_discount = 10.0
        order = self._offer()
        self.assertEqual(order.pricelist_id, self.detal)
        self.assertAlmostEqual(order.order_line.price_unit, 100.0)
        self.assertAlmostEqual(order.order_line.discount, 10.0)
        self.assertAlmostEqual(order.order_line.price_subtotal, 90.0)
        order.order_line = [Command.create({"product_id": self.service.id})]
        self.assertAlmostEqual(order.order_line[-1].discount, 10.0)

    def test_discount_on_new_invoice_line(self):
        self.customer.pl_discount = 10.0
        invoice = self.pl_invoice(lines=[(self.goods, 2, 100.0)])
        self.assertAlmostEqual(invoice.invoice_line_ids.discount, 10.0)
        self.assertAlmostEqual(invoice.amount_untaxed, 180.0)
        self.assertAlmostEqual(invoice.amount_total, 221.4)
        # Entered by hand in the form, on a contact of the customer.
        contact = self.env["res.partner"].create(
            {"name": "Anna Nowak", "parent_id": self.customer.id}
        )
        self.assertAlmostEqual(contact.pl_discount, 10.0)
        with Form(
            self.env["account.move"].with_context(default_move_type="out_invoice")
        ) as move_form:
            move_form.partner_id = contact
            with move_form.invoice_line_ids.new() as line_form:
                line_form.product_id = self.service
                self.assertAlmostEqual(line_form.discount, 10.0)
        invoice = move_form.save()
        self.assertTrue(invoice.pl_document_type_id)
        self.assertAlmostEqual(invoice.invoice_line_ids.discount, 10.0)
        self.assertAlmostEqual(invoice.amount_untaxed, 450.0)
        # A credit note made by hand gets it too.
        refund = self.pl_invoice(kind="correction")
        self.assertEqual(refund.move_type, "out_refund")
        self.assertAlmostEqual(refund.invoice_line_ids.discount, 10.0)

    def test_discount_column_shown_on_the_invoice_form(self):
        """The line discount the customer gets is a visible column of the
        invoice form (Odoo hides it by default)."""
        arch = self.env["account.move"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        root = etree.fromstring(arch)
        discount = root.xpath(
            "//field[@name='invoice_line_ids']/list/field[@name='discount']"
        )
        self.assertEqual(discount[0].get("optional"), "show")

    def test_no_discount_on_vendor_bills(self):
        self.customer.pl_discount = 10.0
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-11-15",
                "invoice_line_ids": [
                    Command.create({"product_id": self.goods.id, "price_unit": 50.0})
                ],
            }
        )
        self.assertFalse(bill.invoice_line_ids.discount)

    def test_invoice_from_offer_keeps_offer_discount(self):
        self.customer.pl_discount = 10.0
        self._set_group(self.customer, self.hurt)
        order = self._offer()
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertAlmostEqual(invoice.invoice_line_ids.discount, 28.0)
        self.assertAlmostEqual(invoice.amount_untaxed, 72.0)

    def test_combined_with_pricelist_discount(self):
        self._set_group(self.customer, self.hurt)
        order = self._offer()
        self.assertEqual(order.pricelist_id, self.hurt)
        line = order.order_line
        self.assertAlmostEqual(line.price_unit, 100.0)
        self.assertAlmostEqual(line.discount, 20.0)
        self.customer.pl_discount = 10.0
        line = self._offer().order_line
        # 1 - (1 - 20 %) * (1 - 10 %) = 28 %
        self.assertAlmostEqual(line.price_unit, 100.0)
        self.assertAlmostEqual(line.discount, 28.0)
        self.assertAlmostEqual(line.price_subtotal, 72.0)
        self.assertAlmostEqual(line.price_total, 88.56)

    def test_quantity_tiers(self):
        self._set_group(self.customer, self.hurt)
        order = self._offer(lines=[(self.service, 1), (self.service, 10)])
        order.order_line = [Command.create({"product_id": self.service.id})]
        small, tier10, tier100 = order.order_line
        tier100.product_uom_qty = 100
        self.assertAlmostEqual(small.price_unit, 500.0)
        self.assertAlmostEqual(tier10.price_unit, 450.0)
        self.assertAlmostEqual(tier100.price_unit, 400.0)
        self.assertAlmostEqual(tier100.price_subtotal, 40000.0)
        # With a customer discount on top (a fixed price is no pricelist discount).
        self.customer.pl_discount = 5.0
        line = self._offer(lines=[(self.service, 100)]).order_line
        self.assertAlmostEqual(line.price_unit, 400.0)
        self.assertAlmostEqual(line.discount, 5.0)
        self.assertAlmostEqual(line.price_subtotal, 38000.0)
        # Detal has no tiers.
        line = self._offer(partner=self.consumer, lines=[(self.service, 100)])
        self.assertAlmostEqual(line.order_line.price_unit, 500.0)

    # ------------------------------------------------------------------
    # Manual edits
    # ------------------------------------------------------------------
    def test_manual_discount_survives_save(self):
        self.customer.pl_discount = 10.0
        order = self._offer()
        with Form(order) as order_form:
            with order_form.order_line.edit(0) as line_form:
                line_form.discount = 15.0
                line_form.price_unit = 120.0
        self.assertAlmostEqual(order.order_line.discount, 15.0)
        self.assertAlmostEqual(order.order_line.price_unit, 120.0)
        with Form(order) as order_form:
            order_form.note = "Oferta ważna 14 dni"
        order.order_line.name = "Kabel miedziany 3x2,5"
        self.assertAlmostEqual(order.order_line.discount, 15.0)
        order.action_confirm()
        self.assertAlmostEqual(order.order_line.discount, 15.0)
        # A change of product recomputes it.
        order2 = self._offer()
        order2.order_line.discount = 12.0
        order2.order_line.product_id = self.service
        self.assertAlmostEqual(order2.order_line.discount, 10.0)

        invoice = self.pl_invoice()
        with Form(invoice) as move_form:
            with move_form.invoice_line_ids.edit(0) as line_form:
                line_form.discount = 3.0
        self.assertAlmostEqual(invoice.invoice_line_ids.discount, 3.0)
        with Form(invoice) as move_form:
            move_form.ref = "PO 77"
            with move_form.invoice_line_ids.edit(0) as line_form:
                line_form.quantity = 4
        self.assertAlmostEqual(invoice.invoice_line_ids.discount, 3.0)
        self.assertAlmostEqual(invoice.amount_untaxed, 388.0)
        invoice.action_post()
        self.assertAlmostEqual(invoice.invoice_line_ids.discount, 3.0)

    # ------------------------------------------------------------------
    # Changing the customer's group or discount
    # ------------------------------------------------------------------
    def test_change_affects_new_documents_only(self):
        self.customer.pl_discount = 10.0
        order = self._offer()
        invoice = self.pl_invoice()
        posted = self.pl_invoice()
        posted.action_post()

        self.customer.pl_discount = 5.0
        self._set_group(self.customer, self.hurt)
        self.env.flush_all()
        for line in (order.order_line, invoice.invoice_line_ids):
            self.assertAlmostEqual(line.discount, 10.0)
            self.assertAlmostEqual(line.price_unit, 100.0)
        self.assertAlmostEqual(posted.invoice_line_ids.discount, 10.0)
        self.assertEqual(order.pricelist_id, self.detal)
        # Editing the existing documents keeps their lines.
        order.order_line = [Command.create({"product_id": self.service.id})]
        invoice.ref = "zmiana"
        order.action_confirm()
        invoice.action_post()
        self.assertAlmostEqual(order.order_line[0].discount, 10.0)
        self.assertAlmostEqual(invoice.invoice_line_ids.discount, 10.0)
        self.assertAlmostEqual(invoice.amount_untaxed, 90.0)
        # New documents get the new group and discount.
        new_order = self._offer()
        self.assertEqual(new_order.pricelist_id, self.hurt)
        # 1 - 0.8 * 0.95 = 24 %
        self.assertAlmostEqual(new_order.order_line.discount, 24.0)
        self.assertAlmostEqual(self.pl_invoice().invoice_line_ids.discount, 5.0)

    # ------------------------------------------------------------------
    # Validation and printout
    # ------------------------------------------------------------------
    def test_invalid_discount_refused(self):
        for value in (120.0, -5.0):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self.customer.pl_discount = value
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["res.partner"].create({"name": "Zły rabat", "pl_discount": 100.5})
        self.customer.pl_discount = 100.0
        self.customer.pl_discount = 0.0

    def test_printed_discount_equals_line_discount(self):
        self.customer.pl_discount = 12.5
        invoice = self.pl_invoice(
            lines=[(self.goods, 3, 100.0), (self.service, 1, 500.0)]
        )
        invoice.invoice_line_ids[1].discount = 7.0
        rows = [r for r in invoice._pl_report_lines() if r["type"] == "product"]
        self.assertEqual(len(rows), 2)
        for row, line in zip(
            rows, invoice.invoice_line_ids.sorted("sequence"), strict=True
        ):
            self.assertAlmostEqual(row["discount"], line.discount)
            self.assertAlmostEqual(row["net"], line.price_subtotal)
        self.assertAlmostEqual(rows[0]["discount"], 12.5)
        self.assertAlmostEqual(rows[0]["net"], 262.5)
        self.assertAlmostEqual(rows[1]["discount"], 7.0)
