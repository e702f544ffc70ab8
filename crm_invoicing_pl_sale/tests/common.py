"""The common of crm_invoicing_pl's tests, with offers (sale orders)."""

from odoo import Command
from odoo.addons.crm_invoicing_pl.tests import common


class PlInvoicingCommon(common.PlInvoicingCommon):
    @classmethod
    def _set_group(cls, partner, pricelist):
        """Give ``partner`` the price group (pricelist) ``pricelist``."""
        partner.with_company(cls.company).property_product_pricelist = pricelist

    def _offer(self, partner=None, lines=None):
        """A quotation of the company; lines are (product, quantity)."""
        lines = lines or [(self.goods, 1)]
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
