"""Sending to KSeF end to end, against a local fake of the KSeF API 2.0.

Nothing is patched: l10n_pl_edi's client (``KsefApiService``) talks HTTP to
``FakeKsef`` (``crm_pl_testing.fake_ksef``) through the system parameter
``crm_invoicing_pl.ksef_api_url``. The company logs in with a KSeF token
(challenge, RSA-encrypted token, status, redeem) using the client's own
methods; invoices go through the sending wizard (or the retry cron) and
their status through l10n_pl_edi's status cron.
"""

import base64
from datetime import timedelta

from crm_pl_testing.fake_ksef import UPO_NS, FakeKsef
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree
from odoo import fields
from odoo.addons.l10n_pl_edi.tools.ksef_api_service import KsefApiService
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import _super_send
from odoo.tools import mute_logger
from stdnum.pl.nip import compact

from ..models.account_move import SESSION_LIST_MAX_PAGES
from .common import KsefCommon

# l10n_pl_edi logs each failed KSeF call as an error.
CLIENT_LOGGER = "odoo.addons.l10n_pl_edi.tools.ksef_api_service"
KSEF_TOKEN = "20261127-EC-0123456789-ABCDEF0123-45|nip-5260250274|secret"


class KsefFakeMixin:
    """A fake KSeF for the test company, which is registered and logged in."""

    def _start_fake_ksef(self, **params):
        self.fake = FakeKsef(nip=compact(self.company.vat), ksef_token=KSEF_TOKEN)
        api_url = self.fake.__enter__()
        self.addCleanup(self.fake.__exit__, None, None, None)
        config = self.env["ir.config_parameter"].sudo()
        config.set_param("crm_invoicing_pl.ksef_api_url", api_url)
        for key, value in params.items():
            config.set_param(f"crm_invoicing_pl.{key}", value)
        self._enable_ksef()
        self._ksef_token_login()

    def _ksef_token_login(self):
        """KSeF token authentication with l10n_pl_edi's client methods."""
        service = KsefApiService(self.company.sudo())
        challenge = service.get_challenge()
        public_key = serialization.load_pem_public_key(
            service._get_public_keys()["token"].encode()
        )
        encrypted = public_key.encrypt(
            f"{KSEF_TOKEN}|{challenge['timestampMs']}".encode(),
            padding.OAEP(
                mgf=padding.MGF1(algorithm=hashes.SHA256()),
                algorithm=hashes.SHA256(),
                label=None,
            ),
        )
        init = service.authenticate_token(
            compact(self.company.vat),
            challenge["challenge"],
            base64.b64encode(encrypted).decode(),
        )
        temporary = init["authenticationToken"]["token"]
        service.check_auth_status(init["referenceNumber"], temporary)
        tokens = service.redeem_token(temporary)
        self.company.sudo().write(
            {
                "l10n_pl_edi_access_token": tokens["accessToken"]["token"],
                "l10n_pl_edi_refresh_token": tokens["refreshToken"]["token"],
            }
        )


