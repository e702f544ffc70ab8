import socket
from decimal import Decimal

import pytest
import requests
from fake_sms_gateway import FakeSmsGateway
from odoo.addons.crm_invoicing_pl.tools import sms_gateway
from odoo.addons.crm_invoicing_pl.tools.sms_gateway import (
    SmsGatewayClient,
    SmsGatewayError,
    SmsSendResult,
    fold_to_gsm7,
    is_gsm7,
    sms_length,
    sms_segments,
    sms_text_for_document,
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


# --- segments and text ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "gsm7", "length", "segments"),
    [
        ("", True, 0, 0),
        ("a" * 160, True, 160, 1),
        ("a" * 161, True, 161, 2),
        ("a" * 306, True, 306, 2),
        ("a" * 307, True, 307, 3),
        ("€" * 80, True, 160, 1),  # extension table: two septets each
        ("€" * 81, True, 162, 2),
        ("a" * 152 + "€" + "a" * 10, True, 164, 2),  # escape kept whole
        ("a" * 152 + "€" + "a" * 152, True, 306, 3),
        ("é" * 160, True, 160, 1),  # é is in the GSM-7 alphabet
        ("ó", False, 1, 1),  # ó is not
        ("ą" * 70, False, 70, 1),
        ("ą" * 71, False, 71, 2),
        ("ą" * 134, False, 134, 2),
        ("ą" * 135, False, 135, 3),
        ("Zażółć gęślą jaźń", False, 17, 1),
        ("😀" * 35, False, 70, 1),  # surrogate pairs: two units each
        ("a" * 66 + "😀" + "a", False, 69, 1),
        ("a" * 66 + "😀" + "a" * 4, False, 72, 2),
    ],
)
def test_sms_segments(text, gsm7, length, segments):
    assert is_gsm7(text) is gsm7
    assert sms_length(text) == length
    assert sms_segments(text) == segments


def test_fold_to_gsm7():
    assert fold_to_gsm7("Zażółć gęślą jaźń ŁÓDŹ") == "Zazolc gesla jazn LODZ"
    assert fold_to_gsm7("1\u00a0234,56\u202fzł – „ok”") == '1 234,56 zl - "ok"'
    assert fold_to_gsm7("café") == "café"  # é is GSM-7 already
    assert fold_to_gsm7("naïve ç") == "naive c"
    assert is_gsm7(fold_to_gsm7("Faktura na kwotę 1 234,56 zł"))


def test_sms_text_short_keeps_diacritics():
    text = sms_text_for_document(
        "Faktura VAT", "FV/1/11/2026", "1 234,56 zł", "https://x.pl/a"
    )
    assert text == "Faktura VAT FV/1/11/2026 na kwotę 1 234,56 zł: https://x.pl/a"
    assert sms_segments(text) == 1
    assert not is_gsm7(text)


def test_sms_text_folds_diacritics_before_trimming():
    text = sms_text_for_document(
        "Faktura VAT", "FV/1/11/2026", "1\u00a0234,56 zł", LINK
    )

    assert text == f"Faktura VAT FV/1/11/2026 na kwote 1 234,56 zl: {LINK}"
    assert is_gsm7(text)
    assert sms_segments(text) == 1


def test_sms_text_drops_amount_before_cutting_anything():
    long_link = "https://crm.example.pl/my/invoices/42?access_token=" + "x" * 80
    text = sms_text_for_document(
        "Faktura VAT", "FV/1/11/2026", "1 234 567,89 zł", long_link
    )

    assert text == "Faktura VAT FV/1/11/2026: " + long_link
    assert len(text) <= 160
    assert sms_segments(text) == 1


@pytest.mark.parametrize(
    ("link_len", "expected_head"),
    [
        (134, "Faktura VAT FV/1/11/2026: "),
        (135, "Faktura FV/1/11/2026: "),
        (139, "Faktura VAT: "),
        (148, "Faktura: "),
        (152, ""),
    ],
)
def test_sms_text_trims_text_never_link(link_len, expected_head):
    link = "https://x.pl/" + "a" * (link_len - 13)
    text = sms_text_for_document("Faktura VAT", "FV/1/11/2026", "1 234,56 zł", link)
    assert text == expected_head + link
    assert len(text) <= 160


def test_sms_text_without_folding():
    link = "https://x.pl/a"
    title, number = "Faktura korygująca", "KOR/1/11/2026"

    text = sms_text_for_document(title, number, "", link, fold_diacritics=False)
    assert text == "Faktura korygująca KOR/1/11/2026: https://x.pl/a"
    assert not is_gsm7(text)

    # UCS-2 budget of max_len=80 is 35: the diacritic word goes, GSM-7 again.
    text = sms_text_for_document(title, number, "", link, 80, fold_diacritics=False)
    assert text == "Faktura KOR/1/11/2026: https://x.pl/a"


def test_sms_text_folds_title():
    text = sms_text_for_document("Faktura korygująca", "KOR/1/11/2026", "", LINK)
    assert text == "Faktura korygujaca KOR/1/11/2026: " + LINK
    assert is_gsm7(text)


def test_sms_text_too_long_link_or_no_link():
    assert sms_text_for_document("F", "1", "1 zł", "https://x.pl/" + "a" * 147)
    with pytest.raises(ValueError):
        sms_text_for_document("F", "1", "1 zł", "https://x.pl/" + "a" * 148)
    with pytest.raises(ValueError):
        sms_text_for_document("Faktura", "FV/1", "1 zł", " ")


def test_sms_text_custom_max_len():
    link = "https://x.pl/a"
    text = sms_text_for_document("Faktura VAT", "FV/1/11/2026", "1 234,56 zł", link, 40)
    assert text == "Faktura VAT FV/1/11/2026: https://x.pl/a"
    text = sms_text_for_document(
        "Faktura VAT", "FV/1", "1 zł", link, max_len=40, max_len_ucs2=46
    )
    assert text == "Faktura VAT FV/1 na kwotę 1 zł: https://x.pl/a"
