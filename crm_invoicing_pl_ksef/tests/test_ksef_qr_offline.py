"""Offline invoices: the FA(3) file fixed at issue, KOD II on the printout.

Art. 106nda (offline24), 106nh (unavailability) and 106nf (failure mode): an
invoice handed over before KSeF gives its number carries KOD I (OFFLINE) and
KOD II (CERTYFIKAT), the link to the issuer's KSeF offline certificate signed
with its private key (MF, "Kody weryfikujące QR"). The certificate and key
are generated here and stored in Odoo's ``certificate`` add-on; every
signature is checked with the certificate's public key. Nothing leaves the
machine (the KSeF client is the recorder of test_ksef_fa3).
"""

import base64
import datetime
import re

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID
from odoo.addons.crm_invoicing_pl_ksef.tools import ksef_qr
from odoo.tests import freeze_time, tagged

from .test_ksef_qr import KSEF_NUMBER, KsefQrCommon

SERIAL = 0x01F20A5D352AE590
SERIAL_HEX = "01F20A5D352AE590"
NIP = "5260250274"
KEY_PASSWORD = "Offline@2026"


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@freeze_time("2026-11-15 10:00:00")
@tagged("post_install", "-at_install")
class TestKsefQrOffline(KsefQrCommon):
    def _offline_certificate(self, key=None, authentication=False):
        """A self-signed KSeF-like offline certificate (key usage
        Non-Repudiation) with its password-protected private key, stored in
        Odoo's certificate add-on and set on the company."""
        key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, "Offline test"),
                x509.NameAttribute(NameOID.SERIAL_NUMBER, "VATPL-" + NIP),
            ]
        )
        start = datetime.datetime(2026, 1, 1)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(SERIAL)
            .not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=730))
            .add_extension(
                x509.KeyUsage(
                    digital_signature=authentication,
                    content_commitment=not authentication,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        private = self.env["certificate.key"].create(
            {
                "company_id": self.company.id,
                "name": "offline.key",
                "password": KEY_PASSWORD,
                "content": base64.b64encode(
                    key.private_bytes(
                        serialization.Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.BestAvailableEncryption(KEY_PASSWORD.encode()),
                    )
                ),
            }
        )
        record = self.env["certificate.certificate"].create(
            {
                "company_id": self.company.id,
                "name": "offline.pem",
                "content": base64.b64encode(
                    certificate.public_bytes(serialization.Encoding.PEM)
                ),
                "private_key_id": private.id,
            }
        )
        self.company.sudo().pl_ksef_offline_certificate_id = record
        return key.public_key()

    def _offline_invoice(self, mode="offline24"):
        invoice = self.pl_invoice(pl_ksef_issue_mode=mode)
        invoice.action_post()
        return invoice

    def assertCertificateLink(self, link, invoice_link, public_key):
        """``link`` is KOD II of the file of KOD I ``invoice_link``: its parts,
        and its signature checked with ``public_key``."""
        base = "https://qr-test.ksef.mf.gov.pl/certificate/"
        self.assertTrue(link.startswith(base), link)
        parts = link[len(base) :].split("/")
        self.assertEqual(len(parts), 6, link)
        context_type, context, seller, serial, invoice_hash, signature = parts
        self.assertEqual((context_type, context, seller), ("Nip", NIP, NIP))
        self.assertEqual(serial, SERIAL_HEX)
        # The hash is KOD I's: the same FA(3) file.
        self.assertEqual(invoice_hash, invoice_link.rsplit("/", 1)[1])
        self.assertNotIn("=", signature)
        signed = link[len("https://") : -len(signature) - 1].encode()
        signature = b64url_decode(signature)
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(
                signature,
                signed,
                padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
                hashes.SHA256(),
            )
        else:
            # IEEE P1363: r || s, 32 bytes each.
            self.assertEqual(len(signature), 64)
            public_key.verify(
                encode_dss_signature(
                    int.from_bytes(signature[:32], "big"),
                    int.from_bytes(signature[32:], "big"),
                ),
                signed,
                ec.ECDSA(hashes.SHA256()),
            )

    def _html_certificate_image(self, html):
        match = re.search(
            r'class="pl-ksef-qr-certificate"[^>]*src="data:image/png;base64,([^"]+)"',
            html,
        )
        self.assertTrue(match, "no KOD II image in the document")
        return base64.b64decode(match.group(1))

    def test_offline24_invoice_carries_both_codes(self):
        """Art. 106nda: KOD I (OFFLINE) and KOD II (CERTYFIKAT), RSA key."""
        public_key = self._offline_certificate()
        self.assertEqual(self.company.sudo().pl_ksef_offline_serial, SERIAL_HEX)
        invoice = self._offline_invoice()
        # The FA(3) file is fixed at issue: KOD I is its hash, before sending.
        xml = invoice._pl_ksef_offline_xml()
        self.assertTrue(xml.startswith(b"<?xml") or b"<Faktura" in xml)
        self.assertEqual(ksef_qr.invoice_identity(xml), (NIP, "2026-11-15"))
        values = invoice._pl_ksef_qr_values()
        self.assertEqual(values["link"], ksef_qr.invoice_link(xml, "test"))
        self.assertEqual(values["label"], "OFFLINE")
        certificate = values["certificate"]
        self.assertEqual(certificate["label"], "CERTYFIKAT")
        self.assertCertificateLink(certificate["link"], values["link"], public_key)
        self.assertFalse(invoice.pl_ksef_offline_warning)

        html = self._html(invoice)
        self.assertIn('data-ksef-link="%s"' % values["link"], html)
        self.assertIn("CERTYFIKAT", html)
        self.assertIn("OFFLINE", html)
        self.assertQrOf(self._html_qr_image(html), values["link"])
        printed = re.search(r'data-ksef-certificate-link="([^"]+)"', html).group(1)
        self.assertCertificateLink(printed, values["link"], public_key)
        self.assertQrOf(self._html_certificate_image(html), printed)

        # Sent later: exactly the file handed over (KOD I stays true).
        sent = self._send(invoice)
        self.assertEqual(sent, xml)
        self.assertEqual(invoice._pl_ksef_qr_values()["link"], values["link"])
        # With its KSeF number it is still an offline invoice: both codes.
        self._ksef_assigns_number(invoice)
        values = invoice._pl_ksef_qr_values()
        self.assertEqual(values["label"], KSEF_NUMBER)
        self.assertCertificateLink(
            values["certificate"]["link"], values["link"], public_key
        )

    def test_failure_mode_with_ec_key(self):
        """Art. 106nf: KOD II signed with an EC P-256 key (IEEE P1363)."""
        public_key = self._offline_certificate(ec.generate_private_key(ec.SECP256R1()))
        invoice = self._offline_invoice("failure")
        values = invoice._pl_ksef_qr_values()
        self.assertCertificateLink(
            values["certificate"]["link"], values["link"], public_key
        )

    def test_online_invoice_with_number_has_no_kod_ii(self):
        """Art. 106nda: only an invoice handed over before its KSeF number
        needs KOD II; once KSeF gave the number, KOD I alone."""
        public_key = self._offline_certificate()
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertFalse(invoice.pl_ksef_offline_file)
        # Not sent: no file, no code at all (KOD I needs the file).
        self.assertFalse(invoice._pl_ksef_qr_values()["certificate"])
        self._send(invoice)
        # The PDF mailed while sending is handed over before the number.
        printed = invoice.invoice_pdf_report_id.raw.decode()
        link = re.search(r'data-ksef-link="([^"]+)"', printed).group(1)
        kod_ii = re.search(r'data-ksef-certificate-link="([^"]+)"', printed).group(1)
        self.assertCertificateLink(kod_ii, link, public_key)
        self._ksef_assigns_number(invoice)
        values = invoice._pl_ksef_qr_values()
        self.assertEqual(values["label"], KSEF_NUMBER)
        self.assertFalse(values["certificate"])
        html = self._html(invoice)
        self.assertIn('data-ksef-link="%s"' % values["link"], html)
        self.assertNotIn("CERTYFIKAT", html)
        self.assertNotIn("pl-ksef-qr-certificate", html)

    def test_without_certificate_warned_not_refused(self):
        """No offline certificate: the invoice is posted, its form warns and
        its printout carries KOD I only."""
        invoice = self._offline_invoice("unavailable")
        self.assertEqual(invoice.state, "posted")
        self.assertIn("art. 106nda", invoice.pl_ksef_offline_warning)
        self.assertIn("no KSeF offline certificate", invoice.pl_ksef_offline_warning)
        values = invoice._pl_ksef_qr_values()
        self.assertTrue(values["link"])
        self.assertFalse(values["certificate"])
        html = self._html(invoice)
        self.assertIn("OFFLINE", html)
        self.assertNotIn("CERTYFIKAT", html)
        # Printing or sending it from the wizard warns the same way.
        wizard = (
            self.env["account.move.send.wizard"]
            .with_company(self.company)
            .create({"move_id": invoice.id})
        )
        alert = wizard.alerts[f"crm_invoicing_pl_ksef_offline_{invoice.id}"]
        self.assertEqual(alert["level"], "warning")
        self.assertEqual(alert["message"], invoice.pl_ksef_offline_warning)
        # An online invoice not yet handed over is not warned about.
        online = self.pl_invoice()
        online.action_post()
        self.assertFalse(online.pl_ksef_offline_warning)
        # A certificate without its private key cannot sign: still warned.
        self._offline_certificate()
        self.company.sudo().pl_ksef_offline_certificate_id.private_key_id = False
        invoice.invalidate_recordset(["pl_ksef_offline_warning"])
        self.assertIn("has no private key", invoice.pl_ksef_offline_warning)
        self.assertFalse(invoice._pl_ksef_qr_values()["certificate"])

    def test_authentication_certificate_does_not_sign(self):
        """KSeF: only a certificate of type Offline (key usage
        Non-Repudiation) may sign KOD II, never the Authentication one."""
        self._offline_certificate(authentication=True)
        invoice = self._offline_invoice()
        self.assertIn(
            "not a KSeF certificate of type Offline", invoice.pl_ksef_offline_warning
        )
        self.assertFalse(invoice._pl_ksef_qr_values()["certificate"])

    def test_expired_certificate_warned(self):
        """Art. 106nda: a KOD II signed with an expired certificate would not
        verify: none is printed, the form warns."""
        self._offline_certificate()
        invoice = self._offline_invoice()
        with freeze_time("2029-01-01"):
            invoice.invalidate_recordset(["pl_ksef_offline_warning"])
            self.assertIn("not valid today", invoice.pl_ksef_offline_warning)
            self.assertFalse(invoice._pl_ksef_qr_values()["certificate"])

    def test_mode_set_after_posting_fixes_the_file(self):
        """Art. 106nda: the offline invoice is the file handed over; it is
        fixed when the mode is set and sent as is."""
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertFalse(invoice.pl_ksef_offline_file)
        invoice.pl_ksef_issue_mode = "offline24"
        xml = invoice._pl_ksef_offline_xml()
        self.assertTrue(xml)
        self.assertEqual(invoice._l10n_pl_edi_render_xml().encode(), xml)
        # Back to draft (not in KSeF yet): the file goes, issued again later.
        invoice.button_draft()
        self.assertFalse(invoice.pl_ksef_offline_file)
        self.assertFalse(invoice._pl_ksef_offline_xml())

    def test_setting_in_the_settings(self):
        """The offline certificate is chosen in Settings; its serial shown."""
        self._offline_certificate()
        certificate = self.company.sudo().pl_ksef_offline_certificate_id
        self.company.sudo().pl_ksef_offline_certificate_id = False
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertFalse(settings.pl_ksef_offline_certificate_id)
        settings.pl_ksef_offline_certificate_id = certificate
        self.assertEqual(settings.pl_ksef_offline_serial, SERIAL_HEX)
        settings.execute()
        self.assertEqual(
            self.company.sudo().pl_ksef_offline_certificate_id, certificate
        )
