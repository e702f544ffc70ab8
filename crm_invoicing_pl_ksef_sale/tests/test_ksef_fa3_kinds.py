"""FA(3) XML of every document kind, made through the suite's own flows.

VAT, ZAL (advance), ROZ (final), KOR, KOR_ZAL and KOR_ROZ: each XML is
validated against the FA(3) XSD (lxml, tools/ksef_xsd.py) and its key
elements are compared with the values worked out by hand.

The order of AdvanceCommon: 3 x 100,00 at 23 %, 250,00 at 8 % and 131,00
exempt, 770,00 gross. An advance of 333,33 splits into 159,74 at 23 %
(129,87 + 29,87), 116,88 at 8 % (108,22 + 8,66) and 56,71 exempt.
"""

from odoo import Command, fields
from odoo.addons.crm_invoicing_pl_ksef.tests import test_ksef_fa3
from odoo.addons.crm_invoicing_pl_ksef.tests.fa3_xml import NS, Fa3XmlMixin
from odoo.addons.crm_invoicing_pl_sale.tests.test_advance_correction import (
    AdvanceCorrectionCommon,
)
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

# KSeF numbers (TNumerKSeF): seller's NIP, date, hash parts, checksum.
KSEF_ADVANCE = "5260250274-20261110-0A1B2C-3D4E5F-A1"
KSEF_INVOICE = "5260250274-20261115-00FF00-ABCDEF-07"


