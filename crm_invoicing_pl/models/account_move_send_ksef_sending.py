"""The sending wizard's KSeF step, one invoice at a time, with retries.

See ``account_move_ksef_sending.py``: l10n_pl_edi's step is run for each KSeF
invoice on its own, inside a ``ksef_exchange()`` block, so that what went
wrong for that invoice (KSeF busy, no answer, ...) is known and recorded on
it; a retry-pending invoice is looked for in KSeF before it is sent again.
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
        def to_send(move, move_data):
            return "pl_ksef" in move_data.get("extra_edis", ()) and (
                move.l10n_pl_edi_status in (False, "retry")
            )

        ksef = {
            move: data for move, data in invoices_data.items() if to_send(move, data)
        }
        others = {
            move: data for move, data in invoices_data.items() if move not in ksef
        }
        result = None
        if others:
            result = super()._call_web_service_before_invoice_pdf_render(others)
        for move, move_data in ksef.items():
            retrying = move.l10n_pl_edi_status == "retry"
            if retrying and not move._pl_ksef_prepare_retry(move_data):
                continue
            with ksef_exchange() as exchange:
                super()._call_web_service_before_invoice_pdf_render({move: move_data})
            move._pl_ksef_after_attempt(move_data, exchange, retrying=retrying)
        return result
