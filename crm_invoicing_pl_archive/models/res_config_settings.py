from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pl_hash_sales_documents = fields.Boolean(
        related="company_id.pl_hash_sales_documents", readonly=False
    )
