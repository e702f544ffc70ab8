from odoo.tests import HttpCase, tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestAdvanceTour(PlInvoicingCommon, HttpCase):
    """Browser tour: opportunity -> quotation -> pro forma -> advance -> final.

    The data is the test's own (PlInvoicingCommon); the browser shares the
    test transaction, so the documents the tour made are checked here.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_user(
            groups=("sales_team.group_sale_salesman", "sales_team.group_sale_manager")
        )
        cls.goods.invoice_policy = "order"
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Dostawa kabla",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "user_id": cls.env.user.id,
            }
        )

    def test_advance_tour(self):
        self.start_tour(
            "/odoo/crm/%s" % self.lead.id,
            "crm_invoicing_pl_advance_tour",
            login=self.env.user.login,
        )
        order = self.lead.order_ids
        self.assertEqual(len(order), 1, "the tour makes one quotation")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id, self.customer)
        proforma = order.pl_proforma_ids
        self.assertEqual(len(proforma), 1)
        advance = order.pl_advance_ids
        self.assertEqual(len(advance), 1)
        self.assertEqual(advance.state, "posted")
        self.assertAlmostEqual(advance.amount_total, 61.50)
        self.assertEqual(str(advance.taxable_supply_date), "2026-11-10")
        final = order.pl_final_ids
        self.assertEqual(len(final), 1)
        self.assertEqual(final.state, "posted")
        self.assertTrue(final.name.startswith("FK/1/"))
        self.assertTrue(advance.name.startswith("FZ/1/"))
        self.assertAlmostEqual(final.amount_total, 123.0 - 61.50)
        self.assertEqual(
            (proforma | advance | final).pl_sale_order_id, order, "one chain"
        )
