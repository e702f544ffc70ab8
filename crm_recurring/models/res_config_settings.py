from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_recurring_catch_up_limit = fields.Integer(
        related="company_id.crm_recurring_catch_up_limit", readonly=False
    )
    crm_recurring_max_discount = fields.Float(
        related="company_id.crm_recurring_max_discount", readonly=False
    )
