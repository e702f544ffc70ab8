"""The exchange rate on the invoice form the Polish way: "1 EUR = 4,2450 PLN".

Odoo shows "1 PLN = 0,235571 EUR" (``invoice_currency_rate``); a company in
PLN sees and edits NBP's figure instead (``pl_rate``), with the date of the
NBP table it comes from.
"""

from odoo.tests import Form, tagged
from odoo.tools import format_date

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestRateDisplay(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # NBP table A of Friday 13 Nov 2026: 4,2450 PLN per EUR (Odoo keeps
        # EUR per PLN), the rate of the invoices of Monday 16 Nov.
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-11-13", 1 / 4.2450)])
        cls.rate_day = cls.env["res.currency.rate"].search(
            [("currency_id", "=", cls.eur.id), ("name", "=", "2026-11-13")], limit=1
        )

    def _eur_invoice(self):
        return self.pl_invoice(
            date="2026-11-16",
            currency_id=self.eur.id,
            lines=[(self.goods, 1, 1000.0)],
        )

    def _nbp_of_13_november(self):
        return "NBP table of %s" % format_date(self.env, self.rate_day.name)

    def test_rate_shown_as_nbp_publishes_it(self):
        invoice = self._eur_invoice()
        self.assertAlmostEqual(invoice.invoice_currency_rate, 1 / 4.2450)
        self.assertTrue(invoice.pl_show_pln_rate)
        self.assertEqual(invoice.pl_rate_display, "1 EUR = 4,2450 PLN")
        self.assertEqual(invoice.pl_rate_source, self._nbp_of_13_november())

    def test_pln_invoice_has_no_rate_display(self):
        invoice = self.pl_invoice()
        self.assertTrue(invoice.pl_show_pln_rate)
        self.assertFalse(invoice.pl_rate_display)
        self.assertFalse(invoice.pl_rate_source)

    def test_rate_entered_by_hand(self):
        invoice = self._eur_invoice()
        invoice.invoice_currency_rate = 1 / 4.3
        self.assertEqual(invoice.pl_rate_display, "1 EUR = 4,3000 PLN")
        self.assertEqual(
            invoice.pl_rate_source,
            "entered by hand (NBP table of %s: 4,2450)"
            % format_date(self.env, self.rate_day.name),
        )

    def test_writing_the_polish_rate_sets_odoo_rate(self):
        invoice = self._eur_invoice()
        invoice.pl_rate = 4.5
        self.assertAlmostEqual(invoice.invoice_currency_rate, 1 / 4.5)
        # 230 EUR of VAT at 4,50: 1035,00 PLN in the ledger.
        tax_line = invoice.line_ids.filtered(lambda aml: aml.display_type == "tax")
        self.assertAlmostEqual(-tax_line.balance, 1035.0, places=2)
        # Writing the same rate again changes nothing (no float noise).
        rate = invoice.invoice_currency_rate
        invoice.write({"pl_rate": invoice.pl_rate, "invoice_currency_rate": rate})
        self.assertEqual(invoice.invoice_currency_rate, rate)

    def test_form_shows_and_edits_the_polish_rate(self):
        invoice = self._eur_invoice()
        with Form(invoice) as form:
            self.assertAlmostEqual(form.pl_rate, 4.2450)
            self.assertEqual(form.pl_rate_source, self._nbp_of_13_november())
            form.pl_rate = 4.3
            # Converted at once, as when Odoo's own rate is edited.
            self.assertAlmostEqual(form.invoice_currency_rate, 1 / 4.3)
            self.assertIn("entered by hand", form.pl_rate_source)
        self.assertAlmostEqual(invoice.invoice_currency_rate, 1 / 4.3)
        self.assertEqual(invoice.pl_rate_display, "1 EUR = 4,3000 PLN")
        tax_line = invoice.line_ids.filtered(lambda aml: aml.display_type == "tax")
        self.assertAlmostEqual(-tax_line.balance, 989.0, places=2)
        # Odoo's refresh puts the NBP rate back.
        invoice.refresh_invoice_currency_rate()
        self.assertEqual(invoice.pl_rate_display, "1 EUR = 4,2450 PLN")
        self.assertEqual(invoice.pl_rate_source, self._nbp_of_13_november())

    def test_form_date_change_keeps_the_rate_exact(self):
        """A rate recomputed by the form (another date) is saved as Odoo
        computed it: the Polish figure sent along does not round it."""
        invoice = self.pl_invoice(
            date="2026-11-13", currency_id=self.eur.id, lines=[(self.goods, 1, 10.0)]
        )
        self.env["res.currency.rate"].create(
            {
                "name": "2026-11-16",
                "currency_id": self.eur.id,
                "company_id": self.company.id,
                "rate": 1 / 4.2512,
            }
        )
        with Form(invoice) as form:
            form.invoice_date = "2026-11-17"
        self.assertEqual(invoice.invoice_currency_rate, invoice.expected_currency_rate)
        self.assertEqual(invoice.pl_rate_display, "1 EUR = 4,2512 PLN")
