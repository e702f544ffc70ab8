"""data/neutralize.sql: a staging copy retries no customer e-mail."""

from crm_pl_testing.neutralize_case import NeutralizeCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestNeutralize(NeutralizeCase):
    def test_mail_retry_job_is_neutralized(self):
        self._assert_jobs_neutralized("crm_invoicing_pl_notify")
