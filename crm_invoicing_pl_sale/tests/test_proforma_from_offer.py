from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestProformaFromOffer(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_salesman")
        (cls.goods + cls.service).invoice_policy = "order"

    def make_offer(self, partner=None):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create(
                        {"display_type": "line_section", "name": "Dostawa i wdrożenie"}
                    ),
                    Command.create(
                        {"product_id": self.goods.id, "product_uom_qty": 3.0}
                    ),
                    Command.create(
                        {"product_id": self.service.id, "product_uom_qty": 2.0}
                    ),
                    Command.create(
                        {"display_type": "line_note", "name": "Termin: 14 dni"}
                    ),
                ],
            }
        )

    def proformas_of(self, order):
        return self.env["account.move"].search(
            [
                ("pl_sale_order_id", "in", order.ids),
                ("pl_document_type_id.kind", "=", "proforma"),
            ]
        )

    def expected_number(self, counter):
        today = fields.Date.context_today(self.env.user)
        return "PF/%d/%02d/%04d" % (counter, today.month, today.year)

    def test_one_click_proforma(self):
        order = self.make_offer()
        action = order.action_pl_create_proforma()
        proforma = self.proformas_of(order)
        self.assertEqual(len(proforma), 1)
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(action["res_id"], proforma.id)
        self.assertEqual(proforma.state, "draft")
        self.assertEqual(proforma.pl_document_kind, "proforma")
        self.assertEqual(proforma.move_type, "out_invoice")
        self.assertEqual(proforma.name, self.expected_number(1))
        self.assertEqual(proforma.partner_id, self.customer)
        self.assertEqual(proforma.invoice_origin, order.name)
        self.assertEqual(order.pl_proforma_ids, proforma)
        self.assertEqual(order.pl_proforma_count, 1)
        self.assertIn(order.name, proforma.message_ids[:1].body)
        self.assertEqual(
            proforma.invoice_line_ids.mapped("display_type"),
            ["line_section", "product", "product", "line_note"],
        )
        products = proforma.invoice_line_ids.filtered(
            lambda aml: aml.display_type == "product"
        )
        self.assertEqual(products.product_id, self.goods + self.service)
        self.assertEqual(products.mapped("quantity"), [3.0, 2.0])
        self.assertEqual(products.mapped("price_unit"), [100.0, 500.0])
        self.assertFalse(products.sale_line_ids)
        self.assertEqual(products.tax_ids, self.tax_23)
        self.assertAlmostEqual(proforma.amount_untaxed, order.amount_untaxed)
        self.assertAlmostEqual(proforma.amount_tax, order.amount_tax)
        self.assertAlmostEqual(proforma.amount_total, order.amount_total)
        self.assertAlmostEqual(proforma.amount_total, 1300.0 * 1.23)

        # The pro forma is not invoicing: the order is invoiced as usual.
        self.assertEqual(order.order_line.mapped("qty_invoiced"), [0.0] * 4)
        self.assertFalse(order.invoice_ids)
        order.action_confirm()
        self.assertEqual(order.invoice_status, "to invoice")
        invoice = order._create_invoices()
        self.assertEqual(invoice.pl_document_kind, "vat")
        self.assertAlmostEqual(invoice.amount_total, order.amount_total)
        self.assertEqual(order.invoice_ids, invoice)
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(order.pl_proforma_ids, proforma)

        # A second click, a second number of the series.
        order.action_pl_create_proforma()
        second = self.proformas_of(order) - proforma
        self.assertEqual(second.name, self.expected_number(2))
        self.assertEqual(order.pl_proforma_count, 2)
        action = order.action_pl_view_proformas()
        self.assertCountEqual(action["domain"][0][2], (proforma + second).ids)

    def test_salesperson_without_billing_rights(self):
        salesperson = new_test_user(
            self.env,
            login="pf_salesperson",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertFalse(salesperson.has_group("account.group_account_invoice"))
        order = self.make_offer().with_user(salesperson)
        order.sudo().user_id = salesperson
        action = order.action_pl_create_proforma()
        proforma = self.proformas_of(order)
        self.assertEqual(action["res_id"], proforma.id)
        self.assertEqual(proforma.name, self.expected_number(1))
        self.assertEqual(order.pl_proforma_count, 1)

    def test_proforma_never_posted(self):
        order = self.make_offer()
        order.action_pl_create_proforma()
        proforma = self.proformas_of(order)
        with self.assertRaisesRegex(UserError, "never posted"):
            proforma.action_post()
        self.assertEqual(proforma.state, "draft")

    def test_buyer_without_nip(self):
        company_without_nip = self.customer.copy({"vat": False})
        order = self.make_offer(company_without_nip)
        with self.assertRaisesRegex(UserError, "(?s)pro forma cannot be issued.*NIP"):
            order.action_pl_create_proforma()
        self.assertFalse(self.proformas_of(order))
        self.assertEqual(order.pl_proforma_count, 0)
        # The refused attempt took no number.
        company_without_nip.vat = "PL1234567883"
        order.action_pl_create_proforma()
        self.assertEqual(self.proformas_of(order).name, self.expected_number(1))

    def test_messages_in_polish(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        company_without_nip = self.customer.copy({"vat": False})
        order = self.make_offer(company_without_nip).with_context(lang="pl_PL")
        with self.assertRaisesRegex(
            UserError, "(?s)Nie można wystawić faktury pro forma.*NIP lub numer VAT"
        ):
            order.action_pl_create_proforma()
        order.action_cancel()
        with self.assertRaisesRegex(UserError, "Do anulowanego zamówienia"):
            order.action_pl_create_proforma()
        self.assertFalse(self.proformas_of(order))

    def test_refusals(self):
        order = self.make_offer()
        order.action_cancel()
        with self.assertRaisesRegex(UserError, "cancelled"):
            order.action_pl_create_proforma()
        empty = self.env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "Add products"):
            empty.action_pl_create_proforma()
        self.assertFalse(self.proformas_of(order + empty))

    def test_proforma_printout(self):
        order = self.make_offer()
        order.action_pl_create_proforma()
        proforma = self.proformas_of(order)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", proforma.ids)[0]
            .decode()
        )
        self.assertIn("Faktura pro forma", html)
        self.assertIn(proforma.name, html)
