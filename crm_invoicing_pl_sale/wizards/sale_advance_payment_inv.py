from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleAdvancePaymentInv(models.TransientModel):
    """Odoo's down payment wizard, issuing Polish advance invoices (art. 106f).

    For a company with Polish document types, a down payment (percentage,
    fixed gross amount, or the amount actually received with its date) is
    split per VAT rate by tools/advance.py; Odoo's down payment lines carry
    exactly that split (see account.tax._prepare_down_payment_lines in
    models/account_tax.py) and the invoice is a faktura zaliczkowa.
    """

    _inherit = "sale.advance.payment.inv"

    advance_payment_method = fields.Selection(
        selection_add=[("pl_received", "Advance (amount received)")],
        ondelete={"pl_received": "set default"},
    )
    pl_payment_date = fields.Date(
        string="Payment Received On",
        help="Date the advance was received: printed on the advance invoice "
        "and its tax point (the exchange rate is the NBP rate of the previous "
        "business day).",
    )
    pl_proforma_id = fields.Many2one(
        "account.move",
        string="Pro Forma",
        readonly=True,
        help="Pro forma the advance was asked for.",
    )
    pl_is_polish = fields.Boolean(compute="_compute_pl_is_polish")

    @api.depends("sale_order_ids")
    def _compute_pl_is_polish(self):
        for wizard in self:
            wizard.pl_is_polish = len(wizard.sale_order_ids) == 1 and bool(
                wizard.sale_order_ids._pl_uses_polish_documents()
            )

    def _check_amount_is_positive(self):
        res = super()._check_amount_is_positive()
        for wizard in self:
            if wizard.advance_payment_method == "pl_received":
                if wizard.fixed_amount <= 0.0:
                    raise UserError(
                        self.env._(
                            "The value of the down payment amount must be positive."
                        )
                    )
                if not wizard.pl_payment_date:
                    raise UserError(
                        self.env._("Enter the date the advance payment was received.")
                    )
        return res

    def _create_invoices(self, sale_orders):
        self.ensure_one()
        if self.advance_payment_method == "delivered":
            return super()._create_invoices(sale_orders)
        if not self.pl_is_polish:
            if self.advance_payment_method == "pl_received":
                self.advance_payment_method = "fixed"
            return super()._create_invoices(sale_orders)
        order = self.sale_order_ids
        if self.pl_proforma_id:
            order._pl_check_advance_currency(self.pl_proforma_id)
        if self.advance_payment_method == "percentage":
            split, _taxes = order._pl_advance_split("percent", self.amount)
        else:
            split, _taxes = order._pl_advance_split("fixed", self.fixed_amount)
        targets = tuple(
            (bucket.key, float(bucket.net), float(bucket.tax))
            for bucket in split
            if bucket.gross
        )
        # Nothing is left behind when a step fails: neither the down payment
        # lines of the order nor a half-made invoice.
        with self.env.cr.savepoint():
            invoice = super(
                SaleAdvancePaymentInv, self.with_context(pl_advance_split=targets)
            )._create_invoices(sale_orders)
        return invoice.with_env(self.env)

    def _prepare_down_payment_invoice_values(self, order, so_lines):
        values = super()._prepare_down_payment_invoice_values(order, so_lines)
        if self.env.context.get("pl_advance_split") is not None:
            values["pl_document_type_id"] = order._pl_document_type_of("advance").id
            values["pl_sale_order_id"] = order.id
            if self.pl_payment_date:
                values["taxable_supply_date"] = self.pl_payment_date
            if self.advance_payment_method == "pl_received":
                values["pl_advance_received_date"] = self.pl_payment_date
        return values

    def _prepare_down_payment_invoice_line_values(self, order, so_line, account):
        values = super()._prepare_down_payment_invoice_line_values(
            order, so_line, account
        )
        if self.env.context.get("pl_advance_split") is not None:
            values["name"] = self.with_context(lang=order._get_lang()).env._(
                "Advance payment for order %s", order.name
            )
        return values
