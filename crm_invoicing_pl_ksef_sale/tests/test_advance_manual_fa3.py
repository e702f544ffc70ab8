"""FA(3) of the advance and final invoices made without a sale order in Odoo
(art. 106f), checked element by element against the values worked out by
hand, XSD-valid (see crm_invoicing_pl's test_advance_manual.py).

- ``Zamowienie`` of an advance: the ordered goods with their quantities,
  prices and rates, and the order's value;
- ``FakturaZaliczkowa`` of a final invoice: the advances it settles, by KSeF
  number when they have one;
- the same documents made from an order, and the demo's advance (ZAL with its
  ``Zamowienie``) and final invoice (ROZ listing the advance), both XSD-valid.
"""

from odoo.addons.crm_invoicing_pl.tests.advance_common import EXEMPTION
from odoo.addons.crm_invoicing_pl.tests.test_advance_manual import (
    ManualAdvanceCommon,
)
from odoo.addons.crm_invoicing_pl_ksef.tests.fa3_xml import NS, Fa3XmlMixin
from odoo.addons.crm_invoicing_pl_sale.tests.test_advance_correction import (
    AdvanceCorrectionCommon,
)
from odoo.tests import HttpCase, TransactionCase, freeze_time, tagged

# KSeF number (TNumerKSeF): seller's NIP, date, hash parts, checksum.
KSEF_ADVANCE = "5260250274-20261110-0A1B2C-3D4E5F-A1"


class Fa3Mixin(Fa3XmlMixin):
    def fa3(self, move):
        """The FA(3) of the posted ``move``, XSD-valid, parsed."""
        self.assertEqual(move.state, "posted")
        return self.xml(move)


@freeze_time("2026-11-20 09:00:00")
@tagged("post_install", "-at_install")
class TestManualAdvanceAndFinalFa3(
    Fa3Mixin, ManualAdvanceCommon, AdvanceCorrectionCommon, HttpCase
):
    def test_manual_advance_fa3(self):
        self.customer.lang = "en_US"  # the lines are named in its language
        advance = self.manual_advance()
        advance.action_post()
        root = self.fa3(advance)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ZAL")
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
        self.assertEqual(self.text(root, "//fa:Zwolnienie/fa:P_19A"), EXEMPTION)
        # The ordered goods in Zamowienie, none in FaWiersz.
        self.assertFalse(root.xpath("//fa:FaWiersz", namespaces=NS))
        self.assertFalse(root.xpath("//fa:FakturaZaliczkowa", namespaces=NS))
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
                ),
                ("2", "Książka", "szt.", "1", "250.00", "250.00", "20.00", "8"),
                (
                    "3",
                    "Szkolenie zwolnione",
                    "szt.",
                    "1",
                    "131.00",
                    "131.00",
                    "0.00",
                    "zw",
                ),
            ],
        )

    def test_manual_final_fa3(self):
        first = self.manual_advance()
        first.action_post()
        first.l10n_pl_edi_number = KSEF_ADVANCE
        second = self.manual_advance(amount=308.0)
        second.action_post()
        final = self.manual_final(first | second)
        final.action_post()
        root = self.fa3(final)
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

    def test_corrected_manual_advance_and_its_final_fa3(self):
        """Part of the payment returned: the correction (KOR_ZAL) repeats the
        order of the advance before and after; the final invoice lists the
        advance and deducts what remains of it."""
        advance = self.manual_advance()
        advance.action_post()
        correction = self.correct(
            advance, {self.tax_23: 100.0, self.tax_8: 100.0, self.tax_zw: 50.0}
        )
        root = self.fa3(correction)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "KOR_ZAL")
        self.assertEqual(
            self.texts(root, "//fa:ZamowienieWiersz/fa:P_7Z"),
            ["Kabel miedziany"] * 2 + ["Książka"] * 2 + ["Szkolenie zwolnione"] * 2,
        )
        self.assertEqual(
            self.texts(root, "//fa:ZamowienieWiersz/fa:StanPrzedZ"), ["1"] * 3
        )
        final = self.manual_final(advance)
        final.action_post()
        root = self.fa3(final)
        self.assertEqual(
            self.rows(root, "FakturaZaliczkowa", ("NrFaZaliczkowej",)),
            [(advance.name,)],
        )
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_13_1"), "270.13")

    def test_advance_and_final_from_the_order_fa3(self):
        order = self.make_order(
            lines=[(self.goods, 3)], client_order_ref="Umowa 7/2026"
        )
        goods = order.order_line.name
        advance = self.advance(order, 123.0)
        root = self.fa3(advance)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ZAL")
        self.assertEqual(self.text(root, "//fa:WartoscZamowienia"), "369.00")
        self.assertEqual(
            self.rows(
                root,
                "Zamowienie/fa:ZamowienieWiersz",
                ("P_7Z", "P_8BZ", "P_9AZ", "P_11NettoZ", "P_11VatZ", "P_12Z"),
            ),
            [(goods, "3", "100.00", "300.00", "69.00", "23")],
        )
        self.assertFalse(root.xpath("//fa:FaWiersz", namespaces=NS))
        final = self.final_invoice(order)
        final.action_post()
        root = self.fa3(final)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ROZ")
        self.assertEqual(
            self.rows(root, "FakturaZaliczkowa", ("NrKSeFZN", "NrFaZaliczkowej")),
            [("1", advance.name)],
        )
        # The deduction is no line: the goods in full, the totals reduced.
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_7", "P_8B", "P_9A", "P_11")),
            [(goods, "3", "100.00", "300.00")],
        )
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_15"), "246.00")


@tagged("post_install", "-at_install")
class TestDemoAdvanceAndFinalFa3(Fa3Mixin, TransactionCase):
    """The demo's advance and final invoices in FA(3)."""

    def test_demo_advance_and_final_fa3(self):
        order = self.env.ref(
            "crm_invoicing_pl_sale.demo_order_advance", raise_if_not_found=False
        )
        if not order:
            self.skipTest("crm_invoicing_pl_sale is installed without demo data")
        order = order.with_company(order.company_id)
        advance = order.pl_advance_ids
        final = order.pl_final_ids
        # 20 chairs: 13 000,00 + 2 990,00 = 15 990,00; 30 % received.
        root = self.fa3(advance)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ZAL")
        self.assertEqual(self.text(root, "//fa:WartoscZamowienia"), "15990.00")
        self.assertEqual(
            self.rows(
                root,
                "Zamowienie/fa:ZamowienieWiersz",
                ("P_7Z", "P_8BZ", "P_9AZ", "P_11NettoZ", "P_11VatZ", "P_12Z"),
            ),
            [
                (
                    order.order_line.filtered("product_id")[:1].name,
                    "20",
                    "650.00",
                    "13000.00",
                    "2990.00",
                    "23",
                )
            ],
        )
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_13_1"), "3900.00")
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_14_1"), "897.00")
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_15"), "4797.00")
        self.assertFalse(root.xpath("//fa:FaWiersz", namespaces=NS))

        root = self.fa3(final)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ROZ")
        self.assertEqual(
            self.rows(
                root,
                "FakturaZaliczkowa",
                ("NrKSeFFaZaliczkowej", "NrKSeFZN", "NrFaZaliczkowej"),
            ),
            [
                (advance.l10n_pl_edi_number, None, None)
                if advance.l10n_pl_edi_number
                else (None, "1", advance.name)
            ],
        )
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_8B", "P_9A", "P_11", "P_12")),
            [("20", "650.00", "13000.00", "23")],
        )
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_13_1"), "9100.00")
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_14_1"), "2093.00")
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_15"), "11193.00")
