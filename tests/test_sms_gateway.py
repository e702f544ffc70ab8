import socket
from decimal import Decimal

import pytest
import requests
from crm_pl_testing.fake_sms_gateway import FakeSmsGateway
from odoo.addons.sms_http_gateway_pl.tools import sms_gateway
from odoo.addons.sms_http_gateway_pl.tools.phone import without_old_trunk_prefix
from odoo.addons.sms_http_gateway_pl.tools.sms_gateway import (
    SmsGatewayClient,
    SmsGatewayError,
    SmsSendResult,
)

TOKEN = "tok-123"
LINK = "https://crm.example.pl/my/invoices/42?access_token=a1b2c3d4"


@pytest.fixture
def fake():
    server = FakeSmsGateway(token=TOKEN)
    with server:
        yield server


@pytest.fixture
def client(fake):
    return SmsGatewayClient(fake.base_url, TOKEN, "FIRMA", timeout=5)


# --- send -----------------------------------------------------------------


def test_send_ok(fake, client):
    text = "Faktura VAT FV/1/11/2026 na kwotę 1 234,56 zł: " + LINK

    result = client.send("+48600100200", text)

    assert isinstance(result, SmsSendResult)
    assert result.status == "QUEUE"
    assert result.points == Decimal("0.16")
    assert fake.messages == [
        {
            "id": result.message_id,
            "to": "48600100200",
            "message": text,
            "from": "FIRMA",
            "idx": None,
            "encoding": "utf-8",
        }
    ]
    method, path, fields = fake.requests[0]
    assert (method, path) == ("POST", "/sms.do")
    assert fields["format"] == "json"
    assert "check_idx" not in fields


def test_send_without_sender_omits_from(fake):
    client = SmsGatewayClient(fake.base_url + "/", TOKEN, "", timeout=5)
    client.send("+420601123456", "Ahoj")
    assert fake.messages[0]["from"] is None
    assert fake.messages[0]["to"] == "420601123456"


def test_send_ids_are_distinct(client):
    first = client.send("+48600100200", "a")
    second = client.send("+48600100201", "b")
    assert first.message_id != second.message_id


@pytest.mark.parametrize("number", ["600100200", "48600100200", "+48 600", "", None])
def test_send_refuses_non_e164_number(fake, client, number):
    with pytest.raises(ValueError):
        client.send(number, "text")
    assert fake.request_count == 0


def test_send_refuses_empty_text(fake, client):
    with pytest.raises(ValueError):
        client.send("+48600100200", "")
    assert fake.request_count == 0


@pytest.mark.parametrize("http_200", [False, True])
def test_wrong_token_is_permanent(fake, http_200):
    fake.errors_with_http_200 = http_200
    client = SmsGatewayClient(fake.base_url, "wrong", "FIRMA", timeout=5)

    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text")

    error = info.value
    assert error.code == 101
    assert error.transient is False
    assert error.failure_type == "sms_acc"
    assert error.http_status == (200 if http_200 else 401)
    assert "Authorization failed" in str(error)
    assert "wrong" not in str(error)
    assert fake.messages == []


def test_invalid_number_is_permanent(fake, client):
    fake.invalid_numbers.add("48600100200")

    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text")

    assert info.value.code == 13
    assert info.value.transient is False
    assert info.value.failure_type == "sms_number_format"
    assert fake.messages == []


def test_wrong_sender_is_permanent(fake):
    fake.senders = {"FIRMA"}
    client = SmsGatewayClient(fake.base_url, TOKEN, "INNA", timeout=5)

    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text")

    assert (info.value.code, info.value.transient) == (14, False)
    assert info.value.failure_type == "unknown"


@pytest.mark.parametrize(
    ("code", "transient", "failure_type"),
    [
        (8, True, "sms_server"),
        (201, True, "sms_server"),
        (999, True, "sms_server"),
        (102, False, "sms_acc"),
        (103, False, "sms_credit"),
        (11, False, "unknown"),
    ],
)
def test_gateway_error_codes(fake, client, code, transient, failure_type):
    fake.forced = [(200, {"error": code, "message": "boom"})]

    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text")

    assert info.value.code == code
    assert info.value.transient is transient
    assert info.value.failure_type == failure_type


@pytest.mark.parametrize("status", [500, 502, 503])
def test_http_5xx_is_transient(fake, client, status):
    fake.forced = [status]

    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text")

    assert info.value.code == f"http_{status}"
    assert info.value.transient is True
    assert info.value.failure_type == "sms_server"
    assert fake.messages == []


def test_5xx_with_error_body_is_transient(fake, client):
    fake.forced = [(500, {"error": 201, "message": "Internal error"})]
    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text")
    assert (info.value.code, info.value.transient) == (201, True)


@pytest.mark.parametrize(("status", "transient"), [(429, True), (404, False)])
def test_other_http_errors(fake, client, status, transient):
    fake.forced = [status]
    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text")
    assert info.value.transient is transient


