from odoo import fields, models


class CrmDunningDemandLine(models.Model):
    """One overdue instalment of a payment demand, as on the demand date."""

    _name = "crm.dunning.demand.line"
    _description = "Payment Demand Line"
    _inherit = ["crm.dunning.evidence"]
    _order = "demand_id, due_date, id"
    _crm_dunning_document_field = "demand_id"

    demand_id = fields.Many2one(
        "crm.dunning.demand", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="demand_id.company_id", store=True)
    currency_id = fields.Many2one(related="demand_id.currency_id")
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="restrict", index=True
    )
    move_line_id = fields.Many2one(
        "account.move.line", string="Instalment", required=True, ondelete="restrict"
    )
    invoice_date = fields.Date(related="move_id.invoice_date")
    amount_gross = fields.Monetary(
        string="Gross Amount", related="move_id.amount_total_signed"
    )
    due_date = fields.Date(required=True)
    days_overdue = fields.Integer()
    amount_residual = fields.Monetary(string="Amount Left")
    interest = fields.Monetary(string="Interest to Date")
