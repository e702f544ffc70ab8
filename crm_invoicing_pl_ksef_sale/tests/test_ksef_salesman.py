"""Who may send to KSeF: a salesman (who reads his own invoices through
Odoo's sale app) is refused, an invoicing user sends (crm_invoicing_pl's
tests/test_ksef_list.py and tests/test_ksef_batch.py).

A salesman is refused through the ORM and through JSON-RPC, and nothing
reaches KSeF nor changes on the invoices. Through Odoo's own sending wizard
(one invoice, or a batch sent in the background) the salesman's e-mail goes
and KSeF is left out, the chatter saying so. Nor may he send a batch
session or ask KSeF about one.
"""

from odoo.addons.crm_invoicing_pl_ksef.tests.test_ksef_batch import KsefBatchCommon
from odoo.addons.crm_invoicing_pl_ksef.tests.test_ksef_list import KsefListCommon
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestKsefListSalesman(KsefListCommon, HttpCase):
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


@tagged("post_install", "-at_install")
class TestKsefBatchSalesman(KsefBatchCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._pl_user(
            "pl_ksef_batch_salesman", "sales_team.group_sale_salesman"
        )

    def _assert_nothing_sent(self):
        self.invoices.invalidate_recordset()
        self.assertFalse(self.fake.invoices)
        self.assertEqual(self._count("POST", "/sessions/batch"), 0)
        self.assertEqual(self.invoices.mapped("l10n_pl_edi_status"), [False] * 4)
        self.assertFalse(self.invoices.pl_ksef_batch_id)
        self.assertFalse(self.env["pl.ksef.batch"].sudo().search([]))

    def test_salesman_cannot_send_a_batch_through_the_orm(self):
        self.invoices.invoice_user_id = self.salesman
        self.invoices.with_user(self.salesman).check_access("read")
        with self.assertRaises(AccessError) as error:
            self.invoices.with_user(self.salesman).action_pl_ksef_send()
        self.assertIn("Only invoicing users", str(error.exception))
        with self.assertRaises(AccessError):
            self.env["pl.ksef.batch"].with_user(self.salesman).create(
                {"name": "20261207-SB-X", "company_id": self.company.id}
            )
        with self.assertRaises(AccessError):
            self.env["pl.ksef.batch"].with_user(self.salesman).search([])
        self._assert_nothing_sent()

    def test_salesman_cannot_send_a_batch_through_jsonrpc(self):
        self.invoices.invoice_user_id = self.salesman
        self.authenticate(self.salesman.login, self.salesman.login)
        self.assertEqual(
            self._pl_jsonrpc_refusal(
                "account.move", "action_pl_ksef_send", [self.invoices.ids]
            ),
            "odoo.exceptions.AccessError",
        )
        self.assertEqual(
            self._pl_jsonrpc_refusal(
                "pl.ksef.batch",
                "create",
                [{"name": "20261207-SB-X", "company_id": self.company.id}],
            ),
            "odoo.exceptions.AccessError",
        )
        self._assert_nothing_sent()

        # The positive control: an invoicing user sends them the same way.
        self.authenticate(self.billing.login, self.billing.login)
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/account.move/action_pl_ksef_send",
            {
                "model": "account.move",
                "method": "action_pl_ksef_send",
                "args": [self.invoices.ids],
                "kwargs": {},
            },
        )
        self.assertEqual(len(self._batch_sessions()), 1)
        self.assertEqual(len(self.fake.invoices), 4)

    def test_salesman_cannot_advance_a_batch(self):
        self.fake.batch_processing_polls = 5
        self.invoices.invoice_user_id = self.salesman
        self.invoices.action_pl_ksef_send()
        polls = self._count("GET", "/sessions/")
        with self.assertRaises(AccessError):
            self.invoices[0].with_user(
                self.salesman
            ).action_l10n_pl_edi_update_invoice_status()
        self.assertEqual(self._count("GET", "/sessions/"), polls, "KSeF not asked")
        # An invoicing user can: KSeF is asked again.
        self.invoices[0].with_user(
            self.billing
        ).action_l10n_pl_edi_update_invoice_status()
        self.assertEqual(self._count("GET", "/sessions/"), polls + 1)
