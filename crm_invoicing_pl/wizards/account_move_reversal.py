from odoo import models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    def _prepare_default_reversal(self, move):
        values = super()._prepare_default_reversal(move)
        if move.pl_document_type_id:
            values["pl_correction_reason"] = self.reason
            values["pl_document_type_id"] = (
                self.env["pl.document.type"]
                ._default_for(move.company_id, "out_refund")
                .id
            )
        return values
