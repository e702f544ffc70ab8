"""KSeF certificate verification link (QR code "KOD II") of an offline invoice.

An invoice issued offline (offline24 mode, art. 106nda; KSeF unavailability,
art. 106nh; failure mode, art. 106nf) and handed over before KSeF gives its
number carries, next to KOD I, a second code that lets the buyer check the
issuer (Ministry of Finance, "Kody weryfikujące QR", KOD II)::

    {base}/certificate/{context type}/{context value}/{seller NIP}/
        {certificate serial number}/{invoice hash}/{signature}

``base`` as for KOD I (``ksef_qr.QR_BASES``); the context is the one the
invoice is issued in (``Nip`` and the seller's NIP for a company issuing its
own invoices); the serial number is that of the issuer's KSeF certificate of
type *Offline* (an *Authentication* certificate may not be used), in
hexadecimal; the hash is KOD I's (SHA-256 of the FA(3) file, Base64URL).

The signature is made with the certificate's private key over the link
without "https://" and without the signature segment:

- RSA: RSASSA-PSS, SHA-256, MGF1 with SHA-256, salt of 32 bytes;
- EC (NIST P-256): ECDSA with SHA-256, the pair (r, s) as IEEE P1363
  (r || s, 32 bytes each), the form the Ministry recommends (it also
  accepts DER);

then Base64URL without padding. Under the code: "CERTYFIKAT".

Odoo-free: wrong input raises ``ValueError``; the caller words it for the user.
"""

import base64
import re

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from . import ksef_qr

CERTIFICATE_LABEL = "CERTYFIKAT"
CONTEXT_TYPES = ("Nip", "InternalId", "NipVatUe", "PeppolId")
# RSASSA-PSS salt length required by KSeF, in bytes.
PSS_SALT_LENGTH = 32
P256_FIELD_BYTES = 32
MIN_RSA_BITS = 2048

_HASH = re.compile(r"^[A-Za-z0-9_-]{43}$")
_CONTEXT_VALUE = re.compile(r"^[A-Za-z0-9_.:-]+$")


def serial_hex(serial_number):
    """A certificate's serial number (int) in upper-case hexadecimal, the bytes
    of its DER encoding (a leading 00 when the high bit is set, as .NET's
    X509Certificate.SerialNumber writes it): 0x1F20A5D352AE590 ->
    "01F20A5D352AE590" (MF's example), 0xFF -> "00FF"."""
    if not isinstance(serial_number, int) or serial_number <= 0:
        raise ValueError(
            "the certificate serial number %r is not a positive integer"
            % (serial_number,)
        )
    size = serial_number.bit_length() // 8 + 1
    return serial_number.to_bytes(size, "big").hex().upper()


def certificate_serial(pem):
    """The serial number (hexadecimal, see ``serial_hex``) of a PEM certificate."""
    try:
        certificate = x509.load_pem_x509_certificate(pem)
    except ValueError as error:
        raise ValueError("the certificate cannot be read: %s" % error) from None
    return serial_hex(certificate.serial_number)


def is_offline_certificate(pem):
    """Whether a PEM certificate may be a KSeF Offline certificate: KSeF gives
    those the key usage Non-Repudiation, Authentication ones Digital
    Signature only ("Certyfikaty KSeF")."""
    try:
        certificate = x509.load_pem_x509_certificate(pem)
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return False
    except ValueError as error:
        raise ValueError("the certificate cannot be read: %s" % error) from None
    return usage.content_commitment


def _serial(serial):
    serial = (serial or "").strip().upper()
    if not re.match(r"^[0-9A-F]+$", serial):
        raise ValueError(
            "the certificate serial number %r is not hexadecimal" % (serial,)
        )
    return serial


def unsigned_link(
    context_type,
    context_value,
    seller_nip,
    serial,
    invoice_hash,
    environment="prod",
):
    """The KOD II link without its signature segment (with "https://")."""
    if context_type not in CONTEXT_TYPES:
        raise ValueError(
            "unknown KSeF context identifier type %r (expected one of: %s)"
            % (context_type, ", ".join(CONTEXT_TYPES))
        )
    if context_type == "Nip":
        context_value = ksef_qr.normalize_nip(context_value)
    elif not _CONTEXT_VALUE.match(context_value or ""):
        raise ValueError("the context identifier %r is not usable" % (context_value,))
    if not _HASH.match(invoice_hash or ""):
        raise ValueError(
            "the invoice hash %r is not a Base64URL SHA-256" % (invoice_hash,)
        )
    return "%s/certificate/%s/%s/%s/%s/%s" % (
        ksef_qr.qr_base(environment),
        context_type,
        context_value,
        ksef_qr.normalize_nip(seller_nip),
        _serial(serial),
        invoice_hash,
    )


def signed_part(link):
    """What is signed: the link without "https://" (and without the signature)."""
    if not link.startswith("https://"):
        raise ValueError("the link %r does not start with https://" % (link,))
    return link[len("https://") :]


def load_private_key(pem, password=None):
    """The private key of a PEM (bytes), decrypted with ``password``."""
    if isinstance(password, str):
        password = password.encode()
    try:
        key = serialization.load_pem_private_key(pem, password or None)
    except (ValueError, TypeError) as error:
        raise ValueError("the private key cannot be read: %s" % error) from None
    return key


def sign(data, private_key):
    """Signature of ``data`` (str) as KSeF wants it, Base64URL without padding."""
    data = data.encode()
    if isinstance(private_key, rsa.RSAPrivateKey):
        if private_key.key_size < MIN_RSA_BITS:
            raise ValueError(
                "the RSA key has %s bits, KSeF requires at least %s"
                % (private_key.key_size, MIN_RSA_BITS)
            )
        signature = private_key.sign(
            data,
            padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=PSS_SALT_LENGTH),
            hashes.SHA256(),
        )
    elif isinstance(private_key, ec.EllipticCurvePrivateKey):
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError(
                "the EC key is on curve %s, KSeF requires NIST P-256 (secp256r1)"
                % private_key.curve.name
            )
        r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(P256_FIELD_BYTES, "big") + s.to_bytes(
            P256_FIELD_BYTES, "big"
        )
    else:
        raise ValueError(
            "a KSeF certificate key is RSA or EC P-256, not %s"
            % type(private_key).__name__
        )
    return base64.urlsafe_b64encode(signature).rstrip(b"=").decode("ascii")


def certificate_link(
    context_type,
    context_value,
    seller_nip,
    serial,
    invoice_hash,
    private_key,
    environment="prod",
):
    """The signed KOD II link; ``private_key`` is a loaded RSA or EC key."""
    link = unsigned_link(
        context_type, context_value, seller_nip, serial, invoice_hash, environment
    )
    return "%s/%s" % (link, sign(signed_part(link), private_key))
