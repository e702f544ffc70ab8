"""KSeF certificate verification link KOD II
(crm_invoicing_pl_ksef.tools.ksef_qr_offline).

The format and the signature schemes are those of the Ministry of Finance
("Kody weryfikujące QR", KOD II, github.com/CIRFMF/ksef-docs kody-qr.md).
The keys are generated here; the signatures are checked with the public key.
"""

import base64
import datetime

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID
from odoo.addons.crm_invoicing_pl_ksef.tools import ksef_qr, ksef_qr_offline

# The example of the Ministry's documentation (KOD II, test environment).
MF_HASH = "UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE"
MF_SERIAL = "01F20A5D352AE590"
MF_SIGNED_PART = (
    "qr-test.ksef.mf.gov.pl/certificate/Nip/1111111111/1111111111/"
    "01F20A5D352AE590/UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE"
)


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def split(link):
    """(the signed part, the signature bytes) of a KOD II link."""
    unsigned, signature = link.rsplit("/", 1)
    return ksef_qr_offline.signed_part(unsigned).encode(), b64url_decode(signature)


def test_unsigned_part_of_the_ministry_example():
    link = ksef_qr_offline.unsigned_link(
        "Nip", "1111111111", "1111111111", MF_SERIAL, MF_HASH, "test"
    )
    assert link == "https://" + MF_SIGNED_PART
    assert ksef_qr_offline.signed_part(link) == MF_SIGNED_PART


def test_production_base_and_normalised_nip():
    link = ksef_qr_offline.unsigned_link(
        "Nip", "PL 526-025-02-74", "PL5260250274", "1f20a5d352ae590".zfill(16), MF_HASH
    )
    assert link == (
        "https://qr.ksef.mf.gov.pl/certificate/Nip/5260250274/5260250274/"
        "01F20A5D352AE590/" + MF_HASH
    )


def test_rsa_signature_is_pss_sha256_salt_32(rsa_key):
    link = ksef_qr_offline.certificate_link(
        "Nip", "5260250274", "5260250274", MF_SERIAL, MF_HASH, rsa_key, "test"
    )
    assert link.startswith(
        "https://" + MF_SIGNED_PART.replace("1111111111", "5260250274") + "/"
    )
    signed, signature = split(link)
    assert len(signature) == 256  # 2048-bit modulus
    assert "=" not in link.rsplit("/", 1)[1]
    rsa_key.public_key().verify(
        signature,
        signed,
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
        hashes.SHA256(),
    )
    # The salt is 32 bytes exactly: a verifier expecting another length fails.
    with pytest.raises(InvalidSignature):
        rsa_key.public_key().verify(
            signature,
            signed,
            padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=20),
            hashes.SHA256(),
        )
    # PSS is randomised, the link stays verifiable.
    assert ksef_qr_offline.sign(MF_SIGNED_PART, rsa_key) != ksef_qr_offline.sign(
        MF_SIGNED_PART, rsa_key
    )


def test_ec_signature_is_p1363(ec_key):
    link = ksef_qr_offline.certificate_link(
        "Nip", "5260250274", "5260250274", MF_SERIAL, MF_HASH, ec_key, "test"
    )
    signed, signature = split(link)
    # r || s, 32 bytes each (not DER).
    assert len(signature) == 64
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    ec_key.public_key().verify(
        encode_dss_signature(r, s), signed, ec.ECDSA(hashes.SHA256())
    )
    # Over the link without https://: the full link does not verify.
    with pytest.raises(InvalidSignature):
        ec_key.public_key().verify(
            encode_dss_signature(r, s), b"https://" + signed, ec.ECDSA(hashes.SHA256())
        )


def test_hash_is_the_kod_i_hash(ec_key):
    xml = b"<Faktura/>"
    link = ksef_qr_offline.certificate_link(
        "Nip",
        "5260250274",
        "5260250274",
        MF_SERIAL,
        ksef_qr.invoice_hash(xml),
        ec_key,
    )
    kod_i = ksef_qr.verification_link("5260250274", "2026-02-01", xml)
    assert link.split("/")[-2] == kod_i.rsplit("/", 1)[1]


def test_serial_number_of_a_certificate(ec_key):
    now = datetime.datetime(2026, 1, 1)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(ec_key.public_key())
        .serial_number(0x01F20A5D352AE590)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(ec_key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    assert ksef_qr_offline.certificate_serial(pem) == MF_SERIAL
    assert ksef_qr_offline.serial_hex(0xABC) == "0ABC"
    # DER: a leading 00 byte when the high bit is set.
    assert ksef_qr_offline.serial_hex(0xFF) == "00FF"
    assert ksef_qr_offline.serial_hex(0x7F) == "7F"
    with pytest.raises(ValueError, match="cannot be read"):
        ksef_qr_offline.certificate_serial(b"not a certificate")


def _certificate_with_usage(key, **usage):
    now = datetime.datetime(2026, 1, 1)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test")])
    flags = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    flags.update(usage)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
    )
    if usage:
        builder = builder.add_extension(x509.KeyUsage(**flags), critical=True)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def test_offline_certificate_by_key_usage(ec_key):
    """KSeF: Offline certificates have Non-Repudiation, Authentication ones
    Digital Signature (only an Offline one may sign KOD II)."""
    offline = _certificate_with_usage(ec_key, content_commitment=True)
    authentication = _certificate_with_usage(ec_key, digital_signature=True)
    assert ksef_qr_offline.is_offline_certificate(offline)
    assert not ksef_qr_offline.is_offline_certificate(authentication)
    assert not ksef_qr_offline.is_offline_certificate(_certificate_with_usage(ec_key))
    with pytest.raises(ValueError, match="cannot be read"):
        ksef_qr_offline.is_offline_certificate(b"nothing")


def test_private_key_from_encrypted_pem(ec_key):
    pem = ec_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )
    key = ksef_qr_offline.load_private_key(pem, "secret")
    assert key.private_numbers() == ec_key.private_numbers()
    with pytest.raises(ValueError, match="cannot be read"):
        ksef_qr_offline.load_private_key(pem, "wrong")


def test_unsupported_keys():
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(ValueError, match="at least 2048"):
        ksef_qr_offline.sign("x", small)
    other_curve = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(ValueError, match="P-256"):
        ksef_qr_offline.sign("x", other_curve)
    with pytest.raises(ValueError, match="RSA or EC P-256"):
        ksef_qr_offline.sign("x", object())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("Pesel", "1111111111", "1111111111", MF_SERIAL, MF_HASH),
            "context identifier type",
        ),
        (("Nip", "123", "1111111111", MF_SERIAL, MF_HASH), "not 10 digits"),
        (("InternalId", "a/b", "1111111111", MF_SERIAL, MF_HASH), "not usable"),
        (("Nip", "1111111111", "1111111111", "XYZ", MF_HASH), "not hexadecimal"),
        (("Nip", "1111111111", "1111111111", MF_SERIAL, "abc"), "not a Base64URL"),
        (
            ("Nip", "1111111111", "1111111111", MF_SERIAL, MF_HASH, "staging"),
            "unknown KSeF",
        ),
    ],
)
def test_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        ksef_qr_offline.unsigned_link(*args)


def test_internal_id_context():
    link = ksef_qr_offline.unsigned_link(
        "InternalId", "5260250274-00001", "5260250274", MF_SERIAL, MF_HASH, "demo"
    )
    assert link.startswith(
        "https://qr-demo.ksef.mf.gov.pl/certificate/InternalId/5260250274-00001/5260250274/"
    )
