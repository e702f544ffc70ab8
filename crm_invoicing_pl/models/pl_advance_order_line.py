"""The ordered goods of an advance invoice made without a sale order (art.
106f ust. 1 pkt 4): see "Advance and final invoices without a sale order" in
account_move.py."""

from odoo import api, fields, models


class PlAdvanceOrderLine(models.Model):
    _name = "pl.advance.order.line"
    _description = "Ordered Goods of an Advance Invoice"
    _order = "move_id, sequence, id"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="move_id.company_id", store=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        domain="[('sale_ok', '=', True)]",
    )
    name = fields.Char(
        string="Description",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit", required=True)
    price_unit = fields.Float(
        string="Unit Price (Net)",
        digits="Product Price",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
    )
    tax_ids = fields.Many2many(
        "account.tax",
        string="VAT",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('type_tax_use', '=', 'sale')]",
    )
    price_subtotal = fields.Monetary(
        string="Net", compute="_compute_amounts", store=True
    )
    price_tax = fields.Monetary(
        string="VAT Amount", compute="_compute_amounts", store=True
    )
    price_total = fields.Monetary(
        string="Gross", compute="_compute_amounts", store=True
    )

    @api.depends("product_id")
    def _compute_from_product(self):
        for line in self:
            product = line.product_id
            if not product:
                if not line.product_uom_id:
                    line.product_uom_id = self.env.ref("uom.product_uom_unit")
                continue
            move = line.move_id
            line.name = product.with_context(
                lang=move.partner_id.lang or self.env.lang
            ).display_name
            line.product_uom_id = product.uom_id
            line.price_unit = product.lst_price
            taxes = product.taxes_id._filter_taxes_by_company(move.company_id)
            line.tax_ids = move.fiscal_position_id.map_tax(taxes)

    def _pl_base_line(self):
        self.ensure_one()
        return self.env["account.tax"]._prepare_base_line_for_taxes_computation(
            self,
            currency_id=self.move_id.currency_id,
            product_id=self.product_id,
            product_uom_id=self.product_uom_id,
            tax_ids=self.tax_ids,
            price_unit=self.price_unit,
            quantity=self.quantity,
        )

    @api.depends("quantity", "price_unit", "tax_ids", "move_id.currency_id")
    def _compute_amounts(self):
        AccountTax = self.env["account.tax"]
        for line in self:
            base_line = line._pl_base_line()
            company = line.move_id.company_id or self.env.company
            AccountTax._add_tax_details_in_base_lines([base_line], company)
            AccountTax._round_base_lines_tax_details([base_line], company)
            details = base_line["tax_details"]
            net = (
                details["total_excluded_currency"]
                + details["delta_total_excluded_currency"]
            )
            tax = sum(data["tax_amount_currency"] for data in details["taxes_data"])
            line.price_subtotal = net
            line.price_tax = tax
            line.price_total = net + tax

    # An issued advance keeps its order (art. 106e: an issued invoice is
    # corrected, not changed).
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.move_id._pl_check_order_lines_editable()
        return lines

    def write(self, vals):
        self.move_id._pl_check_order_lines_editable()
        result = super().write(vals)
        self.move_id._pl_check_order_lines_editable()
        return result

    def unlink(self):
        self.move_id._pl_check_order_lines_editable()
        return super().unlink()
