"""The hash chain stays whole: merging contacts re-points documents at the
kept contact by SQL, which would break the hash of every secured document
naming a merged contact: such a merge is refused before anything changes; a
merge of contacts without secured documents still works. (The buyer frozen
at posting: crm_invoicing_pl's test_security_posting.py.)
"""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .test_archive import ArchiveCommon


@tagged("post_install", "-at_install")
class TestSecurityArchive(ArchiveCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = cls._pl_user(
            "pl_archive_accountant",
            "account.group_account_manager,base.group_partner_manager",
        )

    def _duplicate(self):
        return self.env["res.partner"].create(
            {"name": "Hurtownia Żółw", "is_company": True, "vat": "PL1234567883"}
        )

    def test_merge_of_a_contact_with_secured_documents_is_refused(self):
        self.company.pl_hash_sales_documents = True
        invoice = self.post()
        self.assertTrue(invoice.inalterable_hash)
        duplicate = self._duplicate()
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(
            self.accountant
        )
        with self.assertRaises(UserError) as error:
            wizard._merge((self.customer | duplicate).ids, dst_partner=duplicate)
        self.assertIn(invoice.name, str(error.exception))
        self.assertIn("Archive the duplicate", str(error.exception))
        self.assertTrue(self.customer.exists())
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(self.integrity()[0]["status"], "verified")
        # The other way round, nothing secured names the duplicate: merged
        # (by the administrator: Odoo's merge reads fields only admins read).
        self.env["base.partner.merge.automatic.wizard"]._merge(
            (self.customer | duplicate).ids, dst_partner=self.customer
        )
        self.assertFalse(duplicate.exists())
        self.assertEqual(self.integrity()[0]["status"], "verified")
