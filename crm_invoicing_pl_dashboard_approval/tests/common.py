import json

from odoo import Command
from odoo.addons.crm_invoicing_pl_approval.tests.common import ApprovalCommon
from odoo.addons.crm_invoicing_pl_dashboard.tests.common import DashboardCommon

MODULE = "crm_invoicing_pl_dashboard_approval"


class ApprovalsDashboardCommon(ApprovalCommon, DashboardCommon):
    """The Approvals dashboard, read with the Receivables dashboard's helpers
    (tiles, the domain of a tile's list); the approval add-on's author and
    approvers (ApprovalCommon), approval rules for invoices of 1000 zł and
    more (approver) and for offers above 1000 zł untaxed (sales_manager)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([("model", "=", "sale.order")]).active = False
        cls.dashboard = cls.env.ref(f"{MODULE}.dashboard_approvals")
        cls.snapshot = json.loads(cls.dashboard.spreadsheet_data)
        # Offers are approved by a sales manager (a salesman sees only his own).
        cls.sales_manager = cls._pl_user(
            "pl_dash_sales_manager",
            "sales_team.group_sale_manager,account.group_account_invoice",
        )

    def setUp(self):
        super().setUp()
        self.rule("Od 1000 zł", pl_min_amount=1000.0)
        self.env["tier.definition"].create(
            {
                "name": "Oferta powyżej 1000 zł",
                "model_id": self.env.ref("sale.model_sale_order").id,
                "company_id": self.company.id,
                "review_type": "individual",
                "reviewer_id": self.sales_manager.id,
                "pl_offer_rule": "amount",
                "pl_offer_limit": 1000.0,
            }
        )

    def offer(self, amount, partner=None, **values):
        """A quotation of the author: one line of ``amount`` zł untaxed."""
        return (
            self.env["sale.order"]
            .with_user(self.author)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "company_id": self.company.id,
                    "user_id": self.author.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.goods.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                            }
                        )
                    ],
                    **values,
                }
            )
            .with_env(self.env)
        )

    def requested(self, document):
        """``document`` with its approval requested by its author."""
        document.with_user(self.author).request_validation()
        self.assertIn(document.validation_status, ("waiting", "pending"))
        return document
