"""Recurring contracts: controls that hold, tried as the users they stop.

A recurring contract issues, posts and sends invoices on its own, so:

- contracts and their lines are created, changed, invoiced and deleted by
  invoicing users only; salespeople read their own contracts ("all
  documents" salespeople every contract) and are refused everything else,
  with a message naming who may;
- the cron invoices at most the company's catch-up limit of due periods of
  one contract (12 by default); a contract with more waits, with the reason
  on it and in the run log, until an invoicing user confirms the catch-up;
- a line discount of 100 % is refused (the line is given away for good);
  above the company's maximum (50 % by default) only an invoicing manager
  sets it, and the chatter records who;
- the run logs belong to a company: only invoicing users read them, and
  only those of their companies;
- a company without Polish document types gets a clear message, not a
  database error, and the cron goes on with the other contracts.

Every refusal is tried through the ORM (``with_user``) and through
JSON-RPC, and the records are read back to show that nothing changed.
"""

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import RecurringCommon

CRON_LOGGER = "odoo.addons.crm_recurring.models.crm_recurring_contract"


@tagged("post_install", "-at_install")
@freeze_time("2026-11-26 09:00:00")
class TestSecurityRecurring(RecurringCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._pl_user("rec_salesman", "sales_team.group_sale_salesman")
        cls.salesman_all = cls._pl_user(
            "rec_salesman_all", "sales_team.group_sale_salesman_all_leads"
        )
        cls.billing = cls._pl_user("rec_billing", "account.group_account_invoice")
        cls.manager = cls._pl_user("rec_manager", "account.group_account_manager")
        # A company of its own, without the Polish chart (no document types).
        cls.foreign = cls.env["res.company"].create({"name": "Foreign Trading GmbH"})
        cls.foreign_billing = new_test_user(
            cls.env,
            login="rec_foreign_billing",
            groups="account.group_account_invoice",
            company_id=cls.foreign.id,
            company_ids=[Command.set(cls.foreign.ids)],
        )

    def _vals(self, **values):
        return {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "date_start": "2026-11-01",
            "line_ids": [
                Command.create({"product_id": self.service.id, "price_unit": 1000.0})
            ],
            **values,
        }

    def _count(self, model="crm.recurring.contract"):
        return self.env[model].sudo().search_count([])

    def _rpc_as(self, user, model, method, args):
        self.authenticate(user.login, user.login)
        return self._pl_jsonrpc_refusal(model, method, args)

    # ------------------------------------------------------------------
    # Who makes and changes contracts
    # ------------------------------------------------------------------
    def test_salesman_cannot_create_a_contract(self):
        """The attack of the issue: a salesman (no invoicing rights) makes a
        contract three years back at 99 % discount. Refused: whoever makes a
        contract issues invoices, a billing job."""
        before = self._count()
        vals = self._vals(date_start="2023-11-01")
        vals["line_ids"][0][2]["discount"] = 99.0
        for user in (self.salesman, self.salesman_all):
            with self.assertRaises(AccessError) as error:
                self.Contract.with_user(user).create(vals)
            self.assertIn("only invoicing users", str(error.exception))
        self.assertEqual(self._count(), before)
        refusal = self._rpc_as(
            self.salesman, "crm.recurring.contract", "create", [vals]
        )
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        self.assertEqual(self._count(), before)

    def test_salesman_reads_but_cannot_change_his_contract(self):
        contract = self.contract(user_id=self.salesman.id)
        line = contract.line_ids
        mine = self.Contract.with_user(self.salesman).browse(contract.id)
        self.assertEqual(mine.name, contract.name, "he reads his contract")
        with self.assertRaises(AccessError):
            mine.write({"date_start": "2023-11-01"})
        with self.assertRaises(AccessError):
            mine.line_ids.write({"discount": 99.0})
        with self.assertRaises(AccessError):
            self.env["crm.recurring.contract.line"].with_user(self.salesman).create(
                {"contract_id": contract.id, "product_id": self.goods.id}
            )
        with self.assertRaises(AccessError):
            mine.unlink()
        refusal = self._rpc_as(
            self.salesman,
            "crm.recurring.contract.line",
            "write",
            [line.ids, {"discount": 99.0, "price_unit": 1.0}],
        )
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        refusal = self._pl_jsonrpc_refusal(
            "crm.recurring.contract",
            "write",
            [contract.ids, {"date_start": "2023-11-01"}],
        )
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        contract.invalidate_recordset()
        line.invalidate_recordset()
        self.assertEqual(contract.date_start, fields.Date.to_date("2026-09-01"))
        self.assertEqual((line.discount, line.price_unit), (0.0, 1000.0))
        self.assertEqual(len(contract.line_ids), 1)

    def test_salesman_all_reads_every_contract_but_changes_none(self):
        other = self.contract(user_id=self.billing.id)
        self.assertNotIn(other, self.Contract.with_user(self.salesman).search([]))
        self.assertIn(other, self.Contract.with_user(self.salesman_all).search([]))
        with self.assertRaises(AccessError):
            self.Contract.with_user(self.salesman_all).browse(other.id).write(
                {"state": "closed", "close_reason": "x"}
            )
        refusal = self._rpc_as(
            self.salesman_all, "crm.recurring.contract", "unlink", [other.ids]
        )
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        other.invalidate_recordset()
        self.assertTrue(other.exists())
        self.assertEqual(other.state, "running")

    def test_salesman_cannot_invoice_pause_or_close(self):
        contract = self.contract(user_id=self.salesman.id)
        mine = self.Contract.with_user(self.salesman).browse(contract.id)
        for action in (
            "action_generate_now",
            "action_pause",
            "action_confirm_catch_up",
        ):
            with self.assertRaises(AccessError):
                getattr(mine, action)()
        refusal = self._rpc_as(
            self.salesman,
            "crm.recurring.contract",
            "action_generate_now",
            [contract.ids],
        )
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        contract.invalidate_recordset()
        self.assertFalse(contract.period_ids)
        self.assertFalse(contract.last_invoiced_date)
        self.assertEqual(contract.state, "running")
        self.assertFalse(
            self.env["account.move"].search([("invoice_origin", "=", contract.name)])
        )

    def test_salesman_cannot_make_a_contract_of_an_offer(self):
        self.env.user.group_ids += self.env.ref("sales_team.group_sale_salesman")
        order = self._offer(lines=[(self.service, 1)])
        order.action_confirm()
        order.user_id = self.salesman
        before = self._count()
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).action_crm_recurring_create()
        refusal = self._rpc_as(
            self.salesman, "sale.order", "action_crm_recurring_create", [order.ids]
        )
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        self.assertEqual(self._count(), before)
        # An invoicing user who also sells can (positive control).
        seller = self._pl_user(
            "rec_billing_sales",
            "account.group_account_invoice,sales_team.group_sale_salesman_all_leads",
        )
        order.with_user(seller).action_crm_recurring_create()
        self.assertEqual(self._count(), before + 1)

    def test_invoicing_user_makes_changes_and_invoices_contracts(self):
        """Positive control: the invoicing user's job still works."""
        contract = self.Contract.with_user(self.billing).create(self._vals())
        contract.line_ids.write({"discount": 50.0})  # the maximum itself
        contract.write({"description": "Hosting"})
        contract.action_generate_now()
        self.assertEqual(len(contract.period_ids), 1)
        self.assertEqual(contract.period_ids.invoice_id.state, "posted")
        self.assertEqual(contract.period_ids.invoice_id.amount_untaxed, 500.0)

    # ------------------------------------------------------------------
    # Discounts
    # ------------------------------------------------------------------
    def test_discount_of_100_percent_is_refused(self):
        contract = self.Contract.with_user(self.billing).create(self._vals())
        line = contract.line_ids
        for user in (self.billing, self.manager):
            with self.assertRaises(ValidationError):
                line.with_user(user).write({"discount": 100.0})
        refusal = self._rpc_as(
            self.manager,
            "crm.recurring.contract.line",
            "write",
            [line.ids, {"discount": 100.0}],
        )
        self.assertEqual(refusal, "odoo.exceptions.ValidationError")
        line.invalidate_recordset()
        self.assertEqual(line.discount, 0.0)

    def test_discount_above_the_maximum_needs_a_manager(self):
        """Above the company's maximum (50 %) a discount lowers every future
        invoice: an invoicing manager's decision, recorded in the chatter."""
        contract = self.Contract.with_user(self.billing).create(self._vals())
        line = contract.line_ids
        before = self._count()
        with self.assertRaises(AccessError) as error:
            line.with_user(self.billing).write({"discount": 60.0})
        self.assertIn("maximum of 50.0", str(error.exception))
        with self.assertRaises(AccessError):
            vals = self._vals()
            vals["line_ids"][0][2]["discount"] = 99.0
            self.Contract.with_user(self.billing).create(vals)
        refusal = self._rpc_as(
            self.billing,
            "crm.recurring.contract.line",
            "write",
            [line.ids, {"discount": 99.0}],
        )
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        line.invalidate_recordset()
        self.assertEqual(line.discount, 0.0)
        self.assertEqual(self._count(), before)
        # The manager may; the chatter says who.
        line.with_user(self.manager).write({"discount": 60.0})
        self.assertEqual(line.discount, 60.0)
        self.assertTrue(
            any(
                f"set by {self.manager.name}" in message.body
                for message in contract.message_ids
            )
        )
        # A company with a higher maximum lets the invoicing user give it.
        self.company.crm_recurring_max_discount = 70.0
        line.with_user(self.billing).write({"discount": 65.0})
        self.assertEqual(line.discount, 65.0)

    def test_company_limits_are_validated(self):
        with self.assertRaises(ValidationError):
            self.company.crm_recurring_catch_up_limit = 0
        with self.assertRaises(ValidationError):
            self.company.crm_recurring_max_discount = 100.0
        self.company.invalidate_recordset()
        self.assertEqual(self.company.crm_recurring_catch_up_limit, 12)
        self.assertEqual(self.company.crm_recurring_max_discount, 50.0)

    # ------------------------------------------------------------------
    # Catch-up
    # ------------------------------------------------------------------
    def test_cron_never_invoices_beyond_the_catch_up_limit(self):
        """37 monthly periods due (from November 2023): the cron invoices
        none of them, says why on the contract and in the run log, and goes
        on with the other contracts."""
        old = self.Contract.with_user(self.billing).create(
            self._vals(date_start="2023-11-01")
        )
        self.assertEqual(old.catch_up_count, 37)
        self.assertTrue(old.catch_up_held)
        good = self.contract(date_start="2026-11-01")
        with mute_logger(CRON_LOGGER):
            run = self.Contract._cron_generate_invoices()
        self.assertFalse(old.period_ids)
        self.assertFalse(old.last_invoiced_date)
        self.assertIn("catch-up limit of 12", old.last_error)
        self.assertIn(old.name, run.log)
        self.assertEqual((run.invoice_count, run.failure_count), (1, 1))
        self.assertEqual(len(good.period_ids), 1)
        # The preview shows what the cron will issue: not the held periods.
        preview = self.env["crm.recurring.preview"].create(
            {"date": "2026-11-26", "contract_ids": [Command.set(old.ids)]}
        )
        self.assertFalse(preview.line_ids)
        # By hand, "Invoice Due Periods" keeps to the limit too.
        with self.assertRaises(UserError):
            old.with_user(self.billing).action_generate_now()
        old.invalidate_recordset()
        self.assertFalse(old.period_ids)

    def test_catch_up_confirmed_by_an_invoicing_user(self):
        """13 quarters due: held; a salesman cannot confirm (ORM, JSON-RPC);
        the invoicing user confirms and every period is invoiced, once."""
        contract = self.Contract.with_user(self.billing).create(
            self._vals(
                date_start="2023-10-01", period_unit="quarter", user_id=self.salesman.id
            )
        )
        self.assertEqual(contract.catch_up_count, 13)
        with self.assertRaises(AccessError):
            contract.with_user(self.salesman).action_confirm_catch_up()
        refusal = self._rpc_as(
            self.salesman,
            "crm.recurring.contract",
            "action_confirm_catch_up",
            [contract.ids],
        )
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        contract.invalidate_recordset()
        self.assertFalse(contract.period_ids)
        contract.with_user(self.billing).action_confirm_catch_up()
        self.assertEqual(len(contract.period_ids), 13)
        self.assertEqual(contract.last_invoiced_date, fields.Date.to_date("2026-12-31"))
        self.assertFalse(contract.catch_up_held)
        self.assertTrue(
            any("confirmed by" in m.body for m in contract.message_ids),
            "the chatter says who confirmed the catch-up",
        )

    # ------------------------------------------------------------------
    # Run logs
    # ------------------------------------------------------------------
    def test_run_logs_belong_to_a_company_and_to_invoicing_users(self):
        self.contract(date_start="2026-11-01")
        run = self.Contract._cron_generate_invoices()
        self.assertEqual(run.company_id, self.company)
        foreign_run = (
            self.env["crm.recurring.run"].sudo().create({"company_id": self.foreign.id})
        )
        Run = self.env["crm.recurring.run"]
        # Salespeople read no run log at all.
        with self.assertRaises(AccessError):
            Run.with_user(self.salesman).search([])
        refusal = self._rpc_as(self.salesman, "crm.recurring.run", "read", [run.ids])
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        # Another company's invoicing user reads only his company's logs.
        self.assertEqual(Run.with_user(self.foreign_billing).search([]), foreign_run)
        with self.assertRaises(AccessError):
            Run.with_user(self.foreign_billing).browse(run.id).read(["log"])
        refusal = self._rpc_as(
            self.foreign_billing, "crm.recurring.run", "read", [run.ids]
        )
        self.assertEqual(refusal, "odoo.exceptions.AccessError")
        # The company's invoicing user reads its log (positive control).
        self.assertIn(run, Run.with_user(self.billing).search([]))
        self.assertNotIn(foreign_run, Run.with_user(self.billing).search([]))
        # Nobody but the cron writes a log.
        with self.assertRaises(AccessError):
            run.with_user(self.manager).write({"invoice_count": 0})
        run.invalidate_recordset()
        self.assertEqual(run.invoice_count, 1)

    # ------------------------------------------------------------------
    # Companies that cannot issue Polish documents
    # ------------------------------------------------------------------
    def test_company_without_polish_document_types_gets_a_clear_message(self):
        partner = self.env["res.partner"].create(
            {"name": "Kunde AG", "is_company": True, "company_id": self.foreign.id}
        )
        vals = self._vals(partner_id=partner.id, company_id=self.foreign.id)
        vals["line_ids"] = []
        before = self._count()
        with self.assertRaises(UserError) as error:
            self.Contract.with_user(self.foreign_billing).create(vals)
        self.assertIn("no Polish sales document type", str(error.exception))
        refusal = self._rpc_as(
            self.foreign_billing, "crm.recurring.contract", "create", [vals]
        )
        self.assertEqual(refusal, "odoo.exceptions.UserError")
        self.assertEqual(self._count(), before)

    def test_cron_goes_on_when_a_contract_cannot_issue_its_documents(self):
        proforma_type = self.doc_type("proforma")
        broken = self.contract(
            date_start="2026-11-01", pl_document_type_id=proforma_type.id
        )
        good = self.contract(date_start="2026-11-01")
        proforma_type.active = False
        with mute_logger(CRON_LOGGER):
            run = self.Contract._cron_generate_invoices()
        self.assertFalse(broken.period_ids)
        self.assertIn("is archived", broken.last_error)
        self.assertIn(broken.name, run.log)
        self.assertEqual(len(good.period_ids), 1)
        self.assertEqual((run.invoice_count, run.failure_count), (1, 1))
