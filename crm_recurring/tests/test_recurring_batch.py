from odoo import fields
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import RecurringCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-26")
class TestRecurringBatch(RecurringCommon):
    """The cron invoices a batch at once, with the guarantees of one by one."""

    def test_batch_mixes_kinds_and_isolates_failures(self):
        homeless = self.env["res.partner"].create(
            {"name": "Firma Bez Adresu", "is_company": True, "vat": "PL7740001454"}
        )
        catch_up = self.contract()  # September to November: 3 invoices
        monthly = [self.contract(date_start="2026-11-01") for _i in range(9)]
        broken = self.contract(partner=homeless, date_start="2026-11-01")
        proforma = self.contract(
            date_start="2026-11-01", pl_document_type_id=self.doc_type("proforma").id
        )
        draft = self.contract(date_start="2026-11-01", auto_post=False)
        empty = self.contract(date_start="2026-11-01")
        empty.line_ids.unlink()
        with mute_logger("odoo.addons.crm_recurring.models.crm_recurring_contract"):
            run = self.Contract._cron_generate_invoices(batch_size=50)

        self.assertEqual(len(catch_up.period_ids), 3)
        self.assertEqual(catch_up.last_invoiced_date, fields.Date.to_date("2026-11-30"))
        self.assertEqual(catch_up.next_invoice_date, fields.Date.to_date("2026-12-01"))
        for contract in monthly:
            invoice = self.invoices(contract)
            self.assertEqual(len(invoice), 1)
            self.assertEqual(invoice.state, "posted")
            self.assertEqual(contract.next_invoice_date.isoformat(), "2026-12-01")
        # Numbers follow the contracts and, within one, the periods.
        posted = self.invoices(catch_up) + sum(
            (self.invoices(c) for c in monthly), self.env["account.move"]
        )
        numbers = posted.mapped("sequence_number")
        self.assertEqual(numbers, sorted(numbers))
        self.assertEqual(len(set(posted.mapped("name"))), 12)
        self.assertEqual(self.invoices(proforma).state, "draft")
        self.assertTrue(self.invoices(proforma).name.startswith("PF/"))
        self.assertEqual(self.invoices(draft).state, "draft")
        self.assertIn(self.invoices(draft).name, (False, "/"))
        # The failing contracts keep nothing and say why; the others are done.
        self.assertFalse(broken.period_ids or empty.period_ids)
        self.assertFalse(
            self.env["account.move"].search([("partner_id", "=", homeless.id)])
        )
        self.assertIn("address", broken.last_error)
        self.assertIn("no lines", empty.last_error)
        self.assertEqual((run.invoice_count, run.failure_count), (14, 2))
        self.assertEqual(run.contract_count, 12)
        self.assertIn(broken.name, run.log)
        self.assertIn(empty.name, run.log)
        # Nothing is invoiced twice by the next run.
        again = self.Contract._cron_generate_invoices(batch_size=50)
        self.assertEqual(again.invoice_count, 0)
        self.assertEqual(len(catch_up.period_ids), 3)
