"""Cash accounting (metoda kasowa, art. 21 of the VAT Act): the VAT sales
register and the JPK_V7M(3) file list the invoice in the period of each
payment with its share."""

import base64
import datetime
from decimal import Decimal
from unittest.mock import patch

from lxml import etree
from odoo.addons.crm_invoicing_pl.tests.test_cash_accounting import (
    CashAccountingCommon,
)
from odoo.addons.crm_invoicing_pl.tools.cash_accounting import split
from odoo.tests import freeze_time, tagged

from ..tools.jpk import NAMESPACES, schema_problems

NS = {"tns": NAMESPACES["M"]}
CREATED = datetime.datetime(2027, 7, 1, 8, 0, 0)
d = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2027-07-01")
class TestCashAccountingRegister(CashAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # What the JPK_V7M's Naglowek and Podmiot1 need.
        cls.company.write(
            {
                "email": "biuro@przykladowa.example.com",
                "l10n_pl_reports_tax_office_id": cls.env.ref(
                    "l10n_pl.pl_tax_office_1471"
                ).id,
            }
        )

    def _pay(self, invoice, amount, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": day})._create_payments()

    def _register(self, invoice, start, end):
        # A view: its rows change with the payments, its cache does not.
        self.env["pl.vat.sales.register"].invalidate_model()
        return self.env["pl.vat.sales.register"].search(
            [
                ("move_id", "=", invoice.id),
                ("date", ">=", start),
                ("date", "<=", end),
            ]
        )

    def _jpk(self, month_start):
        wizard = self.env["pl.vat.register.export"].create(
            {"date_from": month_start, "file_format": "jpk"}
        )
        with patch.object(type(wizard), "_pl_jpk_creation_time", return_value=CREATED):
            wizard.action_export()
        xml = base64.b64decode(wizard.data)
        self.assertEqual([p.message for p in schema_problems(xml)], [])
        return etree.fromstring(xml).find("tns:Ewidencja", NS)

    def _row(self, ewidencja):
        rows = ewidencja.findall("tns:SprzedazWiersz", NS)
        self.assertEqual(len(rows), 1)
        return {etree.QName(node).localname: node.text for node in rows[0]}

    def test_two_payments_in_two_months(self):
        """Art. 21 ust. 1 pkt 1: 1 230 gross paid 615 on 10 Dec 2026 and 615
        on 5 Jan 2027: the register and the JPK_V7M of December list the
        invoice (its number, issue date 2026-12-03, sale date 2026-12-01,
        buyer's NIP) with K_19 500.00 / K_20 115.00, those of January the same
        invoice with 500.00 / 115.00; nothing on the 180th day (30 May 2027),
        nothing in the invoice's own month before the payment."""
        invoice = self._invoice()
        self.assertEqual(invoice.pl_cash_deadline, d(2027, 5, 30))
        # Not paid yet: not in December; the whole in May 2027 (180th day).
        self.assertFalse(self._register(invoice, "2026-12-01", "2026-12-31"))
        may = self._register(invoice, "2027-05-01", "2027-05-31")
        self.assertEqual((may.k_19, may.k_20, may.output_tax), (1000.0, 230.0, 230.0))

        self._pay(invoice, 615.0, "2026-12-10")
        self._pay(invoice, 615.0, "2027-01-05")
        self.assertTrue(invoice.line_ids.matched_credit_ids)
        december = self._register(invoice, "2026-12-01", "2026-12-31")
        january = self._register(invoice, "2027-01-01", "2027-01-31")
        for row, day in ((december, d(2026, 12, 10)), (january, d(2027, 1, 5))):
            self.assertEqual(len(row), 1)
            self.assertEqual(row.name, invoice.name)
            self.assertEqual(row.date, day)
            self.assertEqual(row.invoice_date, d(2026, 12, 3))
            self.assertEqual(row.sale_date, d(2026, 12, 1))
            self.assertEqual(row.partner_id, self.customer)
            self.assertEqual(
                (row.k_19, row.k_20, row.output_tax), (500.0, 115.0, 115.0)
            )
        self.assertFalse(self._register(invoice, "2027-02-01", "2027-12-31"))

        for month, paid_on in (
            ("2026-12-01", "2026-12-10"),
            ("2027-01-01", "2027-01-05"),
        ):
            ewidencja = self._jpk(month)
            row = self._row(ewidencja)
            self.assertEqual(row["DowodSprzedazy"], invoice.name)
            self.assertEqual(row["DataWystawienia"], "2026-12-03")
            self.assertEqual(row["DataSprzedazy"], "2026-12-01")
            self.assertEqual(row["NrKontrahenta"], "1234567883")
            self.assertEqual((row["K_19"], row["K_20"]), ("500.00", "115.00"), paid_on)
            # JPK_V7M(3) has no cash-accounting marker on a sales row: MK is
            # a purchase-document marker (DokumentZakupu, TDowoduZakupu).
            self.assertNotIn("MK", row)
            self.assertNotIn("DokumentZakupu", row)
            control = ewidencja.find("tns:SprzedazCtrl", NS)
            self.assertEqual([node.text for node in control], ["1", "115.00"], paid_on)

    def test_never_paid_taxpayer_on_the_180th_day(self):
        """Art. 21 ust. 1 pkt 1: a VAT taxpayer never pays: the whole
        1 000 / 230 in the JPK of May 2027 (the 180th day after the 1 Dec 2026
        delivery is 30 May 2027), none in December 2026."""
        invoice = self._invoice()
        self.assertEqual(
            [
                self._row(self._jpk("2027-05-01"))[k]
                for k in ("DowodSprzedazy", "K_19", "K_20")
            ],
            [invoice.name, "1000.00", "230.00"],
        )
        self.assertFalse(self._jpk("2026-12-01").findall("tns:SprzedazWiersz", NS))
        row = self._register(invoice, "2026-01-01", "2027-12-31")
        self.assertEqual(row.date, d(2027, 5, 30))

    def test_part_paid_rest_on_the_180th_day(self):
        """Art. 21 ust. 1 pkt 1: 400 paid on 15 Dec 2026: December 325.20 /
        74.80 (1 000 x 400 / 1 230 = 325.203, 230 x 400 / 1 230 = 74.797);
        the rest 674.80 / 155.20 on 30 May 2027; the 830 paid on 10 Jun 2027,
        after the 180th day, is no new tax point. The register's shares are
        those of tools/cash_accounting.py."""
        invoice = self._invoice()
        self._pay(invoice, 400.0, "2026-12-15")
        self._pay(invoice, 830.0, "2027-06-10")
        rows = self._register(invoice, "2026-01-01", "2027-12-31").sorted("date")
        self.assertEqual(
            [(r.date, r.k_19, r.k_20) for r in rows],
            [(d(2026, 12, 15), 325.2, 74.8), (d(2027, 5, 30), 674.8, 155.2)],
        )
        expected = split(
            {"K_19": 1000, "K_20": 230},
            1230,
            [(d(2026, 12, 15), 400), (d(2027, 6, 10), 830)],
            invoice.pl_cash_deadline,
        )
        self.assertEqual(
            [
                (r.date, {"K_19": Decimal(str(r.k_19)), "K_20": Decimal(str(r.k_20))})
                for r in rows
            ],
            expected,
        )

    def test_consumer_only_when_paying(self):
        """Art. 21 ust. 1 pkt 2: a consumer (no NIP) has no 180-day limit:
        unpaid, the invoice is in no period; paid 1 230 on 2 Aug 2027, more
        than 180 days after the delivery, it is in August 2027 whole."""
        invoice = self._invoice(partner=self.consumer)
        self.assertFalse(invoice.pl_cash_deadline)
        self.assertFalse(self._register(invoice, "2026-01-01", "2027-12-31"))
        with freeze_time("2027-08-02"):
            self._pay(invoice, 1230.0, "2027-08-02")
        row = self._register(invoice, "2026-01-01", "2027-12-31")
        self.assertEqual((row.date, row.k_19, row.k_20), (d(2027, 8, 2), 1000.0, 230.0))

    def test_other_companies_keep_the_invoice_date(self):
        """Art. 19a ust. 1 (no cash accounting): the same invoice, paid in
        January, is one row on its supply date (l10n_pl's accounting date),
        1 Dec 2026, whole."""
        self.company.pl_cash_accounting = False
        invoice = self._invoice()
        self.assertFalse(invoice.pl_cash_deadline)
        self._pay(invoice, 615.0, "2027-01-05")
        row = self._register(invoice, "2026-01-01", "2027-12-31")
        self.assertEqual(
            (row.date, row.k_19, row.k_20), (d(2026, 12, 1), 1000.0, 230.0)
        )

    def test_credit_note_is_not_a_payment(self):
        """Art. 21 ust. 1 pkt 1 counts payments received: a correction of
        -500 net / -115 VAT reconciled with the invoice pays nothing, so the
        whole 1 000 / 230 is still due on the 180th day (30 May 2027), and the
        correction is listed on its own date with -500 / -115."""
        invoice = self._invoice()
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "reason": "Rabat",
                    "journal_id": invoice.journal_id.id,
                    "date": "2026-12-20",
                }
            )
        )
        correction = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        correction.invoice_line_ids.write({"price_unit": 500.0})
        correction.action_post()
        receivable = correction.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        invoice.js_assign_outstanding_line(receivable.id)
        self.assertEqual(invoice.amount_residual, 615.0)
        rows = self._register(invoice, "2026-01-01", "2027-12-31")
        self.assertEqual(
            [(r.date, r.k_19, r.k_20) for r in rows],
            [(d(2027, 5, 30), 1000.0, 230.0)],
        )
        row = self._register(correction, "2026-01-01", "2027-12-31")
        self.assertEqual((row.k_19, row.k_20), (-500.0, -115.0))

    def test_foreign_currency_share_in_zloty(self):
        """Art. 21 ust. 1 with art. 31a: 100 EUR + 23 EUR VAT at the NBP rate
        4.30 of 30 Nov 2026 (the last business day before the 1 Dec supply)
        is K_19 430.00 / K_20 98.90; 61.50 EUR paid on 10 Dec 2026 is half
        of the 123 EUR gross: December 215.00 / 49.45, the rest on the 180th
        day."""
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {
                "name": "2026-11-30",
                "currency_id": eur.id,
                "company_id": self.company.id,
                "inverse_company_rate": 4.30,
            }
        )
        invoice = self.pl_invoice(
            lines=[(self.goods, 1, 100.0, self.tax_23)],
            date="2026-12-03",
            taxable_supply_date="2026-12-01",
            currency_id=eur.id,
        )
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": 61.5, "currency_id": eur.id, "payment_date": "2026-12-10"}
        )._create_payments()
        rows = self._register(invoice, "2026-01-01", "2027-12-31").sorted("date")
        self.assertEqual(
            [(r.date, r.k_19, r.k_20) for r in rows],
            [(d(2026, 12, 10), 215.0, 49.45), (d(2027, 5, 30), 215.0, 49.45)],
        )