@tagged("post_install", "-at_install")
class TestKsefSending(KsefFakeMixin, KsefCommon):
    def setUp(self):
        super().setUp()
        self._start_fake_ksef(ksef_timeout="0.3", ksef_max_attempts="3")
        self.invoice = self.pl_invoice(lines=[(self.goods, 2, 100.0)])
        self.invoice.action_post()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _send(self, invoice=None):
        wizard = (
            self.env["account.move.send.wizard"]
            .with_company(self.company)
            .create(
                {
                    "move_id": (invoice or self.invoice).id,
                    "extra_edi_checkboxes": {"pl_ksef": {"checked": True}},
                }
            )
        )
        return wizard.action_send_and_print()

    def _check_status(self):
        self.env["account.move"].with_company(
            self.company
        )._cron_l10n_pl_edi_check_invoice_status()

    def _retry_cron(self):
        self.env["account.move"]._cron_pl_ksef_retry_sending()

    def _retry_due(self):
        """Run the retry cron as if the time of the next attempt had come."""
        if self.invoice.pl_ksef_retry_at:
            self.invoice.pl_ksef_retry_at = fields.Datetime.now() - timedelta(seconds=1)
        self._retry_cron()

    def _assert_next_attempt_in(self, seconds, action):
        before = fields.Datetime.now()
        action()
        after = fields.Datetime.now()
        self.assertGreaterEqual(
            self.invoice.pl_ksef_retry_at, before + timedelta(seconds=seconds)
        )
        self.assertLessEqual(
            self.invoice.pl_ksef_retry_at, after + timedelta(seconds=seconds)
        )

    def _keep_short_timeouts(self):
        # The test framework raises HTTP time-outs below 10 s to 10 s: keep ours.
        self.patch(
            type(self),
            "_request_handler",
            classmethod(
                lambda cls, session, request, **kw: _super_send(session, request, **kw)
            ),
        )

    def _send_requests(self):
        return [
            path
            for method, path in self.fake.requests
            if method == "POST" and path.endswith("/invoices")
        ]

    # ------------------------------------------------------------------
    # tests
    # ------------------------------------------------------------------
    def test_token_login_against_the_fake(self):
        self.assertIn(
            self.company.sudo().l10n_pl_edi_access_token, self.fake.access_tokens
        )
        # A wrong token is refused by KSeF (status 450 of the authentication).
        self.fake.ksef_token = "another"
        with self.assertRaisesRegex(UserError, "450"):
            self._ksef_token_login()

    def test_accepted_with_ksef_number_and_upo(self):
        self._send()
        self.assertEqual(len(self.fake.invoices), 1)
        received = self.fake.invoices[0]
        self.assertEqual(self.invoice.l10n_pl_edi_status, "sent")
        self.assertEqual(self.invoice.l10n_pl_edi_ref, received["reference"])
        # What KSeF decrypted is the FA(3) XML attached to the invoice.
        self.assertEqual(self.invoice.l10n_pl_edi_attachment_id.raw, received["xml"])
        self.assertEqual(received["number"], self.invoice.name)

        # The access token expired meanwhile: l10n_pl_edi refreshes it.
        self.fake.expire_access_tokens()
        self._check_status()
        self.assertIn(("POST", "/v2/auth/token/refresh"), self.fake.requests)
        self.assertEqual(self.invoice.l10n_pl_edi_status, "accepted")
        self.assertEqual(self.invoice.l10n_pl_edi_number, received["ksef_number"])
        self.assertTrue(self.invoice.l10n_pl_edi_upo_id, "the UPO is stored at once")
        upo = etree.fromstring(self.invoice.l10n_pl_edi_upo_id.raw)
        self.assertEqual(
            upo.findtext(f".//{{{UPO_NS}}}NumerKSeFDokumentu"), received["ksef_number"]
        )
        self.assertFalse(self.invoice.pl_ksef_error_code)

    def test_rejected_440_duplicate_is_recorded_not_retried(self):
        original = "5260250274-20261127-0A1B2C-3D4E5F-01"
        self.fake.send_script = [
            (
                "reject",
                440,
                f"Duplikat faktury. Faktura o numerze KSeF: {original} została już "
                "prawidłowo przesłana do systemu",
            )
        ]
        self._send()
        self._check_status()
        self.assertEqual(self.invoice.l10n_pl_edi_status, "rejected")
        self.assertEqual(self.invoice.pl_ksef_error_code, 440)
        self.assertIn("duplicate", self.invoice.l10n_pl_edi_header)
        self.assertIn(original, self.invoice.l10n_pl_edi_header)
        self.assertIn("not sent again", self.invoice.l10n_pl_edi_header)

        # Neither the retry cron nor a new sending sends it again.
        self._retry_cron()
        self._send()
        self.assertEqual(len(self.fake.invoices), 1)
        self.assertEqual(len(self._send_requests()), 1)
        with self.assertRaisesRegex(UserError, "never sent twice"):
            self.invoice.action_pl_ksef_retry()

    def test_rejected_450_semantic_error_in_plain_words(self):
        detail = "Suma P_13_1 i P_14_1 nie jest równa P_15."
        self.fake.send_script = [("reject", 450, detail)]
        self._send()
        self._check_status()
        self.assertEqual(self.invoice.l10n_pl_edi_status, "rejected")
        self.assertEqual(self.invoice.pl_ksef_error_code, 450)
        header = self.invoice.l10n_pl_edi_header
        self.assertIn("code 450", header)
        self.assertIn("failed KSeF's checks", header)
        self.assertIn(detail, header)
        self.assertIn(detail, "".join(self.invoice.message_ids.mapped("body")))
        # Corrected through a reset to draft, it can be sent again.
        self.invoice.button_draft()
        self.assertFalse(self.invoice.l10n_pl_edi_status)
        self.assertFalse(self.invoice.pl_ksef_error_code)

    @mute_logger(CLIENT_LOGGER)
    def test_busy_429_honours_retry_after_then_accepted(self):
        self.fake.send_script = [("busy", 120)]
        # No error: the invoice waits for the time KSeF gave.
        self._assert_next_attempt_in(120, self._send)
        self.assertEqual(self.invoice.l10n_pl_edi_status, "retry")
        self.assertEqual(self.invoice.pl_ksef_attempts, 1)
        self.assertFalse(self.fake.invoices)
        self.assertIn("busy", self.invoice.l10n_pl_edi_header)
        self.assertFalse(self.invoice.show_reset_to_draft_button)

        # Before Retry-After has passed nothing is sent, by the cron or by hand.
        self._retry_cron()
        with self.assertRaisesRegex(UserError, "KSeF asked to wait"):
            self._send()
        self.assertEqual(len(self._send_requests()), 1)

        self._retry_due()
        self.assertEqual(len(self._send_requests()), 2)
        self.assertEqual(len(self.fake.invoices), 1)
        self.assertEqual(self.invoice.l10n_pl_edi_status, "sent")
        self.assertEqual(self.invoice.pl_ksef_attempts, 0)
        self.assertTrue(self.invoice.l10n_pl_edi_attachment_id)
        self._check_status()
        self.assertEqual(self.invoice.l10n_pl_edi_status, "accepted")
        self.assertEqual(
            self.invoice.l10n_pl_edi_number, self.fake.invoices[0]["ksef_number"]
        )

    @mute_logger(CLIENT_LOGGER)
    def test_timeout_retries_are_bounded(self):
        self._keep_short_timeouts()
        self.fake.open_script = [("hang", 1.5)] * 3
        # No Retry-After: 60 s before the next attempt, then twice as long.
        self._assert_next_attempt_in(60, self._send)
        self.assertEqual(self.invoice.l10n_pl_edi_status, "retry")
        self.assertIn("did not answer in time", self.invoice.l10n_pl_edi_header)
        self._retry_cron()
        self.assertEqual(self.invoice.pl_ksef_attempts, 1, "not due yet")
        self._assert_next_attempt_in(120, self._retry_due)
        self.assertEqual(self.invoice.l10n_pl_edi_status, "retry")
        self.assertEqual(self.invoice.pl_ksef_attempts, 2)
        self._retry_due()
        # Third attempt: failed, and the user is told.
        self.assertEqual(self.invoice.l10n_pl_edi_status, "failed")
        self.assertEqual(self.invoice.pl_ksef_attempts, 3)
        self.assertIn("failed 3 times", self.invoice.l10n_pl_edi_header)
        activity = self.invoice.activity_ids.filtered(
            lambda a: a.summary == "KSeF sending failed"
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.invoice.invoice_user_id)
        opened = [p for m, p in self.fake.requests if p == "/v2/sessions/online"]
        self.assertEqual(len(opened), 3)
        self.assertFalse(self.invoice.pl_ksef_retry_at)
        self._retry_due()
        self.assertEqual(
            len([p for m, p in self.fake.requests if p == "/v2/sessions/online"]), 3
        )
        self.assertFalse(self.fake.invoices, "nothing reached KSeF")

        # The user retries once KSeF is back.
        self.invoice.action_pl_ksef_retry()
        self.assertEqual(self.invoice.l10n_pl_edi_status, "sent")
        self.assertEqual(len(self.fake.invoices), 1)

    @mute_logger(CLIENT_LOGGER)
    def test_unanswered_sending_is_never_sent_twice(self):
        # KSeF receives the invoice but answers after the client's timeout.
        self._keep_short_timeouts()
        self.fake.send_script = [("hang", 1.5)]
        self._send()
        self.assertEqual(len(self.fake.invoices), 1)
        self.assertEqual(self.invoice.l10n_pl_edi_status, "retry")
        self.assertEqual(
            self.invoice.pl_ksef_pending_hash, self.fake.invoices[0]["hash"]
        )

        self._retry_due()
        self.assertEqual(len(self._send_requests()), 1, "found in KSeF, not re-sent")
        self.assertEqual(self.invoice.l10n_pl_edi_status, "sent")
        self.assertEqual(
            self.invoice.l10n_pl_edi_ref, self.fake.invoices[0]["reference"]
        )
        self.assertIn("not sent again", self.invoice.l10n_pl_edi_header)

        # Awaiting its status, then accepted: sending again sends nothing.
        self._send()
        self._retry_cron()
        self._check_status()
        self.assertEqual(self.invoice.l10n_pl_edi_status, "accepted")
        self._send()
        self.assertEqual(len(self._send_requests()), 1)
        self.assertEqual(len(self.fake.invoices), 1)

    @mute_logger(CLIENT_LOGGER)
    def test_endless_session_list_is_read_a_bounded_number_of_pages(self):
        """A KSeF whose list of a session's invoices never ends: the look-up
        stops after SESSION_LIST_MAX_PAGES pages, the attempt counts as a
        failure with the reason, and the invoice is not sent again."""
        self._keep_short_timeouts()
        self.fake.send_script = [("hang", 1.5)]
        self._send()
        self.assertEqual(self.invoice.l10n_pl_edi_status, "retry")
        self.fake.session_list_endless = True
        self._retry_due()
        pages = [
            path
            for method, path in self.fake.requests
            if method == "GET"
            and path.endswith(
                f"/sessions/{self.invoice.l10n_pl_edi_session_id}/invoices"
            )
        ]
        self.assertEqual(len(pages), SESSION_LIST_MAX_PAGES)
        self.assertEqual(len(self._send_requests()), 1, "not sent again")
        self.assertEqual(self.invoice.l10n_pl_edi_status, "retry")
        self.assertEqual(self.invoice.pl_ksef_attempts, 2)
        self.assertIn("did not end", self.invoice.l10n_pl_edi_header)
        self.assertTrue(self.invoice.pl_ksef_pending_hash, "still looked for later")
