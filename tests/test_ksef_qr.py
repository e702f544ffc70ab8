"""KSeF verification link KOD I (crm_invoicing_pl_ksef.tools.ksef_qr)."""

import datetime

import pytest
from odoo.addons.crm_invoicing_pl_ksef.tools import ksef_qr

# SHA-256("abc") = ba7816bf...f20015ad (FIPS 180-2 test vector), Base64URL
# without the trailing "=".
ABC_HASH = "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"

FA3 = """<?xml version="1.0" encoding="UTF-8"?>
<Faktura xmlns="http://crd.gov.pl/wzor/2025/06/25/13775/">
  <Podmiot1>
    <DaneIdentyfikacyjne>
      <NIP>5260250274</NIP>
      <Nazwa>Przykładowa Spółka z o.o.</Nazwa>
    </DaneIdentyfikacyjne>
  </Podmiot1>
  <Podmiot2>
    <DaneIdentyfikacyjne>
      <NIP>1234567883</NIP>
    </DaneIdentyfikacyjne>
  </Podmiot2>
  <Fa>
    <KodWaluty>PLN</KodWaluty>
    <P_1>2026-02-01</P_1>
    <P_2>FV/2026/02/0001</P_2>
  </Fa>
</Faktura>
""".encode()


def test_hash_is_base64url_sha256_without_padding():
    assert ksef_qr.invoice_hash(b"abc") == ABC_HASH
    # 32 bytes -> 43 characters, never "=", "+" or "/".
    value = ksef_qr.invoice_hash(FA3)
    assert len(value) == 43
    assert not set("=+/") & set(value)


def test_hash_changes_with_one_byte():
    assert ksef_qr.invoice_hash(FA3) != ksef_qr.invoice_hash(FA3 + b"\n")


def test_link_production():
    link = ksef_qr.verification_link(
        "5260250274", datetime.date(2026, 2, 1), b"abc", "prod"
    )
    assert link == (
        "https://qr.ksef.mf.gov.pl/invoice/5260250274/01-02-2026/" + ABC_HASH
    )


def test_link_test_and_demo_environments():
    assert ksef_qr.verification_link("5260250274", "2026-11-15", b"abc", "test") == (
        "https://qr-test.ksef.mf.gov.pl/invoice/5260250274/15-11-2026/" + ABC_HASH
    )
    assert ksef_qr.verification_link(
        "5260250274", "2026-11-15", b"abc", "demo"
    ).startswith("https://qr-demo.ksef.mf.gov.pl/invoice/")


@pytest.mark.parametrize("nip", ["PL5260250274", "526-025-02-74", "526 025 02 74"])
def test_nip_normalised(nip):
    link = ksef_qr.verification_link(nip, "2026-02-01", b"abc")
    assert "/invoice/5260250274/01-02-2026/" in link


def test_link_of_fa3_file_reads_nip_and_p1():
    assert ksef_qr.invoice_identity(FA3) == ("5260250274", "2026-02-01")
    assert ksef_qr.invoice_link(FA3, "test") == (
        "https://qr-test.ksef.mf.gov.pl/invoice/5260250274/01-02-2026/"
        + ksef_qr.invoice_hash(FA3)
    )


def test_label():
    number = "5260250274-20261115-0100001AF629-AF"
    assert ksef_qr.label(number) == number
    assert ksef_qr.label(False) == "OFFLINE"
    assert ksef_qr.label("") == "OFFLINE"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("12345", "2026-02-01", b"abc"), "not 10 digits"),
        ((None, "2026-02-01", b"abc"), "not 10 digits"),
        (("5260250274", "01.02.2026", b"abc"), "not a date"),
        (("5260250274", 20260201, b"abc"), "not a date"),
        (("5260250274", "2026-02-01", b""), "empty"),
        (("5260250274", "2026-02-01", "<Faktura/>"), "as bytes"),
        (("5260250274", "2026-02-01", b"abc", "staging"), "unknown KSeF environment"),
    ],
)
def test_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        ksef_qr.verification_link(*args)


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"", "empty"),
        (b"<Faktura>", "not well-formed"),
        (b"<Faktura><Fa><P_1>2026-02-01</P_1></Fa></Faktura>", "no seller NIP"),
    ],
)
def test_bad_fa3_file(xml, message):
    with pytest.raises(ValueError, match=message):
        ksef_qr.invoice_link(xml)
