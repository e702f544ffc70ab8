"""A KSeF batch session: the invoices sent in it and how far it got.

KSeF API 2.0, *Wysyłka wsadowa* (``../shared/specs/ksef/open-api.json``):
``POST /sessions/batch`` declares the encrypted package and answers with an
upload address per part; each part is uploaded (``PUT``, no access token);
``POST /sessions/batch/{ref}/close`` starts the processing;
``GET /sessions/{ref}`` tells when it is done; ``GET /sessions/{ref}/invoices``
lists each invoice with its status, KSeF number and reference, from which
its UPO is fetched.

Never twice: the session's reference, its key, the ZIP and the upload
addresses are stored, and the invoices marked *Sent* in this session,
**before** the first part is uploaded (committed when the sending may
commit). Whatever stops the sending afterwards (no answer, KSeF busy, the
server stopped), the next run (the KSeF cron, or the invoice's *Update
Status*) asks KSeF where the session stands and goes on with that session:
uploads the same parts again and closes it while it is open, reads the
results once it is processed. Its invoices are sent again, in a new session,
only when KSeF says the session was cancelled or failed as a whole (then
KSeF holds none of them).
"""

import base64
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import requests
from cryptography.hazmat.primitives import serialization
from odoo import api, fields, models
from odoo.addons.l10n_pl_edi.tools.ksef_api_service import KsefApiService
from odoo.exceptions import UserError

from ..tools import ksef_batch
from .ksef_api_service import PARAM_TIMEOUT, _failure, prefetched_upos

_logger = logging.getLogger(__name__)

UPLOAD_TIMEOUT = 120  # seconds for one part of up to 100 MB
PAGE_SIZE = 1000  # the largest page of a session's invoice list
MAX_PAGES = 20  # 10 000 invoices a session: 10 pages of 1 000
POLL_DELAY = 30  # seconds before asking again about a session in processing
SESSION_PROCESSING = (150,)
SESSION_OPEN = (100,)
SESSION_PROCESSED = (200, 445)  # 445: processed, no valid invoice in it
UPO_THREADS = 8


