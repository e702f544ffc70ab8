from odoo import Command
from odoo.addons.crm_invoicing_pl_sale.tests.common import PlInvoicingCommon


class RecurringCommon(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Contract = cls.env["crm.recurring.contract"]
        # The cron invoices the contracts of every company: the contracts
        # already in the database (the demo's) are paused, so that the runs
        # of the tests count only the tests' own contracts.
        cls.Contract.search([("state", "=", "running")]).write({"state": "paused"})

    def contract(self, partner=None, lines=None, **values):
        lines = lines or [(self.service, 1, 1000.0)]
        return self.Contract.create(
            {
                "partner_id": (partner or self.customer).id,
                "date_start": "2026-09-01",
                "line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": qty, "price_unit": price}
                    )
                    for product, qty, price in lines
                ],
                **values,
            }
        )

    def invoices(self, contract):
        return contract.period_ids.invoice_id.sorted("taxable_supply_date")
