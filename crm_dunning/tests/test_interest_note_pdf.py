"""The printed interest note, read back with pdftotext (real PDF)."""

import os
import shutil
import subprocess
import tempfile
from datetime import date

from odoo.tests import HttpCase, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestInterestNotePdf(DunningCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("report.url", cls.base_url())

    def setUp(self):
        super().setUp()
        if not shutil.which("pdftotext") or not shutil.which("wkhtmltopdf"):
            self.skipTest("pdftotext and wkhtmltopdf are needed")

    def pdf_text(self, note):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("crm_dunning.action_report_interest_note", note.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "note.pdf")
            with open(path, "wb") as handle:
                handle.write(pdf)
            if os.environ.get("PL_REPORT_KEEP_PDF"):
                shutil.copy(
                    path,
                    os.path.join(os.environ["PL_REPORT_KEEP_PDF"], "interest_note.pdf"),
                )
            layout = subprocess.run(
                ["pdftotext", "-layout", "-enc", "UTF-8", path, "-"],
                capture_output=True,
                check=True,
                timeout=60,
            ).stdout.decode()
        return " ".join(layout.split())

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
