from odoo.tests import HttpCase, tagged

from .common import MODULE, ApprovalsDashboardCommon


@tagged("post_install", "-at_install")
class TestApprovalsDashboardAccess(ApprovalsDashboardCommon, HttpCase):
    """Billing users and salesmen see the dashboard and its lists; an
    internal user with neither right does not, in the web client either."""

    def test_billing_users_and_salesmen_only(self):
        billing = self._pl_user("billing.appr", "account.group_account_invoice")
        salesman = self._pl_user("sales.appr", "sales_team.group_sale_salesman")
        outsider = self._pl_user("outsider.appr", "base.group_user")
        dashboards = self.env["spreadsheet.dashboard"]
        parent = self.env.ref(f"{MODULE}.menu_approvals_dashboard_lists")
        menus = {parent.id, *parent.child_id.ids}
        self.assertEqual(len(parent.child_id), 4)
        for user in (billing, salesman):
            self.assertIn(self.dashboard, dashboards.with_user(user).search([]))
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertLessEqual(menus, visible, user.login)
        self.assertNotIn(self.dashboard, dashboards.with_user(outsider).search([]))
        visible = self.env["ir.ui.menu"].with_user(outsider)._visible_menu_ids()
        self.assertFalse(menus & visible)

        # The web client loads a dashboard from this route: refused to the
        # outsider, through JSON-RPC too.
        url = f"/spreadsheet/dashboard/data/{self.dashboard.id}"
        self.authenticate("outsider.appr", "outsider.appr")
        self.assertEqual(self.url_open(url).status_code, 403)
        refusal = self._pl_jsonrpc_refusal(
            "spreadsheet.dashboard", "read", [self.dashboard.ids, ["name"]]
        )
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        self.dashboard.invalidate_recordset()
        self.assertEqual(self.dashboard.name, "Approvals")

        self.authenticate("sales.appr", "sales.appr")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["translation_namespace"], MODULE)
