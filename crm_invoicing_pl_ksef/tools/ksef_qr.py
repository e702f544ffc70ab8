"""KSeF verification link (QR code "KOD I") of an invoice.

The link printed as a QR code on the visualisation of an invoice sent to
KSeF (Ministry of Finance, "Kody weryfikujące QR")::

    {base}/invoice/{seller NIP}/{issue date DD-MM-YYYY}/{hash}

``hash`` is the SHA-256 of the FA(3) XML file exactly as sent to KSeF,
Base64URL without padding; the issue date is the invoice's P_1. ``base`` is
https://qr.ksef.mf.gov.pl in production, https://qr-test.ksef.mf.gov.pl in
the test environment and https://qr-demo.ksef.mf.gov.pl in the demo
(pre-production) one.

Under the code the invoice shows its KSeF number once KSeF has assigned it,
"OFFLINE" until then.

Odoo-free: wrong input raises ``ValueError``; the caller words it for the user.
"""

import base64
import datetime
import hashlib
import re

from lxml import etree
from stdnum.pl import nip as pl_nip

QR_BASES = {
    "prod": "https://qr.ksef.mf.gov.pl",
    "test": "https://qr-test.ksef.mf.gov.pl",
    "demo": "https://qr-demo.ksef.mf.gov.pl",
}
OFFLINE_LABEL = "OFFLINE"

_NIP = re.compile(r"^\d{10}$")
_P_1 = "{*}Fa/{*}P_1"
_SELLER_NIP = "{*}Podmiot1/{*}DaneIdentyfikacyjne/{*}NIP"


def qr_base(environment):
    """The base URL of the verification links of a KSeF environment."""
    try:
        return QR_BASES[environment]
    except KeyError:
        raise ValueError(
            "unknown KSeF environment %r (expected one of: %s)"
            % (environment, ", ".join(sorted(QR_BASES)))
        ) from None


def invoice_hash(xml):
    """SHA-256 of the invoice file (bytes), Base64URL without padding."""
    if isinstance(xml, str):
        raise ValueError("the invoice file must be given as bytes, exactly as sent")
    if not xml:
        raise ValueError("the invoice file is empty")
    digest = hashlib.sha256(xml).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def normalize_nip(nip):
    """The 10 digits of a Polish NIP ("PL" prefix, spaces and dashes dropped)."""
    nip = pl_nip.compact(nip or "")
    if not _NIP.match(nip):
        raise ValueError("the seller's NIP %r is not 10 digits" % (nip,))
    return nip


def _issue_date(issue_date):
    if isinstance(issue_date, str):
        try:
            issue_date = datetime.date.fromisoformat(issue_date)
        except ValueError:
            raise ValueError(
                "the issue date %r is not a date (YYYY-MM-DD)" % (issue_date,)
            ) from None
    if not isinstance(issue_date, datetime.date):
        raise ValueError("the issue date %r is not a date" % (issue_date,))
    return issue_date.strftime("%d-%m-%Y")


def verification_link(nip, issue_date, xml, environment="prod"):
    """The KOD I link of the invoice file ``xml`` (bytes, as sent to KSeF).

    ``nip``: the seller's NIP (a "PL" prefix, spaces and dashes are dropped);
    ``issue_date``: a date or an ISO string (the invoice's P_1).
    """
    return "%s/invoice/%s/%s/%s" % (
        qr_base(environment),
        normalize_nip(nip),
        _issue_date(issue_date),
        invoice_hash(xml),
    )


def invoice_identity(xml):
    """(seller NIP, issue date P_1 as an ISO string) read from an FA(3) file."""
    if not xml:
        raise ValueError("the invoice file is empty")
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as error:
        raise ValueError(
            "the invoice file is not well-formed XML: %s" % error
        ) from None
    nip = root.findtext(_SELLER_NIP)
    issue_date = root.findtext(_P_1)
    if not nip or not issue_date:
        raise ValueError(
            "the invoice file has no seller NIP (Podmiot1) or no issue date (P_1)"
        )
    return nip.strip(), issue_date.strip()


def invoice_link(xml, environment="prod"):
    """The KOD I link of an FA(3) file, its NIP and P_1 read from the file."""
    nip, issue_date = invoice_identity(xml)
    return verification_link(nip, issue_date, xml, environment)


def label(ksef_number):
    """The text printed under the code: the KSeF number, or OFFLINE."""
    return ksef_number or OFFLINE_LABEL
