"""An advance invoice of money already received (art. 106b ust. 1 pkt 4) is
paid in FA(3): Zaplacono and DataZaplaty, no TerminPlatnosci."""

from datetime import date

from lxml import etree
from odoo.addons.crm_invoicing_pl.tools.ksef_xsd import FA3_NAMESPACE
from odoo.addons.crm_invoicing_pl_sale.tests.test_advance_invoice import AdvanceCommon
from odoo.tests import freeze_time, tagged


@tagged("post_install", "-at_install")
class TestAdvanceReceivedFa3(AdvanceCommon):
    @freeze_time("2026-11-20")
    def test_received_advance_is_paid_in_fa3(self):
        order = self.make_order()
        advance = self.advance(order, 333.33)
        self.assertEqual(advance.pl_advance_received_date, date(2026, 11, 10))
        xml = advance._l10n_pl_edi_render_xml()
        self.assertEqual(advance._pl_ksef_schema_problems(xml), [])
        root = etree.fromstring(xml.encode())
        ns = {"fa": FA3_NAMESPACE}
        self.assertEqual(
            root.xpath("string(//fa:Platnosc/fa:Zaplacono)", namespaces=ns), "1"
        )
        self.assertEqual(
            root.xpath("string(//fa:Platnosc/fa:DataZaplaty)", namespaces=ns),
            "2026-11-10",
        )
        self.assertFalse(root.xpath("//fa:TerminPlatnosci", namespaces=ns))
        # An advance asked for (a percentage of the order) is still due.
        asked = self.advance(order, 10.0, method="percentage")
        self.assertFalse(asked.pl_advance_received_date)
        xml = asked._l10n_pl_edi_render_xml()
        self.assertNotIn("<Zaplacono>", xml)
