from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round


class CrmRecurringBulkEdit(models.TransientModel):
    """Change many contracts at once: prices, invoicing day, payment term."""

    _name = "crm.recurring.bulk.edit"
    _description = "Recurring Contracts: Bulk Edit"

    contract_ids = fields.Many2many(
        "crm.recurring.contract",
        string="Contracts",
        default=lambda self: self.env.context.get("active_ids"),
        required=True,
    )
    price_change = fields.Float(
        string="Change Prices by (%)",
        digits=(16, 2),
        help="E.g. 5 raises the unit prices of the lines by 5 %, -10 lowers "
        "them by 10 %. Lines with an automatic price follow their price group.",
    )
    change_invoice_day = fields.Boolean(string="Change the Invoicing Day")
    invoice_day = fields.Integer(string="New Invoicing Day")
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="New Payment Term",
        help="Leave empty to keep each contract's payment term.",
    )

    @api.constrains("price_change")
    def _check_price_change(self):
        for wizard in self:
            if wizard.price_change <= -100.0:
                raise ValidationError(
                    self.env._("Prices cannot be lowered by 100 % or more.")
                )

    def action_apply(self):
        self.ensure_one()
        if not (self.price_change or self.change_invoice_day or self.payment_term_id):
            raise UserError(self.env._("Choose at least one change to apply."))
        if self.change_invoice_day and not 1 <= self.invoice_day <= 31:
            raise UserError(self.env._("The invoicing day must be between 1 and 31."))
        digits = self.env["decimal.precision"].precision_get("Product Price")
        for contract in self.contract_ids:
            changes = []
            if self.price_change:
                for line in contract.line_ids.filtered(
                    lambda ln: not ln.automatic_price
                ):
                    line.price_unit = float_round(
                        line.price_unit * (1 + self.price_change / 100.0),
                        precision_digits=digits,
                    )
                changes.append(self.env._("prices changed by %s %%", self.price_change))
            if self.change_invoice_day:
                contract.invoice_day = self.invoice_day
                changes.append(self.env._("invoicing day %s", self.invoice_day))
            if self.payment_term_id:
                contract.payment_term_id = self.payment_term_id
                changes.append(
                    self.env._("payment term %s", self.payment_term_id.display_name)
                )
            contract.message_post(
                body=self.env._(
                    "Bulk edit, from the next period: %s.", ", ".join(changes)
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {"type": "ir.actions.act_window_close"}
