# The KSeF code on the PDF made while sending is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _prepare_invoice_pdf_report(self, invoices_data):
        # EXTENDS account: the PDF made while sending is rendered before
        # l10n_pl_edi attaches the FA(3) file just sent to KSeF; give that
        # file to the printout so that it carries its verification code.
        sent = {
            move.id: data["l10n_pl_edi_attachment_file"]
            for move, data in invoices_data.items()
            if data.get("l10n_pl_edi_attachment_file")
        }
        return super(
            AccountMoveSend, self.with_context(pl_ksef_sent_xml=sent)
        )._prepare_invoice_pdf_report(invoices_data)
