# Archive and compliance settings are a concern of their own, kept apart.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pl_hash_sales_documents = fields.Boolean(
        related="company_id.pl_hash_sales_documents", readonly=False
    )
