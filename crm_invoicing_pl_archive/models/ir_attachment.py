from odoo import api, models
from odoo.exceptions import UserError


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_pl_archived_pdf(self):
        """The archived PDF of a posted Polish document is kept.

        (With the restrictive audit trail Odoo detaches it instead of
        deleting it; resetting the document to draft detaches it too.)
        """
        pdfs = self.filtered(
            lambda a: (
                a.res_model == "account.move"
                and a.res_id
                and a.res_field == "invoice_pdf_report_file"
            )
        )
        if not pdfs:
            return
        moves = (
            self.env["account.move"]
            .sudo()
            .browse(pdfs.mapped("res_id"))
            .exists()
            .filtered(lambda m: m.state == "posted" and m.pl_document_type_id)
        )
        if moves:
            raise UserError(
                self.env._(
                    "The archived PDF of a posted document is kept for the "
                    "retention period and cannot be deleted: %s",
                    ", ".join(moves.mapped("name")),
                )
            )
