"""KSeF of the documents of an offer: the unit price of an ordered line in
the FA(3) ``Zamowienie`` of an advance made from a sale order is the order
line's net price after its discount (crm_invoicing_pl's
account_move_ksef_kinds.py takes the price entered on an advance made
without one)."""

# The KSeF part, apart from account_move.py: it goes with the KSeF add-on.
# pylint: disable=consider-merging-classes-inherited
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _pl_order_block_values(self):
        block = super()._pl_order_block_values()
        if self.pl_sale_order_id:
            for values, line in zip(
                block["lines"], self._pl_order_block_lines(), strict=True
            ):
                values["ksef"]["price"] = line.price_reduce_taxexcl
        return block
