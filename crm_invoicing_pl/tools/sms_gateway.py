"""Client of a REST SMS gateway (SMSAPI.pl style) and SMS text helpers.

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

SMS length: a message that fits the GSM 03.38 7-bit alphabet takes 160
characters in one segment (153 per segment when split, characters of the
extension table count twice); any other character, Polish diacritics
included, switches the whole message to UCS-2: 70 characters, 67 per segment.
"""

import json
import re
import unicodedata
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

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
GSM7_LIMITS = (160, 153)  # one segment, each segment of a split message
UCS2_LIMITS = (70, 67)

_ChunkedEncodingError = requests.exceptions.ChunkedEncodingError
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_SPACES = re.compile(r"\s+")
_FOLD = str.maketrans(
    {
        "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s",
        "ź": "z", "ż": "z", "Ą": "A", "Ć": "C", "Ę": "E", "Ł": "L", "Ń": "N",
        "Ó": "O", "Ś": "S", "Ź": "Z", "Ż": "Z",
        "–": "-", "—": "-", "„": '"', "”": '"', "“": '"', "‘": "'", "’": "'",
        "…": "...",
    }
)  # fmt: skip


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


# --- SMS text --------------------------------------------------------------


def is_gsm7(text):
    """True when ``text`` fits the GSM 03.38 7-bit alphabet."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _units(text):
    """Per-character size: septets (GSM-7) or UTF-16 code units (UCS-2)."""
    if is_gsm7(text):
        return [2 if char in GSM7_EXTENSION else 1 for char in text], GSM7_LIMITS
    return [len(char.encode("utf-16-le")) // 2 for char in text], UCS2_LIMITS


def sms_length(text):
    """Return the length of ``text`` in its encoding's units."""
    return sum(_units(text)[0])


def sms_segments(text):
    """Return the number of SMS segments ``text`` is sent as (0 for "").

    An escaped GSM-7 character or a UTF-16 surrogate pair is never split
    between two segments.
    """
    units, (single, multi) = _units(text)
    if sum(units) <= single:
        return 1 if units else 0
    segments, used = 1, 0
    for size in units:
        if used + size > multi:
            segments, used = segments + 1, 0
        used += size
    return segments


def fold_to_gsm7(text):
    """Replace Polish diacritics and typographic signs by GSM-7 look-alikes.

    Characters with no GSM-7 equivalent are kept (the text then stays UCS-2).
    """
    out = []
    for char in _normalize_spaces(text).translate(_FOLD):
        if char not in GSM7_BASIC and char not in GSM7_EXTENSION:
            base = unicodedata.normalize("NFKD", char)[:1]
            if base and base != char and base in GSM7_BASIC:
                char = base
        out.append(char)
    return "".join(out)


def sms_text_for_document(
    doc_title,
    number,
    amount_text,
    link,
    max_len=160,
    max_len_ucs2=None,
    fold_diacritics=True,
):
    """Build a one-segment SMS announcing a document and its link.

    "Faktura VAT FV/1/11/2026 na kwotę 1 234,56 zł: https://..." must fit
    ``max_len`` GSM-7 characters, or ``max_len_ucs2`` UCS-2 characters when a
    character (a Polish diacritic) forces UCS-2; ``max_len_ucs2`` defaults to
    the same payload, ``max_len * 7 // 16`` (70 for 160). When it does not
    fit, the diacritics are folded first (``fold_diacritics``: "kwote ...
    zl", GSM-7 again), then whole parts of the text are dropped, never cut in
    the middle (an amount is never shortened into another amount): the
    amount, then the title's words after the first one, then the number;
    at worst the SMS is the link alone. The link is never shortened:
    ValueError when it does not fit on its own.
    """
    link = (link or "").strip()
    if not link:
        raise ValueError("An SMS for a document needs a link")
    if max_len_ucs2 is None:
        max_len_ucs2 = max_len * 7 // 16
    words = _normalize_spaces(doc_title or "").split()
    number = _normalize_spaces(number or "")
    amount = _normalize_spaces(amount_text or "")
    amount = f"na kwotę {amount}" if amount else ""
    for parts in (
        [*words, number, amount],
        [*words, number],
        [*words[:1], number],
        words,
        words[:1],
        [],
    ):
        head = " ".join(part for part in parts if part)
        candidates = [head, fold_to_gsm7(head)] if fold_diacritics else [head]
        for candidate in candidates:
            message = f"{candidate}: {link}" if candidate else link
            if _fits(message, max_len, max_len_ucs2):
                return message
    raise ValueError(f"The link alone does not fit in one SMS: {link!r}")


def _normalize_spaces(text):
    """Collapse whitespace, no-break and thin spaces included, to one space."""
    return _SPACES.sub(" ", str(text)).strip()


def _fits(message, max_len, max_len_ucs2):
    limit = max_len if is_gsm7(message) else max_len_ucs2
    return sms_length(message) <= limit
