"""FA(3) parties identified for EU VAT: KodUE + NrVatUE, PrefiksPodatnika.

A buyer registered for VAT in another member state is identified by its
prefix (KodUE) and its number without the prefix (NrVatUE), not as "another
tax number" (KodKraju + NrID); a buyer outside the EU keeps KodKraju + NrID,
a Polish one its NIP. The seller acting as an EU VAT taxpayer carries
PrefiksPodatnika "PL". Each XML is checked against the FA(3) XSD.
"""

from lxml import etree
from odoo.addons.crm_invoicing_pl.tools.ksef_xsd import FA3_NAMESPACE
from odoo.tests import tagged

from .common import KsefCommon

NS = {"fa": FA3_NAMESPACE}
BUYER_ID = "//fa:Podmiot2/fa:DaneIdentyfikacyjne"


@tagged("post_install", "-at_install")
class TestKsefFa3EuParties(KsefCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.german = cls._foreign_company(
            "Beispiel GmbH", "de", "DE312345671", "Berlin", "10115"
        )
        cls.greek = cls._foreign_company(
            "Paradeigma AE", "gr", "EL100000003", "Athina", "10431"
        )
        cls.norwegian = cls._foreign_company(
            "Eksempel AS", "no", "NO100000008MVA", "Oslo", "0150"
        )
        cls.american = cls._foreign_company(
            "Example Inc.", "us", "US123456789", "Boston", "02108"
        )
        cls.tax_wdt = cls._pl_tax("vs_unia")
        cls.tax_export = cls._pl_tax("vs_eksp_tow")

    @classmethod
    def _foreign_company(cls, name, country, vat, city, zip_code):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "vat": vat,
                "street": "Main Street 1",
                "city": city,
                "zip": zip_code,
                "country_id": cls.env.ref(f"base.{country}").id,
            }
        )

    def _xml(self, invoice):
        """The FA(3) XML of ``invoice`` (posted first), checked against the XSD."""
        if invoice.state == "draft":
            invoice.action_post()
        xml = invoice._l10n_pl_edi_render_xml()
        self.assertEqual(
            invoice._pl_ksef_schema_problems(xml),
            [],
            "FA(3) of %s must be XSD-valid:\n%s" % (invoice.name, xml),
        )
        return etree.fromstring(xml.encode())

    def _children(self, root, xpath):
        """(local name, text) of the children of the one node at ``xpath``."""
        nodes = root.xpath(xpath, namespaces=NS)
        self.assertEqual(len(nodes), 1, "exactly one %s expected" % xpath)
        return [(etree.QName(child).localname, child.text) for child in nodes[0]]

    def _seller_prefix(self, root):
        return root.xpath("//fa:Podmiot1/fa:PrefiksPodatnika/text()", namespaces=NS)

    def test_german_buyer_wdt_kod_ue_and_seller_prefix(self):
        """Goods to a German company (WDT, 0 %): KodUE "DE" and NrVatUE
        without the prefix, no KodKraju / NrID; the seller "PL" first in
        Podmiot1, before its NIP."""
        invoice = self.pl_invoice(
            self.german, lines=[(self.goods, 2, 500.0, self.tax_wdt)]
        )
        root = self._xml(invoice)
        self.assertEqual(
            self._children(root, BUYER_ID),
            [("KodUE", "DE"), ("NrVatUE", "312345671"), ("Nazwa", "Beispiel GmbH")],
        )
        self.assertFalse(
            root.xpath(
                f"{BUYER_ID}/fa:NrID | {BUYER_ID}/fa:KodKraju | {BUYER_ID}/fa:NIP",
                namespaces=NS,
            )
        )
        # The address keeps the ISO country code.
        self.assertEqual(
            root.xpath("//fa:Podmiot2/fa:Adres/fa:KodKraju/text()", namespaces=NS),
            ["DE"],
        )
        self.assertEqual(self._seller_prefix(root), ["PL"])
        seller = self._children(root, "//fa:Podmiot1")
        self.assertEqual(seller[0], ("PrefiksPodatnika", "PL"))
        self.assertEqual(
            self._children(root, "//fa:Podmiot1/fa:DaneIdentyfikacyjne")[0],
            ("NIP", "5260250274"),
        )
        self.assertEqual(
            root.xpath("//fa:FaWiersz/fa:P_12/text()", namespaces=NS), ["0 WDT"]
        )

    def test_german_buyer_domestic_rate(self):
        """A German VAT-registered buyer of a sale taxed in Poland is still
        identified by its EU VAT number; the seller acts as an EU VAT
        taxpayer towards it."""
        invoice = self.pl_invoice(self.german, lines=[(self.goods, 1, 100.0)])
        root = self._xml(invoice)
        self.assertEqual(
            self._children(root, BUYER_ID)[:2],
            [("KodUE", "DE"), ("NrVatUE", "312345671")],
        )
        self.assertEqual(self._seller_prefix(root), ["PL"])

    def test_greek_buyer_is_el(self):
        """Greece's VAT prefix is EL (ISO code GR): KodUE "EL"."""
        invoice = self.pl_invoice(
            self.greek, lines=[(self.goods, 1, 300.0, self.tax_wdt)]
        )
        root = self._xml(invoice)
        self.assertEqual(
            self._children(root, BUYER_ID)[:2],
            [("KodUE", "EL"), ("NrVatUE", "100000003")],
        )
        self.assertEqual(
            root.xpath("//fa:Podmiot2/fa:Adres/fa:KodKraju/text()", namespaces=NS),
            ["GR"],
        )

    def test_norwegian_buyer_keeps_kod_kraju_and_nr_id(self):
        """Export of goods to a Norwegian company: a tax number outside the
        EU is KodKraju + NrID as written; no EU prefix for the seller."""
        invoice = self.pl_invoice(
            self.norwegian, lines=[(self.goods, 1, 1000.0, self.tax_export)]
        )
        root = self._xml(invoice)
        self.assertEqual(
            self._children(root, BUYER_ID),
            [("KodKraju", "NO"), ("NrID", "NO100000008MVA"), ("Nazwa", "Eksempel AS")],
        )
        self.assertFalse(
            root.xpath(f"{BUYER_ID}/fa:KodUE | {BUYER_ID}/fa:NrVatUE", namespaces=NS)
        )
        self.assertEqual(self._seller_prefix(root), [])

    def test_american_buyer_keeps_kod_kraju_and_nr_id(self):
        invoice = self.pl_invoice(self.american, lines=[(self.goods, 1, 100.0)])
        root = self._xml(invoice)
        self.assertEqual(
            self._children(root, BUYER_ID)[:2],
            [("KodKraju", "US"), ("NrID", "US123456789")],
        )
        self.assertEqual(self._seller_prefix(root), [])

    def test_polish_buyer_keeps_nip_and_consumer_brak_id(self):
        root = self._xml(self.pl_invoice(lines=[(self.goods, 1, 100.0)]))
        self.assertEqual(
            self._children(root, BUYER_ID),
            [("NIP", "1234567883"), ("Nazwa", "Hurtownia Żółw Sp. z o.o.")],
        )
        self.assertEqual(self._seller_prefix(root), [])
        root = self._xml(self.pl_invoice(self.consumer, lines=[(self.goods, 1, 100.0)]))
        self.assertEqual(
            self._children(root, BUYER_ID), [("BrakID", "1"), ("Nazwa", "Jan Kowalski")]
        )
        self.assertEqual(self._seller_prefix(root), [])

    def test_wdt_to_buyer_without_eu_number_still_has_seller_prefix(self):
        """An intra-EU supply is made as an EU VAT taxpayer whatever the
        buyer's data say (art. 97 ust. 10 pkt 2)."""
        buyer = self._foreign_company("Beispiel KG", "de", False, "Berlin", "10115")
        invoice = self.pl_invoice(buyer, lines=[(self.goods, 1, 100.0, self.tax_wdt)])
        xml = invoice._l10n_pl_edi_render_xml()
        root = etree.fromstring(xml.encode())
        self.assertEqual(self._seller_prefix(root), ["PL"])
        self.assertEqual(self._children(root, BUYER_ID)[0], ("BrakID", "1"))

    def test_posted_invoice_keeps_the_buyer_as_invoiced(self):
        """The FA(3) of a posted invoice identifies the buyer frozen at
        posting: a later change of the customer's VAT number does not turn
        its KodUE into a NIP."""
        buyer = self._foreign_company(
            "Beispiel Handel GmbH", "de", "DE312345671", "Berlin", "10115"
        )
        invoice = self.pl_invoice(buyer, lines=[(self.goods, 1, 100.0, self.tax_wdt)])
        invoice.action_post()
        buyer.write({"vat": "PL1234567883", "country_id": self.env.ref("base.pl").id})
        root = self._xml(invoice)
        self.assertEqual(
            self._children(root, BUYER_ID)[:2],
            [("KodUE", "DE"), ("NrVatUE", "312345671")],
        )
        self.assertEqual(self._seller_prefix(root), ["PL"])
