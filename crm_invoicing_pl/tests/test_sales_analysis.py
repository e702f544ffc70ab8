"""The sales dashboard (report/sales_analysis.py) against the accounting.

Documents of the test's company, dated relative to today, the clock frozen
on Wednesday 17 June 2026 (the age buckets are computed against today's date
when the dashboard is read, from due dates moved past weekends and holidays:
inv4's due date, -200, is Saturday 29 November 2025, late from Monday 1
December, 198 days):

====  ========  ============================  ======  =========  =====  ========
doc   salesman  lines (net)                   total   collected  due    bucket
====  ========  ============================  ======  =========  =====  ========
inv1  Anna      goods 1000                    1230    230        -40    31_60
inv2  Bartosz   service 500 + goods 2 x 100    861    123 (kor)  +20    not_due
inv3  Anna      goods 200                      246    246        -95    paid
inv4  Bartosz   service 400                    492    92         -200   over_180
inv5  Anna      goods 3 x 100                  369    0          -120   91_180
kor   Bartosz   correction of inv2: goods 100  -123   -123       (+20)  paid
====  ========  ============================  ======  =========  =====  ========

The correction is offset against inv2 when posted: settled on both sides.
A draft invoice and an issued pro forma are never in the dashboard.
"""

import datetime
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import freeze_time, new_test_user, tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-17 10:00:00")
class TestSalesAnalysis(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["account.move"])
        cls.anna, cls.bartosz = (
            new_test_user(
                cls.env,
                login=login,
                name=name,
                groups="base.group_user",
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            for login, name in (("anna.pl", "Anna"), ("bartosz.pl", "Bartosz"))
        )
        cls.services = cls.env["product.category"].create({"name": "Usługi"})
        cls.service.categ_id = cls.services

    def days(self, offset):
        return self.today + timedelta(days=offset)

    def invoice(self, user, lines, issued, due, paid=0.0):
        move = self.pl_invoice(
            lines=lines,
            date=self.days(issued),
            invoice_date_due=self.days(due),
            invoice_user_id=user.id,
        )
        move.action_post()
        self.assertEqual(move.invoice_date_due, self.days(due))
        if paid:
            self.pay(move, paid)
        return move

    def pay(self, move, amount):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"amount": amount, "payment_date": self.today})._create_payments()

    def setUp(self):
        super().setUp()
        # The invoices reach 220 days back, across a year end in the first
        # months of a year: the company's books start before them.
        self.company.pl_invoice_date_from = self.days(-365)
        goods, service = self.goods, self.service
        self.inv1 = self.invoice(self.anna, [(goods, 1, 1000.0)], -50, -40, 230.0)
        self.inv2 = self.invoice(
            self.bartosz, [(service, 1, 500.0), (goods, 2, 100.0)], -10, 20
        )
        self.inv3 = self.invoice(self.anna, [(goods, 1, 200.0)], -100, -95, 246.0)
        self.inv4 = self.invoice(self.bartosz, [(service, 1, 400.0)], -220, -200, 92.0)
        self.inv5 = self.invoice(self.anna, [(goods, 3, 100.0)], -130, -120)
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=self.inv2.ids)
            .create(
                {
                    "reason": "Zwrot towaru",
                    "journal_id": self.inv2.journal_id.id,
                    "date": self.days(-5),
                }
            )
        )
        self.correction = self.env["account.move"].browse(
            wizard.refund_moves()["res_id"]
        )
        self.correction.invoice_line_ids.filtered(
            lambda line: line.product_id == service
        ).unlink()
        self.correction.invoice_line_ids.quantity = 1
        self.correction.invoice_user_id = self.bartosz
        self.correction.action_post()
        self.posted = (
            self.inv1 + self.inv2 + self.inv3 + self.inv4 + self.inv5 + self.correction
        )
        # Never in the dashboard: a draft and an issued pro forma.
        self.draft = self.pl_invoice(lines=[(goods, 1, 7777.0)])
        self.proforma = self.pl_invoice(kind="proforma", lines=[(goods, 1, 8888.0)])
        self.proforma.action_pl_issue_proforma()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def sums(self, model, groupby, domain=()):
        """{group: (total, collected, open, overdue)} of the company's rows."""
        rows = self.env[model]._read_group(
            [("company_id", "=", self.company.id), *domain],
            [groupby],
            [
                "amount_total:sum",
                "amount_collected:sum",
                "amount_open:sum",
                "amount_overdue:sum",
            ],
        )
        return {
            key: tuple(round(value, 2) for value in values) for key, *values in rows
        }

    def totals(self, model):
        rows = self.env[model]._read_group(
            [("company_id", "=", self.company.id)],
            [],
            [
                "amount_untaxed:sum",
                "amount_total:sum",
                "amount_collected:sum",
                "amount_open:sum",
                "amount_overdue:sum",
            ],
        )
        return tuple(round(value, 2) for value in rows[0])

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_documents_and_accounting(self):
        rows = self.env["pl.sales.analysis"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(rows.move_id, self.posted, "posted documents only")
        self.assertNotIn(self.draft, rows.move_id)
        self.assertNotIn(self.proforma, rows.move_id)
        net, total, collected, opened, overdue = self.totals("pl.sales.analysis")
        self.assertEqual(
            (net, total, collected, opened, overdue),
            (2500.0, 3075.0, 568.0, 2507.0, 1769.0),
        )
        # The dashboard is the accounting: the moves' own amounts.
        self.assertAlmostEqual(total, sum(self.posted.mapped("amount_total_signed")))
        self.assertAlmostEqual(net, sum(self.posted.mapped("amount_untaxed_signed")))
        self.assertAlmostEqual(
            opened, sum(self.posted.mapped("amount_residual_signed"))
        )
        self.assertAlmostEqual(collected + opened, total)
        row = rows.filtered(lambda r: r.move_id == self.correction)
        self.assertEqual(row.pl_document_kind, "correction")
        self.assertEqual(row.move_type, "out_refund")
        self.assertEqual(row.partner_id, self.customer)
        self.assertEqual(row.currency_id, self.company.currency_id)
        self.assertEqual(
            rows.filtered(lambda r: r.move_id == self.inv1).days_overdue, 40
        )

    def test_age_buckets(self):
        by_bucket = self.sums("pl.sales.analysis", "age_bucket")
        self.assertEqual(
            {bucket: values[2] for bucket, values in by_bucket.items()},
            {
                "paid": 0.0,
                "not_due": 738.0,
                "31_60": 1000.0,
                "91_180": 369.0,
                "over_180": 400.0,
            },
        )
        self.assertEqual(by_bucket["paid"], (123.0, 123.0, 0.0, 0.0))
        self.assertEqual(by_bucket["not_due"], (861.0, 123.0, 738.0, 0.0))
        self.assertEqual(by_bucket["31_60"], (1230.0, 230.0, 1000.0, 1000.0))
        # Real time: a payment moves the invoice to "paid" at once.
        self.pay(self.inv5, 369.0)
        by_bucket = self.sums("pl.sales.analysis", "age_bucket")
        self.assertNotIn("91_180", by_bucket)
        self.assertEqual(by_bucket["paid"], (492.0, 492.0, 0.0, 0.0))

    def test_bucket_bounds(self):
        """The buckets' bounds on Wednesday 17 June 2026, days of delay
        counted from the due date moved past Saturdays, Sundays and public
        holidays (art. 115 KC), as the customer card and dunning count them:
        due on Sunday 17 May is late from Monday 18 May, 30 days, not 31;
        due on Friday 1 May (Labour Day) moves past 2 and 3 May (Saturday,
        Constitution Day) to Monday 4 May."""
        d = datetime.date
        expected = {
            d(2026, 6, 17): (0, "not_due"),
            d(2026, 6, 16): (1, "1_30"),
            d(2026, 5, 18): (30, "1_30"),
            d(2026, 5, 17): (30, "1_30"),
            d(2026, 5, 15): (33, "31_60"),
            d(2026, 5, 1): (44, "31_60"),
            d(2026, 4, 20): (58, "31_60"),
            d(2026, 4, 18): (58, "31_60"),
            d(2026, 4, 17): (61, "61_90"),
            d(2026, 3, 19): (90, "61_90"),
            d(2026, 3, 18): (91, "91_180"),
            d(2025, 12, 19): (180, "91_180"),
            d(2025, 12, 18): (181, "over_180"),
        }
        moves = {
            due: self.invoice(
                self.anna,
                [(self.goods, 1, 10.0)],
                (due - self.today).days,
                (due - self.today).days,
            )
            for due in expected
        }
        rows = self.env["pl.sales.analysis"].search(
            [("move_id", "in", [move.id for move in moves.values()])]
        )
        self.assertEqual(
            {
                due: (row.days_overdue, row.age_bucket)
                for due, move in moves.items()
                for row in rows.filtered(lambda r, m=move: r.move_id == m)
            },
            expected,
        )
        lines = self.env["pl.sales.analysis.line"].search(
            [("move_id", "=", moves[d(2026, 5, 17)].id)]
        )
        self.assertEqual(lines.mapped("age_bucket"), ["1_30"])

    def test_overdue_as_on_the_customer_card(self):
        """An invoice due on Saturday 13 June 2026: not late on Monday 15
        June (the deadline moved to that Monday, art. 115 KC), late by one
        day on Tuesday; the dashboard and the customer card agree each day."""
        customer = self.customer.copy({"name": "Sobota Sp. z o.o."})
        invoice = self.pl_invoice(
            partner=customer,
            lines=[(self.goods, 1, 100.0)],
            date="2026-06-01",
            invoice_date_due="2026-06-13",
        )
        invoice.action_post()
        for day, late, bucket, status in (
            ("2026-06-15", 0, "not_due", "open"),
            ("2026-06-16", 1, "1_30", "overdue"),
        ):
            with freeze_time(day + " 10:00:00"):
                self.env.invalidate_all()
                row = self.env["pl.sales.analysis"].search(
                    [("move_id", "=", invoice.id)]
                )
                self.assertEqual(
                    (row.days_overdue, row.age_bucket, bool(row.amount_overdue)),
                    (late, bucket, bool(late)),
                    day,
                )
                self.assertEqual(customer.pl_payment_status, status, day)

    def test_by_salesperson(self):
        self.assertEqual(
            self.sums("pl.sales.analysis", "user_id"),
            {
                self.anna: (1845.0, 476.0, 1369.0, 1369.0),
                self.bartosz: (1230.0, 92.0, 1138.0, 400.0),
            },
        )
        self.assertEqual(
            self.sums("pl.sales.analysis.line", "user_id"),
            self.sums("pl.sales.analysis", "user_id"),
            "the lines share out exactly their documents' amounts",
        )

    def test_by_product_and_category(self):
        lines = self.env["pl.sales.analysis.line"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(lines.move_id, self.posted)
        self.assertEqual(
            self.totals("pl.sales.analysis.line"), self.totals("pl.sales.analysis")
        )
        self.assertEqual(
            self.sums("pl.sales.analysis.line", "product_id"),
            {
                # inv2's 861 (123 settled by kor) shared 2/7 goods, 5/7 service
                self.goods: (1968.0, 388.14, 1579.86, 1369.0),
                self.service: (1107.0, 179.86, 927.14, 400.0),
            },
        )
        by_categ = self.sums("pl.sales.analysis.line", "product_categ_id")
        self.assertEqual(by_categ[self.services], (1107.0, 179.86, 927.14, 400.0))
        quantities = dict(
            self.env["pl.sales.analysis.line"]._read_group(
                [("company_id", "=", self.company.id)],
                ["product_id"],
                ["quantity:sum"],
            )
        )
        # 1 + 2 + 1 + 3 - 1 (the correction)
        self.assertEqual(quantities[self.goods], 6.0)

    def test_dashboard_views_and_access(self):
        action = self.env.ref("crm_invoicing_pl.action_pl_sales_analysis")
        self.assertEqual(action.view_mode.split(",")[0], "graph")
        for model in ("pl.sales.analysis", "pl.sales.analysis.line"):
            for view_type in ("graph", "pivot", "list", "search"):
                self.env[model].get_view(view_type=view_type)
        # A salesman without invoicing rights does not read the dashboard.
        self.assertFalse(
            self.env["pl.sales.analysis"].with_user(self.anna).has_access("read")
        )
        accountant = new_test_user(
            self.env,
            login="ksiegowa.pl",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertEqual(
            self.env["pl.sales.analysis"]
            .with_user(accountant)
            .search([("company_id", "=", self.company.id)])
            .move_id,
            self.posted,
        )
        # Multi-company: not the documents of a company the user is not in.
        other = self.setup_other_company(name="Inna Spółka")["company"]
        foreign = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "company_id": other.id,
                    "partner_id": self.customer.id,
                    "invoice_date": self.today,
                    "pl_document_type_id": False,
                    "invoice_line_ids": [
                        Command.create({"name": "Obca usługa", "price_unit": 50.0})
                    ],
                }
            )
        )
        foreign.action_post()
        Analysis = self.env["pl.sales.analysis"].with_context(
            allowed_company_ids=(self.company + other).ids
        )
        self.assertIn(foreign, Analysis.search([]).move_id)
        self.assertNotIn(
            foreign,
            self.env["pl.sales.analysis"].with_user(accountant).search([]).move_id,
        )
