"""data/neutralize.sql: a staging copy sends no invoice live."""

from crm_pl_testing.neutralize_case import NeutralizeCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestNeutralize(NeutralizeCase):
    def test_neutralized_copy_has_no_live_ksef_address(self):
        config = self.env["ir.config_parameter"].sudo()
        config.set_param(
            "crm_invoicing_pl.ksef_api_url", "https://api.ksef.mf.gov.pl/v2"
        )
        config.set_param("crm_invoicing_pl.ksef_timeout", "20")

        self._neutralize("crm_invoicing_pl_ksef")

        self.assertIsNone(self._param("crm_invoicing_pl.ksef_api_url"))
        self.assertEqual(self._param("crm_invoicing_pl.ksef_timeout"), "20")

    def test_sending_job_is_neutralized(self):
        self._assert_jobs_neutralized("crm_invoicing_pl_ksef")
