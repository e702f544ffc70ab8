"""Upward corrections of the documents of an offer (crm_invoicing_pl's
wizards/account_debit_note.py): they stay in its document chain, and deduct
no advance again."""

from odoo import models


class AccountDebitNote(models.TransientModel):
    _inherit = "account.debit.note"

    def _prepare_default_values(self, move):
        values = super()._prepare_default_values(move)
        if move.pl_document_type_id and move.pl_sale_order_id:
            # A correction stays in the document chain of its offer.
            values["pl_sale_order_id"] = move.pl_sale_order_id.id
        return values

    def create_debit(self):
        before = self.move_ids.debit_note_ids
        action = super().create_debit()
        self.move_ids.invalidate_recordset(["debit_note_ids"])
        moves = self.move_ids.debit_note_ids - before
        # The deductions of the advances of an order stay on its final invoice
        # too (see models/sale_order_line.py, which counts every out_invoice
        # line).
        moves.filtered("pl_document_type_id").invoice_line_ids.filtered(
            lambda line: any(line.sale_line_ids.mapped("is_downpayment"))
        ).unlink()
        return action
