from odoo import api, fields, models
from odoo.tools import float_round

# Line fields whose changes are logged on the contract (its history).
TRACKED_LINE_FIELDS = (
    "product_id",
    "name",
    "quantity",
    "automatic_price",
    "price_unit",
    "discount",
)


def _display(value):
    return value.display_name if isinstance(value, models.BaseModel) else value


class CrmRecurringContractLine(models.Model):
    _name = "crm.recurring.contract.line"
    _description = "Recurring Contract Line"
    _order = "contract_id, sequence, id"

    contract_id = fields.Many2one(
        "crm.recurring.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('sale_ok', '=', True)]",
    )
    name = fields.Text(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit", required=True)
    automatic_price = fields.Boolean(
        help="Take the unit price from the contract's price group on each "
        "invoicing date instead of the price typed here.",
    )
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    discount = fields.Float(string="Discount (%)", digits="Discount")
    price_subtotal = fields.Monetary(compute="_compute_price_subtotal")

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "The quantity of a contract line must be positive."
    )
    _discount_range = models.Constraint(
        "CHECK(discount >= 0 AND discount <= 100)",
        "The discount must be between 0 and 100.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        for line in lines.filtered(lambda ln: ln.contract_id.period_ids):
            line.contract_id.message_post(
                body=self.env._(
                    "Line added: %(product)s, %(quantity)s x %(price)s.",
                    product=line.product_id.display_name,
                    quantity=line.quantity,
                    price=line.price_unit,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return lines

    def write(self, vals):
        tracked = [name for name in TRACKED_LINE_FIELDS if name in vals]
        before = {line: {name: line[name] for name in tracked} for line in self}
        result = super().write(vals)
        for line, old_values in before.items():
            changes = [
                self.env._(
                    "%(field)s: %(old)s → %(new)s",
                    field=self._fields[name].get_description(self.env)["string"],
                    old=_display(old),
                    new=_display(line[name]),
                )
                for name, old in old_values.items()
                if old != line[name]
            ]
            if changes:
                line.contract_id.message_post(
                    body=self.env._(
                        "Line %(product)s changed, from the next period: %(changes)s.",
                        product=line.product_id.display_name,
                        changes="; ".join(changes),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return result

    def unlink(self):
        for line in self.filtered(lambda ln: ln.contract_id.period_ids):
            line.contract_id.message_post(
                body=self.env._("Line removed: %s.", line.product_id.display_name),
                subtype_xmlid="mail.mt_note",
            )
        return super().unlink()

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id:
                line.name = line.product_id.get_product_multiline_description_sale()

    @api.depends("product_id", "quantity", "contract_id.pricelist_id")
    def _compute_price_unit(self):
        for line in self:
            if line.product_id:
                line.price_unit = line._current_price(fields.Date.context_today(line))

    @api.depends("quantity", "price_unit", "discount")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.currency_id.round(
                line.quantity * line.price_unit * (1 - line.discount / 100.0)
            )

    def _current_price(self, date):
        """The price group's price on ``date`` (the list price without one)."""
        self.ensure_one()
        contract = self.contract_id
        if not contract.pricelist_id:
            return self.product_id.lst_price
        return contract.pricelist_id._get_product_price(
            self.product_id,
            self.quantity,
            currency=contract.currency_id,
            date=date,
        )

    def _prepare_invoice_line(self, period, label):
        """Invoice line of this contract line for ``period`` (prorated)."""
        self.ensure_one()
        price = (
            self._current_price(period.invoice_date)
            if self.automatic_price
            else (self.price_unit)
        )
        if period.is_prorated:
            price = float_round(
                price * float(period.ratio),
                precision_digits=self.currency_id.decimal_places,
            )
        return {
            "product_id": self.product_id.id,
            "name": self.env._(
                "%(description)s, period %(period)s",
                description=self.name,
                period=label,
            ),
            "quantity": self.quantity,
            "price_unit": price,
            "discount": self.discount,
        }
