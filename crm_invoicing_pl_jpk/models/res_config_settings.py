from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pl_jpk_natural_person = fields.Boolean(
        related="company_id.pl_jpk_natural_person", readonly=False
    )
    pl_jpk_first_name = fields.Char(
        related="company_id.pl_jpk_first_name", readonly=False
    )
    pl_jpk_last_name = fields.Char(
        related="company_id.pl_jpk_last_name", readonly=False
    )
    pl_jpk_birth_date = fields.Date(
        related="company_id.pl_jpk_birth_date", readonly=False
    )
