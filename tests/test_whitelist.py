import socket
from datetime import date, datetime, timedelta

import pytest
from crm_pl_testing.fake_whitelist import (
    FakeWhiteList,
    made_up_nips,
    nip_with_check_digit,
    nrb,
    nrb_checksum_ok,
)
from odoo.addons.crm_vies_check.tools import whitelist
from odoo.addons.crm_vies_check.tools.whitelist import (
    WhiteListAccountCheck,
    WhiteListClient,
    WhiteListError,
    WhiteListLimitError,
    WhiteListSubject,
)
from stdnum.pl import nip as pl_nip

ON = date(2026, 11, 25)
# Made-up NIPs (tax office code 000, check digit computed) and accounts.
ACTIVE = "0000000017"
EXEMPT = "0000000023"
GONE = "0000000046"
UNKNOWN = "0000000052"
ACCOUNT_1 = nrb("10100000" + "0000000000000001")
ACCOUNT_2 = nrb("10100000" + "0000000000000002")
OTHER_ACCOUNT = nrb("10100000" + "0000000000000099")


@pytest.fixture
def fake():
    server = FakeWhiteList()
    server.add(
        ACTIVE,
        "Przykładowa Spółka z o.o.",
        accounts=[ACCOUNT_1, ACCOUNT_2],
        regon="000000000",
        krs="0000000001",
        workingAddress="UL. TESTOWA 1, 00-001 WARSZAWA",
    )
    server.add(EXEMPT, "Jan Testowy Usługi", status="Zwolniony")
    server.add(
        GONE, "Zamknięta Firma", status="Niezarejestrowany", removalDate="2024-03-01"
    )
    with server:
        yield server


@pytest.fixture
def client(fake):
    return WhiteListClient(base_url=fake.base_url, timeout=5)


def _every_call(client):
    """One call of each endpoint, for errors they all share."""
    return (
        lambda: client.search_nip(ACTIVE, ON),
        lambda: client.search_nips([ACTIVE], ON),
        lambda: client.check_account(ACTIVE, ACCOUNT_1, ON),
    )


def test_made_up_numbers_are_valid():
    for nip in (ACTIVE, EXEMPT, GONE, UNKNOWN, *made_up_nips(65)):
        assert pl_nip.is_valid(nip), nip
    assert len(set(made_up_nips(65))) == 65
    assert nip_with_check_digit("000000001") == ACTIVE
    assert nip_with_check_digit("000000003") is None  # weighted sum mod 11 == 10
    for account in (ACCOUNT_1, ACCOUNT_2, OTHER_ACCOUNT):
        assert len(account) == 26 and nrb_checksum_ok(account)


def test_nrb_helper_matches_the_iban_registry_example():
    # The Polish example of the SWIFT IBAN registry (not stdnum.iban: Odoo's
    # import hook on stdnum breaks its data files in an Odoo process).
    assert nrb("109010140000071219812874") == "61109010140000071219812874"
    assert nrb_checksum_ok("61109010140000071219812874")
    assert not nrb_checksum_ok("61109010140000071219812875")


# --- search by NIP ------------------------------------------------------


def test_search_nip_active_with_accounts(fake, client):
    subject = client.search_nip(f"PL {ACTIVE[:3]}-{ACTIVE[3:6]}-{ACTIVE[6:]}", ON)

    assert isinstance(subject, WhiteListSubject)
    assert subject.found
    assert subject.status_vat == "Czynny"
    assert subject.nip == ACTIVE
    assert subject.name == "Przykładowa Spółka z o.o."
    assert subject.regon == "000000000"
    assert subject.krs == "0000000001"
    assert subject.working_address == "UL. TESTOWA 1, 00-001 WARSZAWA"
    assert subject.account_numbers == (ACCOUNT_1, ACCOUNT_2)
    assert subject.has_virtual_accounts is False
    assert subject.registration_legal_date == date(2019, 1, 1)
    assert subject.on_date == ON
    assert subject.request_id.startswith("fk")
    assert subject.request_datetime.tzinfo == whitelist.WARSAW
    assert abs(datetime.now(whitelist.WARSAW) - subject.request_datetime) < timedelta(
        minutes=1
    )
    assert fake.paths == [f"/api/search/nip/{ACTIVE}?date=2026-11-25"]


@pytest.mark.parametrize(
    ("nip", "status"), [(EXEMPT, "Zwolniony"), (GONE, "Niezarejestrowany")]
)
def test_search_nip_other_statuses(client, nip, status):
    subject = client.search_nip(nip, ON)
    assert subject.found
    assert subject.status_vat == status
    assert subject.account_numbers == ()


