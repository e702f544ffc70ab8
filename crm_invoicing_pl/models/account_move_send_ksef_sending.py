"""The sending wizard's KSeF step, one invoice at a time, with retries.

See ``account_move_ksef_sending.py``: l10n_pl_edi's step is run for each KSeF
invoice on its own (a sending of at least the company's batch threshold goes
in batch sessions instead: ``account_move_send_ksef_batch.py``), inside a
``ksef_exchange()`` block, so that what went wrong for that invoice (KSeF
busy, no answer, ...) is known and recorded on it; a retry-pending invoice is
looked for in KSeF before it is sent again.

Who sends decides first: a user who may not send to KSeF (a salesman) sends
the rest of the sending (the e-mail) without KSeF, also when Odoo's batch
sending runs it in the background for him (``author_user_id``), and the
document's chatter says so. An invoicing user's KSeF step then runs as the
superuser, as the invoice list's sending does: the company's KSeF tokens are
fields of administrators only.
"""

# KSeF sending is a concern of its own.
# pylint: disable=consider-merging-classes-inherited

from odoo import api, models

from .ksef_api_service import ksef_exchange


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _call_web_service_before_invoice_pdf_render(self, invoices_data):
        # EXTENDS l10n_pl_edi
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
        # (account_move_send_ksef_batch.py); the others one at a time.
        ksef = self._pl_ksef_send_batches(ksef) if ksef else ksef
        result = None
        if others:
            result = super()._call_web_service_before_invoice_pdf_render(others)
        for move, move_data in ksef.items():
            retrying = move.l10n_pl_edi_status == "retry"
            if retrying and not move._pl_ksef_prepare_retry(move_data):
                continue
            # The sender may send (checked above); the company's KSeF tokens
            # are fields of administrators only.
            with ksef_exchange() as exchange:
                super(
                    AccountMoveSend, self.sudo()
                )._call_web_service_before_invoice_pdf_render({move: move_data})
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
