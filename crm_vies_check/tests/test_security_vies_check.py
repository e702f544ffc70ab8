"""Verification proofs are made by the checks alone.

A proof (``partner.verification``) decides whether an invoice may be posted
under the "Block" policy, and the white-list fields of an invoice record
which bank account was checked (art. 117ba Ordynacja podatkowa, art. 15d
CIT / 22p PIT). A billing user can run the checks but can neither create a
proof by hand nor write the invoice's check fields, through the ORM or
JSON-RPC; a blocked invoice stays blocked, and nothing changes.
"""

from crm_pl_testing.fake_whitelist import FakeWhiteList
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import VerificationCommon


@tagged("post_install", "-at_install")
class TestSecurityVerification(VerificationCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._pl_user("pl_vies_billing", "account.group_account_invoice")
        cls.company.pl_verification_policy = "block"

    def setUp(self):
        super().setUp()
        self.whitelist = FakeWhiteList()
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(
            "crm_vies_check.whitelist_url", self.enterContext(self.whitelist)
        )
        params.set_param("crm_vies_check.timeout", "2")
        self._verification(self.customer, "whitelist", "invalid")
        self.invoice = self.pl_invoice(partner_bank_id=self.company_bank.id)

    def _forged(self):
        return {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "check_type": "whitelist",
            "status": "valid",
        }

    def _proofs(self):
        return self.env["partner.verification"].sudo().search_count([])

    def test_proof_cannot_be_forged_through_the_orm(self):
        before = self._proofs()
        with self.assertRaises(AccessError):
            self.env["partner.verification"].with_user(self.billing).create(
                self._forged()
            )
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.billing).write(
                {"pl_bank_wl_state": "listed", "pl_bank_wl_account": "forged"}
            )
        self.assertEqual(self._proofs(), before)
        self.assertFalse(self.invoice.pl_bank_wl_state)
        with self.assertRaises(UserError):
            self.invoice.with_user(self.billing).action_post()
        self.assertEqual(self.invoice.state, "draft")

    def test_proof_cannot_be_forged_through_jsonrpc(self):
        before = self._proofs()
        self.authenticate(self.billing.login, self.billing.login)
        for model, method, args in (
            ("partner.verification", "create", [self._forged()]),
            (
                "account.move",
                "write",
                [self.invoice.ids, {"pl_bank_wl_state": "listed"}],
            ),
        ):
            with self.subTest(model=model):
                self.assertEqual(
                    self._pl_jsonrpc_refusal(model, method, args),
                    "odoo.exceptions.AccessError",
                )
        self.assertEqual(self._proofs(), before)
        self.invoice.invalidate_recordset()
        self.assertFalse(self.invoice.pl_bank_wl_state)

    def test_employee_is_refused_before_any_registry_call(self):
        employee = self._pl_user("pl_vies_employee", "base.group_user")
        before = (self._proofs(), self.whitelist.request_count)
        with self.assertRaisesRegex(AccessError, "Only invoicing users"):
            self.customer.with_user(employee).action_pl_verify()
        with self.assertRaisesRegex(AccessError, "Only invoicing users"):
            self.invoice.with_user(employee).action_pl_check_bank_account()
        self.assertEqual((self._proofs(), self.whitelist.request_count), before)

    def test_billing_user_still_runs_the_check(self):
        """The check itself records the proof, for any invoicing user."""
        self.whitelist.add("1234567883", "HURTOWNIA ŻÓŁW SP. Z O.O.")
        partner = self.env["res.partner"].create(
            {
                "name": "Hurtownia",
                "is_company": True,
                "vat": "1234567883",
                "country_id": self.env.ref("base.pl").id,
            }
        )
        partner.with_user(self.billing).action_pl_verify()
        self.assertEqual(partner.pl_verification_ids.status, "valid")
