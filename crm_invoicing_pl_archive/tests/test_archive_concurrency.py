"""The PDF archive cron run by two workers at once, on committed documents.

Worker A holds the lock of a batch (mid-render); worker B's run must skip
that batch and archive the other documents. Both transactions are rolled
back: the committed documents (the demo's posted documents and those other
tests committed) are left as they were.
"""

from odoo.addons.crm_invoicing_pl.tests.committed_data import CommittedDataCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPdfArchiveConcurrency(CommittedDataCase):
    def test_second_worker_skips_the_batch_of_the_first(self):
        with (
            self.registry.cursor() as cr_a,
            self.registry.cursor() as cr_b,
        ):
            try:
                moves_a = self._env(cr_a)["account.move"]
                moves_b = self._env(cr_b)["account.move"]
                candidates = moves_b._pl_lock_unarchived(1000)
                cr_b.rollback()
                if len(candidates) < 3:
                    self.skipTest("needs 3 posted documents committed (demo data)")
                held = moves_a._pl_lock_unarchived(2)
                self.assertEqual(held, candidates[:2])
                done = moves_b._cron_pl_archive_pdf(batch_size=1)
                archived = moves_b.env["ir.attachment"].search(
                    [
                        ("res_model", "=", "account.move"),
                        ("res_id", "in", candidates),
                        ("res_field", "=", "invoice_pdf_report_file"),
                    ]
                )
                self.assertEqual(sorted(archived.mapped("res_id")), candidates[2:])
                self.assertEqual(done, len(candidates) - 2)
                # The first worker then finds its documents still to do.
                self.assertFalse(moves_a.browse(held).filtered("invoice_pdf_report_id"))
            finally:
                cr_a.rollback()
                cr_b.rollback()
