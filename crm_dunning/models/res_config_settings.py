from odoo import fields, models


# Settings are extended here, as Odoo does, with the rates warning mixed in.
class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "crm.dunning.rates.warning"]

    dunning_interest_denominator = fields.Selection(
        related="company_id.dunning_interest_denominator", readonly=False
    )
