"""`make demo` lands its users on their work, not on Discuss."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDemoLanding(HttpCase):
    def test_demo_admin_lands_on_invoices(self):
        admin = self.env.ref("base.user_admin")
        self.assertEqual(
            admin.action_id.id, self.env.ref("account.action_move_out_invoice_type").id
        )
        self.assertEqual(
            admin.company_id, self.env.ref("crm_invoicing_pl.demo_company")
        )
        # The web client is given that action as the home action.
        self.authenticate("admin", "admin")
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertEqual(
            info["home_action_id"],
            self.env.ref("account.action_move_out_invoice_type").id,
        )
