# KSeF for consumer invoices is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pl_ksef_b2c = fields.Boolean(related="company_id.pl_ksef_b2c", readonly=False)
