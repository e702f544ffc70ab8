import xmlrpc.client
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tests.common import JsonRpcException

from .common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalApi(ApprovalCommon, HttpCase):
    """Posting through the external API obeys the same rules."""

    def setUp(self):
        super().setUp()
        self.rule("Od 10 000 zł", pl_min_amount=10000.0)
        self.invoice = self.draft(10000.0)

    def test_jsonrpc_call_kw_refused_while_approval_needed(self):
        self.authenticate(self.author.login, f"{self.author.login}-pass-1234")
        params = {
            "model": "account.move",
            "method": "action_post",
            "args": [self.invoice.ids],
            "kwargs": {},
        }
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/account.move/action_post",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=60,
        ).json()
        error = response["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
        self.assertIn("needs approval before it can be posted", error["message"])
        self.assertIn("Od 10 000 zł", error["message"])
        self.assertEqual(self.invoice.state, "draft")

        self.invoice.request_validation()
        with self.assertRaises(JsonRpcException) as pending:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/account.move/action_post", params
            )
        self.assertEqual(pending.exception.args[0], "odoo.exceptions.ValidationError")
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.state, "draft")

    def test_xmlrpc_refused_while_pending(self):
        self.invoice.request_validation()
        password = f"{self.author.login}-pass-1234"
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                self.author.id,
                password,
                "account.move",
                "action_post",
                [self.invoice.ids],
            )
        self.assertIn("waiting for approval by Piotr", refused.exception.faultString)
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.state, "draft")

        self.invoice.with_user(self.approver).validate_tier()
        self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.author.id,
            password,
            "account.move",
            "action_post",
            [self.invoice.ids],
        )
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.state, "posted")


@tagged("post_install", "-at_install")
class TestApprovalCron(ApprovalCommon):
    """A scheduled action does not post an invoice that needs approval: it
    requests the approval, leaves the invoice in draft and goes on."""

    def test_autopost_cron_requests_approval_and_posts_the_others(self):
        self.rule("Od 10 000 zł", pl_min_amount=10000.0)
        cron = self.env.ref("account.ir_cron_auto_post_draft_entry")
        big, small = self.draft(10000.0), self.draft(100.0)
        moves = (big | small).sudo()
        # what account's _autopost_draft_entries does, in the cron's context
        moves.with_context(cron_id=cron.id)._post()
        self.assertEqual(small.state, "posted")
        self.assertEqual(big.state, "draft")
        self.assertEqual(big.validation_status, "pending")
        self.assertTrue(self.activities(big, self.approval_type, self.approver))
        self.assertIn(
            "Not posted by the scheduled action",
            " ".join(big.message_ids.mapped("body")),
        )
        # the next run leaves it alone while the approval is pending
        big.sudo().with_context(cron_id=cron.id)._post()
        self.assertEqual(big.state, "draft")
        self.assertEqual(len(big.review_ids), 1)

    @freeze_time("2026-11-20 10:00:00")
    def test_recurring_cron_leaves_invoices_awaiting_approval(self):
        """Two monthly periods are due on 20 November for contracts started on
        1 October (October and November, 2 000 zł each, no prorated period):
        both need approval; the 100 zł contract's invoices are posted."""
        if "crm.recurring.contract" not in self.env:
            self.skipTest("crm_recurring is not installed")
        self.rule("Abonamenty od 1 000 zł", pl_min_amount=1000.0)
        cron = self.env.ref("crm_recurring.ir_cron_recurring_invoices")
        start = date(2026, 10, 1)
        contract = self.env["crm.recurring.contract"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "date_start": start,
                "auto_post": True,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.service.id,
                            "quantity": 1,
                            "price_unit": 2000,
                        }
                    )
                ],
            }
        )
        small = self.env["crm.recurring.contract"].create(
            {
                "partner_id": self.consumer.id,
                "company_id": self.company.id,
                "date_start": start,
                "auto_post": True,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.service.id,
                            "quantity": 1,
                            "price_unit": 100,
                        }
                    )
                ],
            }
        )
        run = (
            self.env["crm.recurring.contract"]
            .with_context(cron_id=cron.id)
            ._cron_generate_invoices()
        )
        self.assertEqual(run.failure_count, 0, run.log)
        invoices = contract.period_ids.invoice_id
        self.assertEqual(len(invoices), 2)
        self.assertEqual(set(invoices.mapped("state")), {"draft"})
        self.assertEqual(set(invoices.mapped("validation_status")), {"pending"})
        self.assertFalse(contract.last_error)
        self.assertTrue(
            self.activities(invoices[:1], self.approval_type, self.approver)
        )
        self.assertEqual(set(small.period_ids.invoice_id.mapped("state")), {"posted"})
