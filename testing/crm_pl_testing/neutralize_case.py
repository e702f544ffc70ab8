"""Shared checks of the add-ons' data/neutralize.sql files (no test here).

A module of crm_pl_testing that imports Odoo (``base`` only, so that
any add-on's tests may use it): only the add-ons' Odoo tests import it.

Each test runs base's neutralization and the add-on's own, as
``odoo-bin neutralize`` does for every installed module. Not all of them:
l10n_pl_edi's neutralize.sql in this Odoo 19.0 names two columns its model
does not have (``l10n_pl_edi_session_key`` / ``_iv``) and fails.
"""

from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import TransactionCase


class NeutralizeCase(TransactionCase):
    def _neutralize(self, module):
        for query in get_neutralization_queries(["base", module]):
            self.env.cr.execute(query)
        self.env.invalidate_all()

    def _param(self, key):
        """A system parameter as stored (get_param's cache ignores raw SQL)."""
        self.env.cr.execute(
            "SELECT value FROM ir_config_parameter WHERE key = %s", [key]
        )
        row = self.env.cr.fetchone()
        return row and row[0]

    def _assert_jobs_neutralized(self, module):
        """After neutralizing, no cron of ``module`` is active or triggered."""
        data = self.env["ir.model.data"].search(
            [("module", "=", module), ("model", "=", "ir.cron")]
        )
        crons = self.env["ir.cron"].browse(data.mapped("res_id"))
        self.assertTrue(crons, f"{module} has scheduled jobs")
        crons.write({"active": True})
        crons[0]._trigger()
        self._neutralize(module)
        self.assertEqual(set(crons.mapped("active")), {False})
        self.assertFalse(
            self.env["ir.cron.trigger"].search([("cron_id", "in", crons.ids)])
        )
