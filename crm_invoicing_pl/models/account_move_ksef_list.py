"""KSeF from the invoice list: status, sending of a selection, UPO and KOD I.

- ``pl_ksef_state``: the KSeF status of the list's badge, l10n_pl_edi's own
  status plus *Not Sent* for an issued document that KSeF still lacks;
- ``action_pl_ksef_send``: "Send to KSeF" for the selected documents. Each
  eligible one is sent by the suite's sending (``_pl_ksef_send_pending``,
  l10n_pl_edi's KSeF step, one KSeF session per company); drafts, documents
  already in KSeF or rejected by it and documents KSeF does not apply to are
  left out and named. The answer is a summary: sent, skipped, not sent;
- ``action_pl_ksef_download_upo`` and ``action_pl_ksef_open_verification``:
  the UPO (KSeF's official receipt) and the verification link of KOD I (the
  QR code of the printout) in one click from a row or the form.

Who may send is decided here, on the server: invoicing users with write
access to the documents (``_pl_ksef_check_may_send``), whatever the client;
Odoo's sending wizard asks the same question (``_pl_ksef_user_may_send``).
"""

# KSeF in the invoice list is a concern of its own.
# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

SENDING_GROUP = "account.group_account_invoice"


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_ksef_state = fields.Selection(
        selection="_selection_pl_ksef_state",
        string="KSeF",
        compute="_compute_pl_ksef_state",
        help="Where the document stands in KSeF. Not Sent: issued, to be sent.",
    )

    @api.model
    def _selection_pl_ksef_state(self):
        status = self._fields["l10n_pl_edi_status"]._description_selection(self.env)
        return [("to_send", self.env._("Not Sent")), *status]

    @api.depends(
        "state",
        "move_type",
        "company_id",
        "partner_id",
        "l10n_pl_edi_status",
        "pl_document_type_id",
    )
    def _compute_pl_ksef_state(self):
        for move in self:
            if move.l10n_pl_edi_status:
                move.pl_ksef_state = move.l10n_pl_edi_status
            elif move.state == "posted" and move._pl_ksef_sendable():
                move.pl_ksef_state = "to_send"
            else:
                move.pl_ksef_state = False

    def _pl_ksef_sendable(self):
        """Whether KSeF applies to this customer document of its company."""
        self.ensure_one()
        is_applicable = self.env["account.move.send"]._get_all_extra_edis()["pl_ksef"][
            "is_applicable"
        ]
        # The company's KSeF registration is read through its certificate,
        # a field of administrators only.
        return self.is_sale_document() and is_applicable(self.sudo())

    # ------------------------------------------------------------------
    # Sending a selection
    # ------------------------------------------------------------------
    @api.model
    def _pl_ksef_user_may_send(self, user):
        """Whether ``user`` may send documents to KSeF (invoicing users)."""
        return user._is_superuser() or user.has_group(SENDING_GROUP)

    def _pl_ksef_check_may_send(self):
        """Refuse users who may not send these documents to KSeF."""
        if not (self.env.su or self._pl_ksef_user_may_send(self.env.user)):
            raise AccessError(
                self.env._("Only invoicing users may send documents to KSeF.")
            )
        self.check_access("write")

    def _pl_ksef_skip_reason(self):
        """Why sending the selection leaves this document out ("" if it does not)."""
        self.ensure_one()
        if self.state != "posted":
            return self.env._(
                "%s is not posted: only issued invoices go to KSeF.", self.display_name
            )
        if not self._pl_ksef_sendable():
            return self._pl_ksef_not_applicable_reason() or self.env._(
                "%s is not sent to KSeF: it is not a customer document of a "
                "company registered in KSeF.",
                self.display_name,
            )
        if self.l10n_pl_edi_status == "accepted":
            return self.env._(
                "%(move)s is already in KSeF (KSeF number %(number)s).",
                move=self.display_name,
                number=self.l10n_pl_edi_number or "-",
            )
        if self.l10n_pl_edi_status == "sent":
            return self.env._(
                "%s is already sent to KSeF and waits for its status.",
                self.display_name,
            )
        if self.l10n_pl_edi_status == "rejected":
            return self.env._(
                "%s was rejected by KSeF: correct it (reset to draft), then send "
                "it again.",
                self.display_name,
            )
        return ""

    def action_pl_ksef_send(self):
        """Send the selected documents to KSeF; a summary of what happened."""
        self._pl_ksef_check_may_send()
        skipped = {move: move._pl_ksef_skip_reason() for move in self}
        moves = self.filtered(lambda move: not skipped[move])
        skipped = {move: reason for move, reason in skipped.items() if reason}
        moves._pl_ksef_prepare_sending_now()
        # Checked above: sent like the sending wizard sends (as superuser:
        # the company's KSeF tokens are fields of administrators only).
        errors = moves.sudo()._pl_ksef_send_pending() if moves else {}
        sender = self.env["account.move.send"]
        failed = {}
        for move in moves:
            if move in errors:
                failed[move] = sender._format_error_text(errors[move])
            elif move.l10n_pl_edi_status not in ("sent", "accepted"):
                # A temporary failure: recorded on the move, retried by the cron.
                failed[move] = html2plaintext(move.l10n_pl_edi_header or "")
        sent = moves.filtered(lambda move: move not in failed)
        return self._pl_ksef_sending_summary(sent, skipped, failed)

    def _pl_ksef_sending_summary(self, sent, skipped, failed):
        """The notification of ``action_pl_ksef_send`` (then the list reloads)."""
        parts = [
            self.env._(
                "Sent to KSeF: %(sent)s, skipped: %(skipped)s, not sent: %(failed)s.",
                sent=len(sent),
                skipped=len(skipped),
                failed=len(failed),
            )
        ]
        parts += [str(reason) for reason in skipped.values()]
        parts += [
            self.env._("%(move)s: %(reason)s", move=move.display_name, reason=reason)
            for move, reason in failed.items()
        ]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Sending to KSeF"),
                "message": " ".join(parts),
                "type": "danger" if failed else "warning" if skipped else "success",
                "sticky": bool(failed or skipped),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # UPO and KOD I
    # ------------------------------------------------------------------
    def action_pl_ksef_download_upo(self):
        """Download the UPO of the accepted invoice (fetched when not stored)."""
        self.ensure_one()
        self.check_access("read")
        if not self.l10n_pl_edi_upo_id:
            # Fetched from KSeF and stored on the invoice.
            self.check_access("write")
            return self.sudo().action_l10n_pl_edi_get_invoice_UPO()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.l10n_pl_edi_upo_id.id}?download=true",
            "target": "download",
        }

    def action_pl_ksef_open_verification(self):
        """Open KSeF's verification page of the invoice (the link of KOD I)."""
        self.ensure_one()
        self.check_access("read")
        link = self._pl_ksef_qr_link()
        if not link:
            raise UserError(
                self.env._(
                    "%s has not been sent to KSeF: it has no verification link.",
                    self.display_name,
                )
            )
        return {"type": "ir.actions.act_url", "url": link, "target": "new"}
