# KSeF batch sessions are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pl_ksef_batch_threshold = fields.Integer(
        related="company_id.pl_ksef_batch_threshold", readonly=False
    )
