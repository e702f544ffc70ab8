from odoo.tests import HttpCase, tagged

from .test_ksef_list import KsefListCommon


class KsefListTourCommon(KsefListCommon):
    """The invoices of the list tours: two to send, a draft and one KSeF
    accepted. The browser shares the test transaction; the fake KSeF records
    what it received, so the test checks that exactly the two selected
    invoices to send reached it, once each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_user()

    def _run_list_tour(self, tour):
        self._start_fake_ksef()
        first, second, draft, accepted = self._ksef_list_invoices()
        self.start_tour(
            "/odoo/action-account.action_move_out_invoice_type",
            tour,
            login=self.env.user.login,
        )
        received = self.fake.invoices[1:]
        self.assertEqual(len(received), 2, "KSeF received the two invoices once")
        self.assertEqual(
            sorted(invoice["number"] for invoice in received),
            sorted([first.name, second.name]),
        )
        self.assertEqual((first + second).mapped("l10n_pl_edi_status"), ["sent"] * 2)
        self.assertEqual(draft.state, "draft")
        self.assertEqual(accepted.l10n_pl_edi_status, "accepted")


@tagged("post_install", "-at_install")
class TestKsefListTour(KsefListTourCommon, HttpCase):
    """Desktop: the list's KSeF column, all rows selected, Send to KSeF."""

    def test_ksef_list_tour(self):
        self._run_list_tour("crm_invoicing_pl_ksef_list_tour")


@tagged("post_install", "-at_install")
class TestKsefListMobileTour(KsefListTourCommon, HttpCase):
    """Phone (375 x 667, touch): cards selected by a long touch, Send to KSeF
    from the menu of the selection."""

    browser_size = "375x667"
    touch_enabled = True

    def test_ksef_list_mobile_tour(self):
        self._run_list_tour("crm_invoicing_pl_ksef_list_mobile_tour")
