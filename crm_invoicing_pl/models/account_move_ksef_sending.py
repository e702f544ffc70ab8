"""KSeF sending on top of l10n_pl_edi: statuses, bounded retries, no double send.

l10n_pl_edi sends an invoice once (status *sent*), asks KSeF for its status
(*accepted* with the KSeF number, or *rejected*) and never sends again an
invoice that has a status. What it lacks, added here:

- a temporary failure (KSeF busy with HTTP 429, no answer in time, KSeF
  unreachable or in error) is not a dead end: the invoice gets the status
  *Retry Pending* with the reason and the time of the next attempt (KSeF's
  Retry-After when it gave one, else a growing delay); a cron sends it then,
  without waiting in a loop. After ``crm_invoicing_pl.ksef_max_attempts``
  attempts the invoice is *Failed*, the reason is shown on it and its
  salesperson gets an activity;
- an attempt that got no answer may have reached KSeF: the SHA-256 of the
  XML that was sent is kept and, before sending again, the invoices of that
  KSeF session are searched for it; when KSeF has it, it is taken as sent
  and never sent a second time;
- a rejection is recorded with its KSeF code and, in plain words, what KSeF
  said (the details l10n_pl_edi drops); a 440 (duplicate) names the KSeF
  number KSeF already has and is never retried;
- an accepted invoice gets its UPO (official receipt) at once.
"""

# KSeF sending is a concern of its own.
# pylint: disable=consider-merging-classes-inherited

from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.l10n_pl_edi.tools.ksef_api_service import KsefApiService
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

from ..tools.ksef_batch import MAX_INVOICES
from .ksef_api_service import _failure, ksef_exchange

