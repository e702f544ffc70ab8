"""The correction type of FA(3) (TypKorekty) of an upward correction made
with Odoo's debit note wizard, as the reversal wizard gives it to a
decrease (account_move_reversal.py)."""

from odoo import fields, models

from ..models.account_move import CORRECTION_TYPES


class AccountDebitNote(models.TransientModel):
    _inherit = "account.debit.note"

    pl_correction_type = fields.Selection(
        CORRECTION_TYPES,
        string="Correction Effect",
        default="2",
        help="When the correction counts in the VAT records (TypKorekty of the "
        "KSeF invoice): on the date of this correction when its cause arose "
        "after the sale, e.g. a price raised (art. 29a ust. 17), on the date "
        "of the corrected invoice for a mistake in it; can be changed on the "
        "correction until it is posted.",
    )

    def _prepare_default_values(self, move):
        values = super()._prepare_default_values(move)
        if move.pl_document_type_id:
            values["pl_correction_type"] = self.pl_correction_type or "2"
        return values
