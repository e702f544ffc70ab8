"""Upward correction invoices (art. 106j ust. 1 pkt 5 of the VAT Act).

A price raised after the sale, goods left off the invoice: the seller issues
a correction invoice (faktura korygująca) with positive differences that
references the corrected invoice, never a new VAT invoice. It is made with
Odoo's debit note (account_debit_note) from a posted invoice and goes the
way of a credit note: the correction series, the corrected invoice's NBP rate
(art. 31a), the printout "Faktura korygująca" (FA(3) KOR with
DaneFaKorygowanej and the before / after rows: crm_invoicing_pl_ksef_sale's
test_upward_correction_fa3.py).

The invoice of most tests: 2 x 100,00 (cable) + 1 x 500,00 (service) at 23 %,
700,00 net, 161,00 VAT, 861,00 gross, of 15 November 2026; the correction of
20 November raises the cable's price by 15,00: +30,00 net, +6,90 VAT.
"""

from lxml import etree
from odoo import Command, fields
from odoo.addons.crm_invoicing_pl.tests.pdf_report import PdfReportMixin
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, freeze_time, tagged

from .test_advance_correction import AdvanceCorrectionCommon


class UpwardCorrectionCommon(AdvanceCorrectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The messages and names are checked in English (and in Polish where
        # the test says so), whatever languages the database has.
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))

    def invoice(self, **values):
        invoice = self.pl_invoice(
            lines=[(self.goods, 2, 100.0), (self.service, 1, 500.0)], **values
        )
        invoice.action_post()
        return invoice

    def upward(self, invoice, reason="Podwyżka ceny miedzi", **values):
        """Upward correction (debit note) of ``invoice`` from the wizard,
        dated 20 November 2026 unless told, with the invoice's lines."""
        values = {"date": "2026-11-20", "copy_lines": True, **values}
        wizard = (
            self.env["account.debit.note"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": reason, **values})
        )
        return self.env["account.move"].browse(wizard.create_debit()["res_id"])

    def raise_cable(self, correction, by=15.0):
        """Keep only the cable's line, raised ``by`` per piece."""
        cable = correction.invoice_line_ids.filtered(
            lambda line: line.product_id == self.goods
        )
        correction.write(
            {
                "invoice_line_ids": [Command.update(cable.id, {"price_unit": by})]
                + [
                    Command.unlink(line.id)
                    for line in correction.invoice_line_ids - cable
                ]
            }
        )
        return correction

    def reverse(self, invoice, reason, date="2026-11-25"):
        """Correction (decrease, credit note) of ``invoice``."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {"reason": reason, "journal_id": invoice.journal_id.id, "date": date}
            )
        )
        return self.env["account.move"].browse(wizard.refund_moves()["res_id"])


@tagged("post_install", "-at_install")
@freeze_time("2026-12-07 10:00:00")  # the documents of November are in the past
class TestUpwardCorrection(UpwardCorrectionCommon):
    # ------------------------------------------------------------------
    # The document: kind, link, series, reason
    # ------------------------------------------------------------------
    def test_upward_correction_of_a_pln_invoice(self):
        invoice = self.invoice()
        correction = self.raise_cable(self.upward(invoice))
        # A correction invoice of the suite, linked to the corrected invoice.
        self.assertEqual(correction.move_type, "out_invoice")
        self.assertEqual(correction.pl_document_type_id, self.doc_type("correction"))
        self.assertEqual(correction.debit_origin_id, invoice)
        self.assertEqual(correction._pl_corrected_invoice(), invoice)
        self.assertEqual(correction._pl_correction_sign(), 1)
        self.assertEqual(correction.pl_correction_reason, "Podwyżka ceny miedzi")
        self.assertTrue(
            correction.with_context(lang="en_US").display_name.startswith(
                "Draft Correction Invoice ("
            )
        )
        correction.action_post()
        # The correction series (KOR), booked at its own date (art. 29a
        # ust. 17: the period in which the price was raised).
        self.assertEqual(correction.name, "KOR/1/11/2026")
        self.assertEqual(str(correction.date), "2026-11-20")
        self.assertEqual(invoice.debit_note_ids, correction)
        self.assertEqual(invoice.debit_note_count, 1)
        self.assertEqual(invoice._pl_posted_corrections(), correction)

        # The printout's table: before, difference, after per rate.
        rows = correction._pl_report_correction_rows()
        self.assertEqual(
            rows[-1],
            {
                "rate": False,
                "before": {"net": 700.0, "vat": 161.0, "gross": 861.0},
                "difference": {"net": 30.0, "vat": 6.9, "gross": 36.9},
                "after": {"net": 730.0, "vat": 167.9, "gross": 897.9},
            },
        )

    def test_reason_optional_corrected_invoice_required(self):
        """Art. 106j ust. 2 pkt 3: the corrected invoice is required; the
        reason is not since 2021 (a warning on the draft)."""
        invoice = self.invoice()
        correction = self.raise_cable(self.upward(invoice, reason=False))
        self.assertTrue(correction.pl_correction_reason_warning)
        correction.action_post()
        self.assertEqual(correction.state, "posted")
        # A correction type on an invoice that corrects nothing.
        orphan = self.pl_invoice(pl_document_type_id=self.doc_type("correction").id)
        self.assertIn("the corrected invoice", "\n".join(orphan._pl_missing_elements()))

    # ------------------------------------------------------------------
    # Foreign currency: the corrected invoice's rate (art. 31a)
    # ------------------------------------------------------------------
    def test_upward_correction_of_a_eur_invoice_keeps_its_rate(self):
        eur = self.setup_other_currency(
            "EUR", rates=[("2026-11-13", 1 / 4.23), ("2026-11-19", 1 / 4.31)]
        )
        invoice = self.pl_invoice(
            date="2026-11-16", currency_id=eur.id, lines=[(self.goods, 2, 100.0)]
        )
        invoice.action_post()
        self.assertEqual(str(invoice.pl_rate_date), "2026-11-13")
        correction = self.upward(invoice, reason="Usługa dodatkowa", copy_lines=False)
        correction.invoice_line_ids = [
            Command.create(
                {"product_id": self.service.id, "quantity": 1, "price_unit": 100.0}
            )
        ]
        # Not the rate of its own date (19 November, 4,31): the invoice's.
        self.assertEqual(correction.currency_id, eur)
        self.assertEqual(str(correction.pl_rate_date), "2026-11-13")
        self.assertAlmostEqual(correction.pl_rate, 4.23, places=4)
        self.assertAlmostEqual(
            correction.invoice_currency_rate, invoice.invoice_currency_rate
        )
        self.assertTrue(correction._pl_keeps_corrected_rate())
        correction.action_post()  # no NBP rate refused
        self.assertEqual(correction.state, "posted")
        tax_line = correction.line_ids.filtered(lambda aml: aml.display_type == "tax")
        self.assertAlmostEqual(-tax_line.balance, 97.29, places=2)

    # ------------------------------------------------------------------
    # What is not corrected upward
    # ------------------------------------------------------------------
    def test_refusals(self):
        invoice = self.invoice()
        upward = self.raise_cable(self.upward(invoice))
        upward.action_post()
        # An upward correction is not corrected upward again, nor reversed:
        # the invoice is corrected.
        with self.assertRaisesRegex(UserError, "is a correction invoice"):
            self.upward(upward)
        with self.assertRaisesRegex(UserError, "raised the amounts of"):
            self.reverse(upward, "Pomyłka")
        # Neither is a credit note.
        decrease = self.raise_cable(self.reverse(invoice, "Rabat"), by=1.0)
        decrease.action_post()
        with self.assertRaisesRegex(UserError, "is a correction invoice"):
            self.upward(decrease)
        # An advance: a further payment has an advance invoice of its own.
        advance = self.advance(self.make_order(), 100.0)
        self.assertEqual(advance.pl_document_kind, "advance")
        with self.assertRaisesRegex(UserError, "art. 106b"):
            self.upward(advance)
        self.assertEqual(invoice._pl_upward_correction_refusal(), "")
        # Made without the wizards (ORM, JSON-RPC, an import): refused when
        # posted.
        correction_type = self.doc_type("correction")
        for origin, message in ((advance, "art. 106b"), (decrease, "is a correction")):
            direct = self.pl_invoice(
                debit_origin_id=origin.id,
                pl_document_type_id=correction_type.id,
                pl_correction_reason="Podwyżka",
                date="2026-11-20",
            )
            self.assertTrue(direct._pl_is_upward_correction())
            with self.assertRaisesRegex(UserError, message):
                direct.action_post()
        direct = self.pl_invoice(
            kind="correction",
            reversed_entry_id=upward.id,
            pl_correction_reason="Pomyłka",
            date="2026-11-20",
        )
        with self.assertRaisesRegex(UserError, "raised the amounts of"):
            direct.action_post()

    # ------------------------------------------------------------------
    # Names: "Faktura korygująca", not "Nota kredytowa / debetowa"
    # ------------------------------------------------------------------
    def test_names_the_user_sees(self):
        invoice = self.invoice()
        self.assertEqual(
            invoice.action_reverse()["name"], "Correction Invoice (Decrease)"
        )
        self.assertEqual(
            invoice.action_debit_note()["name"], "Correction Invoice (Increase)"
        )
        correction = self.raise_cable(self.upward(invoice))
        self.assertEqual(correction.type_name, "Correction Invoice")
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_invoicing_pl"], ["pl_PL"], overwrite=True
        )
        polish = invoice.with_context(lang="pl_PL")
        self.assertEqual(
            polish.action_reverse()["name"], "Faktura korygująca (zmniejszenie)"
        )
        self.assertEqual(
            polish.action_debit_note()["name"], "Faktura korygująca (zwiększenie)"
        )
        self.assertEqual(
            correction.with_context(lang="pl_PL").type_name, "Faktura korygująca"
        )

        # The buttons of the form and of the wizards (the arch may carry the
        # letters as character references: read it as XML).
        def buttons(model, **context):
            arch = self.env[model].with_context(lang="pl_PL").get_view(**context)
            return etree.fromstring(arch["arch"]).xpath("//button/@string")

        self.assertLessEqual(
            {"Faktura korygująca (zmniejszenie)", "Faktura korygująca (zwiększenie)"},
            set(buttons("account.move", view_type="form")),
        )
        for model in ("account.move.reversal", "account.debit.note"):
            self.assertIn("Wystaw fakturę korygującą", buttons(model))

    def test_wizard_form(self):
        invoice = self.invoice()
        wizard = Form(
            self.env["account.debit.note"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        )
        self.assertTrue(wizard.pl_correction)
        wizard.reason = "Błąd w cenie"
        wizard.date = fields.Date.to_date("2026-11-20")
        action = wizard.save().create_debit()
        correction = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(action["name"], "Correction Invoice (Increase)")
        self.assertEqual(correction.pl_correction_reason, "Błąd w cenie")
        self.assertFalse(correction.invoice_line_ids)


@tagged("post_install", "-at_install")
class TestUpwardCorrectionPdf(PdfReportMixin, UpwardCorrectionCommon, HttpCase):
    min_words = 60

    def test_printout(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.customer.lang = "pl_PL"
        invoice = self.invoice()
        correction = self.raise_cable(self.upward(invoice))
        correction.action_post()
        text = self.pdf_text(correction)
        self.assertAllIn(
            [
                "Faktura korygująca nr KOR/1/11/2026",
                "Dotyczy faktury nr %s z dnia 2026-11-15" % invoice.name,
                "Przyczyna korekty: Podwyżka ceny miedzi",
                "Przed korektą 700,00 161,00 861,00",
                "Po korekcie 730,00 167,90 897,90",
                "Różnica 30,00 6,90 36,90",
                "Do zapłaty: 36,90 PLN",
            ],
            text,
        )
        self.assertNotIn("Nota", text)
