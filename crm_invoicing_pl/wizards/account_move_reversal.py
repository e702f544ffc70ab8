from odoo import api, fields, models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    pl_correction = fields.Boolean(
        string="Polish Correction Invoice", compute="_compute_pl_correction"
    )

    @api.depends("move_ids")
    def _compute_pl_correction(self):
        # The wizard makes correction invoices (decrease) of Polish invoices:
        # its button says so.
        for wizard in self:
            wizard.pl_correction = any(
                move._pl_offers_corrections() for move in wizard.move_ids
            )

    def _prepare_default_reversal(self, move):
        move._pl_check_reversal_allowed()
        values = super()._prepare_default_reversal(move)
        if move.pl_document_type_id:
            values["pl_correction_reason"] = self.reason
            values["pl_document_type_id"] = (
                self.env["pl.document.type"]
                ._default_for(move.company_id, "out_refund")
                .id
            )
        return values
