"""Offline invoices: their FA(3) file fixed at issue, KOD II on the printout.

An invoice issued offline (offline24 mode, art. 106nda; KSeF unavailability,
art. 106nh; failure mode, art. 106nf) is issued as an FA(3) file and handed
over before KSeF has it; it is sent later and must be that very file: KOD I
on the printout is the hash of it. Its file is therefore rendered when it is
posted (or switched to an offline mode) and kept as
``pl_ksef_offline_file``; KOD I is built from it until the file is sent, and
the sending sends it byte for byte.

Any invoice handed over before KSeF gives its number is an offline invoice
(art. 106nda, corrections-2026-12.md): besides KOD I (labelled OFFLINE) its
printout carries KOD II ("CERTYFIKAT"), the link to the issuer's KSeF
offline certificate signed with its private key (``tools/ksef_qr_offline``).
So KOD II is printed on an invoice in an offline mode, and on any invoice
printed with its FA(3) file but without its KSeF number (e.g. the PDF mailed
while it is being sent); an online invoice with its KSeF number has none.
Without a usable offline certificate only KOD I is printed and the form
warns: the invoice is not refused.
"""

# Offline invoices are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import ksef_qr, ksef_qr_offline
from .account_move_ksef_qr import QR_SIZE

OFFLINE_MODES = ("offline24", "unavailable", "failure")
KSEF_ISSUE_MODES = [
    ("online", "Online"),
    ("offline24", "Offline24 mode (art. 106nda)"),
    ("unavailable", "KSeF unavailability mode (art. 106nh)"),
    ("failure", "KSeF failure mode (art. 106nf)"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_ksef_issue_mode = fields.Selection(
        KSEF_ISSUE_MODES,
        string="KSeF Issue Mode",
        default="online",
        required=True,
        copy=False,
        help="How the invoice was issued when KSeF could not give its number "
        "at once: offline24 mode (art. 106nda), the KSeF unavailability mode "
        "announced by the Minister of Finance (art. 106nh) or the failure mode "
        "(art. 106nf). Until the KSeF number comes, the JPK_V7 row carries DI "
        "(offline24, unavailability) or OFF (failure mode).",
    )
    pl_ksef_offline_file = fields.Binary(
        string="FA(3) File Issued Offline",
        attachment=True,
        readonly=True,
        copy=False,
        help="The FA(3) file of an invoice issued offline, as handed over: it "
        "is the file sent to KSeF later, and its hash is printed in the "
        "verification codes.",
    )
    pl_ksef_offline_warning = fields.Char(
        string="KOD II Missing",
        compute="_compute_pl_ksef_offline_warning",
    )

    # ------------------------------------------------------------------
    # The file issued offline
    # ------------------------------------------------------------------
    def _pl_ksef_offline_to_freeze(self):
        return self.filtered(
            lambda m: (
                m.state == "posted"
                and m.pl_ksef_issue_mode in OFFLINE_MODES
                and m.move_type in ("out_invoice", "out_refund")
                and not m.pl_ksef_offline_file
                and not m.l10n_pl_edi_status
                and m.company_id.sudo().l10n_pl_edi_register
                and m._pl_ksef_applicable()
            )
        )

    def _pl_ksef_offline_freeze(self):
        """Render and keep the FA(3) file of the offline invoices of ``self``."""
        for move in self._pl_ksef_offline_to_freeze():
            xml = move._l10n_pl_edi_render_xml().encode()
            move.pl_ksef_offline_file = base64.b64encode(xml)

    def _pl_ksef_offline_xml(self):
        """The FA(3) file issued offline (bytes), or b""."""
        self.ensure_one()
        if self.state != "posted" or not self.pl_ksef_offline_file:
            return b""
        return base64.b64decode(self.with_context(bin_size=False).pl_ksef_offline_file)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._pl_ksef_offline_freeze()
        return posted

    def write(self, vals):
        if vals.get("state") == "draft":
            # Back to draft (only possible before KSeF has it): issued again.
            vals = dict(vals, pl_ksef_offline_file=False)
        res = super().write(vals)
        if vals.get("pl_ksef_issue_mode") in OFFLINE_MODES:
            self._pl_ksef_offline_freeze()
        return res

    def _l10n_pl_edi_render_xml(self):
        # EXTENDS crm_invoicing_pl (account_move_ksef.py): an invoice issued
        # offline is sent as the file handed over, never rendered again.
        xml = self._pl_ksef_offline_xml()
        if xml:
            return xml.decode()
        return super()._l10n_pl_edi_render_xml()

    def _pl_ksef_sent_xml(self):
        # EXTENDS account_move_ksef_qr.py: until it is sent, the codes of an
        # offline invoice are those of its file as issued.
        return super()._pl_ksef_sent_xml() or self._pl_ksef_offline_xml()

    # ------------------------------------------------------------------
    # KOD II
    # ------------------------------------------------------------------
    def _pl_ksef_certificate_code_due(self):
        """Whether the printout needs KOD II: an invoice in an offline mode,
        or one handed over before its KSeF number exists (art. 106nda)."""
        self.ensure_one()
        return self.pl_ksef_issue_mode in OFFLINE_MODES or not self.l10n_pl_edi_number

    def _pl_ksef_certificate_link(self, invoice_link):
        """The signed KOD II link of the file of KOD I ``invoice_link``."""
        self.ensure_one()
        company = self.company_id
        try:
            seller_nip, _issue_date = ksef_qr.invoice_identity(self._pl_ksef_sent_xml())
            return ksef_qr_offline.certificate_link(
                "Nip",
                company.vat,
                seller_nip,
                company._pl_ksef_offline_serial(),
                invoice_link.rsplit("/", 1)[1],
                company._pl_ksef_offline_private_key(),
                self._pl_ksef_environment(),
            )
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The KSeF certificate code (KOD II) of %(document)s cannot be "
                    "printed: %(error)s.",
                    document=self.display_name,
                    error=error,
                )
            ) from error

    def _pl_ksef_qr_values(self):
        # EXTENDS account_move_ksef_qr.py: KOD II next to KOD I when due and
        # the company has a usable offline certificate.
        values = super()._pl_ksef_qr_values()
        if not values:
            return values
        values["certificate"] = False
        if (
            values["link"]
            and self._pl_ksef_certificate_code_due()
            and not self.company_id._pl_ksef_offline_signing_problem()
        ):
            link = self._pl_ksef_certificate_link(values["link"])
            png = self.env["ir.actions.report"].barcode(
                "QR", link, width=QR_SIZE, height=QR_SIZE, barLevel="M"
            )
            values["certificate"] = {
                "link": link,
                "image": "data:image/png;base64," + base64.b64encode(png).decode(),
                "label": ksef_qr_offline.CERTIFICATE_LABEL,
            }
        return values

    @api.depends(
        "state",
        "move_type",
        "pl_ksef_issue_mode",
        "l10n_pl_edi_number",
        "l10n_pl_edi_status",
        "company_id",
    )
    def _compute_pl_ksef_offline_warning(self):
        # Warned, never refused: the invoice is valid, its printout lacks the
        # code that proves its issuer.
        for move in self:
            warning = False
            if (
                move.state == "posted"
                and move.move_type in ("out_invoice", "out_refund")
                and move.company_id.sudo().l10n_pl_edi_register
                and not move.l10n_pl_edi_number
                and move.l10n_pl_edi_status != "rejected"
                and (
                    move.pl_ksef_issue_mode in OFFLINE_MODES or move.l10n_pl_edi_status
                )
                and move._pl_ksef_applicable()
            ):
                problem = move.company_id._pl_ksef_offline_signing_problem()
                if problem:
                    warning = move.env._(
                        "Handed over before KSeF gives its number, this invoice is an "
                        "offline invoice (art. 106nda) and its printout needs the "
                        "certificate code KOD II, but %s: only KOD I is printed.",
                        problem,
                    )
            move.pl_ksef_offline_warning = warning
