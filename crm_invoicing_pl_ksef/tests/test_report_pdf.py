"""The KSeF number of the corrected invoice on a correction's printout
(art. 106j ust. 2 pkt 2a), read back from the real PDF with pdftotext."""

from odoo.addons.crm_invoicing_pl.tests.pdf_report import PdfReportMixin
from odoo.tests import HttpCase, tagged

from .common import KsefCommon

KSEF_NUMBER = "5260250274-20261115-0123456789AB-CD"


@tagged("post_install", "-at_install")
class TestReportPdfKsef(PdfReportMixin, KsefCommon, HttpCase):
    def test_correction_names_the_ksef_number_of_the_invoice(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.customer.lang = "pl_PL"
        invoice = self.pl_invoice(lines=[(self.goods, 10, 100.0)])
        invoice.action_post()
        invoice.l10n_pl_edi_number = KSEF_NUMBER
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "reason": "Rabat posprzedażowy",
                    "journal_id": invoice.journal_id.id,
                    "date": "2026-11-20",
                }
            )
        )
        correction = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        correction.invoice_line_ids.quantity = 1
        correction.action_post()
        self.assertAllIn(
            [
                "Dotyczy faktury nr %s z dnia 2026-11-15" % invoice.name,
                "Numer KSeF faktury korygowanej: %s" % KSEF_NUMBER,
                "Przyczyna korekty: Rabat posprzedażowy",
            ],
            self.pdf_text(correction),
        )
        # Without a KSeF number, no such line.
        invoice.l10n_pl_edi_number = False
        self.assertNotIn("Numer KSeF", self.pdf_text(correction))
