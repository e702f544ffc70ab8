"""The JPK_V7M(3) row of each document: its KSeF marker, GTU codes, procedure
markers, the buyer's boxes K_31 / K_32 and the number of a vendor bill.

Every file below is checked against the official schema (data/jpk_xsd).
"""

import base64
import datetime
from unittest.mock import patch

from lxml import etree
from odoo import Command
from odoo.addons.crm_invoicing_pl_ksef.tests.common import KsefMixin
from odoo.addons.crm_invoicing_pl_sale.tests.test_advance_invoice import AdvanceCommon
from odoo.tests import tagged

from ..tools.jpk import NAMESPACES, schema_problems

NS = {"tns": NAMESPACES["M"]}
# DataWytworzeniaJPK of the test's files: set here, never the clock's.
CREATED = datetime.datetime(2026, 12, 1, 8, 0, 0)
KSEF_NUMBER = "5260250274-20260203-0100A1B2C3D4-E5"
LATER_NUMBER = "5260250274-20260205-0A1B2C3D4E5F-01"
MARKERS = ("NrKSeF", "OFF", "BFK", "DI")


@tagged("post_install", "-at_install")
class TestJpkRowMarkers(KsefMixin, AdvanceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # What the JPK_V7M's Podmiot1 and KodUrzedu need.
        cls.company.write(
            {
                "email": "biuro@przykladowa.example.com",
                "l10n_pl_reports_tax_office_id": cls.env.ref(
                    "l10n_pl.pl_tax_office_1471"
                ).id,
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _jpk(self, date_from, **values):
        """The JPK_V7M(3) of the month of ``date_from``, valid by the schema:
        (wizard, {DowodSprzedazy: SprzedazWiersz})."""
        wizard = self.env["pl.vat.register.export"].create(
            {"date_from": date_from, "file_format": "jpk", **values}
        )
        with patch.object(type(wizard), "_pl_jpk_creation_time", return_value=CREATED):
            wizard.action_export()
        xml = base64.b64decode(wizard.data)
        self.assertEqual([p.message for p in schema_problems(xml)], [])
        rows = etree.fromstring(xml).iterfind(".//tns:SprzedazWiersz", NS)
        return wizard, {
            row.findtext("tns:DowodSprzedazy", namespaces=NS): row for row in rows
        }

    def _marker(self, row):
        """(marker, value) of a row: exactly one of NrKSeF / OFF / BFK / DI."""
        found = [
            (etree.QName(child).localname, child.text)
            for child in row
            if etree.QName(child).localname in MARKERS
        ]
        self.assertEqual(len(found), 1, found)
        return found[0]

    def _flags(self, row, prefix=""):
        """The names of a row's elements with the value "1" (markers)."""
        return {
            etree.QName(child).localname
            for child in row
            if child.text == "1" and etree.QName(child).localname.startswith(prefix)
        }

    # ------------------------------------------------------------------
    # Item 18: NrKSeF / OFF / BFK / DI
    # ------------------------------------------------------------------
    def test_ksef_marker_of_each_invoice_state(self):
        """MF rules of the JPK_V7(3) rows: NrKSeF when the invoice has its
        number; OFF only for the failure mode (art. 106nf ust. 1) still
        without one; DI for offline24 (art. 106nda) and unavailability
        (art. 106nh) invoices still without one, and for documents that are
        not invoices (RO); BFK only for what is issued outside KSeF (a
        consumer invoice the company does not send to KSeF)."""
        self._enable_ksef()
        date = "2026-02-03"
        numbered = self.pl_invoice(date=date)
        failure = self.pl_invoice(date=date, pl_ksef_issue_mode="failure")
        offline = self.pl_invoice(date=date, pl_ksef_issue_mode="offline24")
        unavailable = self.pl_invoice(date=date, pl_ksef_issue_mode="unavailable")
        pending = self.pl_invoice(date=date)
        consumer = self.pl_invoice(partner=self.consumer, date=date)
        report = self.pl_invoice(
            partner=self.consumer, date=date, pl_jpk_document_type="RO"
        )
        documents = numbered + failure + offline + unavailable + pending
        documents += consumer + report
        documents.action_post()
        numbered.l10n_pl_edi_number = KSEF_NUMBER
        # Sent, KSeF has not given the number yet.
        pending.write({"l10n_pl_edi_status": "sent", "l10n_pl_edi_ref": "REF-1"})
        self.assertFalse(self.company.pl_ksef_b2c)
        expected = {
            numbered: ("NrKSeF", KSEF_NUMBER),
            failure: ("OFF", "1"),
            offline: ("DI", "1"),
            unavailable: ("DI", "1"),
            pending: ("DI", "1"),
            consumer: ("BFK", "1"),
            report: ("DI", "1"),
        }
        _wizard, rows = self._jpk("2026-02-01")
        self.assertEqual(len(rows), 7)
        for move, marker in expected.items():
            self.assertEqual(self._marker(rows[move.name]), marker, move.name)
            self.assertEqual(move.pl_jpk_ksef_marker, marker[0], move.name)
        register = self.env["pl.vat.sales.register"].search(
            [("ksef_marker", "in", ["OFF", "DI"])]
        )
        self.assertEqual(
            register.move_id, failure + offline + unavailable + pending + report
        )

        others = self.env["pl.vat.sales.register"].search(
            [("ksef_marker", "not in", ["OFF", "DI"]), ("move_id", "in", documents.ids)]
        )
        self.assertEqual(others.move_id, numbered + consumer)
        with_number = self.env["pl.vat.sales.register"].search(
            [("ksef_marker", "=", "NrKSeF")]
        )
        self.assertEqual(with_number.move_id, numbered)

        # The numbers come after the first file: exported again, the rows of
        # the offline and failure-mode invoices carry them (nothing kept
        # the old marker).
        offline.l10n_pl_edi_number = LATER_NUMBER
        failure.l10n_pl_edi_number = "5260250274-20260206-0A1B2C3D4E5F-02"
        _wizard, rows = self._jpk("2026-02-01", jpk_correction=True)
        self.assertEqual(self._marker(rows[offline.name]), ("NrKSeF", LATER_NUMBER))
        self.assertEqual(self._marker(rows[failure.name])[0], "NrKSeF")
        register = self.env["pl.vat.sales.register"]
        self.assertEqual(
            register.search([("move_id", "=", offline.id)]).ksef_marker, "NrKSeF"
        )

        # A company outside KSeF issues outside KSeF: BFK, but the invoice
        # that went to KSeF stays there (DI until its number comes).
        self.company.sudo().l10n_pl_edi_certificate = False
        self.assertFalse(self.company.l10n_pl_edi_register)
        _wizard, rows = self._jpk("2026-02-01", jpk_correction=True)
        self.assertEqual(self._marker(rows[unavailable.name]), ("BFK", "1"))
        self.assertEqual(self._marker(rows[pending.name]), ("DI", "1"))
        self.assertEqual(self._marker(rows[numbered.name]), ("NrKSeF", KSEF_NUMBER))

    def test_consumer_invoices_sent_to_ksef_are_not_bfk(self):
        """With consumer invoices sent to KSeF (company setting), an invoice
        to a consumer is a KSeF invoice: DI until its number, not BFK."""
        self._enable_ksef()
        self.company.pl_ksef_b2c = True
        invoice = self.pl_invoice(partner=self.consumer, date="2026-02-04")
        invoice.action_post()
        _wizard, rows = self._jpk("2026-02-01")
        self.assertEqual(self._marker(rows[invoice.name]), ("DI", "1"))

    # ------------------------------------------------------------------
    # Item 19: GTU, procedures, K_31 / K_32, the supplier's number
    # ------------------------------------------------------------------
    def test_advance_invoice_has_the_gtu_of_the_ordered_goods(self):
        """§ 10 ust. 3 of the JPK_VAT regulation: the GTU of an advance
        invoice (art. 106b ust. 1 pkt 4) are those of the goods ordered, not
        of the advance product. The order: cable (GTU_06, TT_D) x 3, a book
        (no GTU), an exempt training (GTU_12); the advance product is given
        GTU_13 to show it is not read."""
        self.goods.product_tmpl_id.write(
            {"l10n_pl_vat_gtu": "GTU_06", "pl_ksef_procedure": "TT_D"}
        )
        self.goods_zw.product_tmpl_id.l10n_pl_vat_gtu = "GTU_12"
        order = self.make_order()
        advance = self.advance(order, 333.33)
        advance.invoice_line_ids.product_id.product_tmpl_id.l10n_pl_vat_gtu = "GTU_13"
        self.assertEqual(advance._pl_jpk_codes(), ({6, 12}, {"TT_D"}))
        _wizard, rows = self._jpk(advance.date.replace(day=1))
        row = rows[advance.name]
        self.assertEqual(self._flags(row, "GTU_"), {"GTU_06", "GTU_12"})
        self.assertEqual(self._flags(row, "TT_D"), {"TT_D"})
        # Advance of 333,33 gross (see test_advance_invoice): 23 % 129,87 /
        # 29,87; 8 % 108,22 / 8,66; exempt 56,71.
        self.assertEqual(row.findtext("tns:K_19", namespaces=NS), "129.87")
        self.assertEqual(row.findtext("tns:K_10", namespaces=NS), "56.71")
        # The correction of the advance has the same goods.
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=advance.ids)
            .create({"reason": "Zwrot zaliczki", "journal_id": advance.journal_id.id})
        )
        correction = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertEqual(correction._pl_jpk_codes()[0], {6, 12})

    def test_line_procedures_and_distance_sale(self):
        """§ 10 ust. 4 of the JPK_VAT regulation: the procedure markers of
        the lines go on the row. Goods sold to a consumer in Germany are an
        intra-EU distance sale (art. 2 pkt 22a): WSTO_EE by default; a
        service to the same consumer is not. I_42 typed on a line (supply
        after import under customs procedure 42) reaches the row too."""
        berlin = self.env["res.partner"].create(
            {
                "name": "Erika Mustermann",
                "street": "Unter den Linden 1",
                "zip": "10117",
                "city": "Berlin",
                "country_id": self.env.ref("base.de").id,
            }
        )
        distance = self.pl_invoice(
            partner=berlin,
            lines=[(self.goods, 2, 100.0), (self.service, 1, 50.0)],
            date="2026-02-05",
        )
        goods_line, service_line = distance.invoice_line_ids
        self.assertEqual(goods_line.pl_ksef_procedure, "WSTO_EE")
        self.assertFalse(service_line.pl_ksef_procedure)
        domestic = self.pl_invoice(date="2026-02-05")
        self.assertFalse(domestic.invoice_line_ids.pl_ksef_procedure)
        domestic.invoice_line_ids.pl_ksef_procedure = "I_42"
        (distance + domestic).action_post()
        _wizard, rows = self._jpk("2026-02-01")
        procedures = {"WSTO_EE", "IED", "TT_D", "I_42", "I_63"}
        self.assertEqual(self._flags(rows[distance.name]) & procedures, {"WSTO_EE"})
        self.assertEqual(self._flags(rows[domestic.name]) & procedures, {"I_42"})

    def test_k31_is_the_buyers_box(self):
        """K_31 / K_32: goods for which the buyer is the taxpayer (art. 17
        ust. 1 pkt 5). A sale under l10n_pl's "0 % Stal" (tagged K_31) is
        left out of K_31 with a warning: 10 x 50,00 = 500,00. A vendor bill
        under "23 % Stal" (purchase, self-assessed) fills K_31 800,00 and
        K_32 184,00 (23 % of 800,00) and its row shows the supplier's
        invoice number (the bill's reference), the document of the
        acquisition, with BFK (a foreign supplier's invoice, outside KSeF)."""
        sale = self.pl_invoice(
            lines=[(self.goods, 10, 50.0, self.tax_oo)], date="2026-02-06"
        )
        sale.action_post()
        steel = self._pl_tax("vz_stal")
        steel.active = True
        supplier = self.env["res.partner"].create(
            {
                "name": "Stahlwerk Ostsee GmbH",
                "is_company": True,
                "vat": "DE123456788",
                "country_id": self.env.ref("base.de").id,
            }
        )
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": supplier.id,
                "invoice_date": "2026-02-07",
                "ref": "RE-2026-0042",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Pręty stalowe",
                            "quantity": 1,
                            "price_unit": 800.0,
                            "tax_ids": [Command.set(steel.ids)],
                        }
                    )
                ],
            }
        )
        bill.action_post()
        register = self.env["pl.vat.sales.register"].search(
            [("move_id", "in", (sale + bill).ids)]
        )
        sale_row = register.filtered(lambda r: r.move_id == sale)
        self.assertEqual((sale_row.k_31, sale_row.seller_k31), (0, 500))
        bill_row = register.filtered(lambda r: r.move_id == bill)
        self.assertEqual((bill_row.k_31, bill_row.k_32), (800, 184))
        self.assertEqual(bill_row.output_tax, 184)
        wizard, rows = self._jpk("2026-02-01")
        self.assertIn(sale.name, wizard.warning)
        self.assertIn("art. 17 ust. 1 pkt 5", wizard.warning)
        self.assertIsNone(rows[sale.name].find("tns:K_31", NS))
        self.assertNotIn(bill.name, rows)
        bill_xml = rows["RE-2026-0042"]
        self.assertEqual(bill_xml.findtext("tns:K_31", namespaces=NS), "800.00")
        self.assertEqual(bill_xml.findtext("tns:K_32", namespaces=NS), "184.00")
        self.assertEqual(
            bill_xml.findtext("tns:NrKontrahenta", namespaces=NS), "123456788"
        )
        self.assertEqual(self._marker(bill_xml), ("BFK", "1"))
