"""Real PDF printouts of the Polish documents, read back with pdftotext."""

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import PlInvoicingCommon
from .pdf_report import PdfReportMixin

DIACRITICS = "Zażółć gęślą jaźń — ZAŻÓŁĆ GĘŚLĄ JAŹŃ"
EXEMPTION = "art. 43 ust. 1 pkt 18 ustawy o VAT"


class ReportPdfCommon(PdfReportMixin, PlInvoicingCommon):
    min_words = 60

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A Polish-speaking customer gets a Polish-only document, whether or
        # not the translations of pl_PL are loaded.
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.customer.lang = "pl_PL"
        cls.tax_oo = cls.tax_oo or cls._pl_tax("vs_stal")
        cls.tax_oo.active = True
        cls.tax_zw.pl_exemption_basis = EXEMPTION

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def assertCommonElements(self, move, text, title, line_name):
        """The elements of art. 106e every printed document carries."""
        self.assertAllIn(
            [
                "%s nr %s" % (title, move.name),
                "Miejsce wystawienia",
                "Warszawa",
                "Data wystawienia",
                fields.Date.to_string(move.invoice_date),
                "Sprzedawca",
                "Nabywca",
                "Przykładowa Spółka z o.o.",
                "ul. Świętokrzyska 12",
                "00-916 Warszawa",
                "NIP",
                "5260250274",
                move.commercial_partner_id.name,
                "Lp.",
                "Cena netto",
                "Rabat %",
                "Wartość netto",
                "Stawka VAT",
                "Kwota VAT",
                "Wartość brutto",
                line_name,
                "Razem",
                "Słownie",
                move.pl_amount_words,
                "Sposób płatności",
            ],
            text,
        )

    def fmt(self, amount):
        return self.env["account.move"]._pl_report_format_number(amount)

    def assertTotals(self, move, text):
        summary = move._pl_report_vat_summary()["total"]
        self.assertAlmostEqual(summary["net"], move.amount_untaxed)
        self.assertAlmostEqual(summary["vat"], move.amount_tax)
        self.assertAlmostEqual(summary["gross"], move.amount_total)
        self.assertAllIn(
            [
                self.fmt(move.amount_untaxed),
                self.fmt(move.amount_tax),
                "%s %s" % (self.fmt(move.amount_total), move.currency_id.name),
            ],
            text,
        )

    def assertPayment(self, move, text):
        self.assertAllIn(
            [
                "Termin płatności",
                fields.Date.to_string(move.invoice_date_due),
                "przelew",
                "Numer rachunku",
                self.company_bank.acc_number,
            ],
            text,
        )


