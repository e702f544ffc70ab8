"""A local fake of an SMSAPI.pl-style SMS gateway for tests.

Usage::

    fake = FakeSmsGateway(token="secret")
    with fake as base_url:
        SmsGatewayClient(base_url, "secret", "FIRMA").send("+48600100200", "Hej")
    assert fake.messages[0]["message"] == "Hej"

It answers ``POST /sms.do`` (send) and ``GET /sms.do?status=<ids>`` (status)
with the gateway's JSON shapes and error codes: 101 for a missing or wrong
bearer token, 11 for an empty message, 13 for an invalid number (not 9 to 15
digits, or listed in ``invalid_numbers``), 14 for a sender not in
``senders`` (when set), 53 for a repeated ``idx`` sent with ``check_idx=1``.
Errors come with HTTP 401/400, or HTTP 200 when ``errors_with_http_200``.

Injected behaviour: ``forced`` is a queue consumed one per request, each
item None (answer normally), an HTTP status (e.g. 500, plain-text body) or
a ``(status, body)`` pair (a dict body is sent as JSON); ``delay`` (seconds)
holds every answer back, after the request has been processed (a client
that times out has still sent its SMS). ``transitions[id]`` is the list of
statuses successive status look-ups of a message return (the last one
sticks); new messages get ``default_transitions``. ``requests`` records
every request as (method, path, fields).
"""

import itertools
import json
import time
from urllib.parse import parse_qsl, urlsplit

from .fake_server import FakeHandler, LocalFakeServer

POINTS = 0.16
DEFAULT_TRANSITIONS = ("QUEUE", "SENT", "DELIVERED")
_ERRORS = {
    11: "Message too long or there is no message",
    13: "No correct phone numbers",
    14: "Wrong sender name",
    53: "Not unique idx parameter",
    101: "Authorization failed",
}
_ERROR_HTTP = {101: 401}


class _Handler(FakeHandler):
    def do_GET(self):
        self._reply("GET", {})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        self._reply("POST", dict(parse_qsl(body, keep_blank_values=True)))

    def _reply(self, method, fields):
        query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        self.send_payload(
            *self.server.fake.respond(
                method, self.path, self.headers.get("Authorization"), query | fields
            )
        )


class FakeSmsGateway(LocalFakeServer):
    """In-memory SMS gateway on 127.0.0.1, run in a daemon thread."""

    handler_class = _Handler

    def __init__(self, token="test-token", senders=None):
        super().__init__()
        self.token = token
        self.senders = senders
        self.invalid_numbers = set()
        self.errors_with_http_200 = False
        self.forced = []
        self.delay = 0.0
        self.default_transitions = DEFAULT_TRANSITIONS
        self.transitions = {}
        self.messages = []
        self.requests = []
        self._ids = itertools.count(1)
        self._idx_seen = set()

    @property
    def request_count(self):
        return len(self.requests)

    def respond(self, method, raw_path, authorization, fields):
        """Return (status, content type, body) for one request."""
        with self._lock:
            self.requests.append((method, raw_path, dict(fields)))
            forced = self.forced.pop(0) if self.forced else None
            if forced is None:
                answer = self._answer(method, raw_path, authorization, fields)
        if self.delay:
            self._closing.wait(self.delay)
        if forced is None:
            return answer
        status, body = forced if isinstance(forced, tuple) else (forced, None)
        if isinstance(body, dict):
            return status, "application/json", json.dumps(body)
        return status, "text/plain", body if body is not None else f"{status} Error"

    def _answer(self, method, raw_path, authorization, fields):
        if urlsplit(raw_path).path != "/sms.do":
            return 404, "text/plain", "404 Not Found"
        if authorization != f"Bearer {self.token}":
            return self._error(101)
        if method == "GET" and "status" in fields:
            return self._json(200, self._status_body(fields["status"]))
        if method != "POST":
            return self._error(8)
        return self._send(fields)

    def _send(self, fields):
        message = fields.get("message", "")
        submitted = fields.get("to", "")
        number = f"48{submitted}" if len(submitted) == 9 else submitted
        sender = fields.get("from")
        idx = fields.get("idx")
        if not message:
            return self._error(11)
        if not (number.isdigit() and 11 <= len(number) <= 15):
            return self._error(13)
        if number in self.invalid_numbers or submitted in self.invalid_numbers:
            return self._error(13)
        if self.senders is not None and sender not in self.senders:
            return self._error(14)
        if idx and fields.get("check_idx") == "1":
            if idx in self._idx_seen:
                return self._error(53)
            self._idx_seen.add(idx)
        item = {
            "id": f"{next(self._ids):024X}",
            "points": POINTS,
            "number": number,
            "date_sent": int(time.time()),
            "submitted_number": submitted,
            "status": "QUEUE",
            "idx": idx,
        }
        self.messages.append(
            {
                "id": item["id"],
                "to": number,
                "message": message,
                "from": sender,
                "idx": idx,
                "encoding": fields.get("encoding"),
            }
        )
        self.transitions.setdefault(item["id"], list(self.default_transitions))
        return self._json(200, {"count": 1, "list": [item]})

    def _status_body(self, ids):
        items = []
        sent = {message["id"]: message for message in self.messages}
        for message_id in ids.split(","):
            message = sent.get(message_id)
            steps = self.transitions.get(message_id)
            if message is None or not steps:
                status = "NOT_FOUND"
            else:
                status = steps.pop(0) if len(steps) > 1 else steps[0]
            items.append(
                {
                    "id": message_id,
                    "number": message["to"] if message else None,
                    "points": POINTS if message else 0,
                    "status": status,
                    "idx": message["idx"] if message else None,
                }
            )
        return {"count": len(items), "list": items}

    def _error(self, code):
        status = 200 if self.errors_with_http_200 else _ERROR_HTTP.get(code, 400)
        message = _ERRORS.get(code, "Error in request")
        return self._json(status, {"error": code, "message": message})

    @staticmethod
    def _json(status, body):
        return status, "application/json", json.dumps(body)