class PlKsefBatch(models.Model):
    _name = "pl.ksef.batch"
    _description = "KSeF Batch Session"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="KSeF Session Reference", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    state = fields.Selection(
        [
            ("open", "Uploading"),
            ("closed", "Processing"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="open",
        readonly=True,
        index=True,
    )
    move_ids = fields.One2many(
        "account.move", "pl_ksef_batch_id", string="Invoices", readonly=True
    )
    invoice_count = fields.Integer(string="Number of Invoices", readonly=True)
    ksef_status = fields.Char(
        string="KSeF Session Status",
        readonly=True,
        help="The last status of the session given by KSeF (code and description).",
    )
    last_error = fields.Char(string="Last Problem", readonly=True)
    attempts = fields.Integer(readonly=True)
    symmetric_key = fields.Char(groups="base.group_system", readonly=True)
    initialization_vector = fields.Char(groups="base.group_system", readonly=True)
    upload_requests = fields.Json(groups="base.group_system", readonly=True)
    package = fields.Binary(
        string="Package (ZIP)", attachment=True, groups="base.group_system"
    )

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------
    @api.model
    def _pl_open(self, company, moves, files):
        """Open a batch session for ``moves`` (their files in the same order).

        The session and the invoices' new state are recorded (and committed
        when allowed) before anything is uploaded; then the session is run.
        Raises the UserError of a failed opening (nothing was sent).
        """
        key, iv = os.urandom(ksef_batch.KEY_BYTES), os.urandom(ksef_batch.IV_BYTES)
        package = ksef_batch.build_package(files, key, iv)
        service = KsefApiService(company)
        public_key = serialization.load_pem_public_key(
            service._get_public_keys()["symmetric"].encode()
        )
        body = ksef_batch.open_request(
            package.batch_file, ksef_batch.encrypt_key(public_key, key), iv
        )
        answer = service._make_request(
            "POST", f"{service.api_url}/sessions/batch", json=body
        ).json()
        batch = self.create(
            {
                "name": answer["referenceNumber"],
                "company_id": company.id,
                "invoice_count": len(moves),
                "symmetric_key": base64.b64encode(key).decode(),
                "initialization_vector": base64.b64encode(iv).decode(),
                "upload_requests": answer.get("partUploadRequests") or [],
                "package": base64.b64encode(package.zip_bytes),
            }
        )
        message = self.env._(
            "Sent to KSeF in batch session %s; its status follows when KSeF has "
            "processed the session.",
            batch.name,
        )
        moves._pl_ksef_exchange().write(
            {
                "l10n_pl_edi_status": "sent",
                "l10n_pl_edi_ref": False,
                "l10n_pl_edi_session_id": batch.name,
                "l10n_pl_edi_header": message,
                "pl_ksef_batch_id": batch.id,
                "pl_ksef_retry_at": False,
                "pl_ksef_pending_hash": False,
            }
        )
        batch._pl_commit()
        batch._pl_advance()
        return batch

    def _pl_commit(self):
        if self.env["account.move.send"]._can_commit():
            self.env.cr.commit()

    # ------------------------------------------------------------------
    # Going on
    # ------------------------------------------------------------------
    def _pl_advance(self):
        """Take each session as far as KSeF lets it go now."""
        # Its invoices' KSeF answers recorded as AccountMove._pl_ksef_exchange.
        batches = self.with_env(self.env["account.move"]._pl_ksef_exchange().env)
        for batch in batches.filtered(lambda b: b.state in ("open", "closed")):
            try:
                service = KsefApiService(batch.company_id)
                if batch.state == "open":
                    batch._pl_upload_and_close(service)
                if batch.state == "closed":
                    batch._pl_poll(service)
            except UserError as error:
                batch._pl_record_problem(_failure(error, "batch"), error)
            batch._pl_commit()

    def _pl_session_status(self, service):
        """KSeF's status of the session ({} code / description / details)."""
        answer = service._make_request(
            "GET", f"{service.api_url}/sessions/{self.name}"
        ).json()
        status = answer.get("status") or {}
        self.ksef_status = "%s %s" % (status.get("code"), status.get("description"))
        return status

    def _pl_upload_and_close(self, service):
        status = self._pl_session_status(service)
        code = status.get("code")
        if code not in SESSION_OPEN:
            # Closed by an earlier run whose answer was lost, or cancelled.
            if code in SESSION_PROCESSING + SESSION_PROCESSED:
                self.state = "closed"
            else:
                self._pl_cancel(status)
            return
        package = ksef_batch.encrypt_zip(
            base64.b64decode(self.package),
            base64.b64decode(self.symmetric_key),
            base64.b64decode(self.initialization_vector),
        )
        for request in self.upload_requests:
            number = request["ordinalNumber"]
            try:
                response = requests.request(
                    request.get("method") or "PUT",
                    request["url"],
                    data=package.parts[number - 1],
                    headers=request.get("headers") or {},
                    timeout=self._pl_upload_timeout(),
                )
                response.raise_for_status()
            except requests.exceptions.RequestException as error:
                raise UserError(
                    self.env._(
                        "Part %(part)s of KSeF batch session %(session)s could not "
                        "be uploaded: %(error)s",
                        part=number,
                        session=self.name,
                        error=error,
                    )
                ) from error
        try:
            service._make_request(
                "POST", f"{service.api_url}/sessions/batch/{self.name}/close"
            )
        except UserError as error:
            if _failure(error, "close")["kind"] != "error":
                raise
            # Refused (e.g. the time for the upload ran out): KSeF says why.
            status = self._pl_session_status(service)
            if status.get("code") not in SESSION_OPEN + SESSION_PROCESSING:
                self._pl_cancel(status)
                return
            raise
        self.state = "closed"
        self._pl_commit()

    def _pl_upload_timeout(self):
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_TIMEOUT)
        try:
            return max(float(value or 0), 0) or UPLOAD_TIMEOUT
        except ValueError:
            return UPLOAD_TIMEOUT

    def _pl_poll(self, service):
        status = self._pl_session_status(service)
        code = status.get("code")
        if code in SESSION_OPEN + SESSION_PROCESSING:
            self.last_error = False
            self._pl_later(POLL_DELAY)
            return
        if code not in SESSION_PROCESSED:
            self._pl_cancel(status)
            return
        entries = self._pl_session_invoices(service)
        results = ksef_batch.session_results(
            ksef_batch.zip_hashes(base64.b64decode(self.package)), entries
        )
        waiting = self.move_ids.filtered(
            lambda move: (
                move.l10n_pl_edi_status == "sent"
                and move.l10n_pl_edi_session_id == self.name
                and not move.l10n_pl_edi_ref
            )
        )
        entries = {
            move: results.get(move._pl_ksef_batch_file_name()) for move in waiting
        }
        missing = self.env["account.move"]
        # The UPOs of the accepted ones fetched together from the addresses
        # KSeF gave (no API limits); l10n_pl_edi stores each as it would.
        with prefetched_upos(self._pl_fetch_upos(entries.values())):
            for move, entry in entries.items():
                if entry:
                    move._pl_ksef_batch_result(entry)
                else:
                    missing |= move
        if missing:
            missing._pl_ksef_batch_release(
                self.env._(
                    "KSeF processed batch session %s without this invoice: it "
                    "is not in KSeF and will be sent again.",
                    self.name,
                )
            )
        self.write({"state": "done", "last_error": False})

    def _pl_fetch_upos(self, entries):
        """{invoice reference: UPO} of the accepted entries, by their download
        addresses (no access token, as KSeF says); one that cannot be fetched
        or whose SHA-256 differs from KSeF's is left to l10n_pl_edi's call."""
        urls = {
            entry["referenceNumber"]: entry["upoDownloadUrl"]
            for entry in entries
            if entry
            and (entry.get("status") or {}).get("code") == 200
            and entry.get("upoDownloadUrl")
        }
        timeout = self._pl_upload_timeout()

        def fetch(url):
            try:
                response = requests.get(url, timeout=timeout)
                response.raise_for_status()
            except requests.exceptions.RequestException:
                return None
            digest = response.headers.get("x-ms-meta-hash")
            if digest and digest != ksef_batch.sha256_b64(response.content):
                return None
            return response.content

        if not urls:
            return {}
        with ThreadPoolExecutor(max_workers=UPO_THREADS) as pool:
            contents = dict(zip(urls, pool.map(fetch, urls.values()), strict=True))
        return {ref: content for ref, content in contents.items() if content}

    def _pl_session_invoices(self, service):
        """Every entry of KSeF's list of the session's invoices (all pages)."""
        entries, headers, tokens = [], {}, set()
        for _page in range(MAX_PAGES):
            answer = service._make_request(
                "GET",
                f"{service.api_url}/sessions/{self.name}/invoices",
                params={"pageSize": PAGE_SIZE},
                headers=dict(headers),
            ).json()
            entries += answer.get("invoices") or []
            token = answer.get("continuationToken")
            if not token:
                return entries
            if token in tokens:
                break
            tokens.add(token)
            headers["x-continuation-token"] = token
        raise UserError(
            self.env._(
                "KSeF's list of the invoices of batch session %s did not end: "
                "the statuses will be read again.",
                self.name,
            )
        )

    # ------------------------------------------------------------------
    # Problems
    # ------------------------------------------------------------------
    def _pl_cancel(self, status):
        """KSeF cancelled or refused the whole session: none of it is in KSeF."""
        reason = self.env._(
            "KSeF cancelled batch session %(session)s (code %(code)s: "
            "%(description)s%(details)s); the invoice is not in KSeF and will "
            "be sent again.",
            session=self.name,
            code=status.get("code"),
            description=status.get("description") or "-",
            details="; " + "; ".join(status["details"])
            if status.get("details")
            else "",
        )
        self.write({"state": "cancelled", "last_error": reason})
        self.move_ids.filtered(
            lambda move: (
                move.l10n_pl_edi_status == "sent"
                and move.l10n_pl_edi_session_id == self.name
                and not move.l10n_pl_edi_ref
            )
        )._pl_ksef_batch_release(reason)

    def _pl_record_problem(self, failure, error):
        """A run that could not finish: the session waits for the next one."""
        self.ensure_one()
        moves = self.env["account.move"]
        reason = (
            moves._pl_ksef_failure_text(failure)
            if failure["kind"] != "error"
            else (str(error.args[0]) if error.args else str(error))
        )
        attempts = self.attempts + 1
        delay = moves._pl_ksef_retry_delay(attempts, failure["retry_after"])
        self.write({"attempts": attempts, "last_error": reason})
        _logger.warning("KSeF batch session %s: %s", self.name, reason)
        self._pl_later(delay)

    def _pl_later(self, seconds):
        self.env.ref("crm_invoicing_pl_ksef.ir_cron_pl_ksef_retry")._trigger(
            at=fields.Datetime.now() + timedelta(seconds=seconds)
        )

    @api.model
    def _cron_pl_advance(self):
        """Go on with every unfinished session (the KSeF cron)."""
        for batch in self.sudo().search([("state", "in", ("open", "closed"))]):
            lang = batch.company_id.partner_id.lang
            batch.with_company(batch.company_id).with_context(lang=lang)._pl_advance()
