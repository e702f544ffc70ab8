from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # The lines of an advance invoice and the deductions of a final invoice
    # made without a sale order (models/account_move.py). The same
    # field as Odoo's sale and purchase (one column): there, the lines of
    # down payments.
    is_downpayment = fields.Boolean()

    # Same pattern as sale.order.line: computed once from the customer,
    # then freely editable; copied as is to duplicates and credit notes.
    # No default: create() would take it instead of the computed value.
    discount = fields.Float(
        default=None,
        compute="_compute_discount",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
    )

    @api.depends("product_id", "move_id.partner_id")
    def _compute_discount(self):
        """Customer discount on the product lines of Polish customer invoices.

        Invoices do not apply pricelists in Odoo 19 (the unit price comes from
        the product), so only the customer discount is set here. Lines of other
        moves keep their value.
        """
        for line in self:
            move = line.move_id
            if (
                line.display_type != "product"
                or not line.product_id
                or line.is_imported
                or not move.is_sale_document(include_receipts=False)
                or not move.pl_document_type_id
            ):
                continue
            line.discount = move.partner_id._pl_combined_discount(0.0)
