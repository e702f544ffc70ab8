from datetime import date

from odoo.tests import HttpCase, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestInterestNoteTour(DunningCommon, HttpCase):
    """Browser tour: an interest note created and posted from the customer form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_tour_user()

    def test_interest_note_tour(self):
        self.eur_rate("2026-02-27", 4.2150)
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        Note = self.env["crm.dunning.interest.note"]
        self.assertFalse(Note.search([("partner_id", "=", self.customer.id)]))

        self.start_tour(
            "/odoo/res.partner/%s" % self.customer.id,
            "crm_dunning_interest_note_tour",
            login=self.env.user.login,
        )

        note = Note.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(note), 1, "the tour makes one note")
        self.assertEqual(note.state, "posted")
        self.assertEqual(note.name, "NO/2026/0001")
        self.assertEqual(note.date, date(2026, 4, 1))
        self.assertEqual(note.invoice_ids, invoice)
        # 1230 x 14 % x 30 / 365 = 14.15 and 40 EUR x 4.2150 = 168.60.
        self.assertAlmostEqual(note.amount_interest, 14.15)
        self.assertAlmostEqual(note.amount_compensation, 168.60)
        self.assertEqual(note.move_id.state, "posted")
