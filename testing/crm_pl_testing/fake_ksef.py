"""A local fake of the KSeF API 2.0 (the parts an invoicing client uses).

Usage::

    fake = FakeKsef(nip="5260250274", ksef_token="tok")
    with fake as api_url:  # http://127.0.0.1:<port>/v2
        ...  # point l10n_pl_edi's client at api_url
    assert len(fake.invoices) == 1

It speaks the protocol of the OpenAPI description (``/work/shared/specs/ksef``)
the way l10n_pl_edi's ``KsefApiService`` uses it, with real cryptography:

- ``GET /security/public-key-certificates``: a self-signed RSA certificate
  generated when the fake is made, for ``KsefTokenEncryption`` and
  ``SymmetricKeyEncryption``;
- ``POST /auth/challenge``, ``POST /auth/ksef-token`` (the KSeF token and the
  challenge's ``timestampMs``, RSA-OAEP/SHA-256 encrypted, are checked),
  ``GET /auth/{ref}``, ``POST /auth/token/redeem``, ``POST /auth/token/refresh``;
  every other call needs ``Authorization: Bearer <access token>`` (401 if not);
- ``POST /sessions/online`` (the AES key is decrypted with the private key),
  ``POST /sessions/online/{ref}/invoices`` (the invoice is decrypted and its
  hashes and sizes checked), ``POST /sessions/online/{ref}/close``,
  ``GET /sessions/{ref}``, ``GET /sessions/{ref}/invoices``,
  ``GET /sessions/{ref}/invoices/{invoiceRef}`` and ``.../upo`` (UPO v4-3).

Per-test script: ``send_script`` is a queue consumed one item per invoice
sent: ``"accept"`` (the default), ``("reject", 450)`` or ``("reject", 450,
"details")`` (the invoice is received, its status is that KSeF code),
``("busy", 30)`` (HTTP 429 with ``Retry-After: 30``, nothing received) or
``("hang", 5)`` (the invoice is received, the answer comes only after 5 s,
past the client's timeout). ``open_script`` does the same for opening a
session (``"busy"`` / ``"hang"`` items only). A second invoice with the same
seller NIP and number as an accepted one gets 440 (duplicate), as in KSeF.
``invoices`` records every invoice received (decrypted XML, hash, session,
reference, outcome); ``requests`` every request as (method, path).

Batch sessions (*Wysyłka wsadowa*): ``POST /sessions/batch`` checks the
request's shape and limits (form code, ``batchFile`` with 1 to 50 parts of
at most 100 MB before encryption, the key) and answers with one upload
request per part, ``PUT`` to ``/storage/{ref}/batch-parts/{n}`` on the fake
itself (no access token, as KSeF's storage); an upload whose size or SHA-256
differs from the declared one is refused (400). ``POST
/sessions/batch/{ref}/close`` checks that every part came, then decrypts,
joins and unzips the package and receives its invoices (each named by its
``invoiceFileName``); ``GET /sessions/{ref}`` gives the batch codes (100
open, 150 processing for ``batch_processing_polls`` polls, 200, 440 timed
out, 445 no valid invoice, 405 / 435 bad package). Per test:
``batch_reject`` maps an invoice number (``P_2``) to ``(code, details)``
(e.g. ``(430, "schema error ...")``); ``batch_timeout = True`` makes the
close come too late (400 21208, the session cancelled, nothing received);
``close_script`` (``("busy", s)``: 429, nothing done; ``("hang", s)``: the
session is closed and processed, the answer comes too late); ``latency``
(seconds) delays every answer (for benchmarks).
"""

import base64
import hashlib
import itertools
import json
import os
import re
import time
import zipfile
from datetime import UTC, datetime, timedelta
from io import BytesIO
from urllib.parse import parse_qsl, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, padding as sym_padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.oid import NameOID
from lxml import etree

from .fake_server import FakeHandler, LocalFakeServer

FA3_NS = "http://crd.gov.pl/wzor/2025/06/25/13775/"
UPO_NS = "http://upo.schematy.mf.gov.pl/KSeF/v4-3"
_OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)
STATUS_TEXT = {
    100: "Faktura przyjęta do dalszego przetwarzania",
    150: "Trwa przetwarzanie",
    200: "Sukces",
    430: "Błąd weryfikacji pliku faktury",
    440: "Duplikat faktury",
    450: "Błąd weryfikacji semantyki dokumentu faktury",
}
BATCH_STATUS_TEXT = {
    100: "Sesja wsadowa rozpoczęta",
    150: "Trwa przetwarzanie",
    200: "Sesja wsadowa przetworzona pomyślnie",
    405: "Błąd weryfikacji poprawności dostarczonych elementów paczki",
    420: "Przekroczony limit faktur w sesji",
    435: "Błąd odszyfrowania zaszyfrowanych części archiwum",
    440: "Sesja anulowana",
    445: "Błąd weryfikacji, brak poprawnych faktur",
}
BATCH_MAX_PARTS = 50
BATCH_MAX_PART_BYTES = 100_000_000  # before encryption
BATCH_MAX_INVOICES = 10_000


