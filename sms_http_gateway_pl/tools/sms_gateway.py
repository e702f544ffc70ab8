"""Client of a REST SMS gateway (SMSAPI.pl style).

Pure Python, no Odoo. The gateway API:

* send: ``POST {base_url}/sms.do`` with the form fields ``to`` (digits with
  the country code, no "+"), ``message``, ``from`` (registered sender name),
  ``format=json``, ``encoding=utf-8`` and, optionally, ``idx`` with
  ``check_idx=1`` (the gateway refuses a second message with the same idx:
  error 53), header ``Authorization: Bearer <token>``; the answer is
  ``{"count": 1, "list": [{"id": ..., "points": ..., "status": "QUEUE", ...}]}``;
* status: ``GET {base_url}/sms.do?status=<id>&format=json``, same shape;
* errors: ``{"error": <code>, "message": ...}`` with HTTP 200 or 4xx.

Every failure is an SmsGatewayError whose ``transient`` flag tells the caller
whether to retry (server errors, timeouts, unreachable gateway) or to record
a permanent error (authorisation, credit, invalid number...). Pass the same
``idx`` (e.g. the ``sms.sms`` uuid) on each retry of one message: a retry
after a timeout that the gateway did process then gets error 53 (see
``SmsGatewayError.duplicate``) instead of sending the SMS twice.
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import requests

DEFAULT_BASE_URL = "https://api.smsapi.pl"

# Gateway error codes (SMSAPI.pl numbering).
ERROR_REQUEST = 8
ERROR_MESSAGE = 11
ERROR_INVALID_NUMBER = 13
ERROR_SENDER = 14
ERROR_DUPLICATE_IDX = 53
ERROR_AUTH = 101
ERROR_LOGIN = 102
ERROR_NO_CREDIT = 103
ERROR_SYSTEM = 201
ERROR_INTERNAL = 999
TRANSIENT_ERRORS = frozenset({ERROR_REQUEST, ERROR_SYSTEM, ERROR_INTERNAL})
TRANSIENT_HTTP = frozenset({408, 429})

# SmsGatewayError.code -> sms.sms failure_type (Odoo's "sms" add-on).
FAILURE_TYPES = {
    ERROR_INVALID_NUMBER: "sms_number_format",
    ERROR_AUTH: "sms_acc",
    ERROR_LOGIN: "sms_acc",
    ERROR_NO_CREDIT: "sms_credit",
}

# Delivery status -> (sms.sms state, failure_type) of Odoo's "sms" add-on;
# NOT_FOUND (unknown id or expired report) is left out on purpose.
ODOO_SMS_STATES = {
    "QUEUE": ("pending", False),
    "ACCEPTED": ("pending", False),
    "SENT": ("pending", False),
    "RENEWAL": ("pending", False),
    "UNKNOWN": ("pending", False),
    "DELIVERED": ("sent", False),
    "UNDELIVERED": ("error", "sms_not_delivered"),
    "EXPIRED": ("error", "sms_expired"),
    "FAILED": ("error", "sms_server"),
    "STOP": ("error", "sms_rejected"),
}

_ChunkedEncodingError = requests.exceptions.ChunkedEncodingError
_E164 = re.compile(r"\+[1-9]\d{6,14}")


@dataclass(frozen=True)
class SmsSendResult:
    """The gateway's answer to one accepted message."""

    message_id: str
    status: str
    points: Decimal | None


class SmsGatewayError(Exception):
    """SMS gateway failure.

    ``code`` is the gateway's error number (101, 13, ...) when it gave one,
    otherwise "timeout", "unreachable", "http_<status>" or "bad_response";
    ``transient`` tells whether a later retry may succeed; ``str()`` is a
    plain English message (never containing the token).
    """

    def __init__(self, code, message, transient, http_status=None):
        super().__init__(message)
        self.code = code
        self.transient = transient
        self.http_status = http_status

    @property
    def duplicate(self):
        """True when the gateway already has a message with this idx."""
        return self.code == ERROR_DUPLICATE_IDX

    @property
    def failure_type(self):
        """The matching ``sms.sms`` failure_type of Odoo's "sms" add-on."""
        if self.transient:
            return "sms_server"
        return FAILURE_TYPES.get(self.code, "unknown")


