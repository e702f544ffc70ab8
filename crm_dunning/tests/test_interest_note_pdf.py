"""The printed interest note, read back with pdftotext (real PDF)."""

from datetime import date

from odoo.addons.crm_invoicing_pl.tests.pdf_report import PdfReportMixin
from odoo.tests import HttpCase, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestInterestNotePdf(PdfReportMixin, DunningCommon, HttpCase):
    def pdf_text(self, note):
        return super().pdf_text(note, "crm_dunning.action_report_interest_note")

    def test_printed_note(self):
        # A collective note: the first invoice paid across the 2025 rate
        # change (5.31 + 5.14), the second unpaid on the date; compensation
        # 40 EUR x 4.2561 = 170.24 for each.
        self.eur_rate("2025-05-30", 4.2561)
        first = self.invoice(price=1000.0, date="2025-06-06", due="2025-06-20")
        self.pay(first, 1230.0, date(2025, 7, 10))
        second = self.invoice(price=500.0, date="2025-06-06", due="2025-06-20")
        wizard = self.env["crm.dunning.interest.note.wizard"].create(
            {"partner_id": self.customer.id, "date": date(2025, 7, 20)}
        )
        note = self.env["crm.dunning.interest.note"].browse(
            wizard.action_create_notes()["res_id"]
        )
        note.action_post()
        # second: unpaid 21 June - 20 July: 10 days at 15.75 % (2.65) and
        # 20 days at 15.25 % (5.14).
        self.assertEqual(
            [(line.move_id, line.days, line.interest) for line in note.line_ids],
            [
                (first, 10, 5.31),
                (first, 10, 5.14),
                (second, 10, 2.65),
                (second, 20, 5.14),
            ],
        )
        text = self.pdf_text(note)
        missing = [
            needle
            for needle in [
                "Nota odsetkowa zbiorcza nr %s" % note.name,
                "nie jest fakturą VAT",
                "ustawowe za opóźnienie w transakcjach handlowych",
                "Wierzyciel",
                "Dłużnik",
                "Przykładowa Spółka z o.o.",
                "NIP: 5260250274",
                "Hurtownia Żółw Sp. z o.o.",
                "NIP: 1234567883",
                first.name,
                second.name,
                "2025-06-20",
                "2025-07-10",
                "nieopłacona",
                "15,75",
                "15,25",
                "5,31",
                "5,14",
                "2,65",
                "Razem odsetki 18,24",
                "4,2561",
                "2025-05-30",
                "170,24",
                "Razem rekompensata 340,48",
                "Do zapłaty: 358,72 PLN",
                "Słownie: " + note.amount_words,
                "Termin płatności",
                "2025-07-27",
                self.company_bank.acc_number,
                "przeciwdziałaniu nadmiernym opóźnieniom w transakcjach handlowych",
            ]
            if needle not in text
        ]
        self.assertFalse(missing, "missing %s in the printout:\n%s" % (missing, text))
        self.assertIn("złotych", note.amount_words)
