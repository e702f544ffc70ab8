"""data/neutralize.sql: a staging copy sends no invoice live (the SMS gateway:
sms_http_gateway_pl's own neutralize.sql)."""

from odoo.tests import tagged

from .neutralize_case import NeutralizeCase


@tagged("post_install", "-at_install")
class TestNeutralize(NeutralizeCase):
    def test_neutralized_copy_has_no_live_ksef_address(self):
        config = self.env["ir.config_parameter"].sudo()
        config.set_param(
            "crm_invoicing_pl.ksef_api_url", "https://api.ksef.mf.gov.pl/v2"
        )
        config.set_param("crm_invoicing_pl.ksef_timeout", "20")

        self._neutralize("crm_invoicing_pl")

        self.assertIsNone(self._param("crm_invoicing_pl.ksef_api_url"))
        self.assertEqual(self._param("crm_invoicing_pl.ksef_timeout"), "20")

    def test_scheduled_jobs_are_neutralized(self):
        self._assert_jobs_neutralized("crm_invoicing_pl")
