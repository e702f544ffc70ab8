"""KSeF from the invoice list: "Send to KSeF" for a selection, the status
badge, the UPO and the verification link, against the local fake KSeF.

Who may send is decided on the server: an invoicing user sends, a salesman
(who reads his own invoices) is refused through the ORM and through
JSON-RPC, and nothing reaches KSeF nor changes on the invoices. Through
Odoo's own sending wizard (one invoice, or a batch sent in the background)
the salesman's e-mail goes and KSeF is left out, the chatter saying so.
"""

from odoo.exceptions import AccessError, UserError
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
        cls.salesman = cls._pl_user(
            "pl_ksef_list_salesman", "sales_team.group_sale_salesman"
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

    def test_salesman_is_refused_through_the_orm(self):
        invoices = self.pl_invoice() + self.pl_invoice()
        invoices.invoice_user_id = self.salesman
        invoices.action_post()
        invoices.with_user(self.salesman).check_access("read")
        with self.assertRaises(AccessError) as error:
            invoices.with_user(self.salesman).action_pl_ksef_send()
        self.assertIn("Only invoicing users", str(error.exception))
        invoices.sudo().l10n_pl_edi_status = "failed"
        with self.assertRaises(AccessError):
            invoices.with_user(self.salesman).action_pl_ksef_retry()
        self.assertFalse(self.fake.invoices)
        self.assertEqual(invoices.mapped("l10n_pl_edi_status"), ["failed", "failed"])
        self.assertFalse(any(invoices.mapped("l10n_pl_edi_ref")))

    def test_salesman_is_refused_through_jsonrpc(self):
        invoices = self.pl_invoice() + self.pl_invoice()
        invoices.invoice_user_id = self.salesman
        invoices.action_post()
        self.authenticate(self.salesman.login, self.salesman.login)
        self.assertEqual(
            self._pl_jsonrpc_refusal(
                "account.move", "action_pl_ksef_send", [invoices.ids]
            ),
            "odoo.exceptions.AccessError",
        )
        invoices.invalidate_recordset()
        self.assertFalse(self.fake.invoices)
        self.assertEqual(invoices.mapped("l10n_pl_edi_status"), [False, False])
        self.assertEqual(invoices.mapped("pl_ksef_state"), ["to_send", "to_send"])

        # The positive control: an invoicing user sends them the same way.
        self.authenticate(self.billing.login, self.billing.login)
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/account.move/action_pl_ksef_send",
            {
                "model": "account.move",
                "method": "action_pl_ksef_send",
                "args": [invoices.ids],
                "kwargs": {},
            },
        )
        self.assertEqual(len(self.fake.invoices), 2)

    # ------------------------------------------------------------------
    # Odoo's sending wizard: a salesman sends the e-mail, never to KSeF
    # ------------------------------------------------------------------
    def _salesman_invoices(self, count=1):
        self.customer.email = "zakupy@example.com"
        invoices = self.env["account.move"]
        for __ in range(count):
            invoices += self.pl_invoice()
        invoices.invoice_user_id = self.salesman
        invoices.action_post()
        return invoices

    def _send_wizard(self, user, invoice):
        return (
            self.env["account.move.send.wizard"]
            .with_user(user)
            .with_company(self.company)
            .create(
                {
                    "move_id": invoice.id,
                    "extra_edi_checkboxes": {"pl_ksef": {"checked": True}},
                }
            )
        )

    def _assert_not_in_ksef(self, invoices):
        invoices.invalidate_recordset()
        self.assertFalse(self.fake.invoices, "nothing reached KSeF")
        self.assertEqual(invoices.mapped("l10n_pl_edi_status"), [False] * len(invoices))
        self.assertFalse(any(invoices.mapped("l10n_pl_edi_ref")))
        self.assertEqual(invoices.mapped("pl_ksef_state"), ["to_send"] * len(invoices))
        note = f"Not sent to KSeF: {self.salesman.name} is not an invoicing user"
        for invoice in invoices:
            notes = invoice.message_ids.filtered(lambda m: note in (m.body or ""))
            self.assertEqual(len(notes), 1, "the chatter says so, once")

    def test_salesman_sends_the_mail_without_ksef_from_the_wizard(self):
        invoice = self._salesman_invoices()
        wizard = self._send_wizard(self.salesman, invoice)
        alert = wizard.alerts["crm_invoicing_pl_ksef_not_allowed"]
        self.assertEqual(alert["level"], "warning")
        self.assertIn(invoice.name, alert["message"])

        wizard.action_send_and_print()
        self._assert_not_in_ksef(invoice)
        self.assertTrue(invoice.is_move_sent, "the e-mail went")

        # The positive control: an invoicing user sends it with the wizard
        # (working in Polish: l10n_pl_edi's chatter line is in Polish too).
        self.env["res.lang"]._activate_lang("pl_PL")
        self.billing.lang = "pl_PL"
        wizard = self._send_wizard(self.billing, invoice).with_context(lang="pl_PL")
        self.assertNotIn("crm_invoicing_pl_ksef_not_allowed", wizard.alerts or {})
        wizard.action_send_and_print()
        self.assertEqual(len(self.fake.invoices), 1)
        self.assertEqual(invoice.l10n_pl_edi_status, "sent")
        self.assertTrue(
            invoice.message_ids.filtered(
                lambda m: "Dołączono plik XML KSeF." in (m.body or "")
            )
        )

    def test_salesman_batch_sending_is_refused(self):
        """Odoo's batch sending records the sender on the invoices: a salesman
        may not write them, so it is refused before anything is sent."""
        invoices = self._salesman_invoices(count=2)
        self.env.ref("account.ir_cron_account_move_send").active = True
        batch = (
            self.env["account.move.send.batch.wizard"]
            .with_user(self.salesman)
            .with_company(self.company)
            .create({"move_ids": invoices.ids})
        )
        self.assertIn("crm_invoicing_pl_ksef_not_allowed", batch.alerts)
        with self.assertRaises(AccessError):
            batch.action_send_and_print()
        self.env["account.move"].with_company(self.company)._cron_account_move_send()
        self.assertFalse(self.fake.invoices)
        self.assertFalse(any(invoices.mapped("sending_data")))
        self.assertEqual(invoices.mapped("l10n_pl_edi_status"), [False, False])

    def test_salesman_wizard_through_jsonrpc_leaves_ksef_out(self):
        invoice = self._salesman_invoices()
        self.authenticate(self.salesman.login, self.salesman.login)
        context = {"allowed_company_ids": self.company.ids}
        wizard_id = self.make_jsonrpc_request(
            "/web/dataset/call_kw/account.move.send.wizard/create",
            {
                "model": "account.move.send.wizard",
                "method": "create",
                "args": [
                    {
                        "move_id": invoice.id,
                        "extra_edi_checkboxes": {"pl_ksef": {"checked": True}},
                    }
                ],
                "kwargs": {"context": context},
            },
        )
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/account.move.send.wizard/action_send_and_print",
            {
                "model": "account.move.send.wizard",
                "method": "action_send_and_print",
                "args": [wizard_id],
                "kwargs": {"context": context},
            },
        )
        self._assert_not_in_ksef(invoice)

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
