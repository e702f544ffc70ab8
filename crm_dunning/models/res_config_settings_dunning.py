# Dunning policies are a concern of their own, kept apart from the interest.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_policy_id = fields.Many2one(
        related="company_id.dunning_policy_id", readonly=False
    )
    dunning_auto_send = fields.Boolean(
        related="company_id.dunning_auto_send", readonly=False
    )