def test_search_nip_removed_subject_keeps_removal_date(client):
    assert client.search_nip(GONE, ON).removal_date == date(2024, 3, 1)


def test_search_nip_not_on_the_list(client):
    subject = client.search_nip(UNKNOWN, ON)

    assert not subject.found
    assert subject.status_vat is None
    assert subject.name is None
    assert subject.nip == UNKNOWN
    assert subject.request_id  # still proof that the check was made


def test_search_nip_defaults_to_today_in_warsaw(fake, client):
    client.search_nip(ACTIVE)
    assert fake.paths[0].endswith(f"?date={whitelist.today().isoformat()}")


# --- batch search -------------------------------------------------------


def test_search_nips_batches_of_30(fake, client):
    nips = made_up_nips(62) + [ACTIVE, EXEMPT, UNKNOWN]
    assert len(nips) == 65

    subjects = client.search_nips(nips, ON)

    assert fake.request_count == 3
    sizes = [
        len(path.split("?")[0].rsplit("/", 1)[1].split(",")) for path in fake.paths
    ]
    assert sizes == [30, 30, 5]
    assert all(path.endswith("?date=2026-11-25") for path in fake.paths)
    assert list(subjects) == nips
    assert subjects[ACTIVE].status_vat == "Czynny"
    assert subjects[ACTIVE].account_numbers == (ACCOUNT_1, ACCOUNT_2)
    assert subjects[EXEMPT].status_vat == "Zwolniony"
    assert not subjects[UNKNOWN].found
    assert sum(subject.found for subject in subjects.values()) == 2
    # one requestId per call, shared by the subjects of that call
    assert len({subject.request_id for subject in subjects.values()}) == 3


def test_search_nips_exactly_30_is_one_call(fake, client):
    client.search_nips(made_up_nips(30), ON)
    assert fake.request_count == 1


def test_search_nips_asks_duplicates_once(fake, client):
    subjects = client.search_nips([ACTIVE, f"PL{ACTIVE}", EXEMPT, ACTIVE], ON)
    assert list(subjects) == [ACTIVE, EXEMPT]
    assert fake.paths == [f"/api/search/nips/{ACTIVE},{EXEMPT}?date=2026-11-25"]


def test_search_nips_empty_list_makes_no_call(fake, client):
    assert client.search_nips([], ON) == {}
    assert fake.request_count == 0


def test_fake_refuses_more_than_30_nips(fake):
    raw = WhiteListClient(base_url=fake.base_url)
    with pytest.raises(WhiteListError) as info:
        raw._get("search/nips/" + ",".join(made_up_nips(31)), ON)
    assert info.value.code == "WL-130"


# --- account check ------------------------------------------------------


def test_check_account_assigned(fake, client):
    groups = [ACCOUNT_2[:2]] + [ACCOUNT_2[i : i + 4] for i in range(2, 26, 4)]
    spaced = "PL " + " ".join(groups)  # "PL 95 1010 0000 ..."

    check = client.check_account(ACTIVE, spaced, ON)

    assert isinstance(check, WhiteListAccountCheck)
    assert check.assigned is True
    assert (check.nip, check.account, check.on_date) == (ACTIVE, ACCOUNT_2, ON)
    assert check.request_id
    assert check.request_datetime.tzinfo == whitelist.WARSAW
    assert fake.paths == [
        f"/api/check/nip/{ACTIVE}/bank-account/{ACCOUNT_2}?date=2026-11-25"
    ]


@pytest.mark.parametrize(
    ("nip", "account"),
    [
        (ACTIVE, OTHER_ACCOUNT),  # not this subject's account
        (UNKNOWN, ACCOUNT_1),  # not on the list
        (EXEMPT, ACCOUNT_1),  # not an active VAT payer
    ],
)
def test_check_account_not_assigned(client, nip, account):
    check = client.check_account(nip, account, ON)
    assert check.assigned is False
    assert check.request_id


@pytest.mark.parametrize(
    ("account", "code"),
    [
        (ACCOUNT_1[:-1], "WL-109"),
        (ACCOUNT_1[:-1] + "X", "WL-110"),
        (ACCOUNT_1[:-1] + str((int(ACCOUNT_1[-1]) + 1) % 10), "WL-111"),
    ],
)
def test_check_account_bad_account(client, account, code):
    with pytest.raises(WhiteListError) as info:
        client.check_account(ACTIVE, account, ON)
    assert info.value.code == code


