from odoo import fields, models


class CrmRecurringPeriod(models.Model):
    """One invoiced period of a contract: the exactly-once key."""

    _name = "crm.recurring.period"
    _description = "Invoiced Recurring Period"
    _order = "contract_id, date_start"

    contract_id = fields.Many2one(
        "crm.recurring.contract", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    partner_id = fields.Many2one(related="contract_id.partner_id")
    date_start = fields.Date(string="From", required=True)
    date_end = fields.Date(string="To", required=True)
    invoice_id = fields.Many2one("account.move", ondelete="set null", index=True)
    invoice_state = fields.Selection(related="invoice_id.state", string="Status")
    amount_total = fields.Monetary(related="invoice_id.amount_total")
    currency_id = fields.Many2one(related="invoice_id.currency_id")

    _contract_period_unique = models.Constraint(
        "UNIQUE(contract_id, date_start)",
        "This period of the contract is already invoiced.",
    )
