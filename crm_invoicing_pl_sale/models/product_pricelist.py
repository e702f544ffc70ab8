from odoo import Command, api, models


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    @api.model
    def _pl_enable_price_groups(self):
        """Turn on pricelists (price groups) and their discounts on offer lines.

        As the Sales settings do: the features are groups implied by internal
        users, and companies get their default pricelist. Run once, when the
        add-on is installed (the settings may turn them off afterwards).
        """
        features = self.env.ref("product.group_product_pricelist") | self.env.ref(
            "sale.group_discount_per_so_line"
        )
        self.env.ref("base.group_user").sudo().write(
            {"implied_ids": [Command.link(group.id) for group in features]}
        )
        self.env["res.company"].sudo()._activate_or_create_pricelists()
