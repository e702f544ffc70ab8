"""Upward correction invoices from Odoo's debit note wizard.

A debit note of a posted Polish customer invoice is a correction invoice
(faktura korygująca) raising its amounts (art. 106j ust. 1 pkt 5 of the VAT
Act): the wizard gives it the correction document type (its series), the
reason (FA(3) PrzyczynaKorekty; optional since 2021, a draft without one
shows a warning), as the reversal wizard does for a decrease
(account_move_reversal.py). See models/account_move.py.
"""

from odoo import api, fields, models


class AccountDebitNote(models.TransientModel):
    _inherit = "account.debit.note"

    pl_correction = fields.Boolean(
        string="Polish Correction Invoice", compute="_compute_pl_correction"
    )

    @api.depends("move_ids")
    def _compute_pl_correction(self):
        for wizard in self:
            wizard.pl_correction = any(
                move._pl_offers_corrections() for move in wizard.move_ids
            )

    @api.model
    def default_get(self, fields):
        # EXTENDS account_debit_note: refused up front, not after the form,
        # in the words of the suite before Odoo's own checks.
        if self.env.context.get("active_model") == "account.move":
            self.env["account.move"].browse(
                self.env.context.get("active_ids", [])
            )._pl_check_upward_correction_allowed()
        return super().default_get(fields)

    def _prepare_default_values(self, move):
        values = super()._prepare_default_values(move)
        if move.pl_document_type_id:
            correction_type = self.env["pl.document.type"]._default_for(
                move.company_id, "out_refund"
            )
            values.update(
                {
                    "pl_document_type_id": correction_type.id,
                    "pl_correction_reason": self.reason,
                }
            )
            if correction_type.journal_id and not self.journal_id:
                values["journal_id"] = correction_type.journal_id.id
        return values

    def create_debit(self):
        # Refused here too: the wizard is also reached without default_get.
        self.move_ids._pl_check_upward_correction_allowed()
        before = self.move_ids.debit_note_ids
        action = super().create_debit()
        self.move_ids.invalidate_recordset(["debit_note_ids"])
        moves = self.move_ids.debit_note_ids - before
        # The deductions of the advances stay on the final invoice: an upward
        # correction raises the goods, it deducts no advance again.
        moves.filtered("pl_document_type_id").invoice_line_ids.filtered(
            "is_downpayment"
        ).unlink()
        if len(moves) == 1 and moves.pl_document_type_id:
            action["name"] = self.env._("Correction Invoice (Increase)")
        return action
