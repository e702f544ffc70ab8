"""The sales team on the sales dashboard (crm_invoicing_pl's
tests/test_sales_analysis.py): the team Odoo's sale app puts on invoices."""

from odoo.tests import tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestSalesAnalysisTeam(PlInvoicingCommon):
    def test_documents_and_lines_by_team(self):
        north, south = (
            self.env["crm.team"]
            .sudo()
            .create(
                [
                    {"name": "Północ", "company_id": self.company.id},
                    {"name": "Południe", "company_id": self.company.id},
                ]
            )
        )
        invoices = (
            self.pl_invoice(lines=[(self.goods, 1, 100.0)], team_id=north.id)
            + self.pl_invoice(lines=[(self.goods, 2, 100.0)], team_id=north.id)
            + self.pl_invoice(lines=[(self.service, 1, 500.0)], team_id=south.id)
        )
        invoices.action_post()
        domain = [("move_id", "in", invoices.ids)]
        for model in ("pl.sales.analysis", "pl.sales.analysis.line"):
            with self.subTest(model=model):
                self.assertEqual(
                    dict(
                        self.env[model]._read_group(
                            domain, ["team_id"], ["amount_untaxed:sum"]
                        )
                    ),
                    {north: 300.0, south: 500.0},
                )
                for view_type in ("list", "search"):
                    arch = self.env[model].get_view(view_type=view_type)["arch"]
                    self.assertIn('name="team_id"', arch)
