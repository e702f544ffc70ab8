from odoo import fields, models


class SaleOrderPlRefuse(models.TransientModel):
    _name = "sale.order.pl.refuse"
    _description = "Refuse Offers"

    order_ids = fields.Many2many("sale.order", string="Offers", required=True)
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.order_ids._pl_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
