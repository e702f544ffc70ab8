from odoo.tests import HttpCase, tagged

from .common import KsefCommon
from .test_ksef_sending import KsefFakeMixin


@tagged("post_install", "-at_install")
class TestKsefSendingTour(KsefFakeMixin, KsefCommon, HttpCase):
    """Browser tour: a posted invoice sent to KSeF (the local fake) and accepted.

    The browser shares the test transaction; the fake KSeF records what it
    received, so the test checks that exactly this invoice reached it once.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_user()

    def test_ksef_sending_tour(self):
        self._start_fake_ksef()
        invoice = self.pl_invoice(lines=[(self.goods, 3, 50.0)])
        invoice.action_post()

        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "crm_invoicing_pl_ksef_sending_tour",
            login=self.env.user.login,
        )

        self.assertEqual(len(self.fake.invoices), 1, "sent to KSeF exactly once")
        received = self.fake.invoices[0]
        self.assertEqual(received["number"], invoice.name)
        self.assertEqual(invoice.l10n_pl_edi_status, "accepted")
        self.assertEqual(invoice.l10n_pl_edi_number, received["ksef_number"])
        self.assertTrue(invoice.l10n_pl_edi_upo_id)
