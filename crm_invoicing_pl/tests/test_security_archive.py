"""Frozen data stays frozen: the buyer as invoiced, and the hash chain.

- The buyer's data frozen at posting (art. 106e: the invoice shows the buyer
  as invoiced) cannot be written on a posted document, hashed or not, by an
  accountant through the ORM or through JSON-RPC.
- Merging contacts re-points documents at the kept contact by SQL, which
  would break the hash of every secured document naming a merged contact:
  such a merge is refused before anything changes; a merge of contacts
  without secured documents still works.
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

    def test_frozen_buyer_refused_on_a_posted_unhashed_document(self):
        invoice = self.post()
        self.assertFalse(invoice.inalterable_hash)
        with self.assertRaisesRegex(UserError, "frozen when it was posted"):
            invoice.with_user(self.accountant).write({"pl_buyer_name": "Ktoś inny"})
        self.authenticate(self.accountant.login, self.accountant.login)
        refusal = self._pl_jsonrpc_refusal(
            "account.move", "write", [invoice.ids, {"pl_buyer_vat": "PL5260250274"}]
        )
        self.assertEqual(refusal, "odoo.exceptions.UserError")
        invoice.invalidate_recordset()
        self.assertEqual(invoice.pl_buyer_name, "Hurtownia Żółw Sp. z o.o.")
        self.assertEqual(invoice.pl_buyer_vat, "PL1234567883")
        # Back in draft, the document shows the customer as it is now.
        invoice.button_draft()
        invoice.write({"pl_buyer_name": False})
        self.assertFalse(invoice.pl_buyer_name)

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
