"""KSeF verification code (KOD I) on the Polish invoice printouts.

The QR code encodes the verification link of the FA(3) file exactly as sent
to KSeF (``l10n_pl_edi`` keeps it as the move's ``l10n_pl_edi_attachment_id``;
while the invoice is being sent, the sending passes it in the context
``pl_ksef_sent_xml``, see ``account_move_send_ksef_qr.py``). Under the code:
the KSeF number once assigned, "OFFLINE" until then. The link itself is built
by ``tools/ksef_qr.py``; the template is ``report/report_pl_invoice_ksef_qr.xml``.
"""

# The KSeF printout block is a concern of its own.
# pylint: disable=consider-merging-classes-inherited

import base64

from odoo import models
from odoo.exceptions import UserError

from ..tools import ksef_qr

# Pixels of the PNG; printed about 32 mm wide.
QR_SIZE = 240


class AccountMove(models.Model):
    _inherit = "account.move"

    def _pl_ksef_environment(self):
        """The KSeF environment l10n_pl_edi talks to: prod, demo or test."""
        mode = (
            self.env["ir.config_parameter"].sudo().get_param("l10n_pl_edi_ksef.mode")
            or "prod"
        )
        # Like l10n_pl_edi's KsefApiService: anything but prod is not production.
        return mode if mode in ksef_qr.QR_BASES else "test"

    def _pl_ksef_sent_xml(self):
        """The FA(3) file sent to KSeF (bytes), or b"" when none was sent."""
        self.ensure_one()
        being_sent = self.env.context.get("pl_ksef_sent_xml") or {}
        if being_sent.get(self.id):
            return being_sent[self.id]
        return self.sudo().l10n_pl_edi_attachment_id.raw or b""

    def _pl_ksef_qr_link(self):
        """The KOD I link of the sent FA(3) file, or False (none sent)."""
        self.ensure_one()
        xml = self._pl_ksef_sent_xml()
        if not xml or self.l10n_pl_edi_status == "rejected":
            return False
        try:
            return ksef_qr.invoice_link(xml, self._pl_ksef_environment())
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The KSeF verification code of %(document)s cannot be "
                    "printed: the FA(3) file sent to KSeF is unusable (%(error)s).",
                    document=self.display_name,
                    error=error,
                )
            ) from error

    def _pl_ksef_qr_values(self):
        """The KSeF block of the printout, or False when it has none.

        Only issued documents to which KSeF applies (never a pro forma), of a
        company that uses KSeF or once the document went there.
        """
        self.ensure_one()
        if self.state != "posted" or not self._pl_ksef_applicable():
            return False
        link = self._pl_ksef_qr_link()
        if not (
            link
            or self.l10n_pl_edi_number
            or self.company_id.sudo().l10n_pl_edi_register
        ):
            return False
        image = False
        if link:
            png = self.env["ir.actions.report"].barcode(
                "QR", link, width=QR_SIZE, height=QR_SIZE, barLevel="M"
            )
            image = "data:image/png;base64," + base64.b64encode(png).decode()
        return {
            "link": link,
            "image": image,
            "label": ksef_qr.label(self.l10n_pl_edi_number),
        }
