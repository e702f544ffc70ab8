import json
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from odoo import fields
from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon
from odoo.tools.safe_eval import safe_eval

MODULE = "crm_invoicing_pl_dashboard"


class DashboardCommon(PlInvoicingCommon):
    """The Receivables and KSeF dashboard and the invoices its tiles count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(f"{MODULE}.dashboard_receivables")
        cls.snapshot = json.loads(cls.dashboard.spreadsheet_data)
        cls.today = fields.Date.context_today(cls.env["account.move"])

    def days(self, offset):
        return self.today + timedelta(days=offset)

    def tiles(self):
        """{title: (figure, pivot, action)} of the dashboard's scorecards, in
        the order of the dashboard (top to bottom, left to right)."""
        data_sheet = next(s for s in self.snapshot["sheets"] if s["name"] == "Data")
        menus = self.snapshot["chartOdooMenusReferences"]
        figures = sorted(
            self.snapshot["sheets"][0]["figures"],
            key=lambda f: (f["offset"]["y"], f["offset"]["x"]),
        )
        tiles = {}
        for figure in figures:
            cell = figure["data"]["keyValue"].split("!")[1]
            formula = data_sheet["cells"][cell]
            pivot_id = formula.split("(")[1].split(",")[0]
            menu = self.env.ref(menus[figure["data"]["chartId"]])
            tiles[figure["data"]["title"]["text"]] = (
                figure,
                self.snapshot["pivots"][pivot_id],
                menu.action,
            )
        return tiles

    def action_domain(self, action):
        """The action's domain as the web client evaluates it today."""
        return safe_eval(
            action.domain or "[]",
            {
                "context_today": lambda: fields.Date.context_today(action),
                "relativedelta": relativedelta,
            },
        )

    def records(self, action):
        """What the action lists in the test company."""
        return self.env[action.res_model].search(
            [("company_id", "=", self.company.id), *self.action_domain(action)]
        )

    def invoice(self, issued, due, partner=None, paid=0.0):
        """A posted invoice issued and due ``issued`` / ``due`` days from
        today, ``paid`` of it paid."""
        move = self.pl_invoice(
            partner=partner,
            lines=[(self.goods, 1, 100.0)],
            date=self.days(issued),
            invoice_date_due=self.days(due),
        )
        move.action_post()
        if paid:
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create({"amount": paid, "payment_date": self.today})._create_payments()
        return move
