"""An invoice sent to KSeF in a batch session (``pl.ksef.batch``).

From the opening of the session until KSeF has processed it, the invoice is
*Sent* with the session's reference and no invoice reference: KSeF names
its invoices only once it has processed the package. Its status is then
written as for an invoice sent alone: *Accepted* with the KSeF number, the
reference and the UPO, or *Rejected* with KSeF's code and reason (only those
are corrected and sent again); an invoice of a session KSeF cancelled is
*Retry Pending* and goes out again in a new session.
"""

# KSeF batch sessions are a concern of their own.
# pylint: disable=consider-merging-classes-inherited

import re

from odoo import api, fields, models

NAME_UNSAFE = re.compile(r"[^\w.-]+")


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_ksef_batch_id = fields.Many2one(
        "pl.ksef.batch",
        string="KSeF Batch Session",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def _pl_ksef_batch_file_name(self):
        """The invoice's file name in a batch package (unique, at most 128).

        KSeF reports each invoice of a batch by this name. It never changes
        while the invoice waits for KSeF: a sent invoice keeps its number.
        """
        self.ensure_one()
        stem = NAME_UNSAFE.sub("_", self.name or "")[:100]
        return f"{stem}-{self.id}.xml"

    def _pl_ksef_batch_result(self, entry):
        """Write KSeF's status of the invoice in its processed batch session."""
        self.ensure_one()
        status = entry.get("status") or {}
        code = status.get("code")
        vals = {"l10n_pl_edi_ref": entry.get("referenceNumber")}
        if code in (100, 150):
            # Not decided yet: l10n_pl_edi's status cron asks for it by its
            # reference, as for an invoice sent alone.
            self.write(vals)
            return
        if code == 200:
            message = self._l10n_pl_edi_get_status_mapping()[200][1]
            vals.update(
                {
                    "l10n_pl_edi_status": "accepted",
                    "l10n_pl_edi_number": entry.get("ksefNumber"),
                    "l10n_pl_edi_header": message,
                    "pl_ksef_attempts": 0,
                    "pl_ksef_error_code": False,
                }
            )
        else:
            message = self._pl_ksef_rejection_text(status)
            vals.update(
                {
                    "l10n_pl_edi_status": "rejected",
                    "l10n_pl_edi_header": message,
                    "pl_ksef_error_code": code,
                }
            )
        self.write(vals)
        self.with_context(no_new_invoice=True).sudo().message_post(body=message)
        if code == 200:
            self.action_l10n_pl_edi_get_invoice_UPO()

    def _pl_ksef_batch_release(self, reason):
        """Not in KSeF after all: to be sent again (retry pending).

        The XML attached at the sending never reached KSeF: it goes, the one
        sent next is attached instead.
        """
        failure = {
            "kind": "error",
            "http_status": None,
            "retry_after": None,
            "maybe_received": False,
            "reason": reason,
        }
        for move in self:
            move.write(
                {
                    "l10n_pl_edi_status": "retry",
                    "l10n_pl_edi_session_id": False,
                    "l10n_pl_edi_ref": False,
                    "l10n_pl_edi_attachment_file": False,
                }
            )
            move._pl_ksef_record_failure(failure)

    def _pl_ksef_in_open_batch(self):
        """Whether the invoice waits for its batch session to be processed."""
        self.ensure_one()
        return bool(
            self.pl_ksef_batch_id
            and self.l10n_pl_edi_status == "sent"
            and not self.l10n_pl_edi_ref
        )

    def action_l10n_pl_edi_update_invoice_status(self):
        # EXTENDS crm_invoicing_pl (account_move_ksef_sending.py): an invoice
        # of a batch session has its status once the session is processed.
        if self._pl_ksef_in_open_batch():
            if not self.env.context.get("pl_ksef_batches_advanced"):
                self._pl_ksef_check_may_send()
                self.pl_ksef_batch_id.sudo()._pl_advance()
            if self._pl_ksef_in_open_batch():
                return {"type": "ir.actions.client", "tag": "reload"}
        return super().action_l10n_pl_edi_update_invoice_status()

    @api.model
    def _cron_l10n_pl_edi_check_invoice_status(self):
        # EXTENDS crm_invoicing_pl: the company's batch sessions first.
        self.env["pl.ksef.batch"].sudo().search(
            [
                ("company_id", "=", self.env.company.id),
                ("state", "in", ("open", "closed")),
            ]
        )._pl_advance()
        return super(
            AccountMove, self.with_context(pl_ksef_batches_advanced=True)
        )._cron_l10n_pl_edi_check_invoice_status()
