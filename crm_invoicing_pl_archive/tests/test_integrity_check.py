"""Odoo's integrity check of the hash chain, run by the billing administrator.

Odoo Community's Invoicing has no accountant group in its user form: its
administrator (``account.group_account_manager``) switches the hash chain on
and must be able to check it (Settings, "Check Integrity"); a billing user
still cannot.
"""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .test_archive import ArchiveCommon


@tagged("post_install", "-at_install")
class TestIntegrityCheck(ArchiveCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.pl_hash_sales_documents = True
        cls.administrator = cls._pl_user(
            "pl_integrity_admin", "account.group_account_manager"
        )
        cls.billing = cls._pl_user(
            "pl_integrity_billing", "account.group_account_invoice"
        )

    def test_billing_administrator_checks_the_chain(self):
        moves = self.post() | self.post()
        self.assertFalse(self.administrator.has_group("account.group_account_user"))
        results = self.company.with_user(self.administrator)._check_hash_integrity()
        ours = [
            r for r in results["results"] if r.get("last_move_name") == moves[-1].name
        ]
        self.assertEqual([r["status"] for r in ours], ["verified"])
        self.assertEqual(ours[0]["first_move_name"], moves[0].name)
        # The administrator stays who he was: no accountant group given.
        self.assertFalse(self.administrator.has_group("account.group_account_user"))

    def test_billing_administrator_prints_the_report_over_http(self):
        move = self.post()
        self.authenticate(self.administrator.login, self.administrator.login)
        response = self.url_open(
            f"/report/html/account.report_hash_integrity/{self.company.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Entries are correctly hashed", response.text)
        self.assertIn(move.name, response.text)

    def test_billing_user_is_still_refused(self):
        self.post()
        with self.assertRaises(UserError) as error:
            self.company.with_user(self.billing)._check_hash_integrity()
        self.assertIn("contact your accountant", str(error.exception))
        self.authenticate(self.billing.login, self.billing.login)
        response = self.url_open(
            f"/report/html/account.report_hash_integrity/{self.company.id}"
        )
        self.assertNotIn("Entries are correctly hashed", response.text)
