from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.pl_calendar import last_overdue_due_date

PAYMENT_STATUSES = [
    ("none", "Nothing Due"),
    ("open", "Open"),
    ("overdue", "Overdue"),
]
HISTORY_SIZE = 20
CARD_GROUPS = "account.group_account_invoice,account.group_account_readonly"


class ResPartner(models.Model):
    _inherit = "res.partner"

    pl_discount = fields.Float(
        string="Customer Discount (%)",
        digits="Discount",
        help="Percentage discount granted to this customer, applied automatically "
        "to new quotation and invoice lines (combined with the pricelist "
        "discount). Changing it does not affect existing documents.",
    )
    # The customer card: what the customer owes, whether it is late, and its
    # latest documents, readable at a glance (also on a phone).
    pl_card_currency_id = fields.Many2one(
        "res.currency", compute="_compute_pl_card_amounts", groups=CARD_GROUPS
    )
    pl_open_amount = fields.Monetary(
        string="Open Amount",
        currency_field="pl_card_currency_id",
        compute="_compute_pl_card_amounts",
        groups=CARD_GROUPS,
        help="What the customer owes the current company: its unpaid invoices "
        "less its unapplied payments and credit notes.",
    )
    pl_overdue_amount = fields.Monetary(
        string="Overdue Amount",
        currency_field="pl_card_currency_id",
        compute="_compute_pl_card_amounts",
        groups=CARD_GROUPS,
        help="Unpaid part of the customer's invoices past their due date "
        "(a due date on a Saturday, Sunday or public holiday moves to the "
        "next working day).",
    )
    pl_payment_status = fields.Selection(
        PAYMENT_STATUSES,
        string="Payment Status",
        compute="_compute_pl_card_amounts",
        groups=CARD_GROUPS,
    )
    pl_invoice_history_ids = fields.Many2many(
        "account.move",
        string="Latest Documents",
        compute="_compute_pl_invoice_history_ids",
        groups=CARD_GROUPS,
        help="The latest customer documents (invoices, pro formas, corrections) "
        "of the customer and its contacts.",
    )

    @api.model
    def _commercial_fields(self):
        # Managed on the commercial entity, copied to its contacts.
        return [*super()._commercial_fields(), "pl_discount"]

    @api.constrains("pl_discount")
    def _check_pl_discount(self):
        for partner in self:
            if not 0.0 <= partner.pl_discount <= 100.0:
                raise ValidationError(
                    self.env._("The customer discount must be between 0 and 100.")
                )

    def _pl_combined_discount(self, discount):
        """``discount`` (%) combined with the customer discount, multiplicatively.

        ``1 - (1 - discount) * (1 - customer discount)``, in percent.
        """
        customer = self.commercial_partner_id.pl_discount if self else 0.0
        if not customer:
            return discount
        return 100.0 - (100.0 - discount) * (100.0 - customer) / 100.0

    # ------------------------------------------------------------------
    # The customer card
    # ------------------------------------------------------------------
    def _compute_pl_card_amounts(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        commercial = self.commercial_partner_id._origin
        base = [
            ("company_id", "=", company.id),
            ("partner_id", "in", commercial.ids),
            ("account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
        ]
        AccountMoveLine = self.env["account.move.line"]
        open_by_partner = dict(
            AccountMoveLine._read_group(base, ["partner_id"], ["amount_residual:sum"])
        )
        overdue_by_partner = dict(
            AccountMoveLine._read_group(
                [
                    *base,
                    ("move_id.move_type", "=", "out_invoice"),
                    # Late from the day after the due date moved past a
                    # weekend or holiday (art. 115 KC), as for dunning.
                    ("date_maturity", "<=", last_overdue_due_date(today)),
                    ("amount_residual", ">", 0),
                ],
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        currency = company.currency_id
        for partner in self:
            key = partner.commercial_partner_id._origin
            opened = open_by_partner.get(key, 0.0)
            overdue = overdue_by_partner.get(key, 0.0)
            partner.pl_card_currency_id = currency
            partner.pl_open_amount = opened
            partner.pl_overdue_amount = overdue
            if currency.compare_amounts(overdue, 0) > 0:
                partner.pl_payment_status = "overdue"
            elif not currency.is_zero(opened):
                partner.pl_payment_status = "open"
            else:
                partner.pl_payment_status = "none"

    def _compute_pl_invoice_history_ids(self):
        Move = self.env["account.move"]
        for partner in self:
            commercial = partner.commercial_partner_id._origin
            if not commercial:
                partner.pl_invoice_history_ids = Move
                continue
            partner.pl_invoice_history_ids = Move.search(
                [
                    ("commercial_partner_id", "=", commercial.id),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "!=", "cancel"),
                ],
                order="invoice_date desc, id desc",
                limit=HISTORY_SIZE,
            )
