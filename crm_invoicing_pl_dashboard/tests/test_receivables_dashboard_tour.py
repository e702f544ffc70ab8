from odoo.tests import HttpCase, tagged

from .common import DashboardCommon


class DashboardTourCommon(DashboardCommon, HttpCase):
    """An invoice of the company's customer 40 days overdue and one of a
    consumer 10 days overdue (see receivables_dashboard_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_user()

    def setUp(self):
        super().setUp()
        self.company.pl_invoice_date_from = self.days(-365)
        self.invoice(-50, -40)
        self.invoice(-20, -10, partner=self.consumer)


@tagged("post_install", "-at_install")
class TestReceivablesDashboardTour(DashboardTourCommon):
    def test_dashboard_tour(self):
        self.start_tour(
            "/odoo/dashboards",
            "crm_invoicing_pl_dashboard_tour",
            login=self.env.user.login,
        )


@tagged("post_install", "-at_install")
class TestReceivablesDashboardMobileTour(DashboardTourCommon):
    browser_size = "375x667"
    touch_enabled = True

    def test_dashboard_mobile_tour(self):
        self.start_tour(
            f"/odoo/dashboards?dashboard_id={self.dashboard.id}",
            "crm_invoicing_pl_dashboard_mobile_tour",
            login=self.env.user.login,
        )
