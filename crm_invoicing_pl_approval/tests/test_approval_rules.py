import ast

from odoo import Command
from odoo.tests import Form, tagged

from .common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalRules(ApprovalCommon):
    """Which draft invoices a rule catches, without writing a domain."""

    def test_amount_rule(self):
        self.rule("Od 10 000 zł", pl_min_amount=10000.0)
        small, big = self.draft(100.0), self.draft(10000.0)  # 123 / 12 300 gross
        self.assertFalse(small.need_validation)
        self.assertTrue(big.need_validation)
        small.action_post()
        self.assertEqual(small.state, "posted", "within the rules: posted directly")

    def test_document_type_rule(self):
        self.rule(
            "Faktury VAT", pl_document_type_ids=[Command.set(self.doc_type("vat").ids)]
        )
        self.assertTrue(self.draft(kind="vat").need_validation)
        self.assertFalse(self.draft(kind="proforma").need_validation)

    def test_discount_rule(self):
        self.rule("Rabat od 10 %", pl_min_discount=10.0)
        discounted, usual = self.draft(), self.draft()
        discounted.invoice_line_ids.discount = 15.0
        usual.invoice_line_ids.discount = 5.0
        self.assertEqual(discounted.pl_max_discount, 15.0)
        self.assertTrue(discounted.need_validation)
        self.assertFalse(usual.need_validation)

    def test_customer_rule_covers_its_contacts(self):
        self.rule("Hurtownia Żółw", pl_partner_ids=[Command.set(self.customer.ids)])
        contact = self.env["res.partner"].create(
            {"name": "Ewa Żółw", "parent_id": self.customer.id, "type": "invoice"}
        )
        self.assertTrue(self.draft(partner=self.customer).need_validation)
        self.assertTrue(self.draft(partner=contact).need_validation)
        self.assertFalse(self.draft(partner=self.consumer).need_validation)

    def test_sales_team_rule_and_criteria_anded(self):
        self.rule(
            "Kraków od 1 000 zł",
            pl_team_ids=[Command.set(self.team.ids)],
            pl_min_amount=1000.0,
        )
        self.assertTrue(self.draft(2000.0, team_id=self.team.id).need_validation)
        self.assertFalse(self.draft(500.0, team_id=self.team.id).need_validation)
        other_team = self.env["crm.team"].sudo().create({"name": "Sprzedaż Gdańsk"})
        self.assertFalse(self.draft(2000.0, team_id=other_team.id).need_validation)

    def test_rule_domain_still_applies(self):
        self.rule(
            "Od 1 000 zł dla Kowalskiego",
            pl_min_amount=1000.0,
            definition_domain=f"[('partner_id', '=', {self.consumer.id})]",
        )
        self.assertFalse(self.draft(2000.0).need_validation)
        self.assertTrue(self.draft(2000.0, partner=self.consumer).need_validation)

    def test_customer_documents_only_leaves_bills_out(self):
        self.rule("Wszystko", pl_min_amount=1.0)
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-11-15",
                "invoice_line_ids": [
                    Command.create({"name": "Usługa", "quantity": 1, "price_unit": 500})
                ],
            }
        )
        self.assertFalse(bill.need_validation)
        self.assertTrue(self.draft(500.0).need_validation)

    def test_archived_rule_blocks_nothing(self):
        self.rule("Archiwalna", active=False)
        invoice = self.draft()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_rule_from_settings_needs_no_domain(self):
        action = self.env.ref(
            "crm_invoicing_pl_approval.action_tier_definition_invoice"
        )
        settings_view = self.env.ref(
            "crm_invoicing_pl_approval.res_config_settings_view_form_approval"
        )
        self.assertIn(f'name="{action.id}"', settings_view.arch)
        context = ast.literal_eval(action.context)
        with Form(self.env["tier.definition"].with_context(**context)) as form:
            form.name = "Rabat powyżej 20 %"
            form.pl_min_discount = 20.0
            form.review_type = "pl_team"
            form.pl_team_id = self.team
            form.pl_team_reviewer = "members"
        rule = form.record
        self.assertEqual(rule.model, "account.move")
        self.assertTrue(rule.pl_customer_documents_only)
        self.assertFalse(rule.definition_domain)
        invoice = self.draft()
        self.assertFalse(invoice.need_validation)
        invoice.invoice_line_ids.discount = 25.0
        self.assertTrue(invoice.need_validation)
        invoice.request_validation()
        self.assertEqual(invoice.review_ids.reviewer_ids, self.member | self.approver)