PARAM_MAX_ATTEMPTS = "crm_invoicing_pl.ksef_max_attempts"
PARAM_RETRY_DELAY = "crm_invoicing_pl.ksef_retry_delay"
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_DELAY = 60  # seconds; doubled after each attempt
MAX_RETRY_DELAY = 3600
RETRY_BATCH = 50
# A KSeF session holds at most 10 000 invoices: 10 pages of 1 000. The list
# of a session's invoices is read page by page, never without end.
SESSION_LIST_PAGE_SIZE = 1000
SESSION_LIST_MAX_PAGES = 20


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_pl_edi_status = fields.Selection(
        selection_add=[("retry", "Retry Pending"), ("failed", "Failed")],
        ondelete={"retry": "set null", "failed": "set null"},
    )
    pl_ksef_attempts = fields.Integer(
        string="Failed KSeF Attempts",
        readonly=True,
        copy=False,
        help="Attempts to send the invoice to KSeF that failed for a temporary "
        "reason (KSeF busy, no answer, unreachable).",
    )
    pl_ksef_retry_at = fields.Datetime(
        string="Next KSeF Attempt", readonly=True, copy=False
    )
    pl_ksef_error_code = fields.Integer(
        string="KSeF Error Code",
        readonly=True,
        copy=False,
        help="Status code of KSeF's rejection, e.g. 440 (duplicate invoice) or "
        "450 (semantic error in the invoice).",
    )
    pl_ksef_pending_hash = fields.Char(
        string="Unconfirmed KSeF Sending",
        readonly=True,
        copy=False,
        help="SHA-256 of the invoice XML of an attempt that got no answer: KSeF "
        "may have received it, so it is looked for in KSeF before any new "
        "attempt.",
    )

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    @api.model
    def _pl_ksef_int_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return max(int(value), 0) if value not in (None, False, "") else default
        except ValueError:
            return default

    def _pl_ksef_retry_delay(self, attempts, retry_after=None):
        """Seconds before the next attempt: KSeF's Retry-After, else a backoff."""
        if retry_after is not None:
            return retry_after
        base = self._pl_ksef_int_param(PARAM_RETRY_DELAY, DEFAULT_RETRY_DELAY)
        return min(base * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)

    # ------------------------------------------------------------------
    # Failures
    # ------------------------------------------------------------------
    def _pl_ksef_failure_text(self, failure):
        """A temporary failure in plain words."""
        if failure["kind"] == "busy":
            return self.env._(
                "KSeF is busy and refused the request (too many requests)"
            )
        if failure["kind"] == "timeout":
            return self.env._("KSeF did not answer in time")
        if failure["kind"] == "unreachable":
            return self.env._("KSeF could not be reached")
        if failure.get("reason") and not failure["http_status"]:
            return failure["reason"]
        return self.env._(
            "KSeF answered with a server error (HTTP %s)", failure["http_status"]
        )

    def _pl_ksef_record_failure(self, failure, exchange=None):
        """Retry pending, or failed after the maximum number of attempts."""
        self.ensure_one()
        attempts = self.pl_ksef_attempts + 1
        maximum = max(
            self._pl_ksef_int_param(PARAM_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS), 1
        )
        reason = self._pl_ksef_failure_text(failure)
        vals = {"pl_ksef_attempts": attempts}
        if failure["maybe_received"] and exchange and exchange.invoice_hash:
            vals.update(
                {
                    "pl_ksef_pending_hash": exchange.invoice_hash,
                    "l10n_pl_edi_session_id": exchange.session_id,
                }
            )
        if attempts >= maximum:
            message = self.env._(
                "Sending to KSeF failed %(attempts)s times (last time: %(reason)s). "
                "No more automatic attempts are made: check the connection to KSeF, "
                "then use 'Retry KSeF Sending'.",
                attempts=attempts,
                reason=reason,
            )
            vals.update(
                {
                    "l10n_pl_edi_status": "failed",
                    "pl_ksef_retry_at": False,
                    "l10n_pl_edi_header": message,
                }
            )
            self.write(vals)
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("KSeF sending failed"),
                note=message,
                user_id=(self.invoice_user_id or self.env.user).id,
            )
        else:
            retry_at = fields.Datetime.now() + timedelta(
                seconds=self._pl_ksef_retry_delay(attempts, failure["retry_after"])
            )
            message = self.env._(
                "Not in KSeF yet: %(reason)s. It will be sent again automatically "
                "after %(time)s (attempt %(attempts)s of %(maximum)s).",
                reason=reason,
                time=format_datetime(self.env, retry_at),
                attempts=attempts + 1,
                maximum=maximum,
            )
            vals.update(
                {
                    "l10n_pl_edi_status": "retry",
                    "pl_ksef_retry_at": retry_at,
                    "l10n_pl_edi_header": message,
                }
            )
            self.write(vals)
            self.env.ref("crm_invoicing_pl.ir_cron_pl_ksef_retry")._trigger(at=retry_at)
        self.with_context(no_new_invoice=True).sudo().message_post(body=message)
        return message

    # ------------------------------------------------------------------
    # Before and after an attempt
    # ------------------------------------------------------------------
    def _pl_ksef_find_in_session(self):
        """KSeF's record of the unconfirmed sending in its session, or None."""
        self.ensure_one()
        service = KsefApiService(self.company_id)
        endpoint = f"{service.api_url}/sessions/{self.l10n_pl_edi_session_id}/invoices"
        headers, tokens = {}, set()
        for _page in range(SESSION_LIST_MAX_PAGES):
            answer = service._make_request(
                "GET",
                endpoint,
                params={"pageSize": SESSION_LIST_PAGE_SIZE},
                headers=dict(headers),
            ).json()
            for invoice in answer.get("invoices") or ():
                if invoice.get("invoiceHash") == self.pl_ksef_pending_hash:
                    return invoice
            token = answer.get("continuationToken")
            if not token:
                return None
            if token in tokens:
                break
            tokens.add(token)
            headers["x-continuation-token"] = token
        raise UserError(
            self.env._(
                "KSeF's list of the invoices of session %(session)s did not end "
                "(more than %(pages)s pages): the sending of %(move)s is not "
                "confirmed yet and will be looked for again.",
                session=self.l10n_pl_edi_session_id,
                pages=SESSION_LIST_MAX_PAGES,
                move=self.display_name,
            )
        )

    def _pl_ksef_prepare_retry(self, move_data):
        """Whether a retry-pending invoice is to be sent now (else why not)."""
        self.ensure_one()
        if self.pl_ksef_retry_at and self.pl_ksef_retry_at > fields.Datetime.now():
            move_data["error"] = {
                "error_title": self.env._("Not sent to KSeF yet"),
                "errors": [
                    self.env._(
                        "KSeF asked to wait: %(move)s will be sent again "
                        "automatically after %(time)s.",
                        move=self.display_name,
                        time=format_datetime(self.env, self.pl_ksef_retry_at),
                    )
                ],
            }
            return False
        if self.pl_ksef_pending_hash and self.l10n_pl_edi_session_id:
            try:
                found = self._pl_ksef_find_in_session()
            except UserError as error:
                self._pl_ksef_record_failure(_failure(error, "lookup"))
                return False
            if found:
                message = self.env._(
                    "KSeF had received the invoice during an attempt that got no "
                    "answer: it was not sent again."
                )
                self.write(
                    {
                        "l10n_pl_edi_status": "sent",
                        "l10n_pl_edi_ref": found.get("referenceNumber"),
                        "l10n_pl_edi_header": message,
                        "pl_ksef_pending_hash": False,
                        "pl_ksef_retry_at": False,
                        "pl_ksef_attempts": 0,
                    }
                )
                self.with_context(no_new_invoice=True).sudo().message_post(body=message)
                self.env.ref(
                    "l10n_pl_edi.cron_auto_checks_the_polish_invoice_status"
                )._trigger()
                return False
        # l10n_pl_edi only sends invoices without a status.
        self.write({"l10n_pl_edi_status": False, "pl_ksef_pending_hash": False})
        return True

    def _pl_ksef_after_attempt(self, move_data, exchange, retrying=False):
        """Record the outcome of one sending attempt made by l10n_pl_edi."""
        self.ensure_one()
        error = move_data.get("error")
        if not error:
            if self.l10n_pl_edi_status == "sent":
                self.write(
                    {
                        "pl_ksef_attempts": 0,
                        "pl_ksef_retry_at": False,
                        "pl_ksef_pending_hash": False,
                        "pl_ksef_error_code": False,
                    }
                )
            return
        if exchange.temporary:
            # Not an error of the invoice: it stays to be sent (or failed,
            # said on the invoice) and the rest of the sending goes on.
            self._pl_ksef_record_failure(exchange.failure, exchange)
            move_data.pop("error")
        elif retrying:
            message = "\n".join([error["error_title"], *error.get("errors", ())])
            self.write({"l10n_pl_edi_status": "failed", "l10n_pl_edi_header": message})

    # ------------------------------------------------------------------
    # Retrying
    # ------------------------------------------------------------------
    def _pl_ksef_send_pending(self):
        """Send ``self`` to KSeF (KSeF only): new and retry-pending invoices."""
        sender = self.env["account.move.send"]
        errors = {}
        for company, moves in self.grouped("company_id").items():
            data = {move: {"extra_edis": {"pl_ksef"}} for move in moves}
            sender.with_company(company)._call_web_service_before_invoice_pdf_render(
                data
            )
            sender.with_company(company)._link_invoice_documents(
                {move: vals for move, vals in data.items() if not vals.get("error")}
            )
            errors.update(
                {
                    move: vals["error"]
                    for move, vals in data.items()
                    if vals.get("error")
                }
            )
        return errors

    def _pl_ksef_prepare_sending_now(self):
        """A failed or waiting sending is to be made now, failed ones afresh."""
        waiting = self.filtered(
            lambda move: move.l10n_pl_edi_status in ("retry", "failed")
        )
        waiting.filtered(lambda move: move.l10n_pl_edi_status == "failed").write(
            {"l10n_pl_edi_status": "retry", "pl_ksef_attempts": 0}
        )
        waiting.write({"pl_ksef_retry_at": False})

    def action_pl_ksef_retry(self):
        """Send again, now, an invoice whose KSeF sending failed or waits."""
        self._pl_ksef_check_may_send()
        for move in self:
            if move.l10n_pl_edi_status not in ("retry", "failed"):
                raise UserError(
                    self.env._(
                        "%s is not waiting to be sent to KSeF: it is never sent twice.",
                        move.display_name,
                    )
                )
        self._pl_ksef_prepare_sending_now()
        # Checked above; the company's KSeF tokens are for administrators only.
        errors = self.sudo()._pl_ksef_send_pending()
        if errors:
            sender = self.env["account.move.send"]
            raise UserError(
                "\n".join(sender._format_error_text(error) for error in errors.values())
            )
        return True

    @api.model
    def _cron_pl_ksef_retry_sending(self):
        # Batch sessions left unfinished by an earlier run go on first.
        self.env["pl.ksef.batch"]._cron_pl_advance()
        moves = self.search(
            [
                ("state", "=", "posted"),
                ("l10n_pl_edi_status", "=", "retry"),
                "|",
                ("pl_ksef_retry_at", "=", False),
                ("pl_ksef_retry_at", "<=", fields.Datetime.now()),
            ],
            order="pl_ksef_retry_at, id",
            limit=MAX_INVOICES,
        )
        # One at a time: RETRY_BATCH a run; a company's batch: all of them.
        moves = moves.browse(
            [
                move.id
                for _company, company_moves in moves.grouped("company_id").items()
                for move in (
                    company_moves
                    if 0
                    < company_moves.company_id.pl_ksef_batch_threshold
                    <= len(company_moves)
                    else company_moves[:RETRY_BATCH]
                )
            ]
        )
        locked = moves.filtered(
            lambda move: self.env["res.company"]._with_locked_records(
                move, allow_raising=False
            )
        )
        for company, company_moves in locked.grouped("company_id").items():
            # A background job: its chatter lines in the company's language.
            moves_in_lang = company_moves.with_context(lang=company.partner_id.lang)
            # Sent together: a batch session when they reach the company's
            # threshold (account_move_send_ksef_batch.py).
            errors = moves_in_lang._pl_ksef_send_pending()
            for move, error in errors.items():
                move.with_context(no_new_invoice=True).message_post(
                    body=move.env["account.move.send"]._format_error_html(error)
                )

    # ------------------------------------------------------------------
    # Status from KSeF
    # ------------------------------------------------------------------
    @api.model
    def _cron_l10n_pl_edi_check_invoice_status(self):
        # EXTENDS l10n_pl_edi: a background job, its chatter lines in the
        # language of the company it checks.
        lang = self.env.company.partner_id.lang
        return super(
            AccountMove, self.with_context(lang=lang)
        )._cron_l10n_pl_edi_check_invoice_status()

    def _pl_ksef_rejection_text(self, status):
        """KSeF's rejection (code, description, details) in plain words."""
        code = status.get("code")
        details = "; ".join(status.get("details") or ())
        if code == 440:
            original = (status.get("extensions") or {}).get("originalKsefNumber")
            text = self.env._(
                "KSeF rejected the invoice as a duplicate (code 440): it already "
                "holds an invoice with this number from this seller%(original)s. "
                "It was not sent again.",
                original=self.env._(", KSeF number %s", original) if original else "",
            )
        elif code == 450:
            text = self.env._(
                "KSeF rejected the invoice (code 450): its content failed KSeF's "
                "checks. Correct the invoice (reset it to draft), then send it again."
            )
        else:
            text = self.env._(
                "KSeF rejected the invoice (code %(code)s): %(description)s.",
                code=code,
                description=status.get("description") or "-",
            )
        if details:
            text += " " + self.env._("KSeF said: %s", details)
        return text

    def action_l10n_pl_edi_update_invoice_status(self):
        # EXTENDS l10n_pl_edi: the rejection in plain words with its code, the
        # UPO of an accepted invoice at once.
        with ksef_exchange() as exchange:
            result = super().action_l10n_pl_edi_update_invoice_status()
        status = (exchange.invoice_status or {}).get("status") or {}
        if self.l10n_pl_edi_status == "rejected" and status.get("code"):
            message = self._pl_ksef_rejection_text(status)
            self.write(
                {"pl_ksef_error_code": status["code"], "l10n_pl_edi_header": message}
            )
            self.with_context(no_new_invoice=True).sudo().message_post(body=message)
        elif self.l10n_pl_edi_status == "accepted" and not self.l10n_pl_edi_upo_id:
            self.action_l10n_pl_edi_get_invoice_UPO()
        return result

    # ------------------------------------------------------------------
    # Draft
    # ------------------------------------------------------------------
    def write(self, vals):
        # EXTENDS account: an invoice KSeF holds (or may hold) never leaves the
        # posted state, whoever asks and however (button, ORM, JSON-RPC): the
        # books must keep matching KSeF. Art. 106j: a correction invoice is
        # the only legal way to change an invoice that was issued.
        if vals.get("state") in ("draft", "cancel"):
            self._pl_ksef_check_can_leave_posted()
        return super().write(vals)

    def _pl_ksef_check_can_leave_posted(self):
        for move in self.filtered(lambda m: m.state == "posted"):
            status = move.l10n_pl_edi_status
            if status in ("sent", "accepted"):
                raise UserError(
                    self.env._(
                        "%(invoice)s was sent to KSeF (%(status)s%(number)s): it "
                        "cannot be reset to draft or cancelled. To change it, "
                        "issue a correction invoice (faktura korygująca, art. 106j "
                        "of the VAT Act).",
                        invoice=move.display_name,
                        status=dict(
                            move._fields["l10n_pl_edi_status"]._description_selection(
                                self.env
                            )
                        )[status],
                        number=(
                            self.env._(", KSeF number %s", move.l10n_pl_edi_number)
                            if move.l10n_pl_edi_number
                            else ""
                        ),
                    )
                )
            if status == "retry":
                raise UserError(
                    self.env._(
                        "%(invoice)s is being sent to KSeF and KSeF may already "
                        "hold it: it cannot be reset to draft until the sending "
                        "has finished or failed.",
                        invoice=move.display_name,
                    )
                )

    def button_draft(self):
        # EXTENDS l10n_pl_edi: a failed or rejected invoice can be corrected
        # and sent again.
        moves = self.filtered(
            lambda move: move.l10n_pl_edi_status in ("failed", "rejected")
        )
        res = super().button_draft()
        if not moves:  # Odoo calls this on empty sets for every item written
            return res
        moves.write(
            {
                "l10n_pl_edi_status": False,
                "l10n_pl_edi_header": False,
                "pl_ksef_attempts": 0,
                "pl_ksef_retry_at": False,
                "pl_ksef_error_code": False,
                "pl_ksef_pending_hash": False,
            }
        )
        return res

    @api.depends("l10n_pl_edi_status")
    def _compute_show_reset_to_draft_button(self):
        # EXTENDS l10n_pl_edi: not while KSeF may hold or is about to get it.
        res = super()._compute_show_reset_to_draft_button()
        for move in self:
            if move.l10n_pl_edi_status == "retry":
                move.show_reset_to_draft_button = False
        return res
