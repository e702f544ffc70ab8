# A concern of its own, kept apart from the other extensions of the model.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_demand_deadline_days = fields.Integer(
        related="company_id.dunning_demand_deadline_days", readonly=False
    )
    dunning_letter_fee = fields.Monetary(
        related="company_id.dunning_letter_fee",
        currency_field="currency_id",
        readonly=False,
    )
