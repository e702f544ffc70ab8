"""data/neutralize.sql: a staging copy sends no SMS through the live gateway."""

from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestNeutralize(TransactionCase):
    def _neutralize(self):
        for query in get_neutralization_queries(["base", "sms_http_gateway_pl"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()

    def test_neutralized_copy_has_no_live_gateway(self):
        company = self.env.company
        company.write(
            {
                "pl_sms_provider": "http_gateway",
                "pl_sms_gateway_url": "https://api.smsapi.pl",
                "pl_sms_gateway_token": "live-token",
            }
        )
        iap_company = self.env["res.company"].create({"name": "Spółka bez bramki"})
        self._neutralize()
        self.assertFalse(company.pl_sms_gateway_token)
        self.assertEqual(
            company.pl_sms_gateway_url, "https://neutralized-sms-gateway.invalid"
        )
        self.assertEqual(iap_company.pl_sms_gateway_url, "https://api.smsapi.pl")

    def test_gateway_job_is_neutralized(self):
        cron = self.env.ref("sms_http_gateway_pl.ir_cron_sms_gateway")
        cron.active = True
        cron._trigger()
        self._neutralize()
        self.assertFalse(cron.active)
        self.assertFalse(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        )
