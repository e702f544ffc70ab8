"""The purchase register (ZakupWiersz) and the declaration (Deklaracja) of
JPK_V7M(3): rozporządzenie Ministra Finansów, Inwestycji i Rozwoju z dnia 15
października 2019 r. w sprawie szczegółowego zakresu danych zawartych w
deklaracjach podatkowych i w ewidencji w zakresie podatku od towarów i
usług (the "JPK_VAT regulation")."""

import base64

from lxml import etree
from odoo import Command
from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from ..tools.jpk import NAMESPACES, schema_problems

NS = {"tns": NAMESPACES["M"]}


@tagged("post_install", "-at_install")
class TestJpkPurchases(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "email": "biuro@przykladowa.example.com",
                "phone": "+48 22 123 45 67",
                "l10n_pl_reports_tax_office_id": cls.env.ref(
                    "l10n_pl.pl_tax_office_1471"
                ).id,
            }
        )
        cls.vz_23 = cls._pl_tax("vz_kraj_23")
        cls.vz_8 = cls._pl_tax("vz_kraj_8")
        cls.vz_eu = cls._pl_tax("vz_unia")
        cls.vz_import = cls._pl_tax("vz_imp_tow")
        # l10n_pl has no purchase tax of fixed assets, but its report has
        # their tags (K_40 net, K_41 input tax): a 23 % tax carrying them.
        tags = cls.env["account.account.tag"].search(
            [
                ("applicability", "=", "taxes"),
                ("country_id.code", "=", "PL"),
                ("name", "in", ("K_40", "K_41")),
            ]
        )
        cls.vz_fixed = cls.vz_23.copy({"name": "23% ST"})
        for line in (
            cls.vz_fixed.invoice_repartition_line_ids
            | cls.vz_fixed.refund_repartition_line_ids
        ):
            name = "K_40" if line.repartition_type == "base" else "K_41"
            line.tag_ids = tags.filtered(lambda tag, name=name: tag.name == name)
        cls.supplier = cls.env["res.partner"].create(
            {
                "name": "Hurtownia Biurowa Sp. z o.o.",
                "is_company": True,
                "vat": "PL5252248481",
                "country_id": cls.env.ref("base.pl").id,
            }
        )
        cls.eu_supplier = cls.env["res.partner"].create(
            {
                "name": "Stahlwerk Ostsee GmbH",
                "is_company": True,
                "vat": "DE123456788",
                "country_id": cls.env.ref("base.de").id,
            }
        )

    def _bill(
        self, partner, ref, invoice_date, lines, move_type="in_invoice", **values
    ):
        """A posted purchase document; lines are (price, tax). Its accounting
        date (the day it was entered) is its date unless given: Odoo's
        default depends on today's date."""
        bill = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "ref": ref,
                "invoice_date": invoice_date,
                "date": values.pop("date", invoice_date),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Towar",
                            "quantity": 1,
                            "price_unit": price,
                            "tax_ids": [Command.set(tax.ids)],
                        }
                    )
                    for price, tax in lines
                ],
                **values,
            }
        )
        bill.action_post()
        return bill

    def _month(self):
        """February 2026: a sale, a domestic bill (23 % and 8 %) entered two
        days after its date, a fixed asset, an intra-EU acquisition, a vendor
        credit note; a bill of March."""
        sale = self.pl_invoice(lines=[(self.goods, 10, 100.0)], date="2026-02-03")
        sale.action_post()
        domestic = self._bill(
            self.supplier,
            "FZ/2026/02/117",
            "2026-02-03",
            [(1000.0, self.vz_23), (500.0, self.vz_8)],
            date="2026-02-05",
        )
        fixed = self._bill(
            self.supplier, "FZ/2026/02/130", "2026-02-10", [(10000.0, self.vz_fixed)]
        )
        acquisition = self._bill(
            self.eu_supplier, "RE-2026-0042", "2026-02-07", [(2000.0, self.vz_eu)]
        )
        credit = self._bill(
            self.supplier,
            "KFZ/2026/02/5",
            "2026-02-20",
            [(100.0, self.vz_23)],
            move_type="in_refund",
        )
        self._bill(self.supplier, "FZ/2026/03/1", "2026-03-02", [(700.0, self.vz_23)])
        return sale, domestic, fixed, acquisition, credit

    @freeze_time("2026-03-05 08:00:00")
    def _export(self, **values):
        wizard = self.env["pl.vat.register.export"].create(
            {"date_from": "2026-02-01", "file_format": "jpk", **values}
        )
        wizard.action_export()
        xml = base64.b64decode(wizard.data)
        problems = schema_problems(xml)
        self.assertEqual([p.message for p in problems], [])
        return wizard, etree.fromstring(xml)

    @staticmethod
    def _fields(node):
        return {etree.QName(child).localname: child.text for child in node}

    def test_purchase_register_of_the_month(self):
        """ZakupWiersz (§ 11 ust. 1 of the JPK_VAT regulation): one row per
        purchase document of the month, with the supplier's NIP and name, the
        supplier's invoice number (the bill's reference), DataZakupu (its
        date), DataWplywu (the day it was entered, when later) and K_40 ...
        K_43 from l10n_pl's tags. By hand: domestic bill 1000,00 at 23 % +
        500,00 at 8 %: K_42 1500,00, K_43 230,00 + 40,00 = 270,00; fixed
        asset 10000,00: K_40 10000,00, K_41 2300,00; intra-EU acquisition
        2000,00: K_42 2000,00, K_43 460,00; credit note 100,00 at 23 %: K_42
        -100,00, K_43 -23,00. ZakupCtrl: 4 rows, PodatekNaliczony 270 + 2300
        + 460 - 23 = 3007,00. The bill of March is left out."""
        _sale, domestic, fixed, acquisition, credit = self._month()
        register = self.env["pl.vat.purchase.register"].search(
            [("date", ">=", "2026-02-01"), ("date", "<=", "2026-02-28")]
        )
        self.assertEqual(register.move_id, domestic + fixed + acquisition + credit)
        wizard, root = self._export()
        self.assertEqual(wizard.purchase_count, 4)
        rows = root.findall("tns:Ewidencja/tns:ZakupWiersz", NS)
        self.assertEqual(
            [self._fields(row) for row in rows],
            [
                {
                    "LpZakupu": "1",
                    "NrDostawcy": "5252248481",
                    "NazwaDostawcy": "Hurtownia Biurowa Sp. z o.o.",
                    "DowodZakupu": "FZ/2026/02/117",
                    "DataZakupu": "2026-02-03",
                    "DataWplywu": "2026-02-05",
                    "BFK": "1",
                    "K_42": "1500.00",
                    "K_43": "270.00",
                },
                {
                    "LpZakupu": "2",
                    "KodKrajuNadaniaTIN": "DE",
                    "NrDostawcy": "123456788",
                    "NazwaDostawcy": "Stahlwerk Ostsee GmbH",
                    "DowodZakupu": "RE-2026-0042",
                    "DataZakupu": "2026-02-07",
                    "BFK": "1",
                    "K_42": "2000.00",
                    "K_43": "460.00",
                },
                {
                    "LpZakupu": "3",
                    "NrDostawcy": "5252248481",
                    "NazwaDostawcy": "Hurtownia Biurowa Sp. z o.o.",
                    "DowodZakupu": "FZ/2026/02/130",
                    "DataZakupu": "2026-02-10",
                    "BFK": "1",
                    "K_40": "10000.00",
                    "K_41": "2300.00",
                },
                {
                    "LpZakupu": "4",
                    "NrDostawcy": "5252248481",
                    "NazwaDostawcy": "Hurtownia Biurowa Sp. z o.o.",
                    "DowodZakupu": "KFZ/2026/02/5",
                    "DataZakupu": "2026-02-20",
                    "BFK": "1",
                    "K_42": "-100.00",
                    "K_43": "-23.00",
                },
            ],
        )
        control = root.find("tns:Ewidencja/tns:ZakupCtrl", NS)
        self.assertEqual([node.text for node in control], ["4", "3007.00"])

    def test_self_assessed_acquisition_is_a_sale_and_a_purchase(self):
        """An intra-EU acquisition of goods (art. 9) is self-assessed: the
        output tax in the sales records (§ 10 ust. 1 of the JPK_VAT
        regulation: K_23 2000,00, K_24 460,00) and the same amount of input
        tax in the purchase records (§ 11 ust. 1: K_42 2000,00, K_43 460,00),
        both rows under the supplier's invoice number RE-2026-0042."""
        _sale, _domestic, _fixed, acquisition, _credit = self._month()
        _wizard, root = self._export()
        sales = {
            row.findtext("tns:DowodSprzedazy", namespaces=NS): self._fields(row)
            for row in root.findall("tns:Ewidencja/tns:SprzedazWiersz", NS)
        }
        self.assertNotIn(acquisition.name, sales)
        sale_row = sales["RE-2026-0042"]
        self.assertEqual(
            (sale_row["NrKontrahenta"], sale_row["K_23"], sale_row["K_24"]),
            ("123456788", "2000.00", "460.00"),
        )
        purchases = {
            row.findtext("tns:DowodZakupu", namespaces=NS): self._fields(row)
            for row in root.findall("tns:Ewidencja/tns:ZakupWiersz", NS)
        }
        self.assertEqual(
            (purchases["RE-2026-0042"]["K_42"], purchases["RE-2026-0042"]["K_43"]),
            ("2000.00", "460.00"),
        )
        # The sale of 1000,00 at 23 % (230,00) and the acquisition (460,00).
        self.assertEqual(
            root.findtext(
                "tns:Ewidencja/tns:SprzedazCtrl/tns:PodatekNalezny", namespaces=NS
            ),
            "690.00",
        )

    def test_declaration_from_the_registers(self):
        """Deklaracja VAT-7 (23) of JPK_V7M(3) (§ 2-9 of the JPK_VAT
        regulation): P_19 1000, P_20 230 (the sale), P_23 2000, P_24 460 (the
        acquisition); P_37 3000, P_38 690; P_39 the 150 carried over; P_40
        10000, P_41 2300, P_42 1500 + 2000 - 100 = 3400, P_43 270 + 460 - 23
        = 707; P_48 = 150 + 2300 + 707 = 3157 > P_38: P_51 0, P_53 = P_62 =
        3157 - 690 = 2467. A negative carry-over is refused (P_39 is the
        P_62 of the previous declaration, never negative)."""
        self._month()
        _wizard, root = self._export(jpk_carried_over=150)
        boxes = root.find("tns:Deklaracja/tns:PozycjeSzczegolowe", NS)
        self.assertEqual(
            self._fields(boxes),
            {
                "P_19": "1000",
                "P_20": "230",
                "P_23": "2000",
                "P_24": "460",
                "P_37": "3000",
                "P_38": "690",
                "P_39": "150",
                "P_40": "10000",
                "P_41": "2300",
                "P_42": "3400",
                "P_43": "707",
                "P_48": "3157",
                "P_51": "0",
                "P_53": "2467",
                "P_62": "2467",
            },
        )
        self.assertEqual(
            root.findtext("tns:Deklaracja/tns:Pouczenia", namespaces=NS), "1"
        )
        _wizard, root = self._export(jpk_declaration=False, jpk_correction=True)
        self.assertIsNone(root.find("tns:Deklaracja", NS))
        with self.assertRaises(UserError) as cm:
            self._export(jpk_carried_over=-1)
        self.assertIn("P_39", str(cm.exception))

    def test_import_and_purchase_document_markers(self):
        """IMP (§ 11 ust. 2 pkt 1 of the JPK_VAT regulation): input tax on the
        import of goods, here settled under art. 33a (l10n_pl's "23% EX G":
        K_25 / K_26 in the sales records, K_42 / K_43 in the purchase
        records); DokumentZakupu MK for a supplier settling by the cash
        method (§ 11 ust. 1). 3000,00 at 23 % = 690,00."""
        imported = self._bill(
            self.eu_supplier, "SAD/2026/7", "2026-02-12", [(3000.0, self.vz_import)]
        )
        cash = self._bill(
            self.supplier,
            "FZ/2026/02/200",
            "2026-02-13",
            [(100.0, self.vz_23)],
            pl_jpk_purchase_document="MK",
        )
        self.assertTrue(imported._pl_jpk_imported())
        self.assertFalse(cash._pl_jpk_imported())
        _wizard, root = self._export()
        purchases = {
            row.findtext("tns:DowodZakupu", namespaces=NS): self._fields(row)
            for row in root.findall("tns:Ewidencja/tns:ZakupWiersz", NS)
        }
        self.assertEqual(purchases["SAD/2026/7"]["IMP"], "1")
        self.assertEqual(purchases["SAD/2026/7"]["K_43"], "690.00")
        self.assertNotIn("DokumentZakupu", purchases["SAD/2026/7"])
        self.assertEqual(purchases["FZ/2026/02/200"]["DokumentZakupu"], "MK")
        self.assertNotIn("IMP", purchases["FZ/2026/02/200"])
        sale = root.find("tns:Ewidencja/tns:SprzedazWiersz", NS)
        self.assertEqual(
            (
                sale.findtext("tns:K_25", namespaces=NS),
                sale.findtext("tns:K_26", namespaces=NS),
            ),
            ("3000.00", "690.00"),
        )

    def test_sole_trader_is_a_natural_person(self):
        """A sole trader files JPK_V7M as a natural person: Podmiot1 /
        OsobaFizyczna with NIP, first name, surname and date of birth (the
        form's Podmiot1 choice, TIdentyfikatorOsobyFizycznej2). The export
        refuses to start while any of the three is missing."""
        self.company.pl_jpk_natural_person = True
        with self.assertRaises(UserError) as cm:
            self._export()
        self.assertIn("date of birth", str(cm.exception))
        self.company.write(
            {
                "pl_jpk_first_name": "Jan",
                "pl_jpk_last_name": "Kowalski",
                "pl_jpk_birth_date": "1980-05-17",
            }
        )
        _wizard, root = self._export()
        self.assertIsNone(root.find("tns:Podmiot1/tns:OsobaNiefizyczna", NS))
        subject = root.find("tns:Podmiot1/tns:OsobaFizyczna", NS)
        self.assertEqual(
            [node.text for node in subject],
            [
                "5260250274",
                "Jan",
                "Kowalski",
                "1980-05-17",
                "biuro@przykladowa.example.com",
                "+48 22 123 45 67",
            ],
        )