# --- errors -------------------------------------------------------------


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("0000000018", "WL-115"),
        ("000000001", "WL-113"),
        ("00000000171", "WL-113"),
        ("000000001A", "WL-114"),
        ("../../x", "WL-113"),
    ],
)
def test_search_nip_invalid_nip(fake, client, nip, code):
    with pytest.raises(WhiteListError) as info:
        client.search_nip(nip, ON)

    assert info.value.code == code
    assert not isinstance(info.value, WhiteListLimitError)
    assert str(info.value)  # the API's message
    assert not info.value.transient
    assert fake.request_count == 1


def test_wl115_message(client):
    with pytest.raises(WhiteListError) as info:
        client.search_nip("0000000018", ON)
    assert (info.value.code, str(info.value)) == ("WL-115", "Nieprawidłowy NIP.")


def test_invalid_nip_in_a_batch(client):
    with pytest.raises(WhiteListError) as info:
        client.search_nips([ACTIVE, "0000000018"], ON)
    assert info.value.code == "WL-115"


@pytest.mark.parametrize("value", [None, "", "  ", "PL"])
def test_empty_nip_is_refused_locally(fake, client, value):
    with pytest.raises(ValueError):
        client.search_nip(value, ON)
    with pytest.raises(ValueError):
        client.check_account(ACTIVE, value, ON)
    assert fake.request_count == 0


def test_daily_limit_raises_limit_error(fake, client):
    fake.search_limit = 2
    client.search_nip(ACTIVE, ON)
    client.search_nip(EXEMPT, ON)

    with pytest.raises(WhiteListLimitError) as info:
        client.search_nip(ACTIVE, ON)

    assert isinstance(info.value, WhiteListError)
    assert info.value.code == "WL-191"
    assert info.value.transient
    assert fake.request_count == 3
    # check requests have their own limit
    assert client.check_account(ACTIVE, ACCOUNT_1, ON).assigned


def test_daily_limit_stops_a_batch(fake, client):
    fake.search_limit = 1
    with pytest.raises(WhiteListLimitError):
        client.search_nips(made_up_nips(40), ON)
    assert fake.request_count == 2


def test_check_limit(fake, client):
    fake.check_limit = 0
    with pytest.raises(WhiteListLimitError):
        client.check_account(ACTIVE, ACCOUNT_1, ON)


def test_network_down_is_unreachable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = WhiteListClient(base_url=f"http://127.0.0.1:{port}", timeout=1)

    for call in _every_call(client):
        with pytest.raises(WhiteListError) as info:
            call()
        assert info.value.code == "unreachable"
        assert info.value.transient


def test_service_down_page_is_bad_response(fake, client):
    fake.down_status = 503
    with pytest.raises(WhiteListError) as info:
        client.search_nip(ACTIVE, ON)
    assert info.value.code == "bad_response"
    assert "HTTP 503" in str(info.value)


@pytest.mark.parametrize(
    "body",
    [
        '{"result": {"subject": {"name": "X"}}}',  # no statusVat
        '{"result": {"subject": {"statusVat": "Aktywny"}}}',
        '{"result": {"accountAssigned": "MOZE"}}',
        '{"result": {"entries": [{"subjects": []}]}}',
        '{"result": {"requestId": "x", "requestDateTime": "2026-11-25T10:00"}}',
        '{"result": null}',
        "[]",
        "{",
    ],
)
def test_unexpected_json_is_bad_response(fake, client, monkeypatch, body):
    monkeypatch.setattr(fake, "respond", lambda path: (200, "application/json", body))
    for call in _every_call(client):
        with pytest.raises(WhiteListError) as info:
            call()
        assert info.value.code == "bad_response"


@pytest.mark.parametrize(
    ("address", "parts"),
    [
        ("UL. KRUCZA 5, 00-548 WARSZAWA", ("UL. KRUCZA 5", "00-548", "WARSZAWA")),
        (
            "ALEJA NIEPODLEGŁOŚCI 208,  00-925   WARSZAWA",
            ("ALEJA NIEPODLEGŁOŚCI 208", "00-925", "WARSZAWA"),
        ),
        (
            "RYNEK 1/2, LOK. 3, 50-101 WROCŁAW-FABRYCZNA",
            ("RYNEK 1/2, LOK. 3", "50-101", "WROCŁAW-FABRYCZNA"),
        ),
        ("KOCIA WÓLKA 7", ("KOCIA WÓLKA 7", None, None)),
        ("", (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_split_address(address, parts):
    assert whitelist.split_address(address) == parts