@tagged("post_install", "-at_install")
class TestReportPdf(ReportPdfCommon, HttpCase):
    # ------------------------------------------------------------------
    # Template selection
    # ------------------------------------------------------------------
    def test_report_selection(self):
        invoice = self.pl_invoice()
        self.assertEqual(
            invoice._get_name_invoice_report(),
            "crm_invoicing_pl.report_pl_invoice_goods",
        )
        plain = self.pl_invoice(pl_document_type_id=False)
        plain.action_post()
        self.assertEqual(
            plain._get_name_invoice_report(), "account.report_invoice_document"
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", plain.ids)[0]
            .decode()
        )
        self.assertNotIn("o_pl_invoice", html)
        self.assertNotIn("Sprzedawca", html)
        self.assertIn('name="invoice_line_table"', html)
        self.assertIn(plain.name, html)

    # ------------------------------------------------------------------
    # Documents
    # ------------------------------------------------------------------
    def test_vat_invoice_goods(self):
        self.company.pl_cash_accounting = True
        invoice = self.pl_invoice(
            lines=[(self.annex15, 20, 1000.0), (self.goods, 3, 99.5)],
            taxable_supply_date=fields.Date.to_date("2026-11-10"),
        )
        invoice.invoice_line_ids[1].write({"name": DIACRITICS, "discount": 10.0})
        invoice.action_post()
        self.assertTrue(invoice.pl_split_payment)
        text = self.pdf_text(invoice)
        self.assertCommonElements(invoice, text, "Faktura VAT", DIACRITICS)
        self.assertTotals(invoice, text)
        self.assertPayment(invoice, text)
        self.assertAllIn(
            [
                "Telefon komórkowy",
                "J.m.",
                "Ilość",
                "Data sprzedaży: 2026-11-10",
                "NIP: 1234567883",
                "ul. Łąkowa 3",
                "30-001 Kraków",
                "23%",
                "1 000,00",
                "20 000,00",
                # net unit price before the discount, 10 % discount, net value
                "szt. 3 99,50 10 268,65 23% 61,79 330,44",
                "mechanizm podzielonej płatności",
                "metoda kasowa",
            ],
            text,
        )
        for letter in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ":
            self.assertIn(letter, text)
        self.assertNotIn("Seller", text)
        self.assertNotIn("odwrotne obciążenie", text)
        self.assertNotIn("Dokument nie jest fakturą VAT", text)

    def test_vat_invoice_services(self):
        services = self.doc_type("vat").copy(
            {
                "name": "Faktura VAT usługi",
                "number_prefix": "FVU",
                "is_default": False,
                "report_template": "services",
            }
        )
        invoice = self.pl_invoice(
            lines=[
                (self.service, 1, 500.0),
                (self.service, 1, 300.0, self.tax_zw),
                (self.service, 1, 200.0, self.tax_oo),
            ],
            pl_document_type_id=services.id,
        )
        invoice.invoice_line_ids[0].name = "Wdrożenie systemu, listopad 2026"
        invoice.action_post()
        self.assertEqual(
            invoice._get_name_invoice_report(),
            "crm_invoicing_pl.report_pl_invoice_services",
        )
        text = self.pdf_text(invoice)
        self.assertCommonElements(
            invoice, text, "Faktura VAT", "Wdrożenie systemu, listopad 2026"
        )
        self.assertTotals(invoice, text)
        self.assertPayment(invoice, text)
        self.assertTrue(invoice.name.startswith("FVU/"))
        self.assertAllIn(
            [
                "Nazwa usługi",
                " zw ",
                " oo ",
                "odwrotne obciążenie",
                "Podstawa zwolnienia: %s" % EXEMPTION,
            ],
            text,
        )
        self.assertNotIn("J.m.", text)
        self.assertNotIn("Ilość", text)
        self.assertNotIn("metoda kasowa", text)
        self.assertNotIn("mechanizm podzielonej płatności", text)
        rates = [row["rate"] for row in invoice._pl_report_vat_summary()["rows"]]
        self.assertEqual(rates, ["23%", "zw", "oo"])

    def test_proforma(self):
        self.company.pl_cash_accounting = True
        proforma = self.pl_invoice(kind="proforma", lines=[(self.annex15, 20, 1000.0)])
        proforma.action_pl_issue_proforma()
        self.assertTrue(proforma.name.startswith("PF/"))
        self.assertEqual(proforma.state, "draft")
        text = self.pdf_text(proforma)
        self.assertCommonElements(
            proforma, text, "Faktura pro forma", "Telefon komórkowy"
        )
        self.assertTotals(proforma, text)
        self.assertAllIn(["Dokument nie jest fakturą VAT"], text)
        self.assertNotIn("Faktura VAT", text)
        self.assertNotIn("Projekt", text)
        self.assertNotIn("mechanizm podzielonej płatności", text)
        self.assertNotIn("metoda kasowa", text)

    def test_correction(self):
        invoice = self.pl_invoice(
            lines=[(self.goods, 10, 100.0), (self.goods, 5, 100.0, self.tax_8)]
        )
        invoice.action_post()
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
        action = wizard.refund_moves()
        correction = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(correction.pl_document_kind, "correction")
        self.assertEqual(correction.reversed_entry_id, invoice)
        self.assertEqual(correction.pl_correction_reason, "Rabat posprzedażowy")
        # Correct 1 of 10 units at 23 % and 0,50 of 5 at 8 %.
        line_23, line_8 = correction.invoice_line_ids.sorted("sequence")
        line_23.quantity = 1
        line_8.write({"quantity": 1, "price_unit": 50.0})
        # The refund is paid by transfer to the buyer's account.
        correction.partner_bank_id = self.env["res.partner.bank"].create(
            {
                "acc_number": "PL27114020040000300201355387",
                "partner_id": self.customer.id,
            }
        )
        correction.action_post()

        rows = correction._pl_report_correction_rows()
        self.assertEqual([row["rate"] for row in rows], ["23%", "8%", False])
        self.assertEqual(
            rows[0],
            {
                "rate": "23%",
                "before": {"net": 1000.0, "vat": 230.0, "gross": 1230.0},
                "difference": {"net": -100.0, "vat": -23.0, "gross": -123.0},
                "after": {"net": 900.0, "vat": 207.0, "gross": 1107.0},
            },
        )
        self.assertEqual(rows[1]["after"], {"net": 450.0, "vat": 36.0, "gross": 486.0})
        self.assertEqual(
            rows[2]["difference"], {"net": -150.0, "vat": -27.0, "gross": -177.0}
        )

        text = self.pdf_text(correction)
        self.assertCommonElements(
            correction, text, "Faktura korygująca", "Kabel miedziany"
        )
        self.assertTotals(correction, text)
        self.assertAllIn(
            [
                "Dotyczy faktury nr %s z dnia 2026-11-15" % invoice.name,
                "Przyczyna korekty: Rabat posprzedażowy",
                "Przed korektą 1 000,00 230,00 1 230,00",
                "Po korekcie 900,00 207,00 1 107,00",
                "Różnica -100,00 -23,00 -123,00",
                "Po korekcie 450,00 36,00 486,00",
                "Różnica -150,00 -27,00 -177,00",
                "Do zwrotu: 177,00 PLN",
                "Rachunek do zwrotu: %s" % correction.partner_bank_id.acc_number,
            ],
            text,
        )

        # A second correction starts from the invoice as already corrected.
        second = correction.copy(
            {
                "reversed_entry_id": invoice.id,
                "pl_correction_reason": "Zwrot towaru",
                "invoice_date": "2026-11-25",
            }
        )
        second.invoice_line_ids.filtered(lambda ml: ml.tax_ids == self.tax_8).unlink()
        rows = second._pl_report_correction_rows()
        self.assertEqual(
            rows[0]["before"], {"net": 900.0, "vat": 207.0, "gross": 1107.0}
        )
        self.assertEqual(rows[0]["after"], {"net": 800.0, "vat": 184.0, "gross": 984.0})

    def test_foreign_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-11-13", 1 / 4.3)])
        invoice = self.pl_invoice(
            date="2026-11-16",
            currency_id=eur.id,
            lines=[(self.goods, 1, 1000.0), (self.goods, 1, 100.0, self.tax_8)],
        )
        invoice.action_post()
        self.assertEqual(invoice.pl_rate_date, fields.Date.to_date("2026-11-13"))
        summary = invoice._pl_report_vat_summary()
        # The VAT in PLN is the balance of the tax lines, per rate.
        tax_lines = invoice.line_ids.filtered(lambda ml: ml.display_type == "tax")
        self.assertAlmostEqual(
            summary["total"]["vat_company"], -sum(tax_lines.mapped("balance"))
        )
        self.assertEqual(
            [(row["rate"], row["vat"], row["vat_company"]) for row in summary["rows"]],
            [("23%", 230.0, 989.0), ("8%", 8.0, 34.4)],
        )
        text = self.pdf_text(invoice)
        self.assertCommonElements(invoice, text, "Faktura VAT", "Kabel miedziany")
        self.assertTotals(invoice, text)
        self.assertPayment(invoice, text)
        self.assertAllIn(
            [
                "Kurs NBP z dnia 2026-11-13: 1 EUR = 4,3000 PLN",
                "Kwota VAT w PLN",
                "23% 1 000,00 230,00 1 230,00 989,00",
                "8% 100,00 8,00 108,00 34,40",
                "Razem 1 100,00 238,00 1 338,00 1 023,40",
                "Kwota VAT w PLN: 1 023,40 PLN",
                "1 338,00 EUR",
            ],
            text,
        )

    def test_bilingual(self):
        foreign_buyer = self.customer.copy(
            {
                "name": "Müller Großhandel GmbH",
                "lang": "en_US",
                "vat": "DE123456788",
                "street": "Hauptstraße 5",
                "zip": "10115",
                "city": "Berlin",
                "country_id": self.env.ref("base.de").id,
            }
        )
        invoice = self.pl_invoice(
            partner=foreign_buyer, lines=[(self.service, 1, 500.0)]
        )
        invoice.action_post()
        self.assertTrue(invoice.pl_is_bilingual)
        text = self.pdf_text(invoice)
        self.assertCommonElements(invoice, text, "Faktura VAT", "Usługa wdrożeniowa")
        self.assertTotals(invoice, text)
        self.assertPayment(invoice, text)
        self.assertAllIn(
            [
                "VAT invoice no. %s" % invoice.name,
                "Sprzedawca / Seller",
                "Nabywca / Buyer",
                "Data wystawienia / Date of issue",
                "Słownie / In words",
                invoice.pl_amount_words_en,
                "Termin płatności / Payment due",
                "Numer rachunku / Bank account",
                "przelew / bank transfer",
                "NIP VAT-UE / EU VAT No.: PL5260250274",
                "NIP VAT-UE / EU VAT No.: DE123456788",
                "Müller Großhandel GmbH",
                "Germany",
            ],
            text,
        )

    # ------------------------------------------------------------------
    # Formatting helpers
    # ------------------------------------------------------------------
    def test_format_helpers(self):
        move = self.env["account.move"]
        self.assertEqual(move._pl_report_format_number(1234567.891), "1 234 567,89")
        self.assertEqual(move._pl_report_format_number(-0.001), "0,00")
        self.assertEqual(move._pl_report_format_number(4.3, 4), "4,3000")
        self.assertEqual(move._pl_report_format_quantity(2.0), "2")
        self.assertEqual(move._pl_report_format_quantity(1.5), "1,5")
        self.assertEqual(move._pl_report_tax_label(self.tax_23), "23%")
        self.assertEqual(move._pl_report_tax_label(self.tax_zw), "zw")
        self.assertEqual(move._pl_report_tax_label(self.tax_oo), "oo")
