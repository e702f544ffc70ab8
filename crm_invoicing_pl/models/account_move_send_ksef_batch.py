"""The KSeF step of a sending of many invoices: batch sessions.

When one sending hands KSeF at least the company's threshold of invoices
(``res.company.pl_ksef_batch_threshold``; the invoice list's *Send to KSeF*,
Odoo's sending in the background, the KSeF cron's retries), they go in batch
sessions (``pl.ksef.batch``; at most 10 000 invoices and 50 parts of 100 MB
a session, more sessions when needed) instead of one at a time; fewer go one
at a time as before (``account_move_send_ksef_sending.py``). The invoices
are checked against the FA(3) schema as for one sent alone; one that fails
gets its reason and the others go on. Invoices issued offline keep going one
at a time.
"""

# KSeF batch sessions are a concern of their own.
# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import ksef_batch
from .account_move_ksef_offline import OFFLINE_MODES
from .ksef_api_service import _failure


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _pl_ksef_send_batches(self, ksef):
        """Send in batch sessions what reaches a company's threshold.

        ``ksef``: the invoices KSeF gets in this sending, with their sending
        data; returns those left to send one at a time.
        """
        left = {}
        moves = self.env["account.move"].union(*ksef)
        for company, company_moves in moves.grouped("company_id").items():
            threshold = company.pl_ksef_batch_threshold
            batchable = company_moves.filtered(
                lambda move: move.pl_ksef_issue_mode not in OFFLINE_MODES
            )
            if threshold <= 0 or len(batchable) < threshold:
                batchable = company_moves.browse()
            left.update({move: ksef[move] for move in company_moves - batchable})
            if batchable:
                # Who sends was checked before (_pl_ksef_hold_for_author, the
                # actions); rendered and sent as the superuser, as one at a
                # time: the company's KSeF tokens are for administrators only.
                self.sudo()._pl_ksef_send_batch(
                    company.sudo(),
                    batchable.sudo(),
                    {move: ksef[move] for move in batchable},
                )
        return left

    def _pl_ksef_batch_error(self, moves, invoices_data, text, title=None):
        for move in moves:
            invoices_data[move]["error"] = {
                "error_title": title
                or self.env._("Error when sending invoices to KSeF"),
                "errors": [text],
            }

    @api.model
    def _pl_ksef_send_batch(self, company, moves, invoices_data):
        try:
            self.env["res.company"]._with_locked_records(moves)
        except UserError as error:
            self._pl_ksef_batch_error(moves, invoices_data, str(error.args[0]))
            return
        today = fields.Date.context_today(self)
        ready, files = self.env["account.move"], []
        for move in moves:
            move_data = invoices_data[move]
            if move.l10n_pl_edi_status == "retry" and not move._pl_ksef_prepare_retry(
                move_data
            ):
                continue
            if move.invoice_date > today:
                self._pl_ksef_batch_error(
                    move,
                    invoices_data,
                    self.env._(
                        "%s is dated in the future: it is not sent yet.",
                        move.display_name,
                    ),
                )
                continue
            try:
                if reason := move._pl_ksef_not_applicable_reason():
                    raise UserError(reason)
                xml = move._l10n_pl_edi_render_xml().encode()
                move._pl_ksef_check_xml(xml)
            except UserError as error:
                self._pl_ksef_batch_error(
                    move,
                    invoices_data,
                    str(error.args[0]),
                    title=self.env._("The invoice cannot be sent to KSeF"),
                )
                continue
            # Linked to the invoice by _link_invoice_documents, as l10n_pl_edi.
            move_data["l10n_pl_edi_attachment_file"] = xml
            ready |= move
            files.append((move._pl_ksef_batch_file_name(), xml))
        batches = self.env["pl.ksef.batch"]
        plan = ksef_batch.plan_sessions([(name, len(xml)) for name, xml in files])
        for indexes in plan:
            session_moves = ready.browse([ready[i].id for i in indexes])
            try:
                batches._pl_open(company, session_moves, [files[i] for i in indexes])
                # KSeF cancelled the session at once: their XML never got there.
                released = session_moves.filtered(
                    lambda move: move.l10n_pl_edi_status == "retry"
                )
                for move in released:
                    invoices_data[move].pop("l10n_pl_edi_attachment_file", None)
            except UserError as error:
                failure = _failure(error, "open")
                if failure["kind"] == "error":
                    self._pl_ksef_batch_error(
                        session_moves, invoices_data, str(error.args[0])
                    )
                else:
                    for move in session_moves:
                        move._pl_ksef_record_failure(failure)
                for move in session_moves:
                    invoices_data[move].pop("l10n_pl_edi_attachment_file", None)
