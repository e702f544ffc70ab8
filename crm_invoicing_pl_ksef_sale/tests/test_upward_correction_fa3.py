"""FA(3) of the upward correction invoices (art. 106j ust. 1 pkt 5 of the VAT
Act): KOR (KOR_ROZ of a final invoice) with DaneFaKorygowanej, the KSeF
number of the corrected invoice, the correction type (TypKorekty) and each
corrected line before (StanPrzed) and after; a later correction starts from
the invoice as already corrected. See crm_invoicing_pl's
test_upward_correction.py (the invoice of most tests and the helpers).
"""

from odoo import Command, fields
from odoo.addons.crm_invoicing_pl_ksef.tests.fa3_xml import NS, Fa3XmlMixin
from odoo.addons.crm_invoicing_pl_sale.tests.test_upward_correction import (
    UpwardCorrectionCommon,
)
from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

KSEF_INVOICE = "5260250274-20261115-00FF00-ABCDEF-07"


@tagged("post_install", "-at_install")
@freeze_time("2026-12-07 10:00:00")  # the documents of November are in the past
class TestUpwardCorrectionFa3(Fa3XmlMixin, UpwardCorrectionCommon):
    def test_upward_correction_of_a_pln_invoice_fa3(self):
        invoice = self.invoice()
        invoice.l10n_pl_edi_number = KSEF_INVOICE
        correction = self.raise_cable(self.upward(invoice))
        self.assertEqual(correction.pl_correction_type, "2")
        correction.action_post()
        # FA(3): KOR referencing the invoice, its lines before and after.
        root = self.xml(correction)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "KOR")
        self.assertEqual(
            self.text(root, "//fa:PrzyczynaKorekty"), "Podwyżka ceny miedzi"
        )
        self.assertEqual(self.text(root, "//fa:TypKorekty"), "2")
        dane = "//fa:DaneFaKorygowanej/"
        self.assertEqual(
            self.text(root, dane + "fa:DataWystFaKorygowanej"), "2026-11-15"
        )
        self.assertEqual(self.text(root, dane + "fa:NrFaKorygowanej"), invoice.name)
        self.assertEqual(self.text(root, dane + "fa:NrKSeF"), "1")
        self.assertEqual(self.text(root, dane + "fa:NrKSeFFaKorygowanej"), KSEF_INVOICE)
        self.assertFalse(root.xpath("//fa:NrKSeFN | //fa:P_15ZK", namespaces=NS))
        self.assertEqual(self.text(root, "//fa:P_2"), "KOR/1/11/2026")
        self.assertEqual(
            self.rows(
                root,
                "FaWiersz",
                ("NrWierszaFa", "P_7", "P_8A", "P_8B", "P_9A", "P_11", "StanPrzed"),
            ),
            [
                ("1", "Kabel miedziany", "szt.", "2", "100.00", "200.00", "1"),
                ("2", "Kabel miedziany", "szt.", "2", "115.00", "230.00", None),
            ],
        )
        # The totals are the differences: positive.
        self.assertEqual(
            self.amounts(root),
            {"P_13_1": "30.00", "P_14_1": "6.90", "P_15": "36.90"},
        )

    def test_a_decrease_after_an_increase_starts_from_the_raised_invoice(self):
        invoice = self.invoice()
        upward = self.raise_cable(self.upward(invoice))
        upward.action_post()
        # A discount of 10,00 a piece on the raised price: one series for
        # both directions, "before" is the invoice as raised.
        decrease = self.reverse(invoice, "Rabat za terminową płatność")
        self.raise_cable(decrease, by=10.0)
        self.assertEqual(decrease.pl_document_type_id, self.doc_type("correction"))
        root = self.xml(decrease)
        self.assertEqual(decrease.name, "KOR/2/11/2026")
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_8B", "P_9A", "P_11", "StanPrzed")),
            [("2", "115.00", "230.00", "1"), ("2", "105.00", "210.00", None)],
        )
        self.assertEqual(
            self.amounts(root),
            {"P_13_1": "-20.00", "P_14_1": "-4.60", "P_15": "-24.60"},
        )
        self.assertEqual(
            decrease._pl_report_correction_rows()[-1]["after"],
            {"net": 710.0, "vat": 163.3, "gross": 873.3},
        )
        self.assertEqual(invoice._pl_posted_corrections(), upward + decrease)
        # A credit note may take off what the increase added, not more.
        whole = self.reverse(invoice, "Zwrot całości", date="2026-11-26")
        whole.invoice_line_ids.filtered(
            lambda line: line.product_id == self.goods
        ).price_unit = 105.0
        whole.action_post()
        self.assertEqual(whole.amount_total, 873.3)
        with self.assertRaisesRegex(UserError, "would exceed its total"):
            more = self.reverse(invoice, "Jeszcze raz", date="2026-11-27")
            more.action_post()

    def test_a_second_increase_starts_from_the_first(self):
        invoice = self.invoice()
        self.raise_cable(self.upward(invoice)).action_post()
        second = self.upward(invoice, reason="Druga podwyżka", date="2026-11-23")
        self.raise_cable(second, by=5.0)
        root = self.xml(second)
        self.assertEqual(second.name, "KOR/2/11/2026")
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_8B", "P_9A", "P_11", "StanPrzed")),
            [("2", "115.00", "230.00", "1"), ("2", "120.00", "240.00", None)],
        )

    def test_goods_left_off_the_invoice_are_a_positive_difference(self):
        invoice = self.invoice()
        correction = self.upward(
            invoice, reason="Nie zafakturowany transport", copy_lines=False
        )
        self.assertFalse(correction.invoice_line_ids)
        correction.invoice_line_ids = [
            Command.create(
                {"product_id": self.annex15.id, "quantity": 1, "price_unit": 40.0}
            )
        ]
        root = self.xml(correction)
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_7", "P_8B", "P_9A", "P_11", "StanPrzed")),
            [("Telefon komórkowy", "1", "40.00", "40.00", None)],
        )
        self.assertEqual(self.amounts(root)["P_15"], "49.20")

    # ------------------------------------------------------------------
    # Final invoice (KOR_ROZ): the advances are not deducted again
    # ------------------------------------------------------------------
    def test_upward_correction_of_a_final_invoice(self):
        order = self.make_order()
        self.advance(order, 333.33)
        final = self.final_invoice(order)
        final.action_post()
        advances = order._pl_advances()
        correction = self.upward(final, reason="Podwyżka ceny kabla")
        self.assertFalse(correction.invoice_line_ids.filtered("is_downpayment"))
        goods = correction.invoice_line_ids.filtered(
            lambda line: line.product_id == self.goods
        )
        correction.write(
            {
                "invoice_line_ids": [Command.update(goods.id, {"price_unit": 10.0})]
                + [
                    Command.unlink(line.id)
                    for line in correction.invoice_line_ids - goods
                ]
            }
        )
        root = self.xml(correction)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "KOR_ROZ")
        self.assertEqual(self.text(root, "//fa:NrFaKorygowanej"), final.name)
        # The rest to pay before the correction.
        self.assertEqual(self.text(root, "//fa:P_15ZK"), "436.67")
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_7", "P_8B", "P_9A", "P_11", "StanPrzed")),
            [
                ("Kabel miedziany", "3", "100.00", "300.00", "1"),
                ("Kabel miedziany", "3", "110.00", "330.00", None),
            ],
        )
        self.assertEqual(
            self.amounts(root),
            {"P_13_1": "30.00", "P_14_1": "6.90", "P_15": "36.90"},
        )
        self.assertEqual(correction.pl_sale_order_id, order)
        self.assertEqual(order._pl_advances(), advances)

    def test_upward_correction_of_a_eur_invoice_fa3(self):
        eur = self.setup_other_currency(
            "EUR", rates=[("2026-11-13", 1 / 4.23), ("2026-11-19", 1 / 4.31)]
        )
        invoice = self.pl_invoice(
            date="2026-11-16", currency_id=eur.id, lines=[(self.goods, 2, 100.0)]
        )
        invoice.action_post()
        correction = self.upward(invoice, reason="Usługa dodatkowa", copy_lines=False)
        correction.invoice_line_ids = [
            Command.create(
                {"product_id": self.service.id, "quantity": 1, "price_unit": 100.0}
            )
        ]
        root = self.xml(correction)
        self.assertEqual(self.text(root, "//fa:KodWaluty"), "EUR")
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "KOR")
        self.assertEqual(self.text(root, "//fa:NrFaKorygowanej"), invoice.name)
        self.assertEqual(self.text(root, "//fa:DataWystFaKorygowanej"), "2026-11-16")
        self.assertEqual(self.text(root, "//fa:NrKSeFN"), "1")
        self.assertEqual(
            self.rows(
                root, "FaWiersz", ("P_7", "P_8B", "P_11", "KursWaluty", "StanPrzed")
            ),
            [("Usługa wdrożeniowa", "1", "100.00", "4.2300", None)],
        )
        self.assertEqual(
            self.amounts(root),
            {
                "P_13_1": "100.00",
                "P_14_1": "23.00",
                "P_14_1W": "97.29",
                "P_15": "123.00",
            },
        )

    def test_wizard_correction_type(self):
        invoice = self.invoice()
        wizard = Form(
            self.env["account.debit.note"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        )
        self.assertEqual(wizard.pl_correction_type, "2")
        wizard.reason = "Błąd w cenie"
        wizard.date = fields.Date.to_date("2026-11-20")
        wizard.pl_correction_type = "1"
        correction = self.env["account.move"].browse(
            wizard.save().create_debit()["res_id"]
        )
        self.assertEqual(correction.pl_correction_type, "1")
