from odoo.tests import freeze_time, tagged

from .common import RecurringCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-26")
class TestRecurringRevenue(RecurringCommon):
    def mrr(self, contract):
        """{month: (mrr, new, expansion, contraction, churned, forecast)}."""
        self.env.flush_all()
        rows = self.env["crm.recurring.revenue.report"].search(
            [("contract_id", "=", contract.id)]
        )
        return {
            str(row.month)[:7]: (
                row.mrr,
                row.new_mrr,
                row.expansion_mrr,
                row.contraction_mrr,
                row.churned_mrr,
                row.is_forecast,
            )
            for row in rows
        }

    def test_monthly_contract_actuals_and_forecast(self):
        contract = self.contract(date_end="2027-01-31")
        contract.action_generate_now()  # September to November invoiced
        rows = self.mrr(contract)
        self.assertEqual(rows["2026-09"], (1000.0, 1000.0, 0, 0, 0, False))
        self.assertEqual(rows["2026-11"], (1000.0, 0, 0, 0, 0, False))
        # December and January are forecast from the lines.
        self.assertEqual(rows["2026-12"], (1000.0, 0, 0, 0, 0, True))
        self.assertEqual(rows["2027-01"][0], 1000.0)
        # The contract ends in January: its MRR churns in February.
        self.assertEqual(rows["2027-02"], (0, 0, 0, 0, 1000.0, True))
        self.assertNotIn("2027-03", rows)
        row = self.env["crm.recurring.revenue.report"].search(
            [("contract_id", "=", contract.id), ("month", "=", "2026-10-01")]
        )
        self.assertEqual(row.arr, 12000.0)
        self.assertEqual(row.partner_id, self.customer)
        self.assertEqual(row.product_id, self.service)

    def test_quarterly_invoice_is_spread_over_its_months(self):
        contract = self.contract(
            date_start="2026-10-01",
            period_unit="quarter",
            lines=[(self.service, 1, 3000.0)],
        )
        contract.action_generate_now()  # Q4 2026
        rows = self.mrr(contract)
        for month in ("2026-10", "2026-11", "2026-12"):
            self.assertAlmostEqual(rows[month][0], 1000.0)
            self.assertFalse(rows[month][5])
        self.assertAlmostEqual(rows["2027-01"][0], 1000.0)
        self.assertTrue(rows["2027-01"][5])

    def test_price_raise_shows_as_expansion(self):
        contract = self.contract(date_start="2026-11-01")
        contract.action_generate_now()
        contract.line_ids.price_unit = 1050.0
        rows = self.mrr(contract)
        self.assertEqual(rows["2026-11"][:2], (1000.0, 1000.0))
        self.assertEqual(rows["2026-12"][:3], (1050.0, 0, 50.0))

    def test_closed_contract_churns_after_its_last_invoiced_month(self):
        contract = self.contract(date_start="2026-10-01")
        contract.action_generate_now()  # October, November
        contract.close_reason = "Rezygnacja"
        contract.action_close()
        rows = self.mrr(contract)
        self.assertEqual(rows["2026-11"][0], 1000.0)
        self.assertEqual(rows["2026-12"][4], 1000.0, "churned in December")
        self.assertEqual(set(rows), {"2026-10", "2026-11", "2026-12"})
