"""The JPK_V7M row of an upward correction invoice (art. 106j ust. 1 pkt 5
of the VAT Act): a sales row with positive amounts.

The invoice: 2 x 100,00 (cable) + 1 x 500,00 (service) at 23 %, 700,00 net,
161,00 VAT, of 15 November 2026; the correction of 20 November raises the
cable's price by 15,00: +30,00 net, +6,90 VAT.
"""

import base64
import datetime
from unittest.mock import patch

from lxml import etree
from odoo.addons.crm_invoicing_pl_sale.tests.test_upward_correction import (
    UpwardCorrectionCommon,
)
from odoo.tests import freeze_time, tagged

from ..tools.jpk import NAMESPACES, schema_problems

JPK = {"tns": NAMESPACES["M"]}


@tagged("post_install", "-at_install")
@freeze_time("2026-12-07 10:00:00")  # the documents of November are in the past
class TestUpwardCorrectionJpk(UpwardCorrectionCommon):
    def test_jpk_row_of_an_upward_correction(self):
        self.company.write(
            {
                "email": "biuro@przykladowa.example.com",
                "l10n_pl_reports_tax_office_id": self.env.ref(
                    "l10n_pl.pl_tax_office_1471"
                ).id,
            }
        )
        invoice = self.invoice()
        correction = self.raise_cable(self.upward(invoice))
        correction.action_post()
        register = self.env["pl.vat.sales.register"].search(
            [("move_id", "=", correction.id)]
        )
        self.assertEqual((register.k_19, register.k_20), (30.0, 6.9))
        self.assertEqual(register.output_tax, 6.9)
        wizard = self.env["pl.vat.register.export"].create(
            {"date_from": "2026-11-01", "file_format": "jpk"}
        )
        with patch.object(
            type(wizard),
            "_pl_jpk_creation_time",
            return_value=datetime.datetime(2026, 12, 5, 8, 0, 0),
        ):
            wizard.action_export()
        xml = base64.b64decode(wizard.data)
        self.assertEqual([p.message for p in schema_problems(xml)], [])
        root = etree.fromstring(xml)
        [row] = root.xpath(
            "//tns:SprzedazWiersz[tns:DowodSprzedazy='%s']" % correction.name,
            namespaces=JPK,
        )
        values = {etree.QName(node).localname: node.text for node in row}
        self.assertEqual(values["DataWystawienia"], "2026-11-20")
        self.assertEqual(values["NrKontrahenta"], "1234567883")
        self.assertEqual(values["BFK"], "1")
        self.assertNotIn("TypDokumentu", values)
        self.assertEqual((values["K_19"], values["K_20"]), ("30.00", "6.90"))
        self.assertEqual(
            root.findtext(
                "tns:Ewidencja/tns:SprzedazCtrl/tns:PodatekNalezny", namespaces=JPK
            ),
            "167.90",
        )
