"""Installing the add-on where crm_invoicing_pl held the VAT registers."""

from odoo.tests import TransactionCase, tagged

from .. import TAKEN_OVER, _pre_init_hook


@tagged("post_install", "-at_install")
class TestTakeOver(TransactionCase):
    def test_rules_taken_over_not_doubled(self):
        """The record rules crm_invoicing_pl created (noupdate, kept by its
        upgrade) are renamed, not duplicated: one rule per register."""
        Data = self.env["ir.model.data"]
        rules = {}
        for name in TAKEN_OVER:
            data = Data.search(
                [("module", "=", "crm_invoicing_pl_jpk"), ("name", "=", name)]
            )
            self.assertEqual(len(data), 1, name)
            rules[name] = (data, self.env.ref(f"crm_invoicing_pl_jpk.{name}"))
            # As in a database from before the split: crm_invoicing_pl's xml id.
            data.module = "crm_invoicing_pl"
        self.env.flush_all()
        self.env.registry.clear_cache()
        _pre_init_hook(self.env)
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        for name, (data, rule) in rules.items():
            self.assertEqual(data.complete_name, f"crm_invoicing_pl_jpk.{name}")
            self.assertEqual(self.env.ref(f"crm_invoicing_pl_jpk.{name}"), rule)
            self.assertFalse(self.env.ref(f"crm_invoicing_pl.{name}", False))
        # Installed again: nothing to rename, nothing renamed.
        _pre_init_hook(self.env)
        for data, rule in rules.values():
            self.assertEqual(
                Data.search([("model", "=", "ir.rule"), ("res_id", "=", rule.id)]),
                data,
            )
        self.assertEqual(
            self.env["ir.rule"].search_count(
                [
                    (
                        "model_id.model",
                        "in",
                        [
                            "pl.vat.sales.register",
                            "pl.vat.purchase.register",
                            "pl.vat.register.export",
                        ],
                    )
                ]
            ),
            3,
        )
