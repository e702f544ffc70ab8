from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_interest_denominator = fields.Selection(
        related="company_id.dunning_interest_denominator", readonly=False
    )
