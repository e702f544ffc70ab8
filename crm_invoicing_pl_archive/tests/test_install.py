"""Installing the add-on where crm_invoicing_pl held the archive."""

from odoo.tests import TransactionCase, tagged

from .. import TAKEN_OVER, _pre_init_hook


@tagged("post_install", "-at_install")
class TestTakeOver(TransactionCase):
    def test_archive_job_taken_over_not_doubled(self):
        """The PDF archive job crm_invoicing_pl created is renamed, not
        duplicated: its pending triggers stay with it."""
        Data = self.env["ir.model.data"]
        records = {}
        for old, new in TAKEN_OVER:
            data = Data.search(
                [("module", "=", "crm_invoicing_pl_archive"), ("name", "=", new)]
            )
            self.assertEqual(len(data), 1, new)
            records[new] = (data, self.env.ref(f"crm_invoicing_pl_archive.{new}"))
            # As in a database from before the split: crm_invoicing_pl's xml id.
            data.write({"module": "crm_invoicing_pl", "name": old})
        cron = records["ir_cron_pl_archive_pdf"][1]
        cron._trigger()
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertTrue(triggers)
        self.env.flush_all()
        self.env.registry.clear_cache()
        _pre_init_hook(self.env)
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        for old, new in TAKEN_OVER:
            data, record = records[new]
            self.assertEqual(data.complete_name, f"crm_invoicing_pl_archive.{new}")
            self.assertEqual(self.env.ref(f"crm_invoicing_pl_archive.{new}"), record)
            self.assertFalse(self.env.ref(f"crm_invoicing_pl.{old}", False))
        self.assertEqual(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]), triggers
        )
        # Installed again: nothing to rename, nothing renamed.
        _pre_init_hook(self.env)
        for _old, new in TAKEN_OVER:
            record = records[new][1]
            self.assertEqual(
                Data.search_count(
                    [("model", "=", record._name), ("res_id", "=", record.id)]
                ),
                1,
            )
