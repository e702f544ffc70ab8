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
"""

import base64
import hashlib
import itertools
import json
import os
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, padding as sym_padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.oid import NameOID
from lxml import etree
from odoo.addons.crm_invoicing_pl.tools.fake_server import FakeHandler, LocalFakeServer

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
            ("GET", r"/sessions/([\w-]+)", self._session_status),
            ("GET", r"/sessions/([\w-]+)/invoices", self._session_invoices),
            ("GET", r"/sessions/([\w-]+)/invoices/([\w-]+)", self._invoice_status),
            ("GET", r"/sessions/([\w-]+)/invoices/([\w-]+)/upo", self._invoice_upo),
        ]
        for route_method, pattern, route in routes:
            if method == route_method and (match := re.fullmatch(pattern, path)):
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
        if action[0] == "hang":
            return self._hang(action[1])
        return 202, {"referenceNumber": invoice["reference"]}, None

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

    def _session_status(self, _data, _query, session_ref):
        session = self.sessions.get(session_ref)
        if not session:
            return (
                400,
                _exception(21173, "Brak sesji o wskazanym numerze referencyjnym."),
                None,
            )
        received = [i for i in self.invoices if i["session"] == session_ref]
        code, text = (
            (100, "Sesja interaktywna otwarta")
            if session["open"]
            else (
                170,
                "Sesja interaktywna zamknięta",
            )
        )
        return (
            200,
            {
                "status": {"code": code, "description": text},
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
        if code == 200:
            body["ksefNumber"] = invoice["ksef_number"]
            body["acquisitionDate"] = _iso(invoice["received"])
            body["upoDownloadUrl"] = (
                f"{self.base_url}/v2/sessions/{session_ref}/invoices/"
                f"{invoice['reference']}/upo"
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

    def _session_invoices(self, _data, _query, session_ref):
        if session_ref not in self.sessions:
            return (
                400,
                _exception(21173, "Brak sesji o wskazanym numerze referencyjnym."),
                None,
            )
        invoices = [
            self._invoice_body(invoice, session_ref)
            for invoice in self.invoices
            if invoice["session"] == session_ref
        ]
        if self.session_list_endless:
            token = "page-%d" % next(self._counter)
            return 200, {"continuationToken": token, "invoices": []}, None
        return 200, {"continuationToken": None, "invoices": invoices}, None

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