def _now():
    return datetime.now(UTC)


def _iso(moment):
    return moment.isoformat(timespec="milliseconds")


def _b64(data):
    return base64.b64encode(data).decode("ascii")


def _sha256_b64(data):
    return _b64(hashlib.sha256(data).digest())


class _Handler(FakeHandler):
    def do_GET(self):
        self._reply("GET")

    def do_POST(self):
        self._reply("POST")

    def do_PUT(self):
        self._reply("PUT")

    def _reply(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, payload, headers = self.server.fake.respond(
            method, self.path, self.headers, body
        )
        if status is None:  # the client gave up, nothing to answer
            return
        if isinstance(payload, bytes):
            content_type = "application/xml"
        else:
            content_type = "application/json"
            payload = (
                json.dumps(payload).encode("utf-8") if payload is not None else b""
            )
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _problem(status, title, detail):
    return {
        "title": title,
        "status": status,
        "detail": detail,
        "timestamp": _iso(_now()),
    }


def _exception(code, description, details=""):
    return {
        "exception": {
            "exceptionDetailList": [
                {
                    "exceptionCode": code,
                    "exceptionDescription": description,
                    "details": [details] if details else [],
                }
            ],
            "timestamp": _iso(_now()),
        }
    }


class FakeKsef(LocalFakeServer):
    """In-memory KSeF API 2.0 on 127.0.0.1, run in a daemon thread."""

    handler_class = _Handler

    def __init__(self, nip="5260250274", ksef_token="test-ksef-token"):
        super().__init__()
        self.nip = nip
        self.ksef_token = ksef_token
        self.private_key = rsa.generate_private_key(
            public_exponent=65537, key_size=2048
        )
        self.certificate = self._self_signed(self.private_key)
        self.send_script = []
        self.open_script = []
        self.status_polls_in_progress = 0  # answers 150 this many times first
        # A faulty KSeF whose list of a session's invoices never ends.
        self.session_list_endless = False
        self.invoices = []
        self.requests = []
        self.challenges = {}  # challenge -> timestampMs
        self.auth_operations = {}  # reference -> operation dict
        self.access_tokens = set()
        self.refresh_tokens = set()
        self.sessions = {}  # reference -> session dict
        self.batch_reject = {}  # invoice number (P_2) -> (code, details)
        self.batch_timeout = False
        self.close_script = []  # batch close: "busy" / "hang" items
        self.batch_processing_polls = 0
        self.latency = 0.0
        self._counter = itertools.count(1)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _url(self):
        return f"{self.base_url}/v2"

    @staticmethod
    def _self_signed(key):
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "PL"),
                x509.NameAttribute(NameOID.COMMON_NAME, "Fake KSeF encryption"),
            ]
        )
        start = _now() - timedelta(days=1)
        return (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + timedelta(days=30))
            .sign(key, hashes.SHA256())
        )

    def _reference(self, kind):
        number = next(self._counter)
        return "%s-%s-%010X-%010X-%02X" % (
            _now().strftime("%Y%m%d"),
            kind,
            number,
            int.from_bytes(os.urandom(5), "big"),
            number % 256,
        )

    def _ksef_number(self, seller_nip):
        return "%s-%s-%s-%s-%02X" % (
            seller_nip,
            _now().strftime("%Y%m%d"),
            os.urandom(3).hex().upper(),
            os.urandom(3).hex().upper(),
            next(self._counter) % 256,
        )

    def _token(self, kind):
        return f"{kind}.{os.urandom(12).hex()}"

    @staticmethod
    def _bearer(headers):
        value = headers.get("Authorization") or ""
        return value[7:] if value.startswith("Bearer ") else None

    @staticmethod
    def _get(data, key):
        """A JSON property, case-insensitively (as KSeF's .NET binder)."""
        for name, value in (data or {}).items():
            if name.lower() == key.lower():
                return value
        return None

    def expire_access_tokens(self):
        """The access tokens given so far stop working (401), as after 15 min."""
        with self._lock:
            self.access_tokens.clear()

    @property
    def sent_hashes(self):
        return [invoice["hash"] for invoice in self.invoices]

    # ------------------------------------------------------------------
    # dispatch
    # ------------------------------------------------------------------
    def respond(self, method, raw_path, headers, body):
        """Return (status, JSON-able or bytes payload, extra headers)."""
        url = urlsplit(raw_path)
        path = url.path
        with self._lock:
            self.requests.append((method, path))
        if self.latency:
            time.sleep(self.latency)
        if method == "PUT" and (
            match := re.fullmatch(r"/storage/([\w-]+)/batch-parts/(\d+)", path)
        ):
            return self._upload_part(body, match.group(1), int(match.group(2)))
        if method == "GET" and (
            match := re.fullmatch(r"/storage/([\w-]+)/invoice-upo/([\w-]+)\.xml", path)
        ):
            status, upo, _headers = self._invoice_upo(None, None, *match.groups())
            if status != 200:
                return 404, _problem(404, "Not Found", path), None
            return 200, upo, {"x-ms-meta-hash": _sha256_b64(upo)}
        if not path.startswith("/v2/"):
            return 404, _problem(404, "Not Found", path), None
        path = path[3:]
        try:
            data = json.loads(body) if body and body[:1] in b"{[" else None
        except ValueError:
            return 400, _exception(21405, "Błąd walidacji danych wejściowych."), None
        query = dict(parse_qsl(url.query))
        public = {
            ("GET", "/security/public-key-certificates"): self._certificates,
            ("POST", "/auth/challenge"): self._challenge,
            ("POST", "/auth/ksef-token"): self._auth_token,
        }
        if handler := public.get((method, path)):
            return handler(data)
        token = self._bearer(headers)
        if method == "GET" and (match := re.fullmatch(r"/auth/([\w-]+)", path)):
            return self._auth_status(match.group(1), token)
        if method == "POST" and path == "/auth/token/redeem":
            return self._redeem(token)
        if method == "POST" and path == "/auth/token/refresh":
            return self._refresh(token)
        if token not in self.access_tokens:
            return (
                401,
                _problem(401, "Unauthorized", "Wymagane jest uwierzytelnienie."),
                None,
            )
        routes = [
            ("POST", r"/sessions/online", self._open_session),
            ("POST", r"/sessions/online/([\w-]+)/invoices", self._send_invoice),
            ("POST", r"/sessions/online/([\w-]+)/close", self._close_session),
            ("POST", r"/sessions/batch", self._open_batch),
            ("POST", r"/sessions/batch/([\w-]+)/close", self._close_batch),
            ("GET", r"/sessions/([\w-]+)", self._session_status),
            ("GET", r"/sessions/([\w-]+)/invoices", self._session_invoices),
            ("GET", r"/sessions/([\w-]+)/invoices/([\w-]+)", self._invoice_status),
            ("GET", r"/sessions/([\w-]+)/invoices/([\w-]+)/upo", self._invoice_upo),
        ]
        for route_method, pattern, route in routes:
            if method == route_method and (match := re.fullmatch(pattern, path)):
                if route == self._session_invoices:
                    return route(data, query, *match.groups(), headers=headers)
                return route(data, query, *match.groups())
        return 404, _problem(404, "Not Found", path), None

    def _scripted(self, script):
        with self._lock:
            item = script.pop(0) if script else "accept"
        return (item,) if isinstance(item, str) else tuple(item)

    def _busy(self, seconds):
        return (
            429,
            {
                "status": {
                    "code": 429,
                    "description": "Too Many Requests",
                    "details": [
                        "Przekroczono limit żądań. "
                        f"Spróbuj ponownie po {seconds} sekundach."
                    ],
                }
            },
            {"Retry-After": str(seconds)},
        )

    def _hang(self, seconds):
        """Hold the answer back; the client has given up by then."""
        self._closing.wait(seconds)
        return None, None, None

    # ------------------------------------------------------------------
    # security and authentication
    # ------------------------------------------------------------------
    def _certificates(self, _data):
        der = self.certificate.public_bytes(serialization.Encoding.DER)
        return (
            200,
            [
                {
                    "certificate": _b64(der),
                    "certificateId": _sha256_b64(der),
                    "publicKeyId": _sha256_b64(
                        self.private_key.public_key().public_bytes(
                            serialization.Encoding.DER,
                            serialization.PublicFormat.SubjectPublicKeyInfo,
                        )
                    ),
                    "validFrom": _iso(
                        self.certificate.not_valid_before.replace(tzinfo=UTC)
                    ),
                    "validTo": _iso(
                        self.certificate.not_valid_after.replace(tzinfo=UTC)
                    ),
                    "usage": ["KsefTokenEncryption", "SymmetricKeyEncryption"],
                }
            ],
            None,
        )

    def _challenge(self, _data):
        moment = _now()
        challenge = self._reference("CR")
        timestamp_ms = int(moment.timestamp() * 1000)
        with self._lock:
            self.challenges[challenge] = timestamp_ms
        return (
            200,
            {
                "challenge": challenge,
                "timestamp": _iso(moment),
                "timestampMs": timestamp_ms,
                "clientIp": "127.0.0.1",
            },
            None,
        )

    def _auth_token(self, data):
        challenge = self._get(data, "challenge")
        context = self._get(data, "contextIdentifier") or {}
        with self._lock:
            timestamp_ms = self.challenges.pop(challenge, None)
        if timestamp_ms is None:
            return 400, _exception(21111, "Nieprawidłowe wyzwanie autoryzacyjne."), None
        try:
            clear = self.private_key.decrypt(
                base64.b64decode(self._get(data, "encryptedToken") or ""), _OAEP
            ).decode("utf-8")
        except ValueError:
            clear = ""
        valid = clear == f"{self.ksef_token}|{timestamp_ms}" and (
            self._get(context, "value") == self.nip
        )
        reference = self._reference("AU")
        operation = {
            "token": self._token("operation"),
            "status": 200 if valid else 450,
            "redeemed": False,
        }
        with self._lock:
            self.auth_operations[reference] = operation
        return (
            202,
            {
                "referenceNumber": reference,
                "authenticationToken": {
                    "token": operation["token"],
                    "validUntil": _iso(_now() + timedelta(minutes=15)),
                },
            },
            None,
        )

    def _operation(self, token):
        for reference, operation in self.auth_operations.items():
            if operation["token"] == token:
                return reference, operation
        return None, None

    def _auth_status(self, reference, token):
        operation = self.auth_operations.get(reference)
        if not operation or operation["token"] != token:
            return 401, _problem(401, "Unauthorized", "Nieprawidłowy token."), None
        descriptions = {
            200: "Uwierzytelnianie zakończone sukcesem",
            450: "Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu",
        }
        return (
            200,
            {
                "startDate": _iso(_now()),
                "authenticationMethod": "Token",
                "authenticationMethodInfo": {
                    "category": "Token",
                    "code": "token.ksef",
                    "displayName": "Token KSeF",
                },
                "status": {
                    "code": operation["status"],
                    "description": descriptions[operation["status"]],
                },
            },
            None,
        )

    def _new_access_token(self):
        token = self._token("access")
        with self._lock:
            self.access_tokens.add(token)
        return {"token": token, "validUntil": _iso(_now() + timedelta(minutes=15))}

    def _redeem(self, token):
        _reference, operation = self._operation(token)
        if not operation or operation["status"] != 200:
            return 401, _problem(401, "Unauthorized", "Brak uwierzytelnienia."), None
        if operation["redeemed"]:
            return (
                400,
                _exception(21301, "Brak autoryzacji.", "Tokeny zostały już pobrane."),
                None,
            )
        operation["redeemed"] = True
        refresh = self._token("refresh")
        with self._lock:
            self.refresh_tokens.add(refresh)
        return (
            200,
            {
                "accessToken": self._new_access_token(),
                "refreshToken": {
                    "token": refresh,
                    "validUntil": _iso(_now() + timedelta(days=7)),
                },
            },
            None,
        )

    def _refresh(self, token):
        if token not in self.refresh_tokens:
            return 401, _problem(401, "Unauthorized", "Nieprawidłowy token."), None
        return 200, {"accessToken": self._new_access_token()}, None

    # ------------------------------------------------------------------
    # sessions and invoices
    # ------------------------------------------------------------------
    def _open_session(self, data, _query):
        action = self._scripted(self.open_script)
        if action[0] == "busy":
            return self._busy(action[1])
        if action[0] == "hang":
            return self._hang(action[1])
        encryption = self._get(data, "encryption") or {}
        try:
            key = self.private_key.decrypt(
                base64.b64decode(self._get(encryption, "encryptedSymmetricKey")), _OAEP
            )
            iv = base64.b64decode(self._get(encryption, "initializationVector"))
        except (TypeError, ValueError):
            key, iv = b"", b""
        if len(key) != 32 or len(iv) != 16:
            return (
                400,
                _exception(21405, "Błąd odszyfrowania dostarczonego klucza."),
                None,
            )
        reference = self._reference("SO")
        with self._lock:
            self.sessions[reference] = {
                "key": key,
                "iv": iv,
                "form": self._get(data, "formCode"),
                "open": True,
                "created": _now(),
            }
        return (
            201,
            {
                "referenceNumber": reference,
                "validUntil": _iso(_now() + timedelta(hours=12)),
            },
            None,
        )

    def _decrypt(self, session, data):
        content = base64.b64decode(self._get(data, "encryptedInvoiceContent") or "")
        if _sha256_b64(content) != self._get(data, "encryptedInvoiceHash") or len(
            content
        ) != self._get(data, "encryptedInvoiceSize"):
            raise ValueError("encrypted hash or size mismatch")
        decryptor = Cipher(
            algorithms.AES(session["key"]), modes.CBC(session["iv"])
        ).decryptor()
        padded = decryptor.update(content) + decryptor.finalize()
        unpadder = sym_padding.PKCS7(128).unpadder()
        xml = unpadder.update(padded) + unpadder.finalize()
        if _sha256_b64(xml) != self._get(data, "invoiceHash") or len(xml) != self._get(
            data, "invoiceSize"
        ):
            raise ValueError("invoice hash or size mismatch")
        return xml

    def _send_invoice(self, data, _query, session_ref):
        session = self.sessions.get(session_ref)
        if not session or not session["open"]:
            return (
                400,
                _exception(21180, "Status sesji nie pozwala na wykonanie operacji."),
                None,
            )
        action = self._scripted(self.send_script)
        if action[0] == "busy":
            return self._busy(action[1])
        try:
            xml = self._decrypt(session, data)
        except ValueError as error:
            return (
                400,
                _exception(21405, "Błąd walidacji danych wejściowych.", str(error)),
                None,
            )
        invoice = self._receive(session_ref, xml, action)
        if action[0] == "hang":
            return self._hang(action[1])
        return 202, {"referenceNumber": invoice["reference"]}, None

    def _receive(self, session_ref, xml, action, file_name=None):
        """Record an invoice received in a session, with its outcome."""
        root = etree.fromstring(xml)
        seller = root.findtext(f"{{{FA3_NS}}}Podmiot1//{{{FA3_NS}}}NIP") or ""
        number = root.findtext(f"{{{FA3_NS}}}Fa/{{{FA3_NS}}}P_2") or ""
        issued = root.findtext(f"{{{FA3_NS}}}Fa/{{{FA3_NS}}}P_1") or ""
        invoice = {
            "session": session_ref,
            "reference": self._reference("EE"),
            "xml": xml,
            "hash": _sha256_b64(xml),
            "seller": seller,
            "number": number,
            "issued": issued,
            "received": _now(),
            "polls": 0,
            "details": [],
            "file_name": file_name,
        }
        with self._lock:
            original = next(
                (
                    other
                    for other in self.invoices
                    if other["code"] == 200
                    and (other["seller"], other["number"]) == (seller, number)
                ),
                None,
            )
            if original:
                invoice["code"] = 440
                invoice["details"] = [
                    "Duplikat faktury. Faktura o numerze KSeF: %s została już "
                    "prawidłowo przesłana do systemu w sesji: %s"
                    % (original["ksef_number"], original["session"])
                ]
                invoice["extensions"] = {
                    "originalSessionReferenceNumber": original["session"],
                    "originalKsefNumber": original["ksef_number"],
                }
            elif action[0] == "reject":
                invoice["code"] = action[1]
                invoice["details"] = [action[2]] if len(action) > 2 else []
                if action[1] == 440:
                    invoice["extensions"] = {}
            else:
                invoice["code"] = 200
                invoice["ksef_number"] = self._ksef_number(seller)
            self.invoices.append(invoice)
        return invoice

    def _close_session(self, _data, _query, session_ref):
        session = self.sessions.get(session_ref)
        if not session:
            return (
                400,
                _exception(21173, "Brak sesji o wskazanym numerze referencyjnym."),
                None,
            )
        session["open"] = False
        return 204, None, None

    # ------------------------------------------------------------------
    # batch sessions
    # ------------------------------------------------------------------
    def _session_key(self, data):
        """The session's AES key and IV from the request (b"" when unreadable)."""
        encryption = self._get(data, "encryption") or {}
        try:
            key = self.private_key.decrypt(
                base64.b64decode(self._get(encryption, "encryptedSymmetricKey")), _OAEP
            )
            iv = base64.b64decode(self._get(encryption, "initializationVector"))
        except (TypeError, ValueError):
            return b"", b""
        return key, iv

    @staticmethod
    def _invalid(details, code=21405, text="Błąd walidacji danych wejściowych."):
        return 400, _exception(code, text, details), None

    def _batch_file(self, data):
        """The declared package (OpenBatchSessionRequest.batchFile), or an error."""
        form = self._get(data, "formCode") or {}
        if any(
            not self._get(form, key) for key in ("systemCode", "schemaVersion", "value")
        ):
            return None, self._invalid("formCode: systemCode, schemaVersion, value")
        batch_file = self._get(data, "batchFile")
        if not isinstance(batch_file, dict):
            return None, self._invalid("batchFile is required")
        size = self._get(batch_file, "fileSize")
        digest = self._get(batch_file, "fileHash")
        parts = self._get(batch_file, "fileParts")
        if not isinstance(size, int) or not 1 <= size <= 5_000_000_000:
            return None, self._invalid("batchFile.fileSize")
        if not isinstance(digest, str) or len(digest) != 44:
            return None, self._invalid("batchFile.fileHash")
        if not isinstance(parts, list) or not parts:
            return None, self._invalid("batchFile.fileParts")
        if len(parts) > BATCH_MAX_PARTS:
            return None, self._invalid(
                f"{len(parts)} > {BATCH_MAX_PARTS}",
                21161,
                "Przekroczono dozwoloną liczbę części pakietu.",
            )
        declared = {}
        for part in parts:
            number = self._get(part, "ordinalNumber")
            part_size = self._get(part, "fileSize")
            part_hash = self._get(part, "fileHash")
            if (
                not isinstance(number, int)
                or number < 1
                or number in declared
                or not isinstance(part_size, int)
                or part_size < 1
                or not isinstance(part_hash, str)
                or len(part_hash) != 44
            ):
                return None, self._invalid("batchFile.fileParts")
            # AES-CBC adds at most one block of padding to a part.
            if part_size > BATCH_MAX_PART_BYTES + 16:
                return None, self._invalid(
                    f"part {number}: {part_size} bytes",
                    21157,
                    "Nieprawidłowy rozmiar części pakietu.",
                )
            declared[number] = {"size": part_size, "hash": part_hash}
        if sorted(declared) != list(range(1, len(declared) + 1)):
            return None, self._invalid("batchFile.fileParts: ordinalNumber 1..n")
        return {"size": size, "hash": digest, "parts": declared}, None

    def _open_batch(self, data, _query):
        action = self._scripted(self.open_script)
        if action[0] == "busy":
            return self._busy(action[1])
        if action[0] == "hang":
            return self._hang(action[1])
        batch_file, error = self._batch_file(data)
        if error:
            return error
        key, iv = self._session_key(data)
        if len(key) != 32 or len(iv) != 16:
            return self._invalid("", 21405, "Błąd odszyfrowania dostarczonego klucza.")
        reference = self._reference("SB")
        with self._lock:
            self.sessions[reference] = {
                "key": key,
                "iv": iv,
                "form": self._get(data, "formCode"),
                "open": True,
                "created": _now(),
                "batch": batch_file,
                "uploaded": {},
                "code": 100,
                "details": [],
                "polls": 0,
            }
        return (
            201,
            {
                "referenceNumber": reference,
                "partUploadRequests": [
                    {
                        "ordinalNumber": number,
                        "method": "PUT",
                        "url": f"{self.base_url}/storage/{reference}/batch-parts/"
                        f"{number}",
                        "headers": {"x-ms-blob-type": "BlockBlob"},
                    }
                    for number in sorted(batch_file["parts"])
                ],
            },
            None,
        )

    def _upload_part(self, body, session_ref, number):
        session = self.sessions.get(session_ref)
        if not session or "batch" not in session or not session["open"]:
            return 403, _problem(403, "Forbidden", "Upłynął czas na zapis."), None
        declared = session["batch"]["parts"].get(number)
        if not declared:
            return 400, _problem(400, "Bad Request", f"part {number}"), None
        if len(body) != declared["size"] or _sha256_b64(body) != declared["hash"]:
            return (
                400,
                _problem(400, "Bad Request", f"part {number}: size or hash mismatch"),
                None,
            )
        with self._lock:
            session["uploaded"][number] = body
        return 201, None, None

    def _close_batch(self, _data, _query, session_ref):
        session = self.sessions.get(session_ref)
        if not session or "batch" not in session:
            return self._invalid(
                "", 21173, "Brak sesji o wskazanym numerze referencyjnym."
            )
        if not session["open"]:
            return self._invalid(
                f"Status sesji {session['code']} uniemożliwia jej zamknięcie.",
                21180,
                "Status sesji nie pozwala na wykonanie operacji.",
            )
        if self.batch_timeout:
            session.update(open=False, code=440, details=["Przekroczono czas wysyłki"])
            return self._invalid(
                "Sesja anulowana, przekroczony czas wysyłki.",
                21208,
                "Czas oczekiwania na requesty upload lub finish został przekroczony.",
            )
        action = self._scripted(self.close_script)
        if action[0] == "busy":
            return self._busy(action[1])
        missing = sorted(set(session["batch"]["parts"]) - set(session["uploaded"]))
        if missing:
            return self._invalid(
                f"Nie przesłano zadeklarowanej '{missing[0]}' części pliku.",
                21205,
                "Pakiet nie może być pusty.",
            )
        session["open"] = False
        self._process_batch(session_ref, session)
        if action[0] == "hang":  # closed, but the answer never comes
            return self._hang(action[1])
        return 204, None, None

    def _process_batch(self, session_ref, session):
        """Decrypt, join and unzip the package; receive its invoices."""
        try:
            joined = b"".join(
                self._decrypt_part(session, session["uploaded"][number])
                for number in sorted(session["uploaded"])
            )
        except ValueError:
            session["code"] = 435
            return
        declared = session["batch"]
        if len(joined) != declared["size"] or _sha256_b64(joined) != declared["hash"]:
            session["code"] = 405
            return
        try:
            with zipfile.ZipFile(BytesIO(joined)) as archive:
                files = [(name, archive.read(name)) for name in archive.namelist()]
        except zipfile.BadZipFile:
            session["code"] = 405
            return
        if len(files) > BATCH_MAX_INVOICES:
            session["code"] = 420
            return
        for name, xml in files:
            number = etree.fromstring(xml).findtext(f"{{{FA3_NS}}}Fa/{{{FA3_NS}}}P_2")
            rejection = self.batch_reject.get(number)
            action = ("reject", *rejection) if rejection else ("accept",)
            self._receive(session_ref, xml, action, file_name=name)
        received = [i for i in self.invoices if i["session"] == session_ref]
        session["code"] = 200 if any(i["code"] == 200 for i in received) else 445

    @staticmethod
    def _decrypt_part(session, content):
        decryptor = Cipher(
            algorithms.AES(session["key"]), modes.CBC(session["iv"])
        ).decryptor()
        padded = decryptor.update(content) + decryptor.finalize()
        unpadder = sym_padding.PKCS7(128).unpadder()
        return unpadder.update(padded) + unpadder.finalize()

    def _batch_status(self, session):
        code = session["code"]
        if code != 100 and session["polls"] < self.batch_processing_polls:
            session["polls"] += 1
            code = 150
        status = {
            "code": code,
            "description": BATCH_STATUS_TEXT.get(code, f"Nieznany błąd ({code})"),
        }
        if code == session["code"] and session["details"]:
            status["details"] = session["details"]
        return status

    def _session_status(self, _data, _query, session_ref):
        session = self.sessions.get(session_ref)
        if not session:
            return (
                400,
                _exception(21173, "Brak sesji o wskazanym numerze referencyjnym."),
                None,
            )
        received = [i for i in self.invoices if i["session"] == session_ref]
        if "batch" in session:
            status = self._batch_status(session)
            if status["code"] in (100, 150):
                received = []
        else:
            code, text = (
                (100, "Sesja interaktywna otwarta")
                if session["open"]
                else (
                    170,
                    "Sesja interaktywna zamknięta",
                )
            )
            status = {"code": code, "description": text}
        return (
            200,
            {
                "status": status,
                "dateCreated": _iso(session["created"]),
                "dateUpdated": _iso(_now()),
                "invoiceCount": len(received),
                "successfulInvoiceCount": sum(i["code"] == 200 for i in received),
                "failedInvoiceCount": sum(i["code"] != 200 for i in received),
            },
            None,
        )

    def _invoice_body(self, invoice, session_ref):
        code = invoice["code"]
        if invoice["polls"] < self.status_polls_in_progress:
            code = 150
        status = {"code": code, "description": STATUS_TEXT.get(code, "Nieznany błąd")}
        if code not in (150, 200) and invoice["details"]:
            status["details"] = invoice["details"]
        if code == 440 and invoice.get("extensions"):
            status["extensions"] = invoice["extensions"]
        body = {
            "ordinalNumber": self.invoices.index(invoice) + 1,
            "invoiceNumber": invoice["number"],
            "referenceNumber": invoice["reference"],
            "invoiceHash": invoice["hash"],
            "invoicingDate": _iso(invoice["received"]),
            "invoicingMode": "Online",
            "status": status,
        }
        if invoice.get("file_name"):
            body["invoiceFileName"] = invoice["file_name"]
        if code == 200:
            body["ksefNumber"] = invoice["ksef_number"]
            body["acquisitionDate"] = _iso(invoice["received"])
            # KSeF's storage: no access token.
            body["upoDownloadUrl"] = (
                f"{self.base_url}/storage/{session_ref}/invoice-upo/"
                f"{invoice['reference']}.xml"
            )
        return body

    def _find(self, session_ref, invoice_ref):
        return next(
            (
                invoice
                for invoice in self.invoices
                if invoice["session"] == session_ref
                and invoice["reference"] == invoice_ref
            ),
            None,
        )

    def _session_invoices(self, _data, query, session_ref, headers=None):
        if session_ref not in self.sessions:
            return (
                400,
                _exception(21173, "Brak sesji o wskazanym numerze referencyjnym."),
                None,
            )
        if self.session_list_endless:
            token = "page-%d" % next(self._counter)
            return 200, {"continuationToken": token, "invoices": []}, None
        try:
            size = min(max(int(query.get("pageSize") or 10), 10), 1000)
        except ValueError:
            return self._invalid("pageSize")
        token = (headers or {}).get("x-continuation-token") or "0"
        if not token.isdigit():
            return self._invalid(
                "", 21418, "Przekazany token kontynuacji ma nieprawidłowy format."
            )
        start = int(token)
        received = [i for i in self.invoices if i["session"] == session_ref]
        invoices = [
            self._invoice_body(invoice, session_ref)
            for invoice in received[start : start + size]
        ]
        following = str(start + size) if start + size < len(received) else None
        return 200, {"continuationToken": following, "invoices": invoices}, None

    def _invoice_status(self, _data, _query, session_ref, invoice_ref):
        invoice = self._find(session_ref, invoice_ref)
        if not invoice:
            return 400, _exception(21405, "Błąd walidacji danych wejściowych."), None
        body = self._invoice_body(invoice, session_ref)
        invoice["polls"] += 1
        return 200, body, None

    def _invoice_upo(self, _data, _query, session_ref, invoice_ref):
        invoice = self._find(session_ref, invoice_ref)
        if not invoice or invoice["code"] != 200:
            return 400, _exception(21405, "Błąd walidacji danych wejściowych."), None
        return 200, self.upo(invoice), None

    def upo(self, invoice):
        """The UPO (urzędowe poświadczenie odbioru, schema v4-3) of an invoice."""
        E = lambda tag, *children, text=None: _element(tag, children, text)  # noqa: E731
        moment = invoice["received"].strftime("%Y-%m-%dT%H:%M:%SZ")
        root = E(
            "Potwierdzenie",
            E("NazwaPodmiotuPrzyjmujacego", text="Ministerstwo Finansów"),
            E("NumerReferencyjnySesji", text=invoice["session"]),
            E(
                "Uwierzytelnienie",
                E("IdKontekstu", E("Nip", text=self.nip)),
                E("NumerReferencyjnyTokenaKSeF", text=self._reference("TK")),
            ),
            E("NazwaStrukturyLogicznej", text="schemat_FA(3)_v1-0E.xsd"),
            E("KodFormularza", text="FA (3)"),
            E(
                "Dokument",
                E("NipSprzedawcy", text=invoice["seller"]),
                E("NumerKSeFDokumentu", text=invoice["ksef_number"]),
                E("NumerFaktury", text=invoice["number"]),
                E("DataWystawieniaFaktury", text=invoice["issued"]),
                E("DataPrzeslaniaDokumentu", text=moment),
                E("DataNadaniaNumeruKSeF", text=moment),
                E("SkrotDokumentu", text=invoice["hash"]),
                E("TrybWysylki", text="Online"),
            ),
        )
        root.set("wersjaSchemy", "4-3")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _element(tag, children, text):
    element = etree.Element(f"{{{UPO_NS}}}{tag}", nsmap={None: UPO_NS})
    element.text = text
    element.extend(children)
    return element
