"""Client of GUS's REGON database, BIR 1.1 (pure Python, no Odoo).

SOAP 1.2 with WS-Addressing, built on zeep with the minimal WSDL of the
operations used (``data/bir11.wsdl``, written for this add-on): ``Zaloguj``
(user key -> session id), ``DaneSzukajPodmioty`` (search by NIP; the session
id travels as the HTTP header ``sid``) and ``Wyloguj``. The service answers
in MTOM (multipart/related): the SOAP part is taken out before zeep parses
it. The search result is a string holding escaped XML
(``<root><dane>...</dane></root>``); an empty one means "not found".
"""

import email.parser
import email.policy
import logging
import pathlib
from dataclasses import dataclass

import requests
from lxml import etree
from zeep import Client
from zeep.exceptions import Error as ZeepError, TransportError
from zeep.transports import Transport
from zeep.wsa import WsAddressingPlugin

_logger = logging.getLogger(__name__)

DEFAULT_WSDL_PATH = (
    pathlib.Path(__file__).resolve().parent.parent / "data" / "bir11.wsdl"
)
DEFAULT_URL = "https://wyszukiwarkaregon.stat.gov.pl/wsBIR/UslugaBIRzewnPubl.svc"
TEST_URL = "https://wyszukiwarkaregontest.stat.gov.pl/wsBIR/UslugaBIRzewnPubl.svc"
BINDING_NAME = "{http://CIS/BIR/PUBL/2014/07}e3"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class GusSubject:
    """One entity of the REGON database found by NIP."""

    regon: str
    nip: str
    name: str
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    voivodeship: str | None = None
    kind: str | None = None  # Typ: P (legal person), F (natural person), ...
    closed_on: str | None = None  # DataZakonczeniaDzialalnosci


class GusError(Exception):
    """BIR failure; ``code`` is "login", "unreachable" or "bad_response"."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class _MtomTransport(Transport):
    """Takes the SOAP envelope out of an MTOM (multipart/related) answer."""

    def post(self, address, message, headers):
        response = super().post(address, message, headers)
        content_type = response.headers.get("Content-Type", "")
        if content_type.lower().startswith("multipart/related"):
            response._content = _soap_part(content_type, response.content)
            response.headers["Content-Type"] = "application/soap+xml; charset=utf-8"
        if response.status_code not in (200, 500):
            raise TransportError(
                f"Server returned HTTP status {response.status_code}",
                status_code=response.status_code,
                content=response.content,
            )
        return response


def _soap_part(content_type, body):
    """The first XML part of a multipart/related body."""
    raw = b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    for part in message.iter_parts():
        payload = part.get_payload(decode=True) or b""
        if payload.lstrip().startswith(b"<"):
            return payload.strip()
    raise GusError("bad_response", "MTOM answer without an XML part")


class GusClient:
    """Session with BIR 1.1: ``with GusClient(key, url) as gus: gus.search_nip()``."""

    def __init__(self, key, service_url=DEFAULT_URL, timeout=10, wsdl_path=None):
        self.key = key
        self.transport = _MtomTransport(timeout=timeout, operation_timeout=timeout)
        self.client = Client(
            str(wsdl_path or DEFAULT_WSDL_PATH),
            transport=self.transport,
            plugins=[WsAddressingPlugin()],
        )
        self.service = self.client.create_service(BINDING_NAME, service_url)
        self.sid = None

    def __enter__(self):
        self.login()
        return self

    def __exit__(self, *exc_info):
        self.logout()

    def _call(self, operation, **kwargs):
        try:
            return getattr(self.service, operation)(**kwargs)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise GusError("unreachable", f"GUS BIR is unreachable: {exc}") from exc
        except (ZeepError, etree.XMLSyntaxError, requests.RequestException) as exc:
            raise GusError("bad_response", f"Unexpected GUS BIR answer: {exc}") from exc

    def login(self):
        sid = self._call("Zaloguj", pKluczUzytkownika=self.key)
        if not sid:
            raise GusError("login", "GUS BIR refused the user key.")
        self.sid = sid
        self.transport.session.headers["sid"] = sid
        return sid

    def logout(self):
        if self.sid:
            try:
                self._call("Wyloguj", pIdentyfikatorSesji=self.sid)
            except GusError as exc:
                _logger.info("GUS BIR logout failed (the session expires): %s", exc)
            self.sid = None
            self.transport.session.headers.pop("sid", None)

    def search_nip(self, nip):
        """The GusSubject of ``nip`` (10 digits), or None when not found."""
        if not self.sid:
            self.login()
        raw = self._call("DaneSzukajPodmioty", pParametryWyszukiwania={"Nip": nip})
        return parse_search(raw)


def parse_search(raw):
    """GusSubject of the first ``dane`` of a DaneSzukajPodmioty result, or None."""
    if not raw or not raw.strip():
        return None
    try:
        root = etree.fromstring(raw.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise GusError("bad_response", f"Unexpected GUS BIR data: {exc}") from exc
    entry = root.find("dane")
    if entry is None:
        return None

    def text(tag):
        value = (entry.findtext(tag) or "").strip()
        return value or None

    if text("ErrorCode"):
        return None  # e.g. 4: not found
    if not text("Regon") or not text("Nazwa"):
        raise GusError("bad_response", "GUS BIR data without Regon or Nazwa")
    number = text("NrNieruchomosci")
    if number and text("NrLokalu"):
        number = f"{number}/{text('NrLokalu')}"
    street = " ".join(part for part in (text("Ulica"), number) if part) or None
    return GusSubject(
        regon=text("Regon"),
        nip=text("Nip"),
        name=text("Nazwa"),
        street=street,
        zip=text("KodPocztowy"),
        city=text("MiejscowoscPoczty") or text("Miejscowosc"),
        voivodeship=text("Wojewodztwo"),
        kind=text("Typ"),
        closed_on=text("DataZakonczeniaDzialalnosci"),
    )
