from odoo import fields, models

from .partner_verification import DEFAULT_VIES_URL, DEFAULT_WHITELIST_URL


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pl_verification_max_age = fields.Integer(
        related="company_id.pl_verification_max_age", readonly=False
    )
    pl_verification_policy = fields.Selection(
        related="company_id.pl_verification_policy", readonly=False
    )
    pl_verification_outage_days = fields.Integer(
        related="company_id.pl_verification_outage_days", readonly=False
    )
    pl_vies_url = fields.Char(
        string="VIES Service URL",
        config_parameter="crm_vies_check.vies_url",
        default=DEFAULT_VIES_URL,
    )
    pl_whitelist_url = fields.Char(
        string="White List API URL",
        config_parameter="crm_vies_check.whitelist_url",
        default=DEFAULT_WHITELIST_URL,
    )
    pl_recheck_days = fields.Integer(
        related="company_id.pl_recheck_days", readonly=False
    )
    pl_verification_accountant_id = fields.Many2one(
        related="company_id.pl_verification_accountant_id", readonly=False
    )
    pl_recheck_vies_workers = fields.Integer(
        string="Concurrent VIES Requests",
        config_parameter="crm_vies_check.recheck_vies_workers",
        default=4,
    )
    pl_gus_key = fields.Char(
        string="GUS REGON User Key", config_parameter="crm_vies_check.gus_key"
    )
    pl_gus_url = fields.Char(
        string="GUS REGON Service URL",
        config_parameter="crm_vies_check.gus_url",
        default="https://wyszukiwarkaregon.stat.gov.pl/wsBIR/UslugaBIRzewnPubl.svc",
    )
