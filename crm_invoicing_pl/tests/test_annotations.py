from odoo.tests import tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestAnnotations(PlInvoicingCommon):
    def _gross(self, gross, product=None, partner=None, **values):
        """An invoice of one 23 % line whose gross total is ``gross``."""
        invoice = self.pl_invoice(
            partner=partner,
            lines=[(product or self.annex15, 1, round(gross / 1.23, 2))],
            **values,
        )
        self.assertAlmostEqual(invoice.amount_total, gross, places=2)
        return invoice

    def test_split_payment_threshold_is_strictly_above_15000(self):
        self.assertFalse(self._gross(15000.00).pl_split_payment)
        self.assertTrue(self._gross(15000.01).pl_split_payment)

    def test_split_payment_needs_annex_15_goods(self):
        self.assertFalse(self._gross(20000.01, product=self.goods).pl_split_payment)

    def test_split_payment_only_between_businesses(self):
        invoice = self._gross(20000.01, partner=self.consumer)
        self.assertFalse(invoice.pl_split_payment)

    def test_split_payment_sole_trader_stored_as_person(self):
        """Art. 106e ust. 1 pkt 18a: split payment is owed by a taxpayer buyer;
        a sole trader (a person, not a company) with a NIP is one."""
        trader = self.env["res.partner"].create(
            {
                "name": "Jan Kowalski Usługi Remontowe",
                "is_company": False,
                "vat": "PL9510000009",
                "country_id": self.env.ref("base.pl").id,
                "street": "ul. Długa 1",
                "zip": "00-001",
                "city": "Warszawa",
            }
        )
        self.assertTrue(self._gross(20000.01, partner=trader).pl_split_payment)
        self.assertFalse(self._gross(15000.00, partner=trader).pl_split_payment)

    def test_split_payment_not_on_pro_forma(self):
        self.assertFalse(self._gross(20000.01, kind="proforma").pl_split_payment)

    def test_split_payment_converts_foreign_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-11-13", 0.25)])
        # 3 750,01 EUR gross at 4 PLN is 15 000,04 PLN.
        above = self.pl_invoice(lines=[(self.annex15, 1, 3048.79)], currency_id=eur.id)
        self.assertAlmostEqual(above.amount_total, 3750.01, places=2)
        self.assertTrue(above.pl_split_payment)
        below = self.pl_invoice(lines=[(self.annex15, 1, 3048.78)], currency_id=eur.id)
        # 3 750,00 EUR is exactly 15 000,00 PLN: not above the threshold.
        self.assertAlmostEqual(below.amount_total, 3750.00, places=2)
        self.assertFalse(below.pl_split_payment)

    def test_reverse_charge_and_exempt_flags(self):
        invoice = self.pl_invoice(
            lines=[
                (self.service, 1, 100.0, self.tax_oo),
                (self.service, 1, 50.0, self.tax_zw),
            ]
        )
        self.assertTrue(invoice.pl_reverse_charge)
        self.assertTrue(invoice.pl_has_exempt_lines)
        plain = self.pl_invoice()
        self.assertFalse(plain.pl_reverse_charge or plain.pl_has_exempt_lines)

    def test_tax_kinds_read_from_l10n_pl_tags(self):
        self.assertEqual(self.tax_23.pl_vat_kind, "standard")
        self.assertEqual(self.tax_zw.pl_vat_kind, "exempt")
        self.assertEqual(self.tax_oo.pl_vat_kind, "reverse_charge")
        self.assertEqual(self._pl_tax("vs_unia").pl_vat_kind, "intra_eu")
        self.assertEqual(self._pl_tax("vs_eksp_tow").pl_vat_kind, "export")

    def test_amount_in_words(self):
        invoice = self.pl_invoice(lines=[(self.goods, 1, 1003.71)])
        self.assertEqual(invoice.amount_total, 1234.56)
        self.assertEqual(
            invoice.pl_amount_words,
            "tysiąc dwieście trzydzieści cztery złote pięćdziesiąt sześć groszy",
        )
        self.assertIn("zlotys", invoice.pl_amount_words_en)

    def test_place_of_issue_from_settings(self):
        self.company.pl_place_of_issue = "Piaseczno"
        self.assertEqual(self.pl_invoice().pl_place_of_issue, "Piaseczno")
