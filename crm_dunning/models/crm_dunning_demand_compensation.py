from odoo import fields, models


class CrmDunningDemandCompensation(models.Model):
    """Recovery compensation (art. 10) of one late B2B invoice of a demand."""

    _name = "crm.dunning.demand.compensation"
    _description = "Payment Demand Compensation"
    _inherit = ["crm.dunning.evidence"]
    _order = "demand_id, id"
    _crm_dunning_document_field = "demand_id"

    demand_id = fields.Many2one(
        "crm.dunning.demand", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="demand_id.company_id", store=True)
    currency_id = fields.Many2one(related="demand_id.currency_id")
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="restrict"
    )
    amount_eur = fields.Float(string="Amount (EUR)", digits=(12, 2))
    eur_rate = fields.Float(string="NBP EUR Rate", digits=(12, 4))
    rate_date = fields.Date()
    amount = fields.Monetary()
