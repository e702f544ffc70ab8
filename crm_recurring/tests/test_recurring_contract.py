from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger
from psycopg2 import IntegrityError

from .common import RecurringCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-26")
class TestRecurringContract(RecurringCommon):
    def test_catch_up_invoices_each_missed_period_once(self):
        contract = self.contract()
        self.assertEqual(contract.next_invoice_date, fields.Date.to_date("2026-09-01"))
        run = self.Contract._cron_generate_invoices()
        invoices = self.invoices(contract)
        self.assertEqual(len(invoices), 3)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(
            [str(d) for d in invoices.mapped("taxable_supply_date")],
            ["2026-09-30", "2026-10-31", "2026-11-30"],
        )
        # Issued today, in the Faktura VAT series.
        self.assertEqual(
            set(invoices.mapped("invoice_date")), {fields.Date.to_date("2026-11-26")}
        )
        self.assertTrue(all(name.startswith("FV/") for name in invoices.mapped("name")))
        self.assertIn("09/2026", invoices[0].invoice_line_ids.name)
        self.assertEqual(invoices.mapped("amount_untaxed"), [1000.0, 1000.0, 1000.0])
        self.assertEqual(invoices[0].amount_total, 1230.0)
        self.assertEqual(invoices[0].invoice_origin, contract.name)
        self.assertEqual(contract.last_invoiced_date, fields.Date.to_date("2026-11-30"))
        self.assertEqual(contract.next_invoice_date, fields.Date.to_date("2026-12-01"))
        self.assertEqual((run.invoice_count, run.failure_count), (3, 0))
        self.assertEqual(run.state, "done")
        # A second run the same day invoices nothing more.
        second = self.Contract._cron_generate_invoices()
        self.assertEqual(second.invoice_count, 0)
        self.assertEqual(len(contract.period_ids), 3)

    def test_prorated_first_period_and_arrears(self):
        contract = self.contract(date_start="2026-10-17", invoicing_mode="arrears")
        self.Contract._cron_generate_invoices()
        invoice = self.invoices(contract)
        self.assertEqual(len(invoice), 1, "November is invoiced only in December")
        # 15 of 31 days of October.
        self.assertAlmostEqual(invoice.invoice_line_ids.price_unit, 483.87)
        self.assertIn("17.10.2026-31.10.2026", invoice.invoice_line_ids.name)
        self.assertEqual(contract.next_invoice_date, fields.Date.to_date("2026-12-01"))

    def test_anchored_quarterly_with_invoice_day(self):
        contract = self.contract(
            date_start="2026-08-15",
            period_unit="quarter",
            calendar_periods=False,
            invoice_day=20,
        )
        self.Contract._cron_generate_invoices()
        periods = contract.period_ids
        self.assertEqual(
            [(str(p.date_start), str(p.date_end)) for p in periods],
            [("2026-08-15", "2026-11-14"), ("2026-11-15", "2027-02-14")],
        )
        self.assertEqual(contract.next_invoice_date, fields.Date.to_date("2027-02-20"))

    def test_failing_contract_does_not_block_the_others(self):
        homeless = self.env["res.partner"].create(
            {"name": "Firma Bez Adresu", "is_company": True, "vat": "PL7740001454"}
        )
        broken = self.contract(partner=homeless)
        good = self.contract()
        run = self.Contract._cron_generate_invoices()
        self.assertFalse(broken.period_ids, "nothing partial is kept")
        self.assertFalse(
            self.env["account.move"].search([("partner_id", "=", homeless.id)])
        )
        self.assertIn("address", broken.last_error)
        self.assertEqual(broken.last_invoiced_date, False)
        self.assertEqual(len(good.period_ids), 3)
        self.assertEqual((run.invoice_count, run.failure_count), (3, 1))
        self.assertIn(broken.name, run.log)
        # Once fixed, the next run invoices it and clears the error.
        homeless.write(
            {
                "street": "ul. Nowa 1",
                "zip": "00-001",
                "city": "Warszawa",
                "country_id": self.env.ref("base.pl").id,
            }
        )
        self.Contract._cron_generate_invoices()
        self.assertEqual(len(broken.period_ids), 3)
        self.assertFalse(broken.last_error)

    def test_period_is_unique_in_the_database(self):
        contract = self.contract()
        contract.action_generate_now()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["crm.recurring.period"].sudo().create(
                    {
                        "contract_id": contract.id,
                        "date_start": "2026-09-01",
                        "date_end": "2026-09-30",
                    }
                )

    def test_proforma_contract_issues_pro_formas(self):
        contract = self.contract(
            date_start="2026-11-01", pl_document_type_id=self.doc_type("proforma").id
        )
        self.Contract._cron_generate_invoices()
        proforma = self.invoices(contract)
        self.assertEqual(proforma.state, "draft", "a pro forma is never posted")
        self.assertTrue(proforma.name.startswith("PF/"))

    def test_automatic_price_from_price_group(self):
        group = self.env["product.pricelist"].create(
            {
                "name": "VIP",
                "currency_id": self.pln.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.service.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 400.0,
                        }
                    )
                ],
            }
        )
        contract = self.contract(date_start="2026-11-01", pricelist_id=group.id)
        contract.line_ids.automatic_price = True
        group.item_ids.fixed_price = 450.0  # changed after the contract was made
        self.Contract._cron_generate_invoices()
        self.assertEqual(self.invoices(contract).invoice_line_ids.price_unit, 450.0)

    def test_paused_and_closed_contracts_are_not_invoiced(self):
        paused = self.contract()
        paused.action_pause()
        closed = self.contract()
        closed.close_reason = "Klient zrezygnował"
        closed.action_close()
        self.Contract._cron_generate_invoices()
        self.assertFalse(paused.period_ids | closed.period_ids)
        self.assertFalse(closed.next_invoice_date)
        paused.action_resume()
        self.Contract._cron_generate_invoices()
        self.assertEqual(len(paused.period_ids), 3)

    def test_bad_input_is_refused_with_clear_messages(self):
        with self.assertRaisesRegex(ValidationError, "end date cannot be before"):
            self.contract(date_end="2026-08-31")
        with self.assertRaisesRegex(ValidationError, "interval must be a positive"):
            self.contract(period_interval=0)
        with self.assertRaisesRegex(ValidationError, "interval must be a positive"):
            self.contract(period_interval=-2)
        with self.assertRaisesRegex(ValidationError, "invoicing day must be between"):
            self.contract(invoice_day=32)
        euro_group = self.env["product.pricelist"].create(
            {"name": "Export", "currency_id": self.env.ref("base.EUR").id}
        )
        with self.assertRaisesRegex(ValidationError, "is in EUR but"):
            self.contract(pricelist_id=euro_group.id, currency_id=self.pln.id)
        contract = self.contract()
        with self.assertRaisesRegex(UserError, "reason for closing"):
            contract.action_close()
        contract.action_generate_now()
        with self.assertRaisesRegex(UserError, "periods are already invoiced"):
            contract.date_start = "2026-10-01"
        with self.assertRaisesRegex(ValidationError, "invoiced up to 2026-11-30"):
            contract.date_end = "2026-10-31"
        with self.assertRaisesRegex(UserError, "close it"):
            contract.unlink()
        self.assertEqual(len(contract.period_ids), 3, "nothing was lost")
        empty = self.contract(lines=[])
        empty.line_ids = False
        with self.assertRaisesRegex(UserError, "no lines"):
            empty.action_generate_now()
        # A contract never invoiced can be deleted.
        empty.unlink()

    def test_schedule_change_applies_from_the_next_period(self):
        contract = self.contract()
        contract.action_generate_now()
        contract.write({"period_unit": "quarter", "invoice_day": 5})
        self.assertEqual(contract.next_period_start, fields.Date.to_date("2026-12-01"))
        self.assertEqual(contract.next_period_end, fields.Date.to_date("2026-12-31"))
        contract.line_ids.price_unit = 1100.0
        self.assertIn("1000.0 → 1100.0", contract.message_ids[0].body)
        self.assertEqual(
            self.invoices(contract).mapped("amount_untaxed"),
            [1000.0, 1000.0, 1000.0],
            "invoiced periods keep their amounts",
        )

    def test_salesperson_sees_own_contracts_only(self):
        salesman = self.env["res.users"].create(
            {
                "name": "Handlowiec",
                "login": "handlowiec_recurring",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "group_ids": [
                    Command.set(self.env.ref("sales_team.group_sale_salesman").ids)
                ],
            }
        )
        mine = self.contract(user_id=salesman.id)
        other = self.contract(user_id=self.env.user.id)
        visible = self.Contract.with_user(salesman).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)

    def test_contract_sends_invoices_by_its_preference(self):
        self.customer.email = "ksiegowosc@zolw.example.com"
        emailed = self.contract(date_start="2026-11-01", notify_preference="email")
        silent = self.contract(date_start="2026-11-01", notify_preference="none")
        self.Contract._cron_generate_invoices()
        Mail = self.env["mail.mail"].sudo()
        invoice = self.invoices(emailed)
        mails = Mail.search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        self.assertEqual(len(mails), 1, "the invoice is queued for e-mail")
        self.assertIn(invoice.name, mails.subject)
        self.assertEqual(len(mails.attachment_ids), 1, "with its PDF")
        self.assertFalse(
            Mail.search(
                [
                    ("model", "=", "account.move"),
                    ("res_id", "=", self.invoices(silent).id),
                ]
            )
        )
