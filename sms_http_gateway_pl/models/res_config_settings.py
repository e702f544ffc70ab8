from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pl_sms_provider = fields.Selection(
        related="company_id.pl_sms_provider", readonly=False
    )
    pl_sms_gateway_url = fields.Char(
        related="company_id.pl_sms_gateway_url", readonly=False
    )
    pl_sms_gateway_token = fields.Char(
        related="company_id.pl_sms_gateway_token",
        readonly=False,
        groups="base.group_system",
    )
    pl_sms_gateway_sender = fields.Char(
        related="company_id.pl_sms_gateway_sender", readonly=False
    )
