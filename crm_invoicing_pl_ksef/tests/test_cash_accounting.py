"""Cash accounting (metoda kasowa, art. 21 of the VAT Act): FA(3) stays a
complete invoice with P_16 = 1."""

from lxml import etree
from odoo.addons.crm_invoicing_pl.tests.test_cash_accounting import (
    CashAccountingCommon,
)
from odoo.addons.crm_invoicing_pl.tools.ksef_xsd import FA3_NAMESPACE
from odoo.tests import freeze_time, tagged

FA = {"fa": FA3_NAMESPACE}


@tagged("post_install", "-at_install")
@freeze_time("2027-07-01")
class TestCashAccountingKsef(CashAccountingCommon):
    def test_fa3_stays_a_whole_invoice(self):
        """Art. 106e ust. 1 pkt 16 (FA(3) Adnotacje/P_16 = 1, "metoda
        kasowa"): the invoice keeps its line (FaWiersz with P_11 1000.00) and
        its totals P_13_1 1000.00 / P_14_1 230.00 / P_15 1230.00."""
        invoice = self._invoice()
        xml = invoice._l10n_pl_edi_render_xml()
        self.assertEqual(invoice._pl_ksef_schema_problems(xml), [])
        root = etree.fromstring(xml.encode())

        def text(xpath):
            return [node.text for node in root.xpath(xpath, namespaces=FA)]

        self.assertEqual(text("//fa:Adnotacje/fa:P_16"), ["1"])
        self.assertEqual(text("//fa:Fa/fa:FaWiersz/fa:P_11"), ["1000.00"])
        self.assertEqual(text("//fa:Fa/fa:FaWiersz/fa:P_12"), ["23"])
        self.assertEqual(text("//fa:Fa/fa:P_13_1"), ["1000.00"])
        self.assertEqual(text("//fa:Fa/fa:P_14_1"), ["230.00"])
        self.assertEqual(text("//fa:Fa/fa:P_15"), ["1230.00"])
