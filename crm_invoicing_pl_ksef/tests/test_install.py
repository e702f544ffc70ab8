"""Installing the add-on where crm_invoicing_pl held KSeF."""

from odoo.tests import TransactionCase, tagged

from .. import TAKEN_OVER, _pre_init_hook


@tagged("post_install", "-at_install")
class TestTakeOver(TransactionCase):
    def test_records_taken_over_not_doubled(self):
        """The views, templates, the sending job, the access right and the
        record rule crm_invoicing_pl created are renamed, not duplicated: one
        rule and one sending job (noupdate: its upgrade would keep the old
        ones)."""
        Data = self.env["ir.model.data"]
        records = {}
        for name in TAKEN_OVER:
            data = Data.search(
                [("module", "=", "crm_invoicing_pl_ksef"), ("name", "=", name)]
            )
            self.assertEqual(len(data), 1, name)
            records[name] = (data, self.env.ref(f"crm_invoicing_pl_ksef.{name}"))
            # As in a database from before the split: crm_invoicing_pl's xml id.
            data.module = "crm_invoicing_pl"
        self.env.flush_all()
        self.env.registry.clear_cache()
        _pre_init_hook(self.env)
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        for name, (data, record) in records.items():
            self.assertEqual(data.complete_name, f"crm_invoicing_pl_ksef.{name}")
            self.assertEqual(self.env.ref(f"crm_invoicing_pl_ksef.{name}"), record)
            self.assertFalse(self.env.ref(f"crm_invoicing_pl.{name}", False))
        # Installed again: nothing to rename, nothing renamed.
        _pre_init_hook(self.env)
        for data, record in records.values():
            self.assertEqual(
                Data.search([("model", "=", record._name), ("res_id", "=", record.id)]),
                data,
            )
        self.assertEqual(
            self.env["ir.rule"].search_count(
                [("model_id.model", "=", "pl.ksef.batch")]
            ),
            1,
        )
        self.assertEqual(
            self.env["ir.cron"].search_count(
                [("code", "=", "model._cron_pl_ksef_retry_sending()")]
            ),
            1,
        )
