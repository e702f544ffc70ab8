"""Installing the add-on where crm_invoicing_pl held the gateway."""

from odoo.tests import TransactionCase, tagged

from .. import _pre_init_hook


@tagged("post_install", "-at_install")
class TestTakeOver(TransactionCase):
    def test_gateway_job_taken_over_not_doubled(self):
        """The job crm_invoicing_pl created is renamed, not duplicated."""
        cron = self.env.ref("sms_http_gateway_pl.ir_cron_sms_gateway")
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "sms_http_gateway_pl"),
                ("name", "=", "ir_cron_sms_gateway"),
            ]
        )
        # As in a database from before the split: crm_invoicing_pl's xml id.
        data.write({"module": "crm_invoicing_pl", "name": "ir_cron_pl_sms_gateway"})
        self.env.flush_all()
        self.env.registry.clear_cache()
        _pre_init_hook(self.env)
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        self.assertEqual(data.complete_name, "sms_http_gateway_pl.ir_cron_sms_gateway")
        self.assertEqual(self.env.ref("sms_http_gateway_pl.ir_cron_sms_gateway"), cron)
        self.assertFalse(self.env.ref("crm_invoicing_pl.ir_cron_pl_sms_gateway", False))
        # Installed again: nothing to rename, nothing renamed.
        _pre_init_hook(self.env)
        self.assertEqual(
            self.env["ir.model.data"].search_count(
                [("model", "=", "ir.cron"), ("res_id", "=", cron.id)]
            ),
            1,
        )
