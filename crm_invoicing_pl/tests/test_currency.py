from odoo import Command, fields
from odoo.exceptions import RedirectWarning
from odoo.tests import freeze_time, tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestForeignCurrency(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # NBP table A mid rates (PLN per EUR); Odoo stores EUR per PLN.
        cls.eur = cls.setup_other_currency(
            "EUR",
            rates=[
                ("2026-11-06", 1 / 4.2500),  # Friday
                ("2026-11-09", 1 / 4.2600),  # Monday
                ("2026-11-10", 1 / 4.2700),  # Tuesday; 11 Nov is a holiday
                ("2026-11-12", 1 / 4.2900),  # Thursday
            ],
        )

    def _eur_invoice(self, invoice_date, supply_date=None):
        return self.pl_invoice(
            date=invoice_date,
            currency_id=self.eur.id,
            taxable_supply_date=supply_date,
            lines=[(self.goods, 1, 1000.0)],
        )

    def test_rate_of_last_business_day_before_supply(self):
        # Supply on Monday 9 Nov: Friday's table, not Monday's.
        invoice = self._eur_invoice("2026-11-09", "2026-11-09")
        self.assertEqual(str(invoice.pl_rate_date), "2026-11-06")
        self.assertAlmostEqual(invoice.pl_rate, 4.25, places=4)

    def test_rate_skips_holiday(self):
        # Supply on Thursday 12 Nov: 11 Nov (holiday) has no table, so 10 Nov.
        invoice = self._eur_invoice("2026-11-12", "2026-11-12")
        self.assertEqual(str(invoice.pl_rate_date), "2026-11-10")
        self.assertAlmostEqual(invoice.pl_rate, 4.27, places=4)

    def test_invoice_issued_before_supply_uses_issue_date(self):
        invoice = self._eur_invoice("2026-11-10", "2026-11-13")
        self.assertEqual(str(invoice.pl_rate_date), "2026-11-09")

    def test_vat_converted_with_that_rate(self):
        invoice = self._eur_invoice("2026-11-13", "2026-11-13")
        self.assertEqual(str(invoice.pl_rate_date), "2026-11-12")
        # 230 EUR of VAT at 4,29 is 986,70 PLN in the ledger.
        tax_line = invoice.line_ids.filtered(lambda aml: aml.display_type == "tax")
        self.assertAlmostEqual(-tax_line.balance, 986.70, places=2)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_pln_invoice_has_no_rate(self):
        invoice = self.pl_invoice()
        self.assertFalse(invoice.pl_rate_date)

    def test_correction_keeps_the_rate_of_the_corrected_invoice(self):
        """A correction of a foreign-currency invoice is converted at the rate
        of the invoice it corrects (corrections-2026-12.md: practice and the
        MF / courts), not at the rate of its own date."""
        invoice = self._eur_invoice("2026-11-10", "2026-11-10")
        self.assertEqual(str(invoice.pl_rate_date), "2026-11-09")
        invoice.action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "reason": "Rabat potransakcyjny",
                    "date": fields.Date.to_date("2026-11-13"),
                    "journal_id": invoice.journal_id.id,
                }
            )
        )
        correction = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        self.assertEqual(correction.invoice_date, fields.Date.to_date("2026-11-13"))
        self.assertEqual(str(correction.pl_rate_date), "2026-11-09")
        self.assertAlmostEqual(correction.pl_rate, 4.26, places=4)
        self.assertAlmostEqual(
            correction.invoice_currency_rate, invoice.invoice_currency_rate
        )
        correction.action_post()
        self.assertEqual(correction.state, "posted")
        # 230 EUR of VAT back at 4,26, as booked: 979,80 PLN.
        tax_line = correction.line_ids.filtered(lambda aml: aml.display_type == "tax")
        self.assertAlmostEqual(tax_line.balance, 979.80, places=2)

    def _eur_sale(self, product, tax, invoice_date, supply_date, partner=None):
        return self.pl_invoice(
            partner=partner,
            date=invoice_date,
            currency_id=self.eur.id,
            taxable_supply_date=supply_date,
            lines=[(product, 1, 1000.0, tax)],
        )

    def _german_buyer(self):
        return self.env["res.partner"].create(
            {
                "name": "Beispiel GmbH",
                "is_company": True,
                "vat": "DE312345671",
                "country_id": self.env.ref("base.de").id,
            }
        )

    def test_wdt_rate_of_the_invoice_date(self):
        """Art. 20 ust. 1: goods supplied to another EU country on Monday
        9 Nov and invoiced on Friday 13 Nov: the tax point is the invoice
        date, so the rate is of Thursday 12 Nov (4,29), not of Friday 6 Nov
        (4,25) as for a domestic supply (art. 19a ust. 1)."""
        buyer = self._german_buyer()
        wdt = self._eur_sale(
            self.goods, self._pl_tax("vs_unia"), "2026-11-13", "2026-11-09", buyer
        )
        self.assertEqual(wdt._pl_tax_point_rule(), "wdt")
        self.assertEqual(str(wdt._pl_tax_point()), "2026-11-13")
        self.assertEqual(str(wdt.pl_rate_date), "2026-11-12")
        self.assertAlmostEqual(wdt.pl_rate, 4.29, places=4)
        # Booked (VAT period, JPK month) at the tax point.
        self.assertEqual(str(wdt.date), "2026-11-13")
        domestic = self._eur_sale(self.goods, self.tax_23, "2026-11-13", "2026-11-09")
        self.assertEqual(str(domestic._pl_tax_point()), "2026-11-09")
        self.assertEqual(str(domestic.pl_rate_date), "2026-11-06")
        self.assertEqual(str(domestic.date), "2026-11-09")
        # Supplied on 20 Oct, invoiced on 13 Nov: at the latest 15 Nov, so 13
        # Nov and November; invoiced on 20 Nov it would be 15 Nov.
        late = self._eur_sale(
            self.goods, self._pl_tax("vs_unia"), "2026-11-20", "2026-10-20", buyer
        )
        self.assertEqual(str(late.date), "2026-11-15")
        self.assertEqual(str(late.pl_rate_date), "2026-11-12")

    @freeze_time("2026-11-13")
    def test_new_wdt_draft_without_dates(self):
        """A new draft to a buyer in another EU country has neither date yet:
        its rate is that of the day before today until they are set (the tax
        point of art. 20 ust. 1 used to fail on the missing dates)."""
        buyer = self._german_buyer()
        draft = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": buyer.id,
                "currency_id": self.eur.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.goods.id,
                            "price_unit": 1000.0,
                            "tax_ids": [Command.set(self._pl_tax("vs_unia").ids)],
                        }
                    )
                ],
            }
        )
        self.assertTrue(draft.pl_document_type_id)
        self.assertFalse(draft.invoice_date or draft.taxable_supply_date)
        self.assertEqual(draft._pl_tax_point_rule(), "wdt")
        self.assertEqual(str(draft.pl_rate_date), "2026-11-12")
        self.assertAlmostEqual(draft.pl_rate, 4.29, places=4)

    def test_tax_point_synced_at_posting(self):
        """Dates entered before the lines: posting books the invoice at the
        tax point the lines decide (WDT: the invoice date) and at its rate."""
        buyer = self.env["res.partner"].create(
            {
                "name": "Beispiel GmbH",
                "is_company": True,
                "vat": "DE312345671",
                "street": "Musterstr. 1",
                "zip": "10115",
                "city": "Berlin",
                "country_id": self.env.ref("base.de").id,
            }
        )
        invoice = self._eur_sale(
            self.goods, self.tax_23, "2026-11-13", "2026-11-09", buyer
        )
        self.assertEqual(str(invoice.date), "2026-11-09")
        invoice.invoice_line_ids.tax_ids = self._pl_tax("vs_unia")
        # Still converted at the domestic rate day's rate (6 Nov): refused
        # until the rate of the tax point is applied (art. 31a).
        with self.assertRaises(RedirectWarning):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        invoice.refresh_invoice_currency_rate()
        invoice.action_post()
        self.assertEqual(str(invoice.date), "2026-11-13")
        self.assertAlmostEqual(invoice.pl_rate, 4.29, places=4)
        tax_free_line = invoice.line_ids.filtered(
            lambda aml: aml.display_type == "product"
        )
        self.assertAlmostEqual(-tax_free_line.balance, 4290.0, places=2)

    def test_services_taxed_on_the_invoice(self):
        """Art. 19a ust. 5 pkt 4: rent for a period ended on Monday 9 Nov,
        invoiced on Friday 13 Nov: the tax point is the invoice date (rate of
        12 Nov); invoiced after its payment deadline (Tuesday 10 Nov), the
        deadline (ust. 7: rate of 9 Nov)."""
        rent = self._create_product(
            name="Czynsz najmu", type="service", pl_tax_point_rule="on_invoice"
        )
        invoice = self._eur_sale(rent, self.tax_23, "2026-11-13", "2026-11-09")
        self.assertEqual(str(invoice._pl_tax_point()), "2026-11-13")
        self.assertEqual(str(invoice.pl_rate_date), "2026-11-12")
        invoice.invoice_date_due = fields.Date.to_date("2026-11-10")
        self.assertEqual(str(invoice._pl_tax_point()), "2026-11-10")
        invoice._pl_sync_tax_point()
        invoice.refresh_invoice_currency_rate()
        self.assertEqual(str(invoice.date), "2026-11-10")
        self.assertEqual(str(invoice.pl_rate_date), "2026-11-09")
        self.assertAlmostEqual(invoice.pl_rate, 4.26, places=4)
