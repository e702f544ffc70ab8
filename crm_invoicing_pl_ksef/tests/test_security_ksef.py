"""An invoice KSeF holds stays posted, whoever asks and however.

Art. 106j of the VAT Act: an issued invoice is changed only by a correction
invoice. An invoice sent to KSeF (status *Sent* or *Accepted*) or being sent
(*Retry Pending*: KSeF may hold it) is refused a reset to draft and a
cancellation in the model itself: through the ORM as a billing user or an
accountant, through a raw ``write`` and through JSON-RPC. Each attack checks
that nothing changed. A rejected invoice may still be reset (the positive
control that shows the refusal is about KSeF, not about resetting).
"""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import KsefCommon
from .test_ksef_sending import KsefFakeMixin


@tagged("post_install", "-at_install")
class TestSecurityKsef(KsefFakeMixin, KsefCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._pl_user("pl_ksef_billing", "account.group_account_invoice")
        cls.accountant = cls._pl_user(
            "pl_ksef_accountant", "account.group_account_manager"
        )

    def setUp(self):
        super().setUp()
        self._start_fake_ksef()
        self.invoice = self.pl_invoice(lines=[(self.goods, 2, 100.0)])
        self.invoice.action_post()

    def _accepted(self):
        """The invoice sent to the fake KSeF and accepted there."""
        wizard = (
            self.env["account.move.send.wizard"]
            .with_company(self.company)
            .create(
                {
                    "move_id": self.invoice.id,
                    "extra_edi_checkboxes": {"pl_ksef": {"checked": True}},
                }
            )
        )
        wizard.action_send_and_print()
        self.env["account.move"].with_company(
            self.company
        )._cron_l10n_pl_edi_check_invoice_status()
        self.assertEqual(self.invoice.l10n_pl_edi_status, "accepted")
        return self.invoice

    def _snapshot(self):
        self.invoice.invalidate_recordset()
        return (
            self.invoice.state,
            self.invoice.name,
            self.invoice.l10n_pl_edi_status,
            self.invoice.l10n_pl_edi_number,
            self.invoice.amount_total,
        )

    def test_accepted_invoice_refused_reset_and_cancel_through_the_orm(self):
        self._accepted()
        before = self._snapshot()
        for user, action in (
            (self.billing, lambda move: move.button_draft()),
            (self.accountant, lambda move: move.button_draft()),
            (self.accountant, lambda move: move.button_cancel()),
            (self.accountant, lambda move: move.write({"state": "draft"})),
        ):
            with self.subTest(user=user.login), self.assertRaises(UserError) as error:
                action(self.invoice.with_user(user))
            self.assertIn("faktura korygująca", str(error.exception))
            self.assertIn(self.invoice.l10n_pl_edi_number, str(error.exception))
            self.assertEqual(self._snapshot(), before)

    def test_accepted_invoice_refused_reset_through_jsonrpc(self):
        self._accepted()
        before = self._snapshot()
        self.authenticate(self.billing.login, self.billing.login)
        for method in ("button_draft", "button_cancel"):
            with self.subTest(method=method):
                self.assertEqual(
                    self._pl_jsonrpc_refusal(
                        "account.move", method, [self.invoice.ids]
                    ),
                    "odoo.exceptions.UserError",
                )
                self.assertEqual(self._snapshot(), before)

    def test_invoice_in_ksef_processing_or_retry_refused(self):
        for status, words in (("sent", "faktura korygująca"), ("retry", "KSeF may")):
            with self.subTest(status=status):
                self.invoice.sudo().l10n_pl_edi_status = status
                with self.assertRaises(UserError) as error:
                    self.invoice.with_user(self.accountant).button_draft()
                self.assertIn(words, str(error.exception))
                self.assertEqual(self.invoice.state, "posted")

    def test_rejected_invoice_can_still_be_corrected(self):
        self.invoice.sudo().l10n_pl_edi_status = "rejected"
        self.invoice.with_user(self.billing).button_draft()
        self.assertEqual(self.invoice.state, "draft")
        self.assertFalse(self.invoice.l10n_pl_edi_status)

    def test_retry_cron_leaves_draft_invoices_alone(self):
        """Only posted invoices are sent: a draft with a stale retry status
        (reset before this rule existed) reaches KSeF through nobody."""
        self.invoice.sudo().l10n_pl_edi_status = "retry"
        self.env.cr.execute(
            "UPDATE account_move SET state = 'draft' WHERE id = %s", self.invoice.ids
        )
        self.invoice.invalidate_recordset()
        self.env["account.move"]._cron_pl_ksef_retry_sending()
        self.assertFalse(self.fake.invoices)
        self.assertEqual(self.invoice.pl_ksef_attempts, 0)
        self.assertEqual(self.invoice.l10n_pl_edi_status, "retry")
