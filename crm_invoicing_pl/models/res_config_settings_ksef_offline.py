# The KSeF offline certificate is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pl_ksef_offline_certificate_id = fields.Many2one(
        related="company_id.pl_ksef_offline_certificate_id", readonly=False
    )
    pl_ksef_offline_serial = fields.Char(related="company_id.pl_ksef_offline_serial")
