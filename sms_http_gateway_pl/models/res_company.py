from odoo import fields, models

from .sms_sms import PlSmsGatewayApi

SMS_PROVIDERS = [
    ("iap", "Odoo IAP (default)"),
    ("http_gateway", "HTTP SMS gateway"),
]


class ResCompany(models.Model):
    """The company's SMS provider, as Odoo's ``sms_twilio`` does it.

    The fields kept the names (and columns) they had in crm_invoicing_pl,
    which held the gateway before: a database that used it keeps its settings
    without any migration.
    """

    _inherit = "res.company"

    pl_sms_provider = fields.Selection(
        SMS_PROVIDERS,
        string="SMS Provider",
        default="iap",
        required=True,
        help="Odoo IAP: Odoo's SMS service. HTTP SMS gateway: a REST gateway "
        "(SMSAPI.pl style) reached with the URL, token and sender below.",
    )
    pl_sms_gateway_url = fields.Char(
        string="SMS Gateway URL",
        default="https://api.smsapi.pl",
        help="Base URL of the gateway API; messages are posted to <URL>/sms.do.",
    )
    pl_sms_gateway_token = fields.Char(
        string="SMS Gateway API Token", groups="base.group_system"
    )
    pl_sms_gateway_sender = fields.Char(
        string="SMS Sender Name",
        help="Sender name registered at the gateway (up to 11 characters); "
        "empty: the gateway's default sender.",
    )

    def _get_sms_api_class(self):
        self.ensure_one()
        if self.pl_sms_provider == "http_gateway":
            return PlSmsGatewayApi
        return super()._get_sms_api_class()
