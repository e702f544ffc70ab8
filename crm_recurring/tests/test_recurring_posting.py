from odoo import fields
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import RecurringCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-26")
class TestRecurringPosting(RecurringCommon):
    """The cron makes the invoices first, then posts them in a step of its own."""

    def _mail_on(self):
        """The cron with the chatter on (the tests' environment turns it off)."""
        keys = (
            "tracking_disable",
            "mail_create_nolog",
            "mail_create_nosubscribe",
            "mail_notrack",
        )
        return self.Contract.with_context(**dict.fromkeys(keys, False))

    def _created_messages(self, invoice):
        created = self.env.ref("account.mt_invoice_created")
        return invoice.message_ids.filtered(lambda m: m.subtype_id == created)

    def test_cron_invoices_have_a_quiet_chatter(self):
        contract = self.contract(date_start="2026-11-01")
        self._mail_on()._cron_generate_invoices()
        self.env.cr.flush()  # tracking is written before the commit
        invoice = self.invoices(contract)
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(self._created_messages(invoice))
        self.assertFalse(invoice.message_ids.tracking_value_ids)
        self.assertNotIn(self.env.user.partner_id, invoice.message_partner_ids)
        self.assertFalse(contract.period_ids.post_pending)

    def test_restrictive_audit_trail_keeps_the_whole_chatter(self):
        self.env.company.restrictive_audit_trail = True
        contract = self.contract(date_start="2026-11-01")
        self._mail_on()._cron_generate_invoices()
        self.env.cr.flush()
        invoice = self.invoices(contract)
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(self._created_messages(invoice))
        self.assertTrue(invoice.message_ids.tracking_value_ids)
        self.assertIn(self.env.user.partner_id, invoice.message_partner_ids)

    def test_invoices_left_waiting_are_posted_by_the_next_run(self):
        """A run killed between making and posting: the next one posts."""
        contract = self.contract(date_start="2026-11-01")
        draft = contract._generate_due(fields.Date.to_date("2026-11-26"))
        self.assertEqual(draft.state, "draft")
        self.assertTrue(contract.period_ids.post_pending)
        self.assertFalse(contract.next_invoice_date <= fields.Date.today())

        run = self.Contract._cron_generate_invoices()
        self.assertEqual(draft.state, "posted")
        self.assertTrue(draft.name.startswith("FV/"))
        self.assertEqual(len(contract.period_ids), 1, "not invoiced twice")
        self.assertFalse(contract.period_ids.post_pending)
        self.assertEqual((run.invoice_count, run.contract_count), (1, 1))

    def test_unpostable_invoice_gives_its_period_back(self):
        contract = self.contract()  # September to November
        self.Contract._cron_generate_invoices()
        self.assertEqual(len(contract.period_ids), 3)
        # December: the customer lost its address meanwhile.
        self.customer.write({"street": False})
        with (
            freeze_time("2026-12-02"),
            mute_logger("odoo.addons.crm_recurring.models.crm_recurring_period"),
        ):
            run = self.Contract._cron_generate_invoices()
        self.assertEqual(len(contract.period_ids), 3, "December is not kept")
        self.assertEqual(contract.last_invoiced_date, fields.Date.to_date("2026-11-30"))
        self.assertEqual(contract.next_invoice_date, fields.Date.to_date("2026-12-01"))
        self.assertIn("address", contract.last_error)
        self.assertEqual((run.invoice_count, run.failure_count), (0, 1))
        self.assertFalse(
            self.env["account.move"].search(
                [("partner_id", "=", self.customer.id), ("state", "=", "draft")]
            )
        )
        # Fixed, the next run invoices December and clears the error.
        self.customer.write({"street": "ul. Długa 5"})
        with freeze_time("2026-12-02"):
            self.Contract._cron_generate_invoices()
        self.assertEqual(len(contract.period_ids), 4)
        self.assertEqual(self.invoices(contract)[-1].state, "posted")
        self.assertFalse(contract.last_error)

    def test_second_worker_is_called_when_several_batches_are_due(self):
        helper = self.env.ref("crm_recurring.ir_cron_recurring_invoices_helper")
        self.assertIn("helper=True", helper.code)
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([]).ids

        def helper_called():
            return Trigger.search(
                [("cron_id", "=", helper.id), ("id", "not in", before)]
            )

        for _index in range(3):
            self.contract(date_start="2026-11-01")
        self.Contract._cron_generate_invoices(batch_size=50)
        self.assertFalse(helper_called(), "one batch: one worker is enough")
        for _index in range(3):
            self.contract(date_start="2026-11-01")
        self.Contract._cron_generate_invoices(batch_size=2, helper=True)
        self.assertFalse(helper_called(), "the helper does not call itself")
        for _index in range(3):
            self.contract(date_start="2026-11-01")
        self.Contract._cron_generate_invoices(batch_size=2)
        self.assertTrue(helper_called())
