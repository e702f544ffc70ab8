"""KSeF from the invoice list: "Send to KSeF" for a selection, the status
badge, the UPO and the verification link, against the local fake KSeF.

Who may send is decided on the server: an invoicing user sends (a salesman
is refused: crm_invoicing_pl_sale's tests/test_ksef_sale.py).
"""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..tools import ksef_qr
from .common import KsefCommon
from .test_ksef_sending import CLIENT_LOGGER, KsefFakeMixin


class KsefListCommon(KsefFakeMixin, KsefCommon):
    def _ksef_list_invoices(self):
        """Two invoices to send, a draft and an invoice KSeF accepted."""
        first = self.pl_invoice(lines=[(self.goods, 2, 100.0)])
        second = self.pl_invoice(lines=[(self.service, 1, 500.0)])
        draft = self.pl_invoice(lines=[(self.goods, 1, 70.0)])
        accepted = self.pl_invoice(lines=[(self.goods, 3, 10.0)])
        (first + second + accepted).action_post()
        accepted.action_pl_ksef_send()
        self.env["account.move"].with_company(
            self.company
        )._cron_l10n_pl_edi_check_invoice_status()
        self.assertEqual(accepted.l10n_pl_edi_status, "accepted")
        self.assertEqual(len(self.fake.invoices), 1)
        return first, second, draft, accepted


@tagged("post_install", "-at_install")
class TestKsefList(KsefListCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._pl_user(
            "pl_ksef_list_billing", "account.group_account_invoice"
        )

    def setUp(self):
        super().setUp()
        self._start_fake_ksef()

    def test_send_selection_sends_the_eligible_ones_once(self):
        first, second, draft, accepted = self._ksef_list_invoices()
        self.assertEqual(first.pl_ksef_state, "to_send")
        self.assertFalse(draft.pl_ksef_state)
        self.assertEqual(accepted.pl_ksef_state, "accepted")

        selection = (first + second + draft + accepted).with_user(self.billing)
        action = selection.action_pl_ksef_send()

        received = self.fake.invoices[1:]
        self.assertEqual(len(received), 2, "KSeF received exactly the two invoices")
        self.assertEqual(
            sorted(invoice["number"] for invoice in received),
            sorted([first.name, second.name]),
        )
        self.assertEqual(len({invoice["session"] for invoice in received}), 1)
        for move in (first, second):
            self.assertEqual(move.l10n_pl_edi_status, "sent")
            self.assertEqual(move.pl_ksef_state, "sent")
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.l10n_pl_edi_status)
        message = action["params"]["message"]
        self.assertTrue(
            message.startswith("Sent to KSeF: 2, skipped: 2, not sent: 0."), message
        )
        self.assertIn(f"{accepted.name} is already in KSeF", message)
        self.assertIn(accepted.l10n_pl_edi_number, message)
        self.assertIn("is not posted", message)
        self.assertEqual(action["params"]["type"], "warning")

        # Sent again: nothing reaches KSeF a second time.
        action = selection.action_pl_ksef_send()
        self.assertEqual(len(self.fake.invoices), 3)
        self.assertIn("Sent to KSeF: 0, skipped: 4", action["params"]["message"])
        self.assertIn("waits for its status", action["params"]["message"])

    def test_consumer_invoice_outside_ksef_is_skipped(self):
        invoice = self.pl_invoice(partner=self.consumer)
        invoice.action_post()
        self.assertFalse(invoice.pl_ksef_state)
        action = invoice.action_pl_ksef_send()
        self.assertFalse(self.fake.invoices)
        self.assertIn("invoice to a consumer", action["params"]["message"])

    @mute_logger(CLIENT_LOGGER)
    def test_failure_is_reported_and_left_to_the_retry(self):
        invoice = self.pl_invoice()
        invoice.action_post()
        self.fake.send_script = [("busy", 120)]
        action = invoice.action_pl_ksef_send()
        self.assertEqual(invoice.l10n_pl_edi_status, "retry")
        self.assertEqual(invoice.pl_ksef_state, "retry")
        message = action["params"]["message"]
        self.assertIn("not sent: 1", message)
        self.assertIn("busy", message)
        self.assertEqual(action["params"]["type"], "danger")

    def test_upo_and_verification_link_in_one_click(self):
        invoice = self.pl_invoice()
        invoice.action_post()
        with self.assertRaises(UserError) as error:
            invoice.action_pl_ksef_open_verification()
        self.assertIn("has not been sent to KSeF", str(error.exception))
        invoice.action_pl_ksef_send()
        self.env["account.move"].with_company(
            self.company
        )._cron_l10n_pl_edi_check_invoice_status()
        self.assertEqual(invoice.l10n_pl_edi_status, "accepted")

        action = invoice.with_user(self.billing).action_pl_ksef_download_upo()
        upo = invoice.l10n_pl_edi_upo_id
        self.assertTrue(upo)
        self.assertEqual(action["url"], f"/web/content/{upo.id}?download=true")
        self.authenticate(self.billing.login, self.billing.login)
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice.l10n_pl_edi_number.encode(), response.content)

        self.env["ir.config_parameter"].sudo().set_param(
            "l10n_pl_edi_ksef.mode", "test"
        )
        action = invoice.with_user(self.billing).action_pl_ksef_open_verification()
        self.assertTrue(action["url"].startswith(ksef_qr.QR_BASES["test"]))
        self.assertEqual(
            action["url"],
            ksef_qr.invoice_link(invoice.l10n_pl_edi_attachment_id.raw, "test"),
        )
        self.assertEqual(action["target"], "new")
