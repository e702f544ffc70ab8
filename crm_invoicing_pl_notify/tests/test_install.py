"""Installing the add-on where crm_invoicing_pl held the notifications."""

from odoo.tests import TransactionCase, tagged

from .. import TAKEN_OVER, _pre_init_hook


@tagged("post_install", "-at_install")
class TestTakeOver(TransactionCase):
    def test_records_taken_over_not_doubled(self):
        """The templates and the job crm_invoicing_pl created are renamed,
        not duplicated: what points at them keeps pointing at them."""
        Data = self.env["ir.model.data"]
        records = {}
        for old, new in TAKEN_OVER:
            data = Data.search(
                [("module", "=", "crm_invoicing_pl_notify"), ("name", "=", new)]
            )
            self.assertEqual(len(data), 1, new)
            records[new] = (data, self.env.ref(f"crm_invoicing_pl_notify.{new}"))
            # As in a database from before the split: crm_invoicing_pl's xml id.
            data.write({"module": "crm_invoicing_pl", "name": old})
        doc_type = self.env["pl.document.type"].search([], limit=1)
        doc_type.pl_mail_template_id = records["mail_template_pl_invoice"][1]
        self.env.flush_all()
        self.env.registry.clear_cache()
        _pre_init_hook(self.env)
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        for old, new in TAKEN_OVER:
            data, record = records[new]
            self.assertEqual(data.complete_name, f"crm_invoicing_pl_notify.{new}")
            self.assertEqual(self.env.ref(f"crm_invoicing_pl_notify.{new}"), record)
            self.assertFalse(self.env.ref(f"crm_invoicing_pl.{old}", False))
        self.assertEqual(
            doc_type.pl_mail_template_id, records["mail_template_pl_invoice"][1]
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
