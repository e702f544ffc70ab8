from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import RecurringCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-26")
class TestRecurringWizards(RecurringCommon):
    def test_preview_lists_what_the_cron_will_invoice(self):
        monthly = self.contract(date_start="2026-11-01")
        monthly.action_generate_now()  # November is invoiced
        prorated = self.contract(
            date_start="2026-12-16", lines=[(self.goods, 2, 100.0)]
        )
        preview = self.env["crm.recurring.preview"].create({})
        self.assertEqual(preview.date, fields.Date.to_date("2026-12-01"))
        self.assertEqual(
            [(line.contract_id, str(line.date_start)) for line in preview.line_ids],
            [(monthly, "2026-12-01")],
        )
        preview.date = "2027-01-01"
        rows = {
            (line.contract_id, str(line.date_start)): line.amount_untaxed
            for line in preview.line_ids
        }
        self.assertEqual(rows[(monthly, "2027-01-01")], 1000.0)
        # 16 of 31 December days of 2 x 100,00.
        self.assertAlmostEqual(rows[(prorated, "2026-12-16")], 103.22)
        self.assertEqual(preview.invoice_count, 4)
        # A preview creates nothing.
        self.assertEqual(len(monthly.period_ids), 1)
        self.assertFalse(prorated.period_ids)

    def test_bulk_edit_raises_prices_from_the_next_period(self):
        first = self.contract(date_start="2026-11-01")
        second = self.contract(date_start="2026-11-01", lines=[(self.goods, 1, 200.0)])
        first.action_generate_now()
        wizard = Form(
            self.env["crm.recurring.bulk.edit"].with_context(
                active_ids=(first | second).ids
            )
        )
        wizard.price_change = 5.0
        wizard.change_invoice_day = True
        wizard.invoice_day = 10
        wizard.save().action_apply()
        self.assertEqual(first.line_ids.price_unit, 1050.0)
        self.assertEqual(second.line_ids.price_unit, 210.0)
        self.assertEqual((first | second).mapped("invoice_day"), [10, 10])
        self.assertEqual(
            self.invoices(first).amount_untaxed, 1000.0, "the invoiced period is kept"
        )
        self.assertEqual(first.next_invoice_date, fields.Date.to_date("2026-12-10"))
        self.assertIn("Bulk edit", first.message_ids[0].body)

    def test_bulk_edit_refuses_bad_input(self):
        contract = self.contract()
        Wizard = self.env["crm.recurring.bulk.edit"].with_context(
            active_ids=contract.ids
        )
        with self.assertRaisesRegex(UserError, "at least one change"):
            Wizard.create({}).action_apply()
        with self.assertRaisesRegex(UserError, "between 1 and 31"):
            Wizard.create({"change_invoice_day": True, "invoice_day": 0}).action_apply()
        with self.assertRaisesRegex(ValidationError, "100 %"):
            Wizard.create({"price_change": -100.0})
        self.assertEqual(contract.line_ids.price_unit, 1000.0)

    def test_contract_from_a_confirmed_offer(self):
        self.env.user.group_ids += self.env.ref("sales_team.group_sale_salesman")
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.service.id,
                            "product_uom_qty": 2,
                            "price_unit": 300.0,
                            "discount": 10.0,
                        }
                    )
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "Confirm"):
            order.action_crm_recurring_create()
        order.action_confirm()
        action = order.action_crm_recurring_create()
        contract = self.env["crm.recurring.contract"].browse(action["res_id"])
        self.assertEqual(contract.sale_order_id, order)
        self.assertEqual(contract.partner_id, self.customer)
        self.assertEqual(
            [
                (line.product_id, line.quantity, line.price_unit, line.discount)
                for line in contract.line_ids
            ],
            [(self.service, 2.0, 300.0, 10.0)],
        )
        self.assertEqual(order.crm_recurring_contract_count, 1)
        self.assertEqual(order.action_crm_recurring_view()["res_id"], contract.id)
