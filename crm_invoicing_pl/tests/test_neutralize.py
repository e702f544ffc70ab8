"""data/neutralize.sql: a staging copy sends no SMS and no invoice live."""

from odoo.tests import tagged

from .neutralize_case import NeutralizeCase


@tagged("post_install", "-at_install")
class TestNeutralize(NeutralizeCase):
    def test_neutralized_copy_has_no_live_gateway_or_ksef_address(self):
        company = self.env.company
        company.write(
            {
                "pl_sms_provider": "http_gateway",
                "pl_sms_gateway_url": "https://api.smsapi.pl",
                "pl_sms_gateway_token": "live-token",
            }
        )
        iap_company = self.env["res.company"].create({"name": "Spółka bez bramki"})
        config = self.env["ir.config_parameter"].sudo()
        config.set_param(
            "crm_invoicing_pl.ksef_api_url", "https://api.ksef.mf.gov.pl/v2"
        )
        config.set_param("crm_invoicing_pl.ksef_timeout", "20")

        self._neutralize("crm_invoicing_pl")

        self.assertFalse(company.pl_sms_gateway_token)
        self.assertEqual(
            company.pl_sms_gateway_url, "https://neutralized-sms-gateway.invalid"
        )
        self.assertEqual(iap_company.pl_sms_gateway_url, "https://api.smsapi.pl")
        self.assertIsNone(self._param("crm_invoicing_pl.ksef_api_url"))
        self.assertEqual(self._param("crm_invoicing_pl.ksef_timeout"), "20")

    def test_archive_job_is_neutralized(self):
        self._assert_jobs_neutralized("crm_invoicing_pl")
