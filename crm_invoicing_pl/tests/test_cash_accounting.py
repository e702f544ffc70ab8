"""Cash accounting (metoda kasowa, art. 21 of the VAT Act) on the invoice:
the last day its VAT is due (the 180th day after the delivery for a buyer
who is a VAT taxpayer); FA(3) stays a complete invoice with P_16 = 1."""

import datetime

from lxml import etree
from odoo.tests import freeze_time, tagged

from ..tools.ksef_xsd import FA3_NAMESPACE
from .common import PlInvoicingCommon

FA = {"fa": FA3_NAMESPACE}
d = datetime.date


class CashAccountingCommon(PlInvoicingCommon):
    """A company settling VAT by the cash method (art. 21) and its invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"pl_cash_accounting": True, "pl_invoice_date_from": "2026-01-01"}
        )

    def _invoice(self, partner=None):
        """1 000 net + 230 VAT = 1 230 gross, delivered on 1 Dec 2026,
        issued on 3 Dec 2026."""
        invoice = self.pl_invoice(
            partner=partner,
            lines=[(self.goods, 1, 1000.0, self.tax_23)],
            date="2026-12-03",
            taxable_supply_date="2026-12-01",
        )
        invoice.action_post()
        self.assertEqual(invoice.amount_total, 1230.0)
        return invoice


@tagged("post_install", "-at_install")
@freeze_time("2027-07-01")
class TestCashAccounting(CashAccountingCommon):
    def test_vat_due_at_the_latest(self):
        """Art. 21 ust. 1 pkt 1: delivered on 1 Dec 2026 to a VAT taxpayer,
        due at the latest on 30 May 2027 (the 180th day); pkt 2: a consumer
        has no such day; without cash accounting there is none either."""
        self.assertEqual(self._invoice().pl_cash_deadline, d(2027, 5, 30))
        self.assertFalse(self._invoice(partner=self.consumer).pl_cash_deadline)
        self.company.pl_cash_accounting = False
        self.assertFalse(self._invoice().pl_cash_deadline)

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
