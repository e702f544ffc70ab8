# The link to the offer belongs to the sale integration, kept apart from the
# document rules of account_move.py.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_sale_order_id = fields.Many2one(
        "sale.order",
        string="Offer",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="Offer (quotation or order) this document was made from: pro "
        "formas, advance, final and regular invoices, their corrections. A pro "
        "forma is not linked to the order lines, so it never counts as invoiced.",
    )
