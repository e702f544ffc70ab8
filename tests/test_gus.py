"""GUS BIR 1.1 client (tools/gus.py) against the local fake."""

import pytest
from crm_pl_testing.fake_gus import FakeGus
from odoo.addons.crm_vies_check.tools.gus import GusClient, GusError, parse_search

NIP = "5261040828"


@pytest.fixture
def fake():
    fake = FakeGus()
    fake.add(
        NIP,
        regon="000331501",
        name="GŁÓWNY URZĄD STATYSTYCZNY",
        street="ul. Test-Krucza",
        number="208",
        flat="4",
        zip="00-925",
        city="Warszawa",
    )
    with fake as url:
        fake.url = url
        yield fake


def test_search_by_nip_with_session(fake):
    with GusClient(fake.key, fake.url, timeout=5) as gus:
        subject = gus.search_nip(NIP)
        sid = gus.sid
    assert subject.regon == "000331501"
    assert subject.name == "GŁÓWNY URZĄD STATYSTYCZNY"
    assert subject.street == "ul. Test-Krucza 208/4"
    assert (subject.zip, subject.city, subject.kind) == ("00-925", "Warszawa", "P")
    operations = [(op, s) for op, __, s in fake.requests]
    assert operations == [
        ("Zaloguj", None),
        ("DaneSzukajPodmioty", sid),
        ("Wyloguj", sid),
    ]
    assert fake.requests[1][1]["Nip"] == NIP
    assert not fake.sessions  # logged out


def test_not_found_is_none(fake):
    with GusClient(fake.key, fake.url, timeout=5) as gus:
        assert gus.search_nip("1234567883") is None


def test_wrong_key_is_a_login_error(fake):
    with pytest.raises(GusError) as caught:
        GusClient("wrong-key", fake.url, timeout=5).search_nip(NIP)
    assert caught.value.code == "login"
    assert [op for op, __, __ in fake.requests] == ["Zaloguj"]


def test_unreachable():
    client = GusClient(FakeGus.key, "http://127.0.0.1:9/wsBIR/x.svc", timeout=1)
    with pytest.raises(GusError) as caught:
        client.search_nip(NIP)
    assert caught.value.code == "unreachable"


def test_parse_search_edge_cases():
    assert parse_search("") is None
    assert parse_search("<root><dane><ErrorCode>4</ErrorCode></dane></root>") is None
    with pytest.raises(GusError):
        parse_search("<root><dane><Nip>1</Nip></dane></root>")
    with pytest.raises(GusError):
        parse_search("<root><dane>")
