import dataclasses
import filecmp
import pathlib
import socket
from datetime import date

import pytest
import requests
from crm_pl_testing.fake_vies import FakeVies
from odoo.addons.crm_vies_check.tools import vies
from odoo.addons.crm_vies_check.tools.vies import ViesClient, ViesError, ViesResult

# The project's shared/ folder lies beside the repository.
SHARED_WSDL = (
    pathlib.Path(__file__).resolve().parents[2]
    / "shared/specs/vies/checkVatService.wsdl"
)

# Made-up numbers (check digits computed with python-stdnum, see
# test_vatnumber.py); the fake does not check them anyway.
OUR_VAT = "PL0000000017"
DE_NUMBER = "100000008"
DE_NAME = "Beispiel Handels GmbH"
DE_ADDRESS = "Musterstrasse 1\n10115 Berlin"

TRANSIENT = [
    "MS_UNAVAILABLE",
    "TIMEOUT",
    "SERVICE_UNAVAILABLE",
    "SERVER_BUSY",
    "MS_MAX_CONCURRENT_REQ",
    "MS_MAX_CONCURRENT_REQ_TIME",
    "GLOBAL_MAX_CONCURRENT_REQ",
    "GLOBAL_MAX_CONCURRENT_REQ_TIME",
]


@pytest.fixture
def fake():
    server = FakeVies()
    server.add("DE", DE_NUMBER, DE_NAME, DE_ADDRESS)
    server.add("PL", OUR_VAT[2:], "Nasza Firma sp. z o.o.", "ul. Testowa 1, Warszawa")
    server.add("ES", "A10000008")  # valid, name and address not disclosed
    with server:
        yield server


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(fake, sleeps):
    return ViesClient(service_url=fake.service_url, timeout=5, sleep=sleeps.append)


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- WSDL ---------------------------------------------------------------


def test_wsdl_travels_with_the_addon():
    assert vies.DEFAULT_WSDL_PATH.name == "checkVatService.wsdl"
    assert vies.DEFAULT_WSDL_PATH.parent.name == "data"
    if SHARED_WSDL.exists():
        assert filecmp.cmp(vies.DEFAULT_WSDL_PATH, SHARED_WSDL, shallow=False)


def test_default_service_is_the_wsdl_endpoint():
    client = ViesClient()
    assert client.service._binding_options["address"] == (
        "http://ec.europa.eu/taxation_customs/vies/services/checkVatService"
    )


# --- answers ------------------------------------------------------------


def test_valid_number_with_name_and_address(fake, client, sleeps):
    result = client.check("de", f"DE {DE_NUMBER}")

    assert result == ViesResult(
        valid=True,
        country="DE",
        number=DE_NUMBER,
        name=DE_NAME,
        address=DE_ADDRESS,
        request_date=date.today(),  # sent as "YYYY-MM-DD+01:00", as VIES does
        request_identifier=None,
        status="valid",
    )
    assert fake.requests == [
        {"operation": "checkVat", "countryCode": "DE", "vatNumber": DE_NUMBER}
    ]
    assert sleeps == []


def test_result_is_frozen(client):
    result = client.check("DE", DE_NUMBER)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.valid = False


def test_undisclosed_name_and_address_are_none(client):
    result = client.check("ES", "A10000008")
    assert result.status == "valid"
    assert (result.name, result.address) == (None, None)


def test_unknown_number_is_invalid(fake, client):
    result = client.check("DE", "100000016")

    assert result.status == "invalid"
    assert result.valid is False
    assert (result.name, result.address, result.raw_fault) == (None, None, None)
    assert result.request_date == date.today()
    assert fake.request_count == 1


@pytest.mark.parametrize("requester", [OUR_VAT, ("PL", OUR_VAT[2:]), "pl 0000000017"])
def test_approx_with_requester_returns_request_identifier(fake, client, requester):
    result = client.check("DE", DE_NUMBER, requester=requester)

    assert result.status == "valid"
    assert (result.name, result.address) == (DE_NAME, DE_ADDRESS)
    assert result.request_identifier.startswith("WAPI")
    assert len(result.request_identifier) == 16
    assert fake.requests == [
        {
            "operation": "checkVatApprox",
            "countryCode": "DE",
            "vatNumber": DE_NUMBER,
            "requesterCountryCode": "PL",
            "requesterVatNumber": OUR_VAT[2:],
        }
    ]


def test_each_consultation_has_its_own_identifier(client):
    first = client.check("DE", DE_NUMBER, requester=OUR_VAT)
    second = client.check("DE", DE_NUMBER, requester=OUR_VAT)
    assert first.request_identifier != second.request_identifier


def test_approx_unknown_number_is_invalid_with_identifier(client):
    result = client.check("DE", "100000016", requester=OUR_VAT)
    assert result.status == "invalid"
    assert result.request_identifier.startswith("WAPI")


def test_invalid_requester_info(fake, client, sleeps):
    result = client.check("DE", DE_NUMBER, requester="PL0000000023")

    assert result.status == "invalid"
    assert result.raw_fault == "INVALID_REQUESTER_INFO"
    assert result.request_identifier is None
    assert fake.request_count == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("country", "number"),
    [
        ("XX", DE_NUMBER),
        ("GR", "100000003"),
        ("DE", "1"),
        ("DE", "10000/0008"),
        ("", ""),
    ],
)
def test_invalid_input_is_invalid_without_retry(fake, client, sleeps, country, number):
    result = client.check(country, number)

    assert result.status == "invalid"
    assert result.valid is False
    assert result.raw_fault == "INVALID_INPUT"
    assert fake.request_count == 1
    assert sleeps == []


# --- transient faults ---------------------------------------------------


