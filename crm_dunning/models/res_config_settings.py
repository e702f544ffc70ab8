from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "crm.dunning.rates.warning"]

    dunning_interest_denominator = fields.Selection(
        related="company_id.dunning_interest_denominator", readonly=False
    )
