"""FA(3) XML of a Faktura VAT: our data in l10n_pl_edi's XML, XSD-valid.

The XML is rendered the way l10n_pl_edi's own tests do it
(``_l10n_pl_edi_render_xml``), without any network. Where the KSeF sending
path is run, l10n_pl_edi's KSeF client (``KsefApiService``) is replaced by a
tripwire or a recorder: nothing leaves the machine.
"""

from contextlib import contextmanager
from unittest.mock import patch

from lxml import etree
from odoo import Command
from odoo.addons.crm_invoicing_pl.tools.ksef_xsd import FA3_NAMESPACE
from odoo.addons.l10n_pl_edi.tools.ksef_api_service import KsefApiService
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import KsefCommon

NS = {"fa": FA3_NAMESPACE}


@tagged("post_install", "-at_install")
class TestKsefFa3(KsefCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # NBP table A: 4,2300 PLN per EUR on Friday 13 Nov 2026, the last
        # business day before the 15 Nov invoices (Odoo stores EUR per PLN).
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-11-13", 1 / 4.23)])
        cls.tax_zw.pl_exemption_basis = "art. 43 ust. 1 pkt 37 ustawy o VAT"
        cls.food = cls._create_product(
            name="Pieczywo",
            lst_price=10.0,
            taxes_id=[Command.set(cls.tax_8.ids)],
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _xml(self, invoice):
        """The FA(3) XML of ``invoice`` (posted first), checked against the XSD."""
        if invoice.state == "draft":
            invoice.action_post()
        xml = invoice._l10n_pl_edi_render_xml()
        problems = invoice._pl_ksef_schema_problems(xml)
        self.assertEqual(
            problems, [], "FA(3) of %s must be XSD-valid:\n%s" % (invoice.name, xml)
        )
        return etree.fromstring(xml.encode())

    def _texts(self, root, xpath):
        return [node.text for node in root.xpath(xpath, namespaces=NS)]

    def _text(self, root, xpath):
        texts = self._texts(root, xpath)
        self.assertEqual(len(texts), 1, "exactly one %s expected" % xpath)
        return texts[0]

    def _lines(self, root, element):
        """``element`` of each FaWiersz, None where the line has none."""
        return [
            (
                node.find("fa:" + element, NS).text
                if node.find("fa:" + element, NS) is not None
                else None
            )
            for node in root.xpath("//fa:Fa/fa:FaWiersz", namespaces=NS)
        ]

    @contextmanager
    def _ksef_client(self, allow=False):
        """l10n_pl_edi's KSeF client without network: record what it is given.

        With ``allow`` False, any call fails the test (nothing may be sent).
        """
        sent = []

        def tripwire(*args, **kwargs):
            raise AssertionError("nothing may be sent to KSeF here")

        def send_invoice(xml_content):
            sent.append(xml_content)
            return {
                "referenceNumber": "20261127-EE-0000000000-0000000000-%02d" % len(sent)
            }

        with (
            patch.object(
                KsefApiService,
                "open_ksef_session",
                autospec=True,
                side_effect=None if allow else tripwire,
            ),
            patch.object(
                KsefApiService,
                "send_invoice",
                side_effect=send_invoice if allow else tripwire,
            ),
        ):
            yield sent

    def _send_to_ksef(self, invoice):
        wizard = (
            self.env["account.move.send.wizard"]
            .with_company(self.company)
            .create(
                {
                    "move_id": invoice.id,
                    "extra_edi_checkboxes": {"pl_ksef": {"checked": True}},
                }
            )
        )
        return wizard.action_send_and_print()

    # ------------------------------------------------------------------
    # Faktura VAT variants: XSD-valid, golden fields
    # ------------------------------------------------------------------
    def test_plain_23_percent(self):
        invoice = self.pl_invoice(lines=[(self.goods, 2, 100.0)])
        root = self._xml(invoice)
        self.assertEqual(self._text(root, "//fa:RodzajFaktury"), "VAT")
        self.assertEqual(self._text(root, "//fa:P_13_1"), "200.00")
        self.assertEqual(self._text(root, "//fa:P_14_1"), "46.00")
        self.assertEqual(self._text(root, "//fa:P_15"), "246.00")
        self.assertEqual(self._lines(root, "P_12"), ["23"])
        adnotacje = "//fa:Fa/fa:Adnotacje/"
        self.assertEqual(self._text(root, adnotacje + "fa:P_16"), "2")
        self.assertEqual(self._text(root, adnotacje + "fa:P_18"), "2")
        self.assertEqual(self._text(root, adnotacje + "fa:P_18A"), "2")
        self.assertEqual(self._text(root, adnotacje + "fa:Zwolnienie/fa:P_19N"), "1")
        self.assertFalse(root.xpath("//fa:P_19", namespaces=NS))
        self.assertEqual(self._text(root, "//fa:Fa/fa:P_1M"), "Warszawa")
        self.assertEqual(self._text(root, "//fa:Podmiot2/fa:JST"), "2")
        self.assertEqual(self._text(root, "//fa:Podmiot2/fa:GV"), "2")
        self.assertFalse(root.xpath("//fa:Podmiot3 | //fa:Fa/fa:TP", namespaces=NS))
        self.assertEqual(self._lines(root, "P_12_Zal_15"), [None])
        self.assertEqual(self._lines(root, "GTU"), [None])
        # PLN invoice: no exchange rates at all.
        self.assertFalse(
            root.xpath("//fa:KursWalutyZ | //fa:KursWaluty", namespaces=NS)
        )
        # Payment: transfer (6) to the company's account, due date.
        platnosc = "//fa:Fa/fa:Platnosc/"
        self.assertEqual(self._text(root, platnosc + "fa:FormaPlatnosci"), "6")
        self.assertEqual(
            self._text(root, platnosc + "fa:RachunekBankowy/fa:NrRB"),
            "PL61109010140000071219812874",
        )
        # The bank has no name: no empty NazwaBanku (invalid in the XSD).
        self.assertFalse(root.xpath("//fa:NazwaBanku", namespaces=NS))
        self.assertEqual(
            self._text(root, platnosc + "fa:TerminPlatnosci/fa:Termin"),
            str(invoice.invoice_date_due),
        )

    def test_line_discount_p_10(self):
        """Art. 106e ust. 1 pkt 10: P_9A is the unit price before the discount,
        so the discount is written in P_10: 3 x 99.50 = 298.50 less 10 % =
        268.65 net, P_10 = 29.85; a line without a discount has no P_10."""
        invoice = self.pl_invoice(lines=[(self.goods, 3, 99.5), (self.goods, 1, 10.0)])
        invoice.invoice_line_ids[0].discount = 10.0
        root = self._xml(invoice)
        self.assertEqual(self._lines(root, "P_9A"), ["99.50", "10.00"])
        self.assertEqual(self._lines(root, "P_10"), ["29.85", None])
        self.assertEqual(self._lines(root, "P_11"), ["268.65", "10.00"])

    def test_tax_free_is_domestic_zero(self):
        """TAX FREE (art. 129: 0 % on goods a traveller takes out of the EU,
        box K_14) is domestic 0 %: P_12 "0 KR" and P_13_6_1, not "zw"."""
        tax_free = self._pl_tax("vs_zwrot_podróżnych_0")
        self.assertEqual(tax_free.pl_vat_kind, "zero")
        invoice = self.pl_invoice(
            lines=[(self.goods, 2, 250.0, tax_free), (self.goods, 1, 100.0)]
        )
        root = self._xml(invoice)
        self.assertEqual(self._lines(root, "P_12"), ["0 KR", "23"])
        self.assertEqual(self._text(root, "//fa:P_13_6_1"), "500.00")
        self.assertFalse(root.xpath("//fa:P_19", namespaces=NS))

    def test_mixed_rates_with_gtu(self):
        self.annex15.l10n_pl_vat_gtu = "GTU_06"
        book = self._create_product(
            name="Książka",
            lst_price=50.0,
            taxes_id=[Command.set(self._pl_tax("vs_kraj_5").ids)],
        )
        invoice = self.pl_invoice(
            lines=[
                (self.annex15, 1, 1000.0),
                (self.food, 10, 10.0),
                (self.goods, 1, 50.0),
                (book, 2, 50.0),
            ]
        )
        root = self._xml(invoice)
        self.assertEqual(self._text(root, "//fa:P_13_1"), "1050.00")
        self.assertEqual(self._text(root, "//fa:P_14_1"), "241.50")
        self.assertEqual(self._text(root, "//fa:P_13_2"), "100.00")
        self.assertEqual(self._text(root, "//fa:P_14_2"), "8.00")
        self.assertEqual(self._text(root, "//fa:P_13_3"), "100.00")
        self.assertEqual(self._text(root, "//fa:P_14_3"), "5.00")
        self.assertEqual(self._text(root, "//fa:P_15"), "1504.50")
        self.assertEqual(self._lines(root, "P_12"), ["23", "8", "23", "5"])
        self.assertEqual(self._lines(root, "GTU"), ["GTU_06", None, None, None])

    def test_consumer_and_seller_contact(self):
        # A phone without an e-mail: no empty Email element (XSD-invalid).
        self.company.write({"phone": "+48 22 123 45 67", "email": False})
        root = self._xml(self.pl_invoice(partner=self.consumer))
        self.assertEqual(
            self._text(root, "//fa:Podmiot1/fa:DaneKontaktowe/fa:Telefon"),
            "+48 22 123 45 67",
        )
        self.assertFalse(root.xpath("//fa:Podmiot1//fa:Email", namespaces=NS))
        self.assertEqual(
            self._text(root, "//fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:BrakID"), "1"
        )
        self.assertEqual(self._text(root, "//fa:Adnotacje/fa:P_18A"), "2")

    def test_foreign_currency_eur_with_nbp_rate(self):
        invoice = self.pl_invoice(
            currency_id=self.eur.id, lines=[(self.goods, 1, 1000.0)]
        )
        self.assertAlmostEqual(invoice.pl_rate, 4.23, places=4)
        root = self._xml(invoice)
        self.assertEqual(self._text(root, "//fa:KodWaluty"), "EUR")
        # Amounts in EUR, the tax also in PLN at the NBP rate.
        self.assertEqual(self._text(root, "//fa:P_13_1"), "1000.00")
        self.assertEqual(self._text(root, "//fa:P_14_1"), "230.00")
        self.assertEqual(self._text(root, "//fa:P_14_1W"), "972.90")
        self.assertEqual(self._text(root, "//fa:P_15"), "1230.00")
        self.assertEqual(self._lines(root, "KursWaluty"), ["4.2300"])
        # KursWalutyZ belongs to advance invoices only.
        self.assertFalse(root.xpath("//fa:KursWalutyZ", namespaces=NS))

    def test_split_payment_marks_annex_15_lines(self):
        # 12 200 + 100 net at 23 %: 15 129 zł gross, with annex-15 goods.
        invoice = self.pl_invoice(
            lines=[(self.annex15, 1, 12200.0), (self.goods, 1, 100.0)]
        )
        self.assertTrue(invoice.pl_split_payment)
        root = self._xml(invoice)
        self.assertEqual(self._text(root, "//fa:Adnotacje/fa:P_18A"), "1")
        self.assertEqual(self._lines(root, "P_12_Zal_15"), ["1", None])

    def test_no_split_payment_at_exactly_15000(self):
        invoice = self.pl_invoice(lines=[(self.annex15, 1, round(15000 / 1.23, 2))])
        self.assertEqual(invoice.amount_total, 15000.0)
        self.assertFalse(invoice.pl_split_payment)
        root = self._xml(invoice)
        self.assertEqual(self._text(root, "//fa:Adnotacje/fa:P_18A"), "2")
        self.assertEqual(self._lines(root, "P_12_Zal_15"), [None])

    def test_exempt_with_basis(self):
        invoice = self.pl_invoice(
            lines=[(self.service, 1, 300.0, self.tax_zw), (self.goods, 1, 100.0)]
        )
        root = self._xml(invoice)
        zwolnienie = "//fa:Adnotacje/fa:Zwolnienie/"
        self.assertEqual(self._text(root, zwolnienie + "fa:P_19"), "1")
        self.assertEqual(
            self._text(root, zwolnienie + "fa:P_19A"),
            "art. 43 ust. 1 pkt 37 ustawy o VAT",
        )
        self.assertFalse(
            root.xpath("//fa:P_19N | //fa:P_19B | //fa:P_19C", namespaces=NS)
        )
        self.assertEqual(self._text(root, "//fa:P_13_7"), "300.00")
        self.assertEqual(self._lines(root, "P_12"), ["zw", "23"])

    def test_exempt_basis_from_the_directive(self):
        self.tax_zw.pl_exemption_basis_type = "directive"
        invoice = self.pl_invoice(lines=[(self.service, 1, 300.0, self.tax_zw)])
        self.assertEqual(invoice.pl_exemption_basis_type, "directive")
        invoice.pl_exemption_basis = "art. 132 ust. 1 lit. i dyrektywy 2006/112/WE"
        root = self._xml(invoice)
        self.assertEqual(
            self._text(root, "//fa:Zwolnienie/fa:P_19B"),
            "art. 132 ust. 1 lit. i dyrektywy 2006/112/WE",
        )
        self.assertFalse(root.xpath("//fa:P_19A | //fa:P_19N", namespaces=NS))

    def test_exemption_basis_type_follows_the_tax_until_posted(self):
        invoice = self.pl_invoice()
        self.assertEqual(invoice.pl_exemption_basis_type, "act")
        self.tax_zw.pl_exemption_basis_type = "other"
        invoice.invoice_line_ids = [
            Command.create(
                {
                    "product_id": self.service.id,
                    "price_unit": 300.0,
                    "tax_ids": [Command.set(self.tax_zw.ids)],
                }
            )
        ]
        self.assertEqual(invoice.pl_exemption_basis_type, "other")
        invoice.pl_exemption_basis = "§ 3 ust. 1 pkt 1 rozporządzenia"
        root = self._xml(invoice)
        self.assertEqual(
            self._text(root, "//fa:Zwolnienie/fa:P_19C"),
            "§ 3 ust. 1 pkt 1 rozporządzenia",
        )
        # The issued invoice keeps its basis type when the tax changes.
        self.tax_zw.pl_exemption_basis_type = "act"
        self.assertEqual(invoice.pl_exemption_basis_type, "other")

    def test_reverse_charge(self):
        invoice = self.pl_invoice(lines=[(self.goods, 10, 500.0, self.tax_oo)])
        self.assertTrue(invoice.pl_reverse_charge)
        root = self._xml(invoice)
        self.assertEqual(self._text(root, "//fa:Adnotacje/fa:P_18"), "1")
        self.assertEqual(self._lines(root, "P_12"), ["oo"])
        self.assertEqual(self._text(root, "//fa:P_13_10"), "5000.00")
        self.assertEqual(self._text(root, "//fa:P_15"), "5000.00")

    def _foreign_company(self, name, country, vat=False):
        return self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "vat": vat,
                "street": "Main Street 1",
                "city": "Berlin" if country == "de" else "Boston",
                "zip": "10115" if country == "de" else "02108",
                "country_id": self.env.ref(f"base.{country}").id,
            }
        )

    def test_eu_b2b_services_np_ii_reverse_charge(self):
        """Art. 28b services to an EU taxpayer: taxed where the buyer is, the
        buyer settles the tax (art. 106e ust. 1 pkt 18: "odwrotne obciążenie",
        P_18=1); their net is "np II" of art. 100 ust. 1 pkt 4 (P_13_9, box
        K_12), not in P_13_8."""
        buyer = self._foreign_company("Beispiel GmbH", "de", "DE312345671")
        service = self._create_product(name="Audyt", type="service", lst_price=1.0)
        invoice = self.pl_invoice(
            buyer, lines=[(service, 2, 1500.0, self._pl_tax("vs_dostu"))]
        )
        self.assertTrue(invoice.pl_reverse_charge)
        root = self._xml(invoice)
        self.assertEqual(self._text(root, "//fa:P_13_9"), "3000.00")
        self.assertFalse(root.xpath("//fa:P_13_8", namespaces=NS))
        self.assertEqual(self._text(root, "//fa:Adnotacje/fa:P_18"), "1")
        self.assertEqual(self._lines(root, "P_12"), ["np II"])

    def test_triangular_transaction_annotations(self):
        """Art. 136 ust. 1: the second taxpayer's invoice in a simplified
        triangular transaction carries "VAT: Faktura WE uproszczona na mocy
        art. 135-138 ustawy o ptu" and both EU VAT numbers; FA(3) P_23=1."""
        buyer = self._foreign_company("Beispiel GmbH", "de", "DE312345671")
        invoice = self.pl_invoice(
            buyer, lines=[(self.goods, 1, 1000.0, self._pl_tax("vs_unia_triangular"))]
        )
        root = self._xml(invoice)
        self.assertEqual(self._text(root, "//fa:Adnotacje/fa:P_23"), "1")
        html = " ".join(
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
            .split()
        )
        self.assertIn("VAT: Faktura WE uproszczona na mocy art. 135-138", html)
        self.assertIn("drugiego w kolejności podatnika: PL", html)
        self.assertIn("ostatniego w kolejności podatnika: DE312345671", html)
        plain = self.pl_invoice(buyer, lines=[(self.goods, 1, 1000.0, self.tax_23)])
        plain.action_post()
        self.assertFalse(plain._pl_report_is_triangular())

    def test_non_eu_b2b_services_np_i_reverse_charge(self):
        """Art. 28b services to a taxpayer outside the EU: "np I" (P_13_8, box
        K_11) and the buyer settles the tax (P_18=1); to a consumer outside
        the EU no reverse charge is annotated."""
        buyer = self._foreign_company("Example Inc.", "us", "US123456789")
        service = self._create_product(name="Doradztwo", type="service", lst_price=1.0)
        tax = self._pl_tax("vs_ekspu")
        invoice = self.pl_invoice(buyer, lines=[(service, 1, 800.0, tax)])
        self.assertTrue(invoice.pl_reverse_charge)
        root = self._xml(invoice)
        self.assertEqual(self._text(root, "//fa:P_13_8"), "800.00")
        self.assertFalse(root.xpath("//fa:P_13_9", namespaces=NS))
        self.assertEqual(self._text(root, "//fa:Adnotacje/fa:P_18"), "1")
        self.assertEqual(self._lines(root, "P_12"), ["np I"])
        person = self.env["res.partner"].create(
            {"name": "John Smith", "country_id": self.env.ref("base.us").id}
        )
        self.assertFalse(
            self.pl_invoice(person, lines=[(service, 1, 800.0, tax)]).pl_reverse_charge
        )

    def test_cash_accounting_and_place_of_issue(self):
        self.company.pl_cash_accounting = True
        self.company.pl_place_of_issue = "Piaseczno"
        root = self._xml(self.pl_invoice())
        self.assertEqual(self._text(root, "//fa:Adnotacje/fa:P_16"), "1")
        self.assertEqual(self._text(root, "//fa:Fa/fa:P_1M"), "Piaseczno")

    def test_jst_subordinate_unit(self):
        gmina = self.env["res.partner"].create(
            {
                "name": "Gmina Miasto Kraków",
                "is_company": True,
                "vat": "PL6761013717",
                "street": "pl. Wszystkich Świętych 3/4",
                "zip": "31-004",
                "city": "Kraków",
                "country_id": self.env.ref("base.pl").id,
            }
        )
        school = self.env["res.partner"].create(
            {
                "name": "Szkoła Podstawowa nr 1",
                "is_company": True,
                "vat": "PL6750001923",
                "street": "ul. Szkolna 1",
                "zip": "31-001",
                "city": "Kraków",
                "country_id": self.env.ref("base.pl").id,
                "pl_ksef_jst": True,
                "pl_ksef_buyer_id": gmina.id,
            }
        )
        root = self._xml(self.pl_invoice(partner=school))
        self.assertEqual(self._text(root, "//fa:Podmiot2/fa:JST"), "1")
        self.assertEqual(self._text(root, "//fa:Podmiot2/fa:GV"), "2")
        # The buyer is the local government unit, the school a third party (8).
        self.assertEqual(
            self._text(root, "//fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NIP"),
            "6761013717",
        )
        self.assertEqual(
            self._text(root, "//fa:Podmiot3/fa:DaneIdentyfikacyjne/fa:NIP"),
            "6750001923",
        )
        self.assertEqual(self._text(root, "//fa:Podmiot3/fa:Rola"), "8")

    def test_vat_group_member(self):
        group = self.env["res.partner"].create(
            {"name": "Grupa VAT Żółw", "is_company": True, "vat": "PL5252248481"}
        )
        self.customer.write({"pl_ksef_gv": True, "pl_ksef_buyer_id": group.id})
        root = self._xml(self.pl_invoice())
        self.assertEqual(self._text(root, "//fa:Podmiot2/fa:JST"), "2")
        self.assertEqual(self._text(root, "//fa:Podmiot2/fa:GV"), "1")
        self.assertEqual(
            self._text(root, "//fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NIP"),
            "5252248481",
        )
        self.assertEqual(
            self._text(root, "//fa:Podmiot3/fa:DaneIdentyfikacyjne/fa:NIP"),
            "1234567883",
        )
        self.assertEqual(self._text(root, "//fa:Podmiot3/fa:Rola"), "10")

    def test_gv_marker_without_group_keeps_the_customer_as_buyer(self):
        self.customer.pl_ksef_gv = True
        root = self._xml(self.pl_invoice())
        self.assertEqual(self._text(root, "//fa:Podmiot2/fa:GV"), "1")
        self.assertEqual(
            self._text(root, "//fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NIP"),
            "1234567883",
        )
        self.assertFalse(root.xpath("//fa:Podmiot3", namespaces=NS))

    def test_links_tp_and_procedure_markers(self):
        self.customer.l10n_pl_links_with_customer = True
        voucher = self._create_product(
            name="Bon jednego przeznaczenia",
            type="service",
            lst_price=100.0,
            taxes_id=[Command.set(self.tax_23.ids)],
            pl_ksef_procedure="B_SPV",
        )
        invoice = self.pl_invoice(lines=[(voucher, 1, 100.0), (self.goods, 1, 10.0)])
        self.assertEqual(invoice.invoice_line_ids[0].pl_ksef_procedure, "B_SPV")
        invoice.invoice_line_ids[1].pl_ksef_procedure = "WSTO_EE"
        root = self._xml(invoice)
        # TP is an invoice-level element in FA(3), not a line procedure.
        self.assertEqual(self._text(root, "//fa:Fa/fa:TP"), "1")
        self.assertEqual(self._lines(root, "Procedura"), ["B_SPV", "WSTO_EE"])

    def test_invoice_to_a_receipt_fp(self):
        """Art. 109 ust. 3d: an invoice to a receipt is marked FP in FA(3) as
        in the JPK row, after RodzajFaktury and before TP (schema order; the
        XML is validated against the FA(3) schema by ``_xml``)."""
        self.customer.l10n_pl_links_with_customer = True
        invoice = self.pl_invoice(pl_jpk_document_type="FP")
        root = self._xml(invoice)
        self.assertEqual(self._text(root, "//fa:Fa/fa:FP"), "1")
        fa = root.xpath("//fa:Fa", namespaces=NS)[0]
        names = [etree.QName(child).localname for child in fa]
        self.assertEqual(
            names[names.index("RodzajFaktury") + 1 : names.index("RodzajFaktury") + 3],
            ["FP", "TP"],
        )
        plain = self.pl_invoice()
        self.assertFalse(self._xml(plain).xpath("//fa:Fa/fa:FP", namespaces=NS))

    def test_tp_on_a_correction_stays_schema_valid(self):
        self.customer.l10n_pl_links_with_customer = True
        invoice = self.pl_invoice(lines=[(self.goods, 2, 100.0)])
        invoice.action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Zwrot towaru", "journal_id": invoice.journal_id.id})
        )
        correction = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        root = self._xml(correction)
        self.assertEqual(self._text(root, "//fa:RodzajFaktury"), "KOR")
        self.assertEqual(self._text(root, "//fa:Fa/fa:TP"), "1")

    def test_payment_forms(self):
        cash = self.pl_invoice(pl_payment_method="cash")
        self.assertEqual(
            self._text(self._xml(cash), "//fa:Platnosc/fa:FormaPlatnosci"), "1"
        )
        offset = self.pl_invoice(pl_payment_method="compensation")
        root = self._xml(offset)
        self.assertFalse(root.xpath("//fa:Platnosc/fa:FormaPlatnosci", namespaces=NS))
        self.assertEqual(self._text(root, "//fa:Platnosc/fa:PlatnoscInna"), "1")
        self.assertEqual(
            self._text(root, "//fa:Platnosc/fa:OpisPlatnosci"), "Kompensata"
        )

    def test_payment_term_and_named_bank(self):
        self.company_bank.bank_id = self.env["res.bank"].create(
            {"name": "Bank Testowy"}
        )
        term = self.env["account.payment.term"].create(
            {
                "name": "14 dni",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 14}
                    )
                ],
            }
        )
        invoice = self.pl_invoice(invoice_payment_term_id=term.id)
        root = self._xml(invoice)
        termin = "//fa:Platnosc/fa:TerminPlatnosci/"
        self.assertEqual(self._text(root, termin + "fa:Termin"), "2026-11-29")
        self.assertEqual(self._text(root, termin + "fa:TerminOpis/fa:Ilosc"), "14")
        self.assertEqual(
            self._text(root, "//fa:RachunekBankowy/fa:NazwaBanku"), "Bank Testowy"
        )

    # ------------------------------------------------------------------
    # Pro forma: never to KSeF
    # ------------------------------------------------------------------
    def test_proforma_never_goes_to_ksef(self):
        self._enable_ksef()
        proforma = self.pl_invoice(kind="proforma")
        proforma.action_pl_issue_proforma()
        invoice = self.pl_invoice()
        invoice.action_post()
        send = self.env["account.move.send"]
        # Not offered: the KSeF checkbox does not apply to a pro forma.
        self.assertIn("pl_ksef", send._get_default_extra_edis(invoice))
        self.assertNotIn("pl_ksef", send._get_default_extra_edis(proforma))
        # Not sendable, with the reason first.
        with self.assertRaisesRegex(UserError, "pro forma"), self._ksef_client():
            send._generate_and_send_invoices(proforma, sending_methods=[])
        # Even handed to the KSeF step directly, it is refused, nothing sent.
        data = {proforma: {"extra_edis": {"pl_ksef"}}}
        with self._ksef_client():
            send._call_web_service_before_invoice_pdf_render(data)
        self.assertIn("pro forma", data[proforma]["error"]["errors"][0])
        # No KSeF status can be recorded on it (the status cron only follows
        # documents with the status "sent"), no status can be asked.
        with self.assertRaises(ValidationError):
            proforma.l10n_pl_edi_status = "sent"
        with self.assertRaisesRegex(UserError, "pro forma"):
            proforma.action_l10n_pl_edi_update_invoice_status()
        self.assertFalse(proforma.l10n_pl_edi_status)

    # ------------------------------------------------------------------
    # Invalid XML: refused with the schema error in plain words
    # ------------------------------------------------------------------
    def test_problem_in_plain_words(self):
        invoice = self.pl_invoice()
        invoice.action_post()
        xml = invoice._l10n_pl_edi_render_xml().replace(
            "<P_12>23</P_12>", "<P_12>24</P_12>"
        )
        with self.assertRaises(UserError) as error:
            invoice._pl_ksef_check_xml(xml)
        message = str(error.exception)
        self.assertIn(invoice.name, message)
        self.assertIn("Faktura/Fa/FaWiersz/P_12", message)
        self.assertIn("the value '24' of P_12 is not allowed", message)
        self.assertIn("0 KR", message)  # the allowed values are listed

    def test_invalid_xml_is_not_sent(self):
        self._enable_ksef()
        # A line description longer than FA(3) allows (P_7: 512 characters).
        invoice = self.pl_invoice()
        invoice.invoice_line_ids.name = "Kabel miedziany " * 40
        invoice.action_post()
        wizard = (
            self.env["account.move.send.wizard"]
            .with_company(self.company)
            .create(
                {
                    "move_id": invoice.id,
                    "extra_edi_checkboxes": {"pl_ksef": {"checked": True}},
                }
            )
        )
        # The wizard shows the problem before anything is sent ...
        self.assertIn(
            "Faktura/Fa/FaWiersz/P_7",
            str([alert["message"] for alert in wizard.alerts.values()]),
        )
        # ... and refuses to send.
        with self._ksef_client() as sent, self.assertRaises(UserError) as error:
            wizard.action_send_and_print()
        self.assertFalse(sent)
        message = str(error.exception)
        self.assertIn("does not match the official schema", message)
        self.assertIn("Faktura/Fa/FaWiersz/P_7", message)
        self.assertIn("P_7", message)
        self.assertFalse(invoice.l10n_pl_edi_status)
        self.assertFalse(invoice.l10n_pl_edi_attachment_id)

    def test_invalid_xml_is_not_sent_by_batch_or_cron(self):
        # The batch wizard and the sending cron go straight to the sending.
        self._enable_ksef()
        invoice = self.pl_invoice()
        invoice.invoice_line_ids.name = "Kabel miedziany " * 40
        invoice.action_post()
        send = self.env["account.move.send"]
        with self._ksef_client() as sent, self.assertRaises(UserError) as error:
            send._generate_and_send_invoices(
                invoice, sending_methods=[], extra_edis={"pl_ksef"}
            )
        self.assertFalse(sent)
        self.assertIn("Faktura/Fa/FaWiersz/P_7", str(error.exception))
        # From the cron (sending data stored by the batch wizard): no
        # exception, the document is simply not sent.
        invoice.sending_data = {
            "author_user_id": self.env.user.id,
            "author_partner_id": self.env.user.partner_id.id,
        }
        with self._ksef_client() as sent:
            send._generate_and_send_invoices(
                invoice, from_cron=True, sending_methods=[], extra_edis={"pl_ksef"}
            )
        self.assertFalse(sent)
        self.assertFalse(invoice.l10n_pl_edi_status)

    def test_paid_invoice_stays_valid(self):
        invoice = self.pl_invoice(lines=[(self.goods, 1, 1000.0)])
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": "2026-11-20"})._create_payments()
        self.assertEqual(invoice.payment_state, "paid")
        root = self._xml(invoice)
        self.assertEqual(self._text(root, "//fa:Platnosc/fa:Zaplacono"), "1")
        self.assertEqual(self._text(root, "//fa:Platnosc/fa:DataZaplaty"), "2026-11-20")
        self.assertEqual(self._text(root, "//fa:Platnosc/fa:FormaPlatnosci"), "6")

    def test_valid_xml_is_sent(self):
        self._enable_ksef()
        invoice = self.pl_invoice(lines=[(self.annex15, 1, 12200.0)])
        invoice.action_post()
        with self._ksef_client(allow=True) as sent:
            self._send_to_ksef(invoice)
        self.assertEqual(len(sent), 1)
        self.assertEqual(invoice._pl_ksef_schema_problems(sent[0]), [])
        root = etree.fromstring(sent[0])
        self.assertEqual(self._text(root, "//fa:Adnotacje/fa:P_18A"), "1")
        self.assertEqual(invoice.l10n_pl_edi_status, "sent")

    def test_sent_xml_rendered_once(self):
        """The XML checked against the schema before sending is the XML sent:
        rendered once, not again by l10n_pl_edi (the invoice list's *Send to
        KSeF*; the sending wizard also renders it for its alerts)."""
        self._enable_ksef()
        invoice = self.pl_invoice(lines=[(self.goods, 1, 100.0)])
        invoice.action_post()
        qweb = type(self.env["ir.qweb"])
        with (
            self._ksef_client(allow=True) as sent,
            patch.object(
                qweb, "_render", autospec=True, side_effect=qweb._render
            ) as render,
        ):
            invoice.action_pl_ksef_send()
        fa3 = [
            call.args[1]
            for call in render.call_args_list
            if str(call.args[1]).endswith("fa3_xml_template")
        ]
        self.assertEqual(fa3, ["crm_invoicing_pl_ksef.fa3_xml_template"])
        self.assertEqual(len(sent), 1)
        self.assertEqual(invoice._pl_ksef_schema_problems(sent[0]), [])
        self.assertEqual(invoice.l10n_pl_edi_status, "sent")

    def test_tag_amounts_as_l10n_pl_edi(self):
        """The amounts by tax tag the FA(3) is built from are those of
        l10n_pl_edi's own functions (which search every tag again for each
        journal line at each call): domestic rates with an exempt line,
        EUR, domestic reverse charge, WDT, export, services taxed in another
        member state. The tags are read once for all the invoices rendered in
        a transaction."""
        from odoo.addons.l10n_pl_edi.models.account_move import (
            AccountMove as EdiAccountMove,
        )

        german = self._foreign_company("Beispiel GmbH", "de", "DE312345671")
        american = self._foreign_company("Example Inc.", "us", "US123456789")
        service = self._create_product(name="Audyt", type="service", lst_price=1.0)
        invoices = [
            self.pl_invoice(
                lines=[
                    (self.annex15, 1, 1000.0),
                    (self.food, 10, 10.0),
                    (self.goods, 1, 50.0),
                    (self.goods, 1, 30.0, self.tax_zw),
                ]
            ),
            self.pl_invoice(
                currency_id=self.eur.id,
                lines=[(self.goods, 1, 1000.0), (self.food, 3, 10.0)],
            ),
            self.pl_invoice(lines=[(self.goods, 10, 500.0, self.tax_oo)]),
            self.pl_invoice(
                german, lines=[(self.goods, 2, 500.0, self._pl_tax("vs_unia"))]
            ),
            self.pl_invoice(
                american,
                lines=[(self.goods, 1, 700.0, self._pl_tax("vs_eksp_tow"))],
            ),
            self.pl_invoice(
                german, lines=[(service, 2, 1500.0, self._pl_tax("vs_dostu"))]
            ),
        ]
        tags = [f"K_{number}" for number in range(10, 23)] + [
            "K_31",
            "OSS_Base",
            "OSS_Tax",
        ]
        for invoice in invoices:
            invoice.action_post()
            ours = invoice._l10n_pl_edi_get_xml_values()
            theirs = EdiAccountMove._l10n_pl_edi_get_xml_values(invoice)
            with self.subTest(invoice=invoice.name):
                amounts = {
                    tag: (
                        ours["get_amounts_from_tag"](tag),
                        ours["get_amounts_from_tag_in_PLN_currency"](tag),
                    )
                    for tag in tags
                }
                self.assertEqual(
                    amounts,
                    {
                        tag: (
                            theirs["get_amounts_from_tag"](tag),
                            theirs["get_amounts_from_tag_in_PLN_currency"](tag),
                        )
                        for tag in tags
                    },
                )
                self.assertTrue(any(amount for amount, _pln in amounts.values()))
        # The EUR invoice's tax in PLN at its NBP rate (4,23).
        self.assertAlmostEqual(
            invoices[1]._l10n_pl_edi_get_xml_values()[
                "get_amounts_from_tag_in_PLN_currency"
            ]("K_20"),
            972.9,
            places=2,
        )
        # The tags read once for all the invoices rendered in a transaction
        # (as at the start of one).
        self.env.cr.precommit.data.pop("crm_invoicing_pl_ksef.tax_tag_ids", None)
        tag_model = type(self.env["account.account.tag"])
        with patch.object(
            tag_model, "_search", autospec=True, side_effect=tag_model._search
        ) as search:
            for invoice in invoices:
                invoice._l10n_pl_edi_render_xml()
        self.assertEqual(len(search.call_args_list), 1)
