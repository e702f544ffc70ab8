"""KSeF in Odoo's sending wizard, by concern (the sections of the class below).

The sending wizard's KSeF step, one invoice at a time, with retries.

See ``models/account_move.py``: l10n_pl_edi's step is run for each KSeF
invoice on its own (a sending of at least the company's batch threshold goes
in batch sessions instead: below), inside a
``ksef_exchange()`` block, so that what went wrong for that invoice (KSeF
busy, no answer, ...) is known and recorded on it; a retry-pending invoice is
looked for in KSeF before it is sent again.

Who sends decides first: a user who may not send to KSeF (a salesman) sends
the rest of the sending (the e-mail) without KSeF, also when Odoo's batch
sending runs it in the background for him (``author_user_id``), and the
document's chatter says so. An invoicing user's KSeF step then runs as the
superuser, as the invoice list's sending does: the company's KSeF tokens are
fields of administrators only.

The KSeF option of the sending wizard in the user's language.

l10n_pl_edi's label and help of its sending option are code terms of
l10n_pl_edi, which ships no Polish translation; Odoo reads a module's code
terms only from that module's own ``i18n`` files. Ours, translated in our
catalogue, replace them.

The KSeF step of a sending of many invoices: batch sessions.

When one sending hands KSeF at least the company's threshold of invoices
(``res.company.pl_ksef_batch_threshold``; the invoice list's *Send to KSeF*,
Odoo's sending in the background, the KSeF cron's retries), they go in batch
sessions (``pl.ksef.batch``; at most 10 000 invoices and 50 parts of 100 MB
a session, more sessions when needed) instead of one at a time; fewer go one
at a time as before (below). The invoices
are checked against the FA(3) schema as for one sent alone; one that fails
gets its reason and the others go on. Invoices issued offline keep going one
at a time.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import ksef_batch
from .account_move import OFFLINE_MODES
from .ksef_api_service import _failure, ksef_exchange


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    # ------------------------------------------------------------------
    # KSeF in the sending wizard: never a pro forma, the schema checked first
    # ------------------------------------------------------------------
    def _get_all_extra_edis(self):
        # EXTENDS l10n_pl_edi: KSeF never applies to a pro forma; the label
        # and help of the option are ours (l10n_pl_edi's are code terms it
        # does not translate).
        res = super()._get_all_extra_edis()
        if "pl_ksef" in res:
            is_applicable = res["pl_ksef"]["is_applicable"]
            res["pl_ksef"]["is_applicable"] = lambda move: (
                move._pl_ksef_applicable() and is_applicable(move)
            )
            res["pl_ksef"]["label"] = self.env._("by KSeF (e-Faktura)")
            res["pl_ksef"]["help"] = self.env._(
                "Send the electronic invoice to the Polish National e-Invoicing "
                "System (KSeF)."
            )
        return res

    @api.model
    def _get_move_constraints(self, move):
        # EXTENDS account
        constraints = super()._get_move_constraints(move)
        if move.pl_document_kind == "proforma":
            # First, so that it is the message the user sees.
            constraints = {
                "pl_proforma": self.env._(
                    "%s is a pro forma: it is not an invoice, it is sent by e-mail "
                    "from its own button and never to KSeF.",
                    move.display_name,
                ),
                **constraints,
            }
        return constraints

    @api.model
    def _pl_ksef_goes_out(self, move, move_data):
        """Whether this sending would hand ``move`` to KSeF."""
        return "pl_ksef" in (move_data.get("extra_edis") or ()) and (
            move.l10n_pl_edi_status in (False, "retry")
        )

    def _get_alerts(self, moves, moves_data):
        # EXTENDS l10n_pl_edi: show, in the sending wizard, why the KSeF XML of
        # a document would be refused (sending stays blocked: danger), and
        # that a user who may not send to KSeF sends without it (warning);
        # printing or sending an offline invoice whose printout cannot carry
        # KOD II says so (a warning: it is not refused).
        alerts = super()._get_alerts(moves, moves_data)
        for move in moves.filtered("pl_ksef_offline_warning"):
            alerts[f"crm_invoicing_pl_ksef_offline_{move.id}"] = {
                "level": "warning",
                "message": move.pl_ksef_offline_warning,
            }
        if not self.env["account.move"]._pl_ksef_user_may_send(self.env.user):
            if held := moves.filtered(
                lambda move: self._pl_ksef_goes_out(move, moves_data[move])
            ):
                alerts["crm_invoicing_pl_ksef_not_allowed"] = {
                    "level": "warning",
                    "message": self.env._(
                        "Only invoicing users send documents to KSeF: %s will be "
                        "sent without KSeF, an invoicing user sends it to KSeF.",
                        ", ".join(held.mapped("display_name")),
                    ),
                }
            return alerts
        for move in moves:
            if "pl_ksef" not in (moves_data[move].get("extra_edis") or ()) or (
                move.l10n_pl_edi_status or move.state != "posted"
            ):
                continue
            try:
                move._pl_ksef_check_xml()
            except UserError as error:
                alerts[f"crm_invoicing_pl_ksef_schema_{move.id}"] = {
                    "level": "danger",
                    "message": str(error.args[0]),
                }
        return alerts

    @api.model
    def _pl_ksef_web_service(self, invoices_data):
        """l10n_pl_edi's step for ``invoices_data``: nothing reaches KSeF that
        is a pro forma or whose FA(3) XML does not match the schema; those
        documents get the reason as their error (shown to the user) and are
        left out of the sending. The XML checked is the one sent: l10n_pl_edi
        does not render it a second time."""
        rendered = {}
        for move, move_data in invoices_data.items():
            if "pl_ksef" not in move_data.get("extra_edis", ()) or (
                move.l10n_pl_edi_status
            ):
                continue
            try:
                if reason := move._pl_ksef_not_applicable_reason():
                    raise UserError(reason)
                xml = move._l10n_pl_edi_render_xml()
                move._pl_ksef_check_xml(xml)
                rendered[move.id] = xml
            except UserError as error:
                move_data["error"] = {
                    "error_title": self.env._("The invoice cannot be sent to KSeF"),
                    "errors": [str(error.args[0])],
                }
                move_data["extra_edis"] = set(move_data["extra_edis"]) - {"pl_ksef"}
        valid = {
            move: move_data
            for move, move_data in invoices_data.items()
            if not move_data.get("error")
        }
        if not valid:
            return None
        return super(
            AccountMoveSend, self.with_context(pl_ksef_rendered_xml=rendered)
        )._call_web_service_before_invoice_pdf_render(valid)

    # ------------------------------------------------------------------
    # The printout made while sending carries the sent file's code
    # ------------------------------------------------------------------
    @api.model
    def _prepare_invoice_pdf_report(self, invoices_data):
        # EXTENDS account: the PDF made while sending is rendered before
        # l10n_pl_edi attaches the FA(3) file just sent to KSeF; give that
        # file to the printout so that it carries its verification code.
        sent = {
            move.id: data["l10n_pl_edi_attachment_file"]
            for move, data in invoices_data.items()
            if data.get("l10n_pl_edi_attachment_file")
        }
        return super(
            AccountMoveSend, self.with_context(pl_ksef_sent_xml=sent)
        )._prepare_invoice_pdf_report(invoices_data)

    # ------------------------------------------------------------------
    # One invoice at a time, with retries
    # ------------------------------------------------------------------
    @api.model
    def _call_web_service_before_invoice_pdf_render(self, invoices_data):
        # EXTENDS l10n_pl_edi: see the module's description.
        self._pl_ksef_hold_for_author(invoices_data)
        ksef = {
            move: data
            for move, data in invoices_data.items()
            if self._pl_ksef_goes_out(move, data)
        }
        others = {
            move: data for move, data in invoices_data.items() if move not in ksef
        }
        # Many invoices of a company at once: batch sessions
        # (_pl_ksef_send_batches); the others one at a time.
        ksef = self._pl_ksef_send_batches(ksef) if ksef else ksef
        result = None
        if others:
            result = self._pl_ksef_web_service(others)
        for move, move_data in ksef.items():
            # l10n_pl_edi commits after each invoice, which empties the ORM
            # cache: read with the other invoices' ids, each invoice would
            # have its computed fields (the tax totals of its XML) computed
            # again for all of them, each time (quadratic in the sending).
            move = move.with_prefetch()
            retrying = move.l10n_pl_edi_status == "retry"
            if retrying and not move._pl_ksef_prepare_retry(move_data):
                continue
            # The sender may send (checked above); the company's KSeF tokens
            # are fields of administrators only.
            with ksef_exchange() as exchange:
                self.sudo()._pl_ksef_web_service({move: move_data})
            move._pl_ksef_after_attempt(move_data, exchange, retrying=retrying)
        return result

    @api.model
    def _pl_ksef_hold_for_author(self, invoices_data):
        """Leave KSeF out for documents whose sender may not send to KSeF."""
        users = self.env["res.users"]
        for move, move_data in invoices_data.items():
            author = users.browse(move_data.get("author_user_id")) or self.env.user
            if self._pl_ksef_goes_out(move, move_data) and not (
                move._pl_ksef_user_may_send(author)
            ):
                move_data["extra_edis"] = set(move_data["extra_edis"]) - {"pl_ksef"}
                move.message_post(
                    body=self.env._(
                        "Not sent to KSeF: %s is not an invoicing user; an "
                        "invoicing user sends the document to KSeF.",
                        author.name,
                    )
                )

    # ------------------------------------------------------------------
    # Batch sessions
    # ------------------------------------------------------------------
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
