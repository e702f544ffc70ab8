from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _pl_ksef_order_price(self, line):
        # EXTENDS crm_invoicing_pl_ksef: a line of the sales order an advance
        # is for, at its price after the discount, without tax (P_9AZ).
        if self.pl_sale_order_id:
            return line.price_reduce_taxexcl
        return super()._pl_ksef_order_price(line)
