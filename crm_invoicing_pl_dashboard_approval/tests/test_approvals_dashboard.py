"""The Approvals dashboard (data/files/approvals_dashboard.json): its tiles,
the lists they open and what they count."""

from odoo.tests import tagged
from odoo.tools.translate import code_translations

from .common import MODULE, ApprovalsDashboardCommon

TITLES = [
    "Invoices Waiting for Approval",
    "Offers Waiting for Approval",
    "Invoices to Approve by Me",
    "Offers to Approve by Me",
]


@tagged("post_install", "-at_install")
class TestApprovalsDashboard(ApprovalsDashboardCommon):
    def tile_figures(self, title, user=None):
        """(amount, count) the tile's data source yields for ``user``: the
        spreadsheet reads its pivot with the pivot's domain and measures."""
        pivot = self.tiles()[title][1]
        model = self.env[pivot["model"]].with_user(user or self.env.user)
        measures = [
            "__count" if m["fieldName"] == "__count" else f"{m['fieldName']}:sum"
            for m in pivot["measures"]
        ]
        [row] = model.formatted_read_group(
            [("company_id", "=", self.company.id), *pivot["domain"]], [], measures
        )
        amount = row.get(measures[0]) if len(measures) > 1 else None
        return amount, row["__count"]

    def listed(self, title, user=None):
        action = self.tiles()[title][2]
        return (
            self.env[action.res_model]
            .with_user(user or self.env.user)
            .search([("company_id", "=", self.company.id), *self.action_domain(action)])
        )

    def test_dashboard_published_for_billing_users_and_salesmen(self):
        self.assertEqual(
            self.dashboard.dashboard_group_id,
            self.env.ref("spreadsheet_dashboard.spreadsheet_dashboard_group_finance"),
        )
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(
            set(self.dashboard.group_ids.ids),
            {
                self.env.ref("account.group_account_invoice").id,
                self.env.ref("sales_team.group_sale_salesman").id,
            },
        )
        self.assertEqual(self.dashboard._get_dashboard_translation_namespace(), MODULE)
        # Next to the Receivables and KSeF dashboard, after it.
        receivables = self.env.ref("crm_invoicing_pl_dashboard.dashboard_receivables")
        self.assertEqual(
            receivables.dashboard_group_id, self.dashboard.dashboard_group_id
        )
        self.assertGreater(self.dashboard.sequence, receivables.sequence)

    def test_tile_titles_translated_for_the_web_client(self):
        messages = code_translations.get_web_translations(MODULE, "pl_PL")["messages"]
        polish = {message["id"]: message["string"] for message in messages}
        self.assertLessEqual({*TITLES, "documents"}, set(polish))
        self.assertEqual(
            polish["Invoices Waiting for Approval"], "Faktury czekające na akceptację"
        )

    def test_tiles_linked_to_lists_with_the_same_domain(self):
        """Every tile is a scorecard linked to a menu of the add-on whose
        action lists what the tile counts: the same model and domain."""
        tiles = self.tiles()
        self.assertEqual(list(tiles), TITLES)
        for title, (figure, pivot, action) in tiles.items():
            self.assertEqual(figure["data"]["type"], "scorecard", title)
            self.assertEqual(action.name, title)
            self.assertEqual(action.get_external_id()[action.id].split(".")[0], MODULE)
            self.assertEqual(pivot["model"], action.res_model, title)
            self.assertFalse(pivot["fieldMatching"], title)
            model = self.env[pivot["model"]]
            for measure in pivot["measures"]:
                name = measure["fieldName"]
                if name != "__count":
                    self.assertEqual(model._fields[name].aggregator, "sum", title)
            self.assertEqual(
                [
                    list(leaf) if isinstance(leaf, tuple) else leaf
                    for leaf in self.action_domain(action)
                ],
                pivot["domain"],
                title,
            )
        self.assertFalse(self.snapshot["globalFilters"])

    def test_invoices_waiting_for_approval(self):
        """Drafts whose approval is requested and not decided: not the ones
        never sent for approval, nor those approved, rejected or posted."""
        waiting = self.requested(self.draft(2000.0))
        waiting_too = self.requested(self.draft(1000.0))
        self.draft(5000.0)  # needs approval, not requested yet
        self.draft(100.0).action_post()  # no rule
        self.draft(100.0)  # a draft without approval
        approved = self.requested(self.draft(3000.0))
        approved.with_user(self.approver).validate_tier()
        self.assertEqual(approved.validation_status, "validated")
        rejected = self.requested(self.draft(4000.0))
        rejected.with_user(self.approver).reject_tier()
        self.assertEqual(rejected.validation_status, "rejected")
        title = "Invoices Waiting for Approval"
        self.assertEqual(self.listed(title), waiting + waiting_too)
        # 2460 + 1230 zł tax included, two documents
        self.assertEqual(self.tile_figures(title), (3690.0, 2))
        # Once approved and posted, it leaves the list.
        waiting.with_user(self.approver).validate_tier()
        waiting.action_post()
        self.assertEqual(self.listed(title), waiting_too)
        self.assertEqual(self.tile_figures(title), (1230.0, 1))

    def test_offers_waiting_for_approval(self):
        """Quotations whose approval is requested and not decided, their
        untaxed total in the company currency (an offer in euros converted at
        its rate)."""
        eur = self.setup_other_currency("EUR", rates=[("2020-01-01", 0.25)])
        eur_prices = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id, "company_id": self.company.id}
        )
        waiting = self.requested(self.offer(2000.0))
        in_euros = self.requested(self.offer(500.0, pricelist_id=eur_prices.id))
        self.assertEqual(in_euros.currency_id, eur)
        self.assertEqual(in_euros.pl_amount_untaxed_company, 2000.0)
        self.offer(3000.0)  # needs approval, not requested yet
        self.offer(900.0)  # within the rule
        approved = self.requested(self.offer(4000.0))
        approved.with_user(self.sales_manager).validate_tier()
        self.assertEqual(approved.validation_status, "validated")
        title = "Offers Waiting for Approval"
        self.assertEqual(self.listed(title), waiting + in_euros)
        self.assertEqual(self.tile_figures(title), (4000.0, 2))
        # Confirmed once approved: no longer an offer waiting.
        waiting.with_user(self.sales_manager).validate_tier()
        waiting.with_user(self.author).action_confirm()
        self.assertEqual(waiting.state, "sale")
        self.assertEqual(self.listed(title), in_euros)
        self.assertEqual(self.tile_figures(title), (2000.0, 1))

    def test_documents_to_approve_by_me(self):
        """Each approver's own tiles: the invoices of the invoice rule's
        reviewer, the offers of the offer rule's; the author has none."""
        invoice = self.requested(self.draft(2000.0))
        self.draft(3000.0)  # not requested: nobody's turn
        offer = self.requested(self.offer(2000.0))
        invoices, offers = "Invoices to Approve by Me", "Offers to Approve by Me"
        self.assertEqual(self.listed(invoices, self.approver), invoice)
        self.assertEqual(self.tile_figures(invoices, self.approver), (None, 1))
        self.assertFalse(self.listed(offers, self.approver))
        self.assertEqual(self.listed(offers, self.sales_manager), offer)
        self.assertEqual(self.tile_figures(offers, self.sales_manager), (None, 1))
        self.assertFalse(self.listed(invoices, self.sales_manager))
        for title in (invoices, offers):
            self.assertFalse(self.listed(title, self.author))
            self.assertEqual(self.tile_figures(title, self.author), (None, 0))
        # Approved: off the approver's tile.
        invoice.with_user(self.approver).validate_tier()
        self.assertFalse(self.listed(invoices, self.approver))
