import base64
import csv
import datetime
import io
import re
from unittest.mock import patch

import openpyxl
from lxml import etree
from odoo import Command
from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools.jpk import AMOUNT_FIELDS, NAMESPACES, POSITIVE_TAG_FIELDS, schema_problems

NS = {"tns": NAMESPACES["M"]}
# DataWytworzeniaJPK of the test's files: set here, never the clock's.
CREATED = datetime.datetime(2026, 3, 5, 8, 0, 0)


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
        # What the JPK_V7M's Podmiot1 and KodUrzedu need.
        cls.company.write(
            {
                "email": "biuro@przykladowa.example.com",
                "phone": "+48 22 123 45 67",
                "l10n_pl_reports_tax_office_id": cls.env.ref(
                    "l10n_pl.pl_tax_office_1471"
                ).id,
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
        with patch.object(type(wizard), "_pl_jpk_creation_time", return_value=CREATED):
            wizard.action_export()
        return wizard, base64.b64decode(wizard.data)

    def assertValidJpk(self, xml):
        problems = schema_problems(xml)
        self.assertEqual([p.message for p in problems], [])
        return etree.fromstring(xml)

    def test_exports_carry_the_register_totals(self):
        mixed, _exempt, foreign, _correction = self._month_documents()
        foreign.l10n_pl_edi_number = "5260250274-20260205-0100A1B2C3D4-E5"
        wizard, xml = self._export("jpk")
        self.assertEqual(wizard.filename, "JPK_V7M_2026-02.xml")
        self.assertEqual(wizard.row_count, 4)
        root = self.assertValidJpk(xml).find("tns:Ewidencja", NS)
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

        # A quarter: the register, with the quarter in the file name; no
        # JPK_V7K (its official schema is not shipped, it could not be checked).
        wizard, _xlsx = self._export("xlsx", period="quarter", date_from="2026-02-15")
        self.assertEqual(wizard.filename, "rejestr_vat_sprzedazy_2026-Q1.xlsx")
        self.assertEqual(wizard.row_count, 4)
        with self.assertRaisesRegex(UserError, "JPK_V7K is not offered"):
            self._export("jpk", period="quarter", date_from="2026-02-15")

    def test_jpk_file_of_the_month_validates(self):
        """JPK_V7M(3) (rozporządzenie MF z 15.10.2019 w sprawie JPK_VAT z
        deklaracją): Naglowek with the company's tax office, Podmiot1 with
        its NIP and e-mail, Ewidencja with SprzedazCtrl and ZakupCtrl (zeros:
        no purchases that month), every journal; CelZlozenia 2 for a correction."""
        _mixed, _exempt, foreign, _correction = self._month_documents()
        foreign.l10n_pl_edi_number = "5260250274-20260205-0100A1B2C3D4-E5"
        other = self.env["account.journal"].create(
            {"name": "Other sales", "code": "OSAL", "type": "sale"}
        )
        wizard, xml = self._export("jpk", journal_ids=[Command.set(other.ids)])
        root = self.assertValidJpk(xml)
        self.assertEqual(wizard.row_count, 4)
        header = {
            etree.QName(node).localname: node.text
            for node in root.find("tns:Naglowek", NS)
        }
        self.assertEqual(
            header,
            {
                "KodFormularza": "JPK_VAT",
                "WariantFormularza": "3",
                "DataWytworzeniaJPK": "2026-03-05T08:00:00Z",
                "NazwaSystemu": "Odoo",
                "CelZlozenia": "1",
                "KodUrzedu": "1471",
                "Rok": "2026",
                "Miesiac": "2",
            },
        )
        subject = root.find("tns:Podmiot1/tns:OsobaNiefizyczna", NS)
        self.assertEqual(
            [node.text for node in subject],
            [
                "5260250274",
                "Przykładowa Spółka z o.o.",
                "biuro@przykladowa.example.com",
                "+48 22 123 45 67",
            ],
        )
        purchases = root.find("tns:Ewidencja/tns:ZakupCtrl", NS)
        self.assertEqual([node.text for node in purchases], ["0", "0.00"])

        wizard, xml = self._export("jpk", jpk_correction=True)
        self.assertEqual(wizard.filename, "JPK_V7M_2026-02_korekta.xml")
        root = self.assertValidJpk(xml)
        self.assertEqual(
            root.findtext("tns:Naglowek/tns:CelZlozenia", namespaces=NS), "2"
        )

    def test_jpk_of_a_month_without_sales(self):
        """A month without sales still has its JPK_V7M: zero rows, zeros."""
        wizard, xml = self._export("jpk", date_from="2026-04-01")
        root = self.assertValidJpk(xml)
        self.assertEqual(wizard.row_count, 0)
        self.assertEqual(
            [node.text for node in root.find("tns:Ewidencja/tns:SprzedazCtrl", NS)],
            ["0", "0.00"],
        )

    def test_jpk_missing_company_data_is_refused_up_front(self):
        self.pl_invoice(date="2026-02-03").action_post()
        self.company.write(
            {"email": False, "vat": False, "l10n_pl_reports_tax_office_id": False}
        )
        attachments = self.env["ir.attachment"].search_count([])
        wizard = self.env["pl.vat.register.export"].create(
            {"date_from": "2026-02-01", "file_format": "jpk"}
        )
        with (
            patch.object(
                type(wizard), "_pl_jpk_file", side_effect=AssertionError("built")
            ),
            self.assertRaises(UserError) as refusal,
        ):
            wizard.action_export()
        message = str(refusal.exception)
        self.assertIn("cannot be made without", message)
        self.assertIn("Polish Localization > Tax Office", message)
        self.assertIn("Tax ID (NIP)", message)
        self.assertIn("e-mail address", message)
        self.assertIn("Settings > Companies > Przykładowa Spółka z o.o.", message)
        self.assertFalse(wizard.data)
        self.assertFalse(wizard.filename)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        # A foreign VAT number is no NIP (written in SQL: crm_vies_check, when
        # installed, refuses it on a Polish company already).
        self.company.write(
            {
                "email": "biuro@przykladowa.example.com",
                "l10n_pl_reports_tax_office_id": self.env.ref(
                    "l10n_pl.pl_tax_office_1471"
                ).id,
            }
        )
        self.env.cr.execute(
            "UPDATE res_partner SET vat = 'DE123456788' WHERE id = %s",
            [self.company.partner_id.id],
        )
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "Tax ID \\(NIP\\)"):
            wizard.action_export()
        self.assertFalse(wizard.data)

    def test_register_read_page_by_page(self):
        """The export reads the register through one cursor, a page at a
        time, in the register's order, each page's records leaving the cache
        before the next (a month of 100 000 documents is never in memory)."""
        self._month_documents()
        wizard = self.env["pl.vat.register.export"].create(
            {"date_from": "2026-02-01", "file_format": "jpk"}
        )
        self.env.flush_all()
        names, sizes = [], []
        for page in wizard._pl_register_pages(
            "pl.vat.sales.register", ["move_id", "name"], page_size=3
        ):
            sizes.append(len(page))
            names += [value["name"] for value in page]
            move = self.env["account.move"].browse(page[0]["move_id"])
            self.assertTrue(move.name)  # in the cache now...
        # ... and no longer after the last page.
        self.assertNotIn(
            move.id, self.env.cache.get_records(move, move._fields["name"]).ids
        )
        self.assertEqual(sizes, [3, 1])
        self.assertEqual(names, self._register().mapped("name"))

    def test_billing_user_exports_and_downloads_the_file(self):
        """An invoicing user (not an administrator) exports the JPK and
        reads the file back; it is stored as a download straight from its
        bytes, its XML never indexed as text."""
        self._month_documents()
        billing = self._pl_user("pl_jpk_billing", "account.group_account_invoice")
        wizard = (
            self.env["pl.vat.register.export"]
            .with_user(billing)
            .create({"date_from": "2026-02-01", "file_format": "jpk"})
        )
        with patch.object(type(wizard), "_pl_jpk_creation_time", return_value=CREATED):
            wizard.action_export()
        xml = base64.b64decode(wizard.data)
        root = self.assertValidJpk(xml)
        self.assertEqual(
            root.findtext(
                "tns:Ewidencja/tns:SprzedazCtrl/tns:LiczbaWierszySprzedazy",
                namespaces=NS,
            ),
            "4",
        )
        [attachment] = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", wizard._name),
                    ("res_id", "=", wizard.id),
                    ("res_field", "=", "data"),
                ]
            )
        )
        self.assertEqual(attachment.name, "JPK_V7M_2026-02.xml")
        # Plain text for a user who may not edit views (Odoo's rule for XML),
        # but not indexed: the file is not searched by its words.
        self.assertEqual(attachment.mimetype, "text/plain")
        self.assertFalse(attachment.index_content)
        other = self.env["ir.attachment"].create(
            {"name": "a.txt", "raw": b"Faktura VAT"}
        )
        self.assertEqual(other.index_content, "Faktura VAT")
        self.assertEqual(attachment.raw, xml)
        # Exported again: one file, the new one.
        wizard.file_format = "csv"
        wizard.action_export()
        self.assertEqual(
            self.env["ir.attachment"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", wizard._name),
                    ("res_id", "=", wizard.id),
                    ("res_field", "=", "data"),
                ]
            ),
            1,
        )
        self.assertTrue(base64.b64decode(wizard.data).startswith(b"\xef\xbb\xbf"))

    def test_jpk_fault_in_the_middle_loses_nothing(self):
        """A row refused half way through the file (a GTU code that is not
        one, written behind the ORM's back) refuses the whole file in plain
        words, stores nothing, and the next export in the same transaction
        works once the data is right."""
        self._month_documents()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE product_template SET l10n_pl_vat_gtu = 'GTU_99' WHERE id = %s",
            [self.goods.product_tmpl_id.id],
        )
        self.env.invalidate_all()
        wizard = self.env["pl.vat.register.export"].create(
            {"date_from": "2026-02-01", "file_format": "jpk"}
        )
        with self.assertRaises(UserError) as refusal:
            wizard.action_export()
        self.assertIn("cannot be made", str(refusal.exception))
        self.assertIn("GTU_99", str(refusal.exception))
        self.assertFalse(wizard.data)
        self.env.cr.execute(
            "UPDATE product_template SET l10n_pl_vat_gtu = 'GTU_06' WHERE id = %s",
            [self.goods.product_tmpl_id.id],
        )
        self.env.invalidate_all()
        wizard, xml = self._export("jpk")
        self.assertEqual(wizard.row_count, 4)
        self.assertValidJpk(xml)

    def test_jpk_period_must_be_jpk_v7m_3(self):
        with self.assertRaisesRegex(UserError, "from February 2026"):
            self._export("jpk", date_from="2026-01-01")

    def test_jpk_not_matching_the_schema_is_refused_in_plain_words(self):
        invoice = self.pl_invoice(date="2026-02-03")
        invoice.action_post()
        # Typed by hand: not a KSeF number.
        invoice.l10n_pl_edi_number = "KSEF-123"
        wizard = self.env["pl.vat.register.export"].create(
            {"date_from": "2026-02-01", "file_format": "jpk"}
        )
        with (
            patch.object(type(wizard), "_pl_jpk_creation_time", return_value=CREATED),
            self.assertRaises(UserError) as refusal,
        ):
            wizard.action_export()
        message = str(refusal.exception)
        self.assertIn("does not match the official schema", message)
        self.assertIn("JPK/Ewidencja/SprzedazWiersz/NrKSeF", message)
        self.assertIn("the element NrKSeF has a wrong value", message)
        self.assertIn("'KSEF-123'", message)
        self.assertFalse(wizard.data)

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
