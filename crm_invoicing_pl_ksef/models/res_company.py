"""The company's KSeF settings: consumer invoices, batch sessions and the
offline certificate (KOD II of offline invoices).

KSeF issues two types of certificates: *Authentication* (logging in to the
API, l10n_pl_edi's ``l10n_pl_edi_certificate``) and *Offline*, the only one
that may sign the KOD II link of an invoice issued offline (MF, "Kody
weryfikujące QR"; "Certyfikaty KSeF"). The certificate and its private key
are kept in Odoo's ``certificate`` add-on, like l10n_pl_edi's; the serial
number printed in the link is read from the certificate.
"""

import base64

from odoo import api, fields, models

from ..tools import ksef_qr_offline

DEFAULT_BATCH_THRESHOLD = 100


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Consumer (B2C) invoices
    # ------------------------------------------------------------------
    pl_ksef_b2c = fields.Boolean(
        string="Send Consumer Invoices to KSeF",
        help="Invoices to consumers (buyers without a NIP who are not "
        "companies) may be issued in KSeF, but the consumer gets them outside "
        "KSeF (printed or by e-mail). Off (usual practice): they are issued "
        "outside KSeF (BFK in the JPK_V7) and not offered for KSeF sending.",
    )

    # ------------------------------------------------------------------
    # Offline certificate (KOD II)
    # ------------------------------------------------------------------
    pl_ksef_offline_certificate_id = fields.Many2one(
        "certificate.certificate",
        string="KSeF Offline Certificate",
        groups="base.group_system",
        help="The company's KSeF certificate of type Offline, with its private "
        "key: it signs the second QR code (KOD II, CERTYFIKAT) of invoices "
        "issued offline. The Authentication certificate used to log in to "
        "KSeF may not be used for it.",
    )
    pl_ksef_offline_serial = fields.Char(
        string="Offline Certificate Serial Number",
        compute="_compute_pl_ksef_offline_serial",
        groups="base.group_system",
        help="The serial number of the KSeF offline certificate (hexadecimal), "
        "as printed in the KOD II link.",
    )

    @api.depends("pl_ksef_offline_certificate_id.pem_certificate")
    def _compute_pl_ksef_offline_serial(self):
        for company in self:
            company.pl_ksef_offline_serial = company._pl_ksef_offline_serial()

    def _pl_ksef_offline_serial(self):
        """The offline certificate's serial number (hexadecimal), or False."""
        self.ensure_one()
        certificate = self.sudo().pl_ksef_offline_certificate_id
        pem = certificate.with_context(bin_size=False).pem_certificate
        if not pem:
            return False
        return ksef_qr_offline.certificate_serial(base64.b64decode(pem))

    def _pl_ksef_offline_signing_problem(self):
        """Why KOD II cannot be signed ("" when it can), in plain words."""
        self.ensure_one()
        certificate = self.sudo().pl_ksef_offline_certificate_id
        if not certificate:
            return self.env._("the company has no KSeF offline certificate (Settings)")
        if certificate.loading_error or not certificate.pem_certificate:
            return self.env._(
                "the KSeF offline certificate %s cannot be read",
                certificate.display_name,
            )
        pem = base64.b64decode(certificate.with_context(bin_size=False).pem_certificate)
        if not ksef_qr_offline.is_offline_certificate(pem):
            return self.env._(
                "the certificate %s is not a KSeF certificate of type Offline (its "
                "key usage is not Non-Repudiation; the Authentication certificate "
                "may not sign KOD II)",
                certificate.display_name,
            )
        if not certificate.private_key_id or certificate.private_key_id.public:
            return self.env._(
                "the KSeF offline certificate %s has no private key",
                certificate.display_name,
            )
        if not certificate.is_valid:
            return self.env._(
                "the KSeF offline certificate %s is not valid today",
                certificate.display_name,
            )
        return ""

    def _pl_ksef_offline_private_key(self):
        """The loaded private key of the offline certificate."""
        self.ensure_one()
        key = self.sudo().pl_ksef_offline_certificate_id.private_key_id
        return ksef_qr_offline.load_private_key(
            base64.b64decode(key.with_context(bin_size=False).pem_key), key.password
        )

    # ------------------------------------------------------------------
    # Batch sessions
    # ------------------------------------------------------------------
    pl_ksef_batch_threshold = fields.Integer(
        string="KSeF Batch Sending From",
        default=DEFAULT_BATCH_THRESHOLD,
        help="A sending of at least this many invoices of the company (the "
        "invoice list's Send to KSeF, the sending in the background, the "
        "retries) goes to KSeF in one batch session (a ZIP package, up to "
        "10 000 invoices a session) instead of one invoice at a time; 0: "
        "always one at a time.",
    )
