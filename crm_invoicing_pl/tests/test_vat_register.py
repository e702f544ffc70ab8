import base64
import csv
import io
import re

import openpyxl
from lxml import etree
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools.jpk import AMOUNT_FIELDS, NAMESPACES, POSITIVE_TAG_FIELDS
from .common import PlInvoicingCommon

NS = {"tns": NAMESPACES["M"]}


@tagged("post_install", "-at_install")
class TestVatSalesRegister(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        # The NBP rate of 4 February, the rate day of the EUR invoice of the
        # 5th (art. 31a).
        cls.env["res.currency.rate"].create(
            {
                "name": "2026-02-04",
                "currency_id": cls.eur.id,
                "company_id": cls.company.id,
                "inverse_company_rate": 4.30,
            }
        )
        cls.goods.product_tmpl_id.l10n_pl_vat_gtu = "GTU_06"
        cls.tax_zw.pl_exemption_basis = "art. 43 ust. 1 pkt 37 ustawy o VAT"
        cls.eu_customer = cls.env["res.partner"].create(
            {
                "name": "Zugspitze Handel GmbH",
                "is_company": True,
                "vat": "DE123456788",
                "street": "Marienplatz 1",
                "zip": "80331",
                "city": "München",
                "country_id": cls.env.ref("base.de").id,
            }
        )

    def _register(self, **domain):
        return self.env["pl.vat.sales.register"].search(
            [
                ("company_id", "=", self.company.id),
                ("date", ">=", "2026-02-01"),
                ("date", "<=", "2026-02-28"),
            ]
        )

    def _month_documents(self):
        """A month of mixed documents; returns the posted ones."""
        mixed = self.pl_invoice(
            lines=[(self.goods, 10, 100.0), (self.service, 1, 100.0, self.tax_8)],
            date="2026-02-03",
        )
        exempt = self.pl_invoice(
            partner=self.consumer,
            lines=[(self.service, 1, 200.0, self.tax_zw)],
            date="2026-02-04",
        )
        foreign = self.pl_invoice(
            lines=[(self.service, 1, 100.0)],
            date="2026-02-05",
            currency_id=self.eur.id,
        )
        (mixed + exempt + foreign).action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=mixed.ids)
            .create(
                {
                    "reason": "Rabat",
                    "journal_id": mixed.journal_id.id,
                    "date": "2026-02-10",
                }
            )
        )
        correction = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        correction.invoice_line_ids.filtered(
            lambda line: line.product_id == self.service
        ).unlink()
        correction.invoice_line_ids.write({"quantity": 1})
        correction.action_post()
        # Never in the register: a pro forma and a draft.
        proforma = self.pl_invoice(kind="proforma", date="2026-02-06")
        proforma.action_pl_issue_proforma()
        self.pl_invoice(date="2026-02-07")
        return mixed, exempt, foreign, correction

    def test_rows_and_amounts_by_jpk_field(self):
        mixed, exempt, foreign, correction = self._month_documents()
        register = self._register()
        self.assertEqual(register.move_id, mixed + exempt + foreign + correction)
        row = register.filtered(lambda r: r.move_id == mixed)
        self.assertEqual((row.k_19, row.k_20, row.k_17, row.k_18), (1000, 230, 100, 8))
        self.assertEqual(row.output_tax, 238)
        self.assertEqual(row.partner_vat, "PL1234567883")
        self.assertEqual(row.ksef_marker, "BFK")
        self.assertEqual(row.gtu_codes, "GTU_06")
        self.assertEqual(register.filtered(lambda r: r.move_id == exempt).k_10, 200)
        # EUR 100 at 4.30 PLN (NBP rate of the day before the tax point).
        eur_row = register.filtered(lambda r: r.move_id == foreign)
        self.assertEqual((eur_row.k_19, eur_row.k_20), (430, 98.9))
        corr_row = register.filtered(lambda r: r.move_id == correction)
        self.assertEqual((corr_row.k_19, corr_row.k_20), (-100, -23))
        self.assertEqual(sum(register.mapped("output_tax")), 238 + 98.9 - 23)

    def test_register_totals_equal_the_tax_tags(self):
        """The register adds up to l10n_pl's tax report, field by field."""
        self._month_documents()
        # Signs as the tax report's own tax_tags formulas give them.
        report = self.env.ref("l10n_pl.tax_report")
        signs = {}
        for expression in report.line_ids.expression_ids.filtered(
            lambda e: e.engine == "tax_tags"
        ):
            match = re.fullmatch(r"(-?)(K_\d+)", expression.formula)
            if match and match.group(2) in AMOUNT_FIELDS:
                signs[match.group(2)] = -1 if match.group(1) else 1
        self.assertEqual(
            {name for name, sign in signs.items() if sign > 0}, POSITIVE_TAG_FIELDS
        )
        lines = self.env["account.move.line"].search(
            [
                ("company_id", "=", self.company.id),
                ("parent_state", "=", "posted"),
                ("date", ">=", "2026-02-01"),
                ("date", "<=", "2026-02-28"),
                ("tax_tag_ids", "!=", False),
            ]
        )
        expected = {}
        for line in lines:
            for tag in line.tax_tag_ids:
                if tag.name in signs:
                    expected[tag.name] = (
                        expected.get(tag.name, 0) + signs[tag.name] * line.balance
                    )
        register = self._register()
        for name, amount in expected.items():
            self.assertAlmostEqual(
                sum(register.mapped(name.lower())), amount, places=2, msg=name
            )
        self.assertEqual(set(expected), {"K_10", "K_17", "K_18", "K_19", "K_20"})

    def _export(self, file_format, **values):
        wizard = self.env["pl.vat.register.export"].create(
            {"date_from": "2026-02-01", "file_format": file_format, **values}
        )
        wizard.action_export()
        return wizard, base64.b64decode(wizard.data)

    def test_exports_carry_the_register_totals(self):
        mixed, _exempt, foreign, _correction = self._month_documents()
        foreign.l10n_pl_edi_number = "5260250274-20260205-0100A1B2C3D4-E5"
        wizard, xml = self._export("jpk")
        self.assertEqual(wizard.filename, "rejestr_vat_sprzedazy_2026-02.xml")
        self.assertEqual(wizard.row_count, 4)
        root = etree.fromstring(xml)
        rows = root.findall("tns:SprzedazWiersz", NS)
        self.assertEqual(
            [r.findtext("tns:DowodSprzedazy", namespaces=NS) for r in rows],
            self._register().mapped("name"),
        )
        first = rows[0]
        self.assertEqual(
            first.findtext("tns:NrKontrahenta", namespaces=NS), "1234567883"
        )
        self.assertEqual(first.findtext("tns:GTU_06", namespaces=NS), "1")
        self.assertEqual(first.findtext("tns:BFK", namespaces=NS), "1")
        self.assertEqual(first.findtext("tns:K_19", namespaces=NS), "1000.00")
        self.assertEqual(rows[1].findtext("tns:NrKontrahenta", namespaces=NS), "BRAK")
        by_number = {r.findtext("tns:DowodSprzedazy", namespaces=NS): r for r in rows}
        self.assertEqual(
            by_number[foreign.name].findtext("tns:NrKSeF", namespaces=NS),
            "5260250274-20260205-0100A1B2C3D4-E5",
        )
        control = root.find("tns:SprzedazCtrl", NS)
        self.assertEqual(
            control.findtext("tns:LiczbaWierszySprzedazy", namespaces=NS), "4"
        )
        self.assertEqual(
            control.findtext("tns:PodatekNalezny", namespaces=NS), "313.90"
        )

        _wizard, text = self._export("csv")
        table = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(table[-1][table[0].index("K_20")], "305.90")
        _wizard, xlsx = self._export("xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
        self.assertEqual(sheet.cell(2, 4).value, mixed.name)

        # A quarter: JPK_V7K's namespace and the quarter in the file name.
        wizard, xml = self._export("jpk", period="quarter", date_from="2026-02-15")
        self.assertEqual(wizard.filename, "rejestr_vat_sprzedazy_2026-Q1.xml")
        self.assertEqual(etree.fromstring(xml).tag, "{%s}Ewidencja" % NAMESPACES["K"])

    def test_foreign_contractor_and_journal_filter(self):
        invoice = self.pl_invoice(
            partner=self.eu_customer,
            lines=[(self.service, 1, 100.0)],
            date="2026-02-12",
        )
        invoice.action_post()
        row = self._register().filtered(lambda r: r.move_id == invoice)
        self.assertEqual(invoice._pl_jpk_tin(), ("DE", "123456788"))
        self.assertTrue(row)
        other = self.env["account.journal"].create(
            {"name": "Other sales", "code": "OSAL", "type": "sale"}
        )
        with self.assertRaisesRegex(UserError, "has no documents"):
            self._export("csv", journal_ids=[Command.set(other.ids)])

    def test_empty_period_is_a_clear_error(self):
        with self.assertRaisesRegex(UserError, "has no documents"):
            self._export("xlsx", date_from="2025-01-01")
