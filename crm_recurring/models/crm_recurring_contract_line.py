from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare, float_round

from .crm_recurring_contract import MANAGER_GROUP

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

    @api.constrains("discount")
    def _check_discount_below_100(self):
        """A line is never given away for good by a contract: a discount of
        100 % (or more) is refused; remove the line, or pause the contract."""
        for line in self:
            if line.discount >= 100.0:
                raise ValidationError(
                    self.env._(
                        "%(contract)s: the discount of %(product)s must be below "
                        "100 %%. Remove the line instead of giving it away.",
                        contract=line.contract_id.display_name,
                        product=line.product_id.display_name,
                    )
                )

    def _check_discount_authority(self):
        """Discounts above the company's maximum are set by managers only.

        Invoicing users give contract lines discounts up to the company's
        *Maximum Contract Discount* (Settings, 50 % by default); a higher
        discount reduces every future invoice of the contract and is set
        only by an invoicing manager (Accounting / Administrator). The
        contract's chatter records which manager set it. Superuser work
        (the cron, data imports run as root) is not checked. A maximum
        lowered later does not touch discounts already set.
        """
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            for line in self:
                limit = line.company_id.crm_recurring_max_discount
                if float_compare(line.discount, limit, precision_digits=4) > 0:
                    line.contract_id.message_post(
                        body=self.env._(
                            "Discount of %(discount)s %% on %(product)s, above the "
                            "maximum of %(limit)s %%, set by %(user)s.",
                            discount=line.discount,
                            product=line.product_id.display_name,
                            limit=limit,
                            user=self.env.user.name,
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
            return
        for line in self:
            limit = line.company_id.crm_recurring_max_discount
            if float_compare(line.discount, limit, precision_digits=4) > 0:
                raise AccessError(
                    self.env._(
                        "%(contract)s: a discount of %(discount)s %% on "
                        "%(product)s is above the company's maximum of "
                        "%(limit)s %%. Only an invoicing manager (%(group)s) "
                        "may set it.",
                        contract=line.contract_id.display_name,
                        discount=line.discount,
                        product=line.product_id.display_name,
                        limit=limit,
                        group=self.env.ref(MANAGER_GROUP).sudo().full_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["crm.recurring.contract"]._check_invoicing_user()
        lines = super().create(vals_list)
        lines._check_discount_authority()
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
        self.env["crm.recurring.contract"]._check_invoicing_user()
        tracked = [name for name in TRACKED_LINE_FIELDS if name in vals]
        before = {line: {name: line[name] for name in tracked} for line in self}
        result = super().write(vals)
        if "discount" in vals:
            self.filtered(
                lambda ln: before[ln]["discount"] != ln.discount
            )._check_discount_authority()
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
        self.env["crm.recurring.contract"]._check_invoicing_user()
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
