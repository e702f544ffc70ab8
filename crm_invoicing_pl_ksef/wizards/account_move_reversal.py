from odoo import fields, models

from ..models.account_move import CORRECTION_TYPES


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    pl_correction_type = fields.Selection(
        CORRECTION_TYPES,
        string="Correction Effect",
        default="2",
        help="When the correction counts in the VAT records (TypKorekty of the "
        "KSeF invoice); can be changed on the correction until it is posted.",
    )

    def _prepare_default_reversal(self, move):
        values = super()._prepare_default_reversal(move)
        if move.pl_document_type_id and self.pl_correction_type:
            values["pl_correction_type"] = self.pl_correction_type
        return values