class SmsGatewayClient:
    """Minimal client of the gateway's ``sms.do`` endpoint."""

    def __init__(self, base_url, token, sender, timeout=10, session=None):
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.token = token
        self.sender = sender
        self.timeout = timeout
        self.session = session or requests.Session()

    def send(self, to_e164, text, idx=None):
        """Send ``text`` to ``to_e164``; return an SmsSendResult.

        ``idx`` (optional, up to 255 characters) is a caller's id of the
        message: the gateway refuses to send a second message with it.
        """
        if not _E164.fullmatch(to_e164 or ""):
            raise ValueError(f"Not an E.164 phone number: {to_e164!r}")
        if not text:
            raise ValueError("Empty SMS text")
        form = {
            "to": to_e164[1:],
            "message": text,
            "format": "json",
            "encoding": "utf-8",
        }
        if self.sender:
            form["from"] = self.sender
        if idx:
            form.update(idx=str(idx), check_idx="1")
        item = _first_item(self._call("POST", form))
        try:
            points = item.get("points")
            return SmsSendResult(
                message_id=str(item["id"]),
                status=str(item["status"]).upper(),
                points=None if points is None else Decimal(str(points)),
            )
        except (KeyError, InvalidOperation) as exc:
            raise _bad_response(exc) from exc

    def status(self, message_id):
        """Return the delivery status of a message ("QUEUE", "DELIVERED", ...)."""
        message_id = str(message_id or "")
        if not message_id or "," in message_id:
            raise ValueError(f"Not a message id: {message_id!r}")
        data = self._call("GET", {"status": message_id, "format": "json"})
        item = _first_item(data, message_id)
        try:
            return str(item["status"]).upper()
        except KeyError as exc:
            raise _bad_response(exc) from exc

    def _call(self, method, fields):
        """Call ``sms.do``; return the decoded JSON answer or raise."""
        url = f"{self.base_url}/sms.do"
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/json",
        }
        try:
            if method == "POST":
                response = self.session.post(
                    url, data=fields, headers=headers, timeout=self.timeout
                )
            else:
                response = self.session.get(
                    url, params=fields, headers=headers, timeout=self.timeout
                )
        except requests.Timeout as exc:
            raise SmsGatewayError(
                "timeout", f"SMS gateway did not answer in time ({url}).", True
            ) from exc
        except (requests.ConnectionError, _ChunkedEncodingError) as exc:
            raise SmsGatewayError(
                "unreachable", f"SMS gateway is unreachable ({url}): {exc}", True
            ) from exc
        except requests.RequestException as exc:
            raise SmsGatewayError(
                "bad_request", f"SMS gateway request failed ({url}): {exc}", False
            ) from exc
        return _check_response(response)


def _check_response(response):
    status = response.status_code
    try:
        data = json.loads(response.content, parse_float=Decimal)
    except ValueError:
        data = None
    error = data.get("error") if isinstance(data, dict) else None
    if error:
        code = _int_or_none(error)
        text = str(data.get("message") or "no message")
        transient = status >= 500 or code in TRANSIENT_ERRORS
        raise SmsGatewayError(
            code if code is not None else str(error),
            f"SMS gateway error {error}: {text}",
            transient,
            http_status=status,
        )
    if status != 200:
        transient = status >= 500 or status in TRANSIENT_HTTP
        raise SmsGatewayError(
            f"http_{status}",
            f"SMS gateway answered HTTP {status}.",
            transient,
            http_status=status,
        )
    if not isinstance(data, dict):
        # The gateway may have acted on the request: retry (with idx).
        raise SmsGatewayError(
            "bad_response", "SMS gateway answered with no JSON object.", True, 200
        )
    return data


def _first_item(data, message_id=None):
    """The entry of ``message_id`` (or the first one) of an answer's list."""
    items = data.get("list")
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        raise _bad_response(f"no message in the answer: {data!r}")
    if message_id is not None:
        for item in items:
            if isinstance(item, dict) and str(item.get("id")) == message_id:
                return item
    return items[0]


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bad_response(exc):
    return SmsGatewayError(
        "bad_response", f"Unexpected answer from the SMS gateway: {exc}", True, 200
    )


def odoo_sms_state(status):
    """Map a delivery status to (sms.sms state, failure_type), or None."""
    return ODOO_SMS_STATES.get(str(status or "").upper())
