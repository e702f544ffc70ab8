from odoo.tests import HttpCase, tagged

from .common import ApprovalsDashboardCommon


class ApprovalsTourCommon(ApprovalsDashboardCommon, HttpCase):
    """An invoice and an offer of "Hurtownia Żółw" waiting for approval, and
    a small invoice and offer of "Jan Kowalski" that need none (see
    approvals_dashboard_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_user(groups=("sales_team.group_sale_salesman_all_leads",))

    def setUp(self):
        super().setUp()
        self.requested(self.draft(2000.0))
        self.draft(100.0, partner=self.consumer)
        self.requested(self.offer(2000.0))
        self.offer(100.0, partner=self.consumer)


@tagged("post_install", "-at_install")
class TestApprovalsDashboardTour(ApprovalsTourCommon):
    def test_approvals_dashboard_tour(self):
        self.start_tour(
            "/odoo/dashboards",
            "crm_invoicing_pl_dashboard_approval_tour",
            login=self.env.user.login,
        )


@tagged("post_install", "-at_install")
class TestApprovalsDashboardMobileTour(ApprovalsTourCommon):
    browser_size = "375x667"
    touch_enabled = True

    def test_approvals_dashboard_mobile_tour(self):
        self.start_tour(
            f"/odoo/dashboards?dashboard_id={self.dashboard.id}",
            "crm_invoicing_pl_dashboard_approval_mobile_tour",
            login=self.env.user.login,
        )
