"""The Receivables and KSeF dashboard (data/files/receivables_dashboard.json):
its tiles, the lists they open and what those lists hold.

Overdue documents are dated relative to today (the Sales Dashboard computes
their age against today when it is read); the month tiles freeze the clock.
"""

from odoo.tests import freeze_time, tagged
from odoo.tools.translate import code_translations

from .common import MODULE, DashboardCommon

TITLES = [
    "Receivables",
    "Inflows this Month",
    "VAT Due this Month",
    "Waiting for KSeF",
    "Overdue 1-30 Days",
    "Overdue 31-60 Days",
    "Overdue 61-90 Days",
    "Overdue over 90 Days",
]


@tagged("post_install", "-at_install")
class TestReceivablesDashboard(DashboardCommon):
    def test_dashboard_published_for_invoicing_users(self):
        self.assertEqual(
            self.dashboard.dashboard_group_id,
            self.env.ref("spreadsheet_dashboard.spreadsheet_dashboard_group_finance"),
        )
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(
            set(self.dashboard.group_ids.ids),
            {
                self.env.ref("account.group_account_invoice").id,
                self.env.ref("account.group_account_readonly").id,
            },
        )
        # The labels of the JSON are translated from the add-on's catalogue.
        self.assertEqual(self.dashboard._get_dashboard_translation_namespace(), MODULE)

    def test_tile_titles_translated_for_the_web_client(self):
        """The web client translates the tiles (and the month filter) from the
        add-on's catalogue, the dashboard's translation namespace."""
        messages = code_translations.get_web_translations(MODULE, "pl_PL")["messages"]
        polish = {message["id"]: message["string"] for message in messages}
        self.assertLessEqual({*TITLES, "Month", "documents"}, set(polish))
        self.assertEqual(polish["Overdue 31-60 Days"], "Przeterminowane 31-60 dni")
        self.assertEqual(polish["Waiting for KSeF"], "Czeka na KSeF")

    def test_tiles_in_order_each_linked_to_its_list(self):
        """Every tile is a scorecard (the only figures a phone shows) linked to
        a menu of the add-on; the overdue buckets come in the order of age."""
        tiles = self.tiles()
        self.assertEqual(list(tiles), TITLES)
        for title, (figure, pivot, action) in tiles.items():
            self.assertEqual(figure["data"]["type"], "scorecard", title)
            self.assertEqual(action.name, title)
            self.assertEqual(action.get_external_id()[action.id].split(".")[0], MODULE)
            self.assertEqual(pivot["model"], action.res_model, title)
            # What the spreadsheet asks the server for: each measure exists
            # and sums (a count, or the field's default aggregate).
            model = self.env[pivot["model"]]
            for measure in pivot["measures"]:
                name = measure["fieldName"]
                if name != "__count":
                    self.assertEqual(model._fields[name].aggregator, "sum", title)
            model.formatted_read_group(
                pivot["domain"],
                [],
                [
                    "__count"
                    if m["fieldName"] == "__count"
                    else f"{m['fieldName']}:sum"
                    for m in pivot["measures"]
                ],
            )
            date_filters = [m["chain"] for m in pivot["fieldMatching"].values()]
            if "this Month" in title:
                # The tile is limited to the month by the dashboard's date
                # filter (default: the current month) on the field the list's
                # domain limits to the month.
                self.assertEqual(date_filters, ["date"], title)
                domain = [
                    leaf
                    for leaf in self.action_domain(action)
                    if not (isinstance(leaf, tuple) and leaf[0] == "date")
                ]
            else:
                self.assertFalse(date_filters, title)
                domain = self.action_domain(action)
            # The tile counts what its list shows: the same domain.
            self.assertEqual(
                [list(leaf) if isinstance(leaf, tuple) else leaf for leaf in domain],
                pivot["domain"],
                title,
            )
        month_filter = self.snapshot["globalFilters"]
        self.assertEqual([f["defaultValue"] for f in month_filter], ["this_month"])

    def test_receivables_and_overdue_buckets(self):
        """Documents 10, 40, 70 and 100 days overdue, one not due, one paid:
        each in one bucket; the receivables list holds the unpaid ones."""
        self.company.pl_invoice_date_from = self.days(-365)
        overdue_10 = self.invoice(-20, -10)
        overdue_40 = self.invoice(-50, -40, paid=23.0)
        overdue_70 = self.invoice(-80, -70)
        overdue_100 = self.invoice(-130, -100)
        overdue_200 = self.invoice(-220, -200)
        not_due = self.invoice(-5, 10)
        self.invoice(-60, -45, paid=123.0)  # paid: nowhere
        tiles = self.tiles()

        def listed(title):
            return self.records(tiles[title][2]).move_id

        self.assertEqual(
            listed("Receivables"),
            overdue_10 + overdue_40 + overdue_70 + overdue_100 + overdue_200 + not_due,
        )
        self.assertEqual(listed("Overdue 1-30 Days"), overdue_10)
        self.assertEqual(listed("Overdue 31-60 Days"), overdue_40)
        self.assertEqual(listed("Overdue 61-90 Days"), overdue_70)
        self.assertEqual(listed("Overdue over 90 Days"), overdue_100 + overdue_200)
        # The tile's amount is the open amount overdue: 123,00 - 23,00.
        rows = self.records(tiles["Overdue 31-60 Days"][2])
        self.assertEqual(sum(rows.mapped("amount_overdue")), 100.0)

    @freeze_time("2026-03-16")
    def test_month_lists(self):
        """Customer payments and posted customer invoices dated in March 2026
        are this month's; those of February are not."""
        self.company.pl_invoice_date_from = "2026-01-01"
        tiles = self.tiles()
        payments = self.env["account.payment"]
        for day in ("2026-02-28", "2026-03-01", "2026-03-16"):
            payment = payments.create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 100.0,
                    "date": day,
                    "journal_id": self.company_data["default_journal_bank"].id,
                }
            )
            payment.action_post()
            payments |= payment
        vendor_payment = payments.create(
            {
                "payment_type": "outbound",
                "partner_type": "supplier",
                "partner_id": self.customer.id,
                "amount": 50.0,
                "date": "2026-03-10",
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        vendor_payment.action_post()
        self.assertEqual(self.records(tiles["Inflows this Month"][2]), payments[1:])

        february = self.pl_invoice(date="2026-02-27")
        february.action_post()
        march = self.pl_invoice(date="2026-03-02")
        march.action_post()
        self.pl_invoice(date="2026-03-03")  # a draft: no VAT due
        vat = self.records(tiles["VAT Due this Month"][2])
        self.assertEqual(vat, march)
        self.assertEqual(sum(vat.mapped("amount_tax_signed")), 23.0)

    def test_waiting_for_ksef(self):
        """Posted documents not accepted by KSeF wait for it, consumer invoices
        the company keeps outside KSeF do not, nor do drafts."""
        waiting = self.pl_invoice()
        rejected = self.pl_invoice()
        accepted = self.pl_invoice()
        consumer = self.pl_invoice(partner=self.consumer)
        (waiting + rejected + accepted + consumer).action_post()
        self.pl_invoice()  # a draft
        rejected.l10n_pl_edi_status = "rejected"
        accepted.l10n_pl_edi_status = "accepted"
        self.assertFalse(self.company.pl_ksef_b2c)
        action = self.tiles()["Waiting for KSeF"][2]
        self.assertEqual(self.records(action), waiting + rejected)
        self.company.pl_ksef_b2c = True
        self.assertEqual(self.records(action), waiting + rejected + consumer)

    def test_lists_in_reporting_menu_for_invoicing_users(self):
        """The lists are menus (a scorecard opens a menu) of Invoicing >
        Reporting, for the users the dashboard is published to."""
        parent = self.env.ref(f"{MODULE}.menu_receivables_dashboard_lists")
        self.assertEqual(parent.parent_id, self.env.ref("account.menu_finance_reports"))
        self.assertEqual(len(parent.child_id), len(TITLES))
        self.assertEqual(parent.group_ids, self.dashboard.group_ids)
        billing = self._pl_user("billing.dash", "account.group_account_invoice")
        salesman = self._pl_user("sales.dash", "base.group_user")
        visible = self.env["ir.ui.menu"].with_user(billing)._visible_menu_ids()
        self.assertTrue(set(parent.child_id.ids) <= visible)
        # A salesperson without invoicing rights does not see them (the
        # section is hidden, so are its menus in the web client).
        visible = self.env["ir.ui.menu"].with_user(salesman)._visible_menu_ids()
        self.assertNotIn(parent.id, visible)
        dashboards = self.env["spreadsheet.dashboard"]
        self.assertIn(self.dashboard, dashboards.with_user(billing).search([]))
        self.assertNotIn(self.dashboard, dashboards.with_user(salesman).search([]))
