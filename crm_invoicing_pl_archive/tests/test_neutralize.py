"""data/neutralize.sql: a staging copy renders no PDF in the background."""

from crm_pl_testing.neutralize_case import NeutralizeCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestNeutralize(NeutralizeCase):
    def test_archive_job_is_neutralized(self):
        self._assert_jobs_neutralized("crm_invoicing_pl_archive")
