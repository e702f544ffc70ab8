"""data/neutralize.sql: a staging copy runs no scheduled job of the add-on
(the KSeF address: crm_invoicing_pl_ksef's own neutralize.sql, the SMS
gateway: sms_http_gateway_pl's)."""

from crm_pl_testing.neutralize_case import NeutralizeCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestNeutralize(NeutralizeCase):
    def test_scheduled_jobs_are_neutralized(self):
        self._assert_jobs_neutralized("crm_invoicing_pl")
