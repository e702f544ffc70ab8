"""The demo company's documents are secured by the hash chain.

crm_invoicing_pl's demo posts its documents before this add-on is installed;
the add-on's demo then switches the hash chain on: the next document posted
in a series secures the documents of that series posted before it.
"""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoHashChain(TransactionCase):
    def test_next_document_secures_the_demo_documents(self):
        demo = self.env.ref("crm_invoicing_pl.demo_invoice_goods", False)
        if not demo:
            self.skipTest("installed without demo data")
        company = demo.company_id
        self.assertTrue(company.pl_hash_sales_documents)
        self.assertTrue(demo.journal_id.restrict_mode_hash_table)
        self.assertEqual(demo.state, "posted")
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        invoice = (
            env["account.move"]
            .browse(demo.id)
            .copy({"invoice_date": demo.invoice_date})
        )
        invoice.action_post()
        self.assertEqual(invoice.sequence_prefix, demo.sequence_prefix)
        self.assertTrue(invoice.inalterable_hash)
        self.assertTrue(demo.inalterable_hash)
        results = [
            result
            for result in company._check_hash_integrity()["results"]
            if result.get("last_move_name") == invoice.name
        ]
        self.assertEqual([result["status"] for result in results], ["verified"])
