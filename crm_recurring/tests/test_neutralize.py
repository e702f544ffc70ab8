"""data/neutralize.sql: a staging copy runs no job of crm_recurring."""

from crm_pl_testing.neutralize_case import NeutralizeCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestNeutralize(NeutralizeCase):
    def test_neutralized_copy_runs_no_job_of_the_addon(self):
        self._assert_jobs_neutralized("crm_recurring")