@tagged("post_install", "-at_install")
class TestKsefFa3Kinds(Fa3XmlMixin, AdvanceCorrectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hours = cls._create_product(
            name="Konsultacje",
            type="service",
            lst_price=200.0,
            uom_id=cls.env.ref("uom.product_uom_hour").id,
            taxes_id=[Command.set(cls.tax_23.ids)],
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def reverse(self, move, reason="Zwrot towaru", **values):
        """Correction (credit note) of ``move`` from the reversal wizard."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"reason": reason, "journal_id": move.journal_id.id, **values})
        )
        return self.env["account.move"].browse(wizard.refund_moves()["res_id"])

    def final(self, order):
        final = self.final_invoice(order)
        final.action_post()
        return final

    # ------------------------------------------------------------------
    # VAT
    # ------------------------------------------------------------------
    def test_vat_units_in_polish_and_sale_date(self):
        invoice = self.pl_invoice(
            lines=[(self.goods, 2, 100.0), (self.hours, 1.5, 200.0)],
            taxable_supply_date="2026-11-12",
        )
        root = self.xml(invoice)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "VAT")
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_6"), "2026-11-12")
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_8A", "P_8B", "P_9A", "P_11", "P_12")),
            [
                ("szt.", "2", "100.00", "200.00", "23"),
                ("godz.", "1.5", "200.00", "300.00", "23"),
            ],
        )
        self.assertEqual(
            self.amounts(root),
            {"P_13_1": "500.00", "P_14_1": "115.00", "P_15": "615.00"},
        )
        self.assertFalse(
            root.xpath("//fa:Zamowienie | //fa:FakturaZaliczkowa", namespaces=NS)
        )

    def test_vat_sale_date_equal_to_issue_date_is_left_out(self):
        invoice = self.pl_invoice(taxable_supply_date="2026-11-15")
        root = self.xml(invoice)
        self.assertFalse(root.xpath("//fa:Fa/fa:P_6", namespaces=NS))

    # ------------------------------------------------------------------
    # ZAL: advance invoices
    # ------------------------------------------------------------------
    def test_advance_is_zal_with_the_order(self):
        order = self.make_order()
        advance = self.advance(order, 333.33)
        root = self.xml(advance)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ZAL")
        # The date the payment was received.
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_6"), "2026-11-10")
        # The payment: net and KP per rate, its gross total.
        self.assertEqual(
            self.amounts(root),
            {
                "P_13_1": "129.87",
                "P_14_1": "29.87",
                "P_13_2": "108.22",
                "P_14_2": "8.66",
                "P_13_7": "56.71",
                "P_15": "333.33",
            },
        )
        self.assertEqual(self.text(root, "//fa:Zwolnienie/fa:P_19"), "1")
        self.assertEqual(
            self.text(root, "//fa:Zwolnienie/fa:P_19A"),
            "art. 43 ust. 1 pkt 18 ustawy o VAT",
        )
        # The ordered goods are in Zamowienie, none in FaWiersz.
        self.assertFalse(root.xpath("//fa:FaWiersz", namespaces=NS))
        self.assertEqual(
            self.text(root, "//fa:Zamowienie/fa:WartoscZamowienia"), "770.00"
        )
        self.assertEqual(
            self.rows(
                root,
                "Zamowienie/fa:ZamowienieWiersz",
                (
                    "NrWierszaZam",
                    "P_7Z",
                    "P_8AZ",
                    "P_8BZ",
                    "P_9AZ",
                    "P_11NettoZ",
                    "P_11VatZ",
                    "P_12Z",
                    "StanPrzedZ",
                ),
            ),
            [
                (
                    "1",
                    "Kabel miedziany",
                    "szt.",
                    "3",
                    "100.00",
                    "300.00",
                    "69.00",
                    "23",
                    None,
                ),
                ("2", "Książka", "szt.", "1", "250.00", "250.00", "20.00", "8", None),
                (
                    "3",
                    "Szkolenie zwolnione",
                    "szt.",
                    "1",
                    "131.00",
                    "131.00",
                    "0.00",
                    "zw",
                    None,
                ),
            ],
        )
        # A first advance settles nothing.
        self.assertFalse(root.xpath("//fa:FakturaZaliczkowa", namespaces=NS))
        self.assertFalse(root.xpath("//fa:KursWalutyZ", namespaces=NS))

    def test_advance_keeps_the_order_at_issue(self):
        order = self.make_order()
        advance = self.advance(order, 333.33)
        order.order_line.filtered(lambda line: line.product_id == self.goods).write(
            {"product_uom_qty": 5.0}
        )
        root = self.xml(advance)
        self.assertEqual(self.text(root, "//fa:WartoscZamowienia"), "770.00")
        self.assertEqual(
            self.texts(root, "//fa:ZamowienieWiersz/fa:P_8BZ"), ["3", "1", "1"]
        )

    def test_last_advance_lists_the_earlier_ones(self):
        order = self.make_order()
        first = self.advance(order, 333.33)
        first.l10n_pl_edi_number = KSEF_ADVANCE
        second = self.advance(order, 308.0)
        third = self.advance(order, 128.67)
        root = self.xml(third)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ZAL")
        self.assertEqual(
            self.rows(
                root,
                "FakturaZaliczkowa",
                ("NrKSeFFaZaliczkowej", "NrKSeFZN", "NrFaZaliczkowej"),
            ),
            [(KSEF_ADVANCE, None, None), (None, "1", second.name)],
        )
        self.assertEqual(self.amounts(root)["P_15"], "128.67")

    def test_advance_in_euro(self):
        eur = self.setup_other_currency(
            "EUR", rates=[("2026-01-01", 1 / 4.0), ("2026-11-09", 1 / 4.25)]
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id, "company_id": self.company.id}
        )
        order = self.make_order(
            lines=[(self.goods, 10)], pricelist_id=pricelist.id, date_order="2026-11-02"
        )
        order.order_line.price_unit = 100.0
        advance = self.advance(order, 615.0, post=False)
        advance.invoice_date = "2026-11-10"
        root = self.xml(advance)
        self.assertEqual(self.text(root, "//fa:KodWaluty"), "EUR")
        self.assertEqual(
            self.amounts(root),
            {
                "P_13_1": "500.00",
                "P_14_1": "115.00",
                "P_14_1W": "488.75",
                "P_15": "615.00",
            },
        )
        self.assertEqual(self.text(root, "//fa:KursWalutyZ"), "4.2500")
        # Payment received on the issue date: no P_6.
        self.assertFalse(root.xpath("//fa:Fa/fa:P_6", namespaces=NS))
        self.assertEqual(self.text(root, "//fa:WartoscZamowienia"), "1230.00")
        self.assertEqual(
            self.rows(
                root,
                "Zamowienie/fa:ZamowienieWiersz",
                ("P_9AZ", "P_11NettoZ", "P_11VatZ"),
            ),
            [("100.00", "1000.00", "230.00")],
        )
        # The final invoice in EUR: the rest, rate on each line. Issued on the
        # day of the advance: the NBP rate of 9 November (art. 31a).
        final = self.final_invoice(order)
        final.invoice_date = "2026-11-10"
        final.action_post()
        root = self.xml(final)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ROZ")
        self.assertEqual(self.amounts(root)["P_15"], "615.00")
        self.assertFalse(root.xpath("//fa:KursWalutyZ", namespaces=NS))
        self.assertEqual(self.texts(root, "//fa:FaWiersz/fa:KursWaluty"), ["4.2500"])

    def test_correction_of_an_advance_in_euro(self):
        eur = self.setup_other_currency(
            "EUR", rates=[("2026-01-01", 1 / 4.0), ("2026-11-09", 1 / 4.25)]
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id, "company_id": self.company.id}
        )
        order = self.make_order(
            lines=[(self.goods, 10)], pricelist_id=pricelist.id, date_order="2026-11-02"
        )
        order.order_line.price_unit = 100.0
        advance = self.advance(order, 615.0, post=False)
        advance.invoice_date = "2026-11-10"
        advance.action_post()
        correction = self.correct(advance, {self.tax_23: 100.0})
        root = self.xml(correction)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "KOR_ZAL")
        self.assertEqual(self.text(root, "//fa:KodWaluty"), "EUR")
        self.assertEqual(self.text(root, "//fa:P_15ZK"), "615.00")
        self.assertEqual(self.text(root, "//fa:KursWalutyZK"), "4.2500")
        self.assertEqual(self.text(root, "//fa:KursWalutyZ"), "4.2500")
        self.assertEqual(self.amounts(root)["P_13_1"], "-100.00")
        self.assertEqual(self.amounts(root)["P_15"], "-123.00")
        self.assertEqual(self.texts(root, "//fa:ZamowienieWiersz/fa:StanPrzedZ"), ["1"])

    def test_advance_with_split_payment(self):
        order = self.make_order(lines=[(self.annex15, 20), (self.goods, 1)])
        advance = self.advance(order, 1000.0)
        self.assertTrue(advance.pl_split_payment)
        root = self.xml(advance)
        self.assertEqual(self.text(root, "//fa:Adnotacje/fa:P_18A"), "1")
        self.assertEqual(
            self.rows(root, "Zamowienie/fa:ZamowienieWiersz", ("P_7Z", "P_12Z_Zal_15")),
            [("Telefon komórkowy", "1"), ("Kabel miedziany", None)],
        )

    def test_advance_with_reverse_charge(self):
        steel = self._create_product(
            name="Pręty stalowe",
            lst_price=1000.0,
            taxes_id=[Command.set(self.tax_oo.ids)],
            invoice_policy="order",
        )
        order = self.make_order(lines=[(steel, 2)])
        advance = self.advance(order, 500.0)
        root = self.xml(advance)
        self.assertEqual(self.text(root, "//fa:Adnotacje/fa:P_18"), "1")
        self.assertEqual(self.amounts(root), {"P_13_10": "500.00", "P_15": "500.00"})
        self.assertEqual(self.texts(root, "//fa:ZamowienieWiersz/fa:P_12Z"), ["oo"])

    # ------------------------------------------------------------------
    # ROZ: final invoices
    # ------------------------------------------------------------------
    def test_final_is_roz_listing_the_advances(self):
        order = self.make_order()
        first = self.advance(order, 333.33)
        first.l10n_pl_edi_number = KSEF_ADVANCE
        second = self.advance(order, 40.0, method="percentage")
        final = self.final(order)
        root = self.xml(final)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ROZ")
        # In KSeF: by its KSeF number; issued outside KSeF: by its number.
        self.assertEqual(
            self.rows(
                root,
                "FakturaZaliczkowa",
                ("NrKSeFFaZaliczkowej", "NrKSeFZN", "NrFaZaliczkowej"),
            ),
            [(KSEF_ADVANCE, None, None), (None, "1", second.name)],
        )
        # The order less the advances, per rate; the rest to pay.
        self.assertEqual(
            self.amounts(root),
            {
                "P_13_1": "50.13",
                "P_14_1": "11.53",
                "P_13_2": "41.78",
                "P_14_2": "3.34",
                "P_13_7": "21.89",
                "P_15": "128.67",
            },
        )
        # The goods delivered in full; the deductions are no lines.
        self.assertEqual(
            self.rows(root, "FaWiersz", ("NrWierszaFa", "P_7", "P_8B", "P_11", "P_12")),
            [
                ("1", "Kabel miedziany", "3", "300.00", "23"),
                ("2", "Książka", "1", "250.00", "8"),
                ("3", "Szkolenie zwolnione", "1", "131.00", "zw"),
            ],
        )
        self.assertFalse(root.xpath("//fa:Zamowienie", namespaces=NS))

    # ------------------------------------------------------------------
    # KOR: corrections of a Faktura VAT
    # ------------------------------------------------------------------
    def test_correction_type_default_and_choice(self):
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertFalse(invoice.pl_correction_type)
        default = self.reverse(invoice)
        self.assertEqual(default.pl_correction_type, "2")
        chosen = self.reverse(invoice, reason="Błędna cena", pl_correction_type="1")
        self.assertEqual(chosen.pl_correction_type, "1")
        labels = dict(
            self.env["account.move"]
            ._fields["pl_correction_type"]
            ._description_selection(self.env)
        )
        self.assertIn("date of this correction", labels["2"])
        # Offered in the wizard and on the draft correction.
        wizard = Form(
            self.env["account.move.reversal"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        )
        self.assertEqual(wizard.pl_correction_type, "2")
        wizard.reason = "Błędna stawka"
        wizard.pl_correction_type = "1"
        action = wizard.save().refund_moves()
        correction = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(correction.pl_correction_type, "1")
        with Form(correction) as form:
            form.pl_correction_type = "3"
        self.assertEqual(correction.pl_correction_type, "3")

    def test_correction_of_a_price(self):
        invoice = self.pl_invoice(
            lines=[(self.goods, 2, 100.0), (self.hours, 3, 200.0)]
        )
        invoice.action_post()
        correction = self.reverse(invoice, reason="Rabat posprzedażowy")
        # Only the cable is corrected: 30,00 off its unit price.
        correction.write(
            {
                "invoice_line_ids": [
                    Command.update(
                        correction.invoice_line_ids[0].id, {"price_unit": 30.0}
                    ),
                    Command.unlink(correction.invoice_line_ids[1].id),
                ]
            }
        )
        root = self.xml(correction)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "KOR")
        self.assertEqual(
            self.text(root, "//fa:PrzyczynaKorekty"), "Rabat posprzedażowy"
        )
        self.assertEqual(self.text(root, "//fa:TypKorekty"), "2")
        dane = "//fa:DaneFaKorygowanej/"
        self.assertEqual(
            self.text(root, dane + "fa:DataWystFaKorygowanej"), "2026-11-15"
        )
        self.assertEqual(self.text(root, dane + "fa:NrFaKorygowanej"), invoice.name)
        self.assertEqual(self.text(root, dane + "fa:NrKSeFN"), "1")
        self.assertFalse(
            root.xpath("//fa:NrKSeFFaKorygowanej | //fa:P_15ZK", namespaces=NS)
        )
        # Before (StanPrzed) and after, line by line.
        self.assertEqual(
            self.rows(
                root,
                "FaWiersz",
                ("NrWierszaFa", "P_7", "P_8A", "P_8B", "P_9A", "P_11", "StanPrzed"),
            ),
            [
                ("1", "Kabel miedziany", "szt.", "2", "100.00", "200.00", "1"),
                ("2", "Kabel miedziany", "szt.", "2", "70.00", "140.00", None),
            ],
        )
        # The totals are the differences.
        self.assertEqual(
            self.amounts(root),
            {"P_13_1": "-60.00", "P_14_1": "-13.80", "P_15": "-73.80"},
        )

    def test_correction_of_a_quantity_after_an_earlier_one(self):
        invoice = self.pl_invoice(lines=[(self.goods, 5, 100.0)])
        invoice.action_post()
        invoice.l10n_pl_edi_number = KSEF_INVOICE
        first = self.reverse(invoice, reason="Zwrot 1 szt.")
        first.invoice_line_ids.quantity = 1.0
        first.action_post()
        second = self.reverse(invoice, reason="Zwrot 2 szt.", pl_correction_type="3")
        second.invoice_line_ids.quantity = 2.0
        root = self.xml(second)
        self.assertEqual(self.text(root, "//fa:TypKorekty"), "3")
        dane = "//fa:DaneFaKorygowanej/"
        self.assertEqual(self.text(root, dane + "fa:NrKSeF"), "1")
        self.assertEqual(self.text(root, dane + "fa:NrKSeFFaKorygowanej"), KSEF_INVOICE)
        self.assertFalse(root.xpath("//fa:NrKSeFN", namespaces=NS))
        # "Before" is the invoice as the first correction left it: 4 pieces.
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_8B", "P_9A", "P_11", "StanPrzed")),
            [("4", "100.00", "400.00", "1"), ("2", "100.00", "200.00", None)],
        )
        self.assertEqual(
            self.amounts(root),
            {"P_13_1": "-200.00", "P_14_1": "-46.00", "P_15": "-246.00"},
        )

    def test_correction_of_exempt_and_euro_invoices(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-11-13", 1 / 4.23)])
        invoice = self.pl_invoice(
            currency_id=eur.id,
            lines=[(self.goods_zw, 2, 131.0), (self.goods, 1, 1000.0)],
        )
        invoice.action_post()
        correction = self.reverse(invoice, reason="Zwrot szkolenia")
        correction.write(
            {
                "invoice_line_ids": [
                    Command.update(
                        correction.invoice_line_ids[0].id, {"quantity": 1.0}
                    ),
                    Command.unlink(correction.invoice_line_ids[1].id),
                ]
            }
        )
        root = self.xml(correction)
        self.assertEqual(self.text(root, "//fa:KodWaluty"), "EUR")
        self.assertEqual(self.text(root, "//fa:Zwolnienie/fa:P_19"), "1")
        self.assertEqual(
            self.rows(
                root, "FaWiersz", ("P_8B", "P_11", "P_12", "KursWaluty", "StanPrzed")
            ),
            [
                ("2", "262.00", "zw", "4.2300", "1"),
                ("1", "131.00", "zw", "4.2300", None),
            ],
        )
        self.assertEqual(self.amounts(root), {"P_13_7": "-131.00", "P_15": "-131.00"})

    def test_correction_of_a_split_payment_invoice(self):
        invoice = self.pl_invoice(
            lines=[(self.annex15, 1, 12200.0), (self.goods, 1, 100.0)]
        )
        invoice.action_post()
        self.assertTrue(invoice.pl_split_payment)
        correction = self.reverse(invoice, reason="Rabat")
        correction.write(
            {
                "invoice_line_ids": [
                    Command.update(
                        correction.invoice_line_ids[0].id, {"price_unit": 200.0}
                    ),
                    Command.unlink(correction.invoice_line_ids[1].id),
                ]
            }
        )
        root = self.xml(correction)
        self.assertEqual(self.text(root, "//fa:Adnotacje/fa:P_18A"), "1")
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_9A", "P_11", "P_12_Zal_15", "StanPrzed")),
            [("12200.00", "12200.00", "1", "1"), ("12000.00", "12000.00", "1", None)],
        )

    def test_correction_with_a_line_of_its_own(self):
        invoice = self.pl_invoice(lines=[(self.goods, 2, 100.0)])
        invoice.action_post()
        correction = self.reverse(invoice, reason="Rabat za ilość")
        correction.write(
            {
                "invoice_line_ids": [
                    Command.unlink(correction.invoice_line_ids.id),
                    Command.create(
                        {
                            "product_id": self.service.id,
                            "quantity": 1,
                            "price_unit": 20.0,
                        }
                    ),
                ]
            }
        )
        root = self.xml(correction)
        # It corrects no line of the invoice: shown as the difference.
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_7", "P_8B", "P_9A", "P_11", "StanPrzed")),
            [("Usługa wdrożeniowa", "-1", "20.00", "-20.00", None)],
        )
        self.assertEqual(self.amounts(root)["P_15"], "-24.60")

    # ------------------------------------------------------------------
    # KOR_ZAL and KOR_ROZ
    # ------------------------------------------------------------------
    def test_correction_of_an_advance(self):
        order = self.make_big_order()
        advance, correction = self.advance_and_correct(order)
        advance.l10n_pl_edi_number = KSEF_ADVANCE
        root = self.xml(correction)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "KOR_ZAL")
        self.assertEqual(
            self.text(root, "//fa:PrzyczynaKorekty"), "Zwrot części zaliczki"
        )
        self.assertEqual(self.text(root, "//fa:NrFaKorygowanej"), advance.name)
        self.assertEqual(self.text(root, "//fa:NrKSeFFaKorygowanej"), KSEF_ADVANCE)
        # The payment before the correction, and the differences.
        self.assertEqual(self.text(root, "//fa:P_15ZK"), "2580.00")
        self.assertEqual(
            self.amounts(root),
            {
                "P_13_1": "-400.00",
                "P_14_1": "-92.00",
                "P_13_2": "-250.00",
                "P_14_2": "-20.00",
                "P_15": "-762.00",
            },
        )
        self.assertFalse(root.xpath("//fa:FaWiersz", namespaces=NS))
        # The order is unchanged: each line before and after.
        self.assertEqual(self.text(root, "//fa:WartoscZamowienia"), "5160.00")
        self.assertEqual(
            self.rows(
                root,
                "Zamowienie/fa:ZamowienieWiersz",
                ("NrWierszaZam", "P_7Z", "P_8BZ", "P_11NettoZ", "P_12Z", "StanPrzedZ"),
            ),
            [
                ("1", "Kabel miedziany", "20", "2000.00", "23", "1"),
                ("2", "Kabel miedziany", "20", "2000.00", "23", None),
                ("3", "Książka", "10", "2500.00", "8", "1"),
                ("4", "Książka", "10", "2500.00", "8", None),
            ],
        )

    def test_correction_of_a_final_invoice(self):
        order = self.make_order()
        advance = self.advance(order, 333.33)
        final = self.final(order)
        self.assertAlmostEqual(final.amount_total, 436.67)
        correction = self.reverse(final, reason="Zwrot 1 szt. kabla")
        goods = correction.invoice_line_ids.filtered(
            lambda line: line.product_id == self.goods
        )
        correction.write(
            {
                "invoice_line_ids": [Command.update(goods.id, {"quantity": 1.0})]
                + [
                    Command.unlink(line.id)
                    for line in correction.invoice_line_ids - goods
                ]
            }
        )
        root = self.xml(correction)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "KOR_ROZ")
        self.assertEqual(self.text(root, "//fa:NrFaKorygowanej"), final.name)
        self.assertEqual(self.text(root, "//fa:NrKSeFN"), "1")
        # The rest to pay before the correction.
        self.assertEqual(self.text(root, "//fa:P_15ZK"), "436.67")
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_7", "P_8B", "P_11", "StanPrzed")),
            [
                ("Kabel miedziany", "3", "300.00", "1"),
                ("Kabel miedziany", "2", "200.00", None),
            ],
        )
        self.assertEqual(
            self.amounts(root),
            {"P_13_1": "-100.00", "P_14_1": "-23.00", "P_15": "-123.00"},
        )
        self.assertFalse(
            root.xpath("//fa:Zamowienie | //fa:FakturaZaliczkowa", namespaces=NS)
        )
        self.assertTrue(advance.exists())

    # ------------------------------------------------------------------
    # An invalid correction is not sent
    # ------------------------------------------------------------------
    def test_invalid_correction_is_not_sent(self):
        fa3 = test_ksef_fa3.TestKsefFa3
        fa3._enable_ksef(self)
        invoice = self.pl_invoice(lines=[(self.goods, 2, 100.0)])
        invoice.action_post()
        # A KSeF number typed wrongly (e.g. imported from a scan).
        invoice.l10n_pl_edi_number = "KSEF-12345"
        correction = self.reverse(invoice, reason="Zwrot towaru")
        correction.invoice_line_ids.quantity = 1.0
        correction.action_post()
        with self.assertRaises(UserError) as error:
            correction._pl_ksef_check_xml()
        message = str(error.exception)
        self.assertIn(correction.name, message)
        self.assertIn("does not match the official schema", message)
        self.assertIn(
            "Faktura/Fa/DaneFaKorygowanej/NrKSeFFaKorygowanej: the element "
            "NrKSeFFaKorygowanej has a wrong value",
            message,
        )
        send = self.env["account.move.send"]
        with fa3._ksef_client(self) as sent, self.assertRaises(UserError) as error:
            send._generate_and_send_invoices(
                correction, sending_methods=[], extra_edis={"pl_ksef"}
            )
        self.assertFalse(sent)
        self.assertIn("NrKSeFFaKorygowanej", str(error.exception))
        self.assertFalse(correction.l10n_pl_edi_status)
        # Corrected, it is valid again.
        invoice.l10n_pl_edi_number = KSEF_INVOICE
        self.assertTrue(correction._pl_ksef_check_xml())
        self.assertEqual(
            fields.Date.to_string(correction.reversed_entry_id.invoice_date),
            "2026-11-15",
        )
