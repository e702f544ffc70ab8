"""The customer card (crm_invoicing_pl's tests/test_customer_card.py) for a
salesman of Odoo's sale app."""

from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerCardSalesman(PlInvoicingCommon):
    def test_salesman_without_invoicing_rights(self):
        """The card's invoicing figures are for invoicing users only: a salesman
        still opens the customer kanban and form."""
        salesman = new_test_user(
            self.env,
            login="handlowiec.pl",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        Partner = self.env["res.partner"].with_user(salesman)
        result = Partner.get_views([(False, "kanban"), (False, "form")])
        for view in result["views"].values():
            self.assertNotIn("pl_open_amount", view["arch"])
            self.assertNotIn("pl_invoice_history_ids", view["arch"])
        specification = {
            name: {}
            for name in result["models"]["res.partner"]["fields"]
            if name != "properties"
        }
        self.assertTrue(
            Partner.browse(self.customer.id).web_read(specification)[0]["name"]
        )
