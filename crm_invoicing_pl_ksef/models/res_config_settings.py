from odoo import fields, models

from .ksef_api_service import PARAM_URL


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------------
    # KSeF API address
    # ------------------------------------------------------------------
    pl_ksef_api_url = fields.Char(string="KSeF API URL", config_parameter=PARAM_URL)

    # ------------------------------------------------------------------
    # Consumer (B2C) invoices
    # ------------------------------------------------------------------
    pl_ksef_b2c = fields.Boolean(related="company_id.pl_ksef_b2c", readonly=False)

    # ------------------------------------------------------------------
    # Offline certificate (KOD II)
    # ------------------------------------------------------------------
    pl_ksef_offline_certificate_id = fields.Many2one(
        related="company_id.pl_ksef_offline_certificate_id", readonly=False
    )
    pl_ksef_offline_serial = fields.Char(related="company_id.pl_ksef_offline_serial")

    # ------------------------------------------------------------------
    # Batch sessions
    # ------------------------------------------------------------------
    pl_ksef_batch_threshold = fields.Integer(
        related="company_id.pl_ksef_batch_threshold", readonly=False
    )