@pytest.mark.parametrize("fault", TRANSIENT)
def test_transient_fault_is_retried_then_succeeds(fake, client, sleeps, fault):
    assert vies.is_transient_fault(fault)
    fake.faults = [fault, fault, None]

    result = client.check("DE", DE_NUMBER)

    assert result.status == "valid"
    assert result.raw_fault is None
    assert fake.request_count == 3
    assert sleeps == [0.5, 1.0]


def test_transient_fault_forever_is_pending(fake, client, sleeps):
    fake.faults = ["MS_UNAVAILABLE"] * 10

    result = client.check("DE", DE_NUMBER)

    assert result == ViesResult(
        valid=False,
        country="DE",
        number=DE_NUMBER,
        raw_fault="MS_UNAVAILABLE",
        status="pending",
    )
    assert fake.request_count == 4  # first try + max_retries
    assert sleeps == [0.5, 1.0, 2.0]


def test_pending_keeps_the_last_fault(fake, client):
    fake.faults = ["MS_UNAVAILABLE", "TIMEOUT", "SERVICE_UNAVAILABLE", "TIMEOUT"]
    result = client.check("DE", DE_NUMBER, requester=OUR_VAT)
    assert (result.status, result.raw_fault) == ("pending", "TIMEOUT")


def test_retry_settings(fake, sleeps):
    fake.faults = ["TIMEOUT"] * 10
    client = ViesClient(
        service_url=fake.service_url, max_retries=1, backoff=2, sleep=sleeps.append
    )
    assert client.check("DE", DE_NUMBER).status == "pending"
    assert fake.request_count == 2
    assert sleeps == [2]


@pytest.mark.parametrize(
    ("number", "status", "fault", "calls"),
    [
        ("100", "valid", None, 1),
        ("200", "invalid", None, 1),
        ("201", "invalid", "INVALID_INPUT", 1),
        ("300", "pending", "SERVICE_UNAVAILABLE", 4),
        ("301", "pending", "MS_UNAVAILABLE", 4),
        ("302", "pending", "TIMEOUT", 4),
        ("400", "pending", "VAT_BLOCKED", 1),  # not transient, never invalid
        ("401", "pending", "IP_BLOCKED", 1),
        ("500", "pending", "GLOBAL_MAX_CONCURRENT_REQ", 4),
        ("501", "pending", "GLOBAL_MAX_CONCURRENT_REQ_TIME", 4),
        ("600", "pending", "MS_MAX_CONCURRENT_REQ", 4),
        ("601", "pending", "MS_MAX_CONCURRENT_REQ_TIME", 4),
    ],
)
def test_test_service_magic_numbers(fake, client, number, status, fault, calls):
    result = client.check("DE", number)
    assert (result.status, result.raw_fault) == (status, fault)
    assert fake.request_count == calls


def test_invalid_requester_info_without_requester_is_not_invalid(fake, client):
    result = client.check("DE", "202")  # checkVat: not about the number
    assert (result.status, result.raw_fault) == ("pending", "INVALID_REQUESTER_INFO")
    assert fake.request_count == 1


# --- network and protocol failures --------------------------------------


def test_network_timeout_is_pending(fake, sleeps):
    fake.latency = 2
    client = ViesClient(
        service_url=fake.service_url, timeout=0.2, max_retries=1, sleep=sleeps.append
    )

    result = client.check("DE", DE_NUMBER)

    assert result.status == "pending"
    assert result.valid is False
    assert result.raw_fault.startswith("NETWORK_ERROR")
    assert "timed out" in result.raw_fault
    assert fake.request_count == 2
    assert sleeps == [0.5]


def test_timeout_then_success(fake, client):
    fake.faults = ["TIMEOUT", None]
    assert client.check("DE", DE_NUMBER).status == "valid"


def test_connection_refused_is_pending(sleeps):
    url = f"http://127.0.0.1:{_closed_port()}/taxation_customs/vies/services/x"
    client = ViesClient(service_url=url, timeout=1, sleep=sleeps.append)

    result = client.check("DE", DE_NUMBER)

    assert result.status == "pending"
    assert result.raw_fault.startswith("NETWORK_ERROR")
    assert sleeps == [0.5, 1.0, 2.0]


def test_gateway_error_is_pending(fake, client):
    fake.fail_status = 503
    result = client.check("DE", DE_NUMBER)
    assert (result.status, result.raw_fault) == ("pending", "HTTP_503")
    assert fake.request_count == 4


@pytest.mark.parametrize("mode", ["not_xml", "missing_fields"])
def test_malformed_response_is_bad_response(fake, client, sleeps, mode):
    fake.malformed = mode

    with pytest.raises(ViesError) as info:
        client.check("DE", DE_NUMBER)

    assert info.value.code == "bad_response"
    assert fake.request_count == 1
    assert sleeps == []


def test_malformed_approx_response_is_bad_response(fake, client):
    fake.malformed = "missing_fields"
    with pytest.raises(ViesError):
        client.check("DE", DE_NUMBER, requester=OUR_VAT)


def test_http_404_is_bad_response(fake):
    client = ViesClient(service_url=fake.service_url + "/nowhere")
    with pytest.raises(ViesError) as info:
        client.check("DE", DE_NUMBER)
    assert info.value.code == "bad_response"


# --- the fake itself ----------------------------------------------------


def test_fake_rejects_what_is_not_a_soap_11_envelope(fake):
    soap12 = (
        b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope">'
        b"<e:Body/></e:Envelope>"
    )
    for body in (b"not xml", soap12):
        response = requests.post(
            fake.service_url,
            data=body,
            headers={"Content-Type": "text/xml; charset=utf-8"},
            timeout=5,
        )
        assert response.status_code == 500
        assert b"<faultcode>env:Client</faultcode>" in response.content
