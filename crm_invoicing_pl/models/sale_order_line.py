from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.depends("order_id.partner_id")
    def _compute_discount(self):
        """Add the customer discount to the pricelist's one.

        Still a stored compute with ``readonly=False``: a discount edited by
        hand is kept until the product, quantity, unit or customer changes.
        """
        discount_enabled = self.env[
            "product.pricelist.item"
        ]._is_discount_feature_enabled()
        res = super()._compute_discount()
        for line in self:
            if (
                not line.product_id
                or line.display_type
                or line.combo_item_id  # follows its combo line
                or line.is_downpayment
                or line._is_global_discount()
            ):
                continue
            # Without pricelist discounts, the standard compute leaves the old
            # value: start again from 0 so the customer discount is not stacked.
            pricelist_discount = (
                line.discount
                if line.order_id.pricelist_id and discount_enabled
                else 0.0
            )
            line.discount = line.order_id.partner_id._pl_combined_discount(
                pricelist_discount
            )
        return res