def test_retry_after_forced_errors_succeeds(fake, client):
    fake.forced = [500, 500, None]
    errors = []
    for _attempt in range(3):
        try:
            result = client.send("+48600100200", "text")
            break
        except SmsGatewayError as exc:
            assert exc.transient
            errors.append(exc.code)
    assert errors == ["http_500", "http_500"]
    assert result.status == "QUEUE"
    assert len(fake.messages) == 1
    assert fake.request_count == 3


def test_timeout_is_transient(fake):
    fake.delay = 2
    client = SmsGatewayClient(fake.base_url, TOKEN, "FIRMA", timeout=0.2)

    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text")

    assert info.value.code == "timeout"
    assert info.value.transient is True


def test_retry_with_idx_after_timeout_is_not_sent_twice(fake):
    fake.delay = 1
    client = SmsGatewayClient(fake.base_url, TOKEN, "FIRMA", timeout=0.2)
    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text", idx="uuid-1")
    assert info.value.transient
    fake.delay = 0

    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text", idx="uuid-1")

    assert info.value.duplicate
    assert info.value.transient is False
    assert len(fake.messages) == 1
    assert fake.requests[0][2]["check_idx"] == "1"
    assert client.send("+48600100200", "text", idx="uuid-2").status == "QUEUE"


def test_connection_refused_is_transient():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = SmsGatewayClient(f"http://127.0.0.1:{port}", TOKEN, "FIRMA", timeout=1)

    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text")

    assert (info.value.code, info.value.transient) == ("unreachable", True)


@pytest.mark.parametrize(
    "body",
    ["<html>proxy error</html>", {"count": 0, "list": []}, {"list": [{"x": 1}]}],
)
def test_unexpected_answer_is_transient(fake, client, body):
    fake.forced = [(200, body)]
    with pytest.raises(SmsGatewayError) as info:
        client.send("+48600100200", "text")
    assert (info.value.code, info.value.transient) == ("bad_response", True)


def test_session_is_used(fake):
    session = requests.Session()
    session.headers["X-Test"] = "1"
    client = SmsGatewayClient(fake.base_url, TOKEN, "FIRMA", session=session)
    assert client.session is session
    client.send("+48600100200", "text")
    assert len(fake.messages) == 1


# --- status ---------------------------------------------------------------


def test_status_transitions(fake, client):
    message_id = client.send("+48600100200", "text").message_id

    seen = [client.status(message_id) for _ in range(4)]

    assert seen == ["QUEUE", "SENT", "DELIVERED", "DELIVERED"]
    method, path, _fields = fake.requests[1]
    assert method == "GET"
    assert path == f"/sms.do?status={message_id}&format=json"


def test_status_injected_transitions(fake, client):
    message_id = client.send("+48600100200", "text").message_id
    fake.transitions[message_id] = ["SENT", "UNDELIVERED"]

    assert client.status(message_id) == "SENT"
    assert client.status(message_id) == "UNDELIVERED"
    assert sms_gateway.odoo_sms_state("UNDELIVERED") == (
        "error",
        "sms_not_delivered",
    )


@pytest.mark.parametrize("message_id", ["", None, "A,B"])
def test_status_refuses_bad_id(fake, client, message_id):
    with pytest.raises(ValueError):
        client.status(message_id)
    assert fake.request_count == 0


def test_status_unknown_id(client):
    assert client.status("DEADBEEF") == "NOT_FOUND"
    assert sms_gateway.odoo_sms_state("NOT_FOUND") is None


def test_status_wrong_token(fake):
    client = SmsGatewayClient(fake.base_url, "wrong", "FIRMA", timeout=5)
    with pytest.raises(SmsGatewayError) as info:
        client.status("1")
    assert (info.value.code, info.value.transient) == (101, False)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("QUEUE", ("pending", False)),
        ("sent", ("pending", False)),
        ("DELIVERED", ("sent", False)),
        ("EXPIRED", ("error", "sms_expired")),
        ("FAILED", ("error", "sms_server")),
        (None, None),
    ],
)
def test_odoo_sms_state(status, expected):
    assert sms_gateway.odoo_sms_state(status) == expected


# --- old trunk prefix -----------------------------------------------------


@pytest.mark.parametrize(
    ("number", "region", "expected"),
    [
        ("022 123 45 67", "PL", "221234567"),
        ("0 600 100 200", "PL", "600100200"),
        ("(0-22) 123-45-67", "PL", "221234567"),
        ("+48 (0) 22 123 45 67", "PL", "+48 22 123 45 67"),
        ("0048 ( 0 ) 600 100 200", "PL", "0048 600 100 200"),
        ("+49 (0)30 123456", "DE", "+49 30 123456"),
        ("022 123 45 67", "DE", None),  # a live trunk prefix elsewhere
        ("600 100 200", "PL", None),
        ("0048 600 100 200", "PL", None),  # an international prefix
        ("0022 123 45 6", "PL", None),
        ("+48 600 100 200", "PL", None),
        ("", "PL", None),
        (False, "PL", None),
    ],
)
def test_without_old_trunk_prefix(number, region, expected):
    assert without_old_trunk_prefix(number, region) == expected
