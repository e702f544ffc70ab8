"""data/neutralize.sql: a staging copy keeps no GUS key and no live address."""

from crm_pl_testing.neutralize_case import NeutralizeCase
from odoo.tests import tagged

KEYS = ("gus_key", "gus_url", "vies_url", "whitelist_url")


@tagged("post_install", "-at_install")
class TestNeutralize(NeutralizeCase):
    def test_neutralized_copy_keeps_no_key_or_service_address(self):
        config = self.env["ir.config_parameter"].sudo()
        for key in (*KEYS, "timeout"):
            config.set_param(f"crm_vies_check.{key}", f"live-{key}")
        self._neutralize("crm_vies_check")
        self.env.cr.execute(
            "SELECT key FROM ir_config_parameter WHERE key LIKE 'crm_vies_check.%%'"
        )
        left = {key for (key,) in self.env.cr.fetchall()}
        self.assertFalse(left & {f"crm_vies_check.{key}" for key in KEYS})
        self.assertIn("crm_vies_check.timeout", left)

    def test_recheck_jobs_are_neutralized(self):
        self._assert_jobs_neutralized("crm_vies_check")
