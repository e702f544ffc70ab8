"""A local fake of GUS's BIR 1.1 service (REGON database) for tests.

Usage::

    fake = FakeGus()
    fake.add("5261040828", regon="000331501", name="GŁÓWNY URZĄD STATYSTYCZNY",
             street="ul. Test-Krucza", number="208", zip="00-925", city="Warszawa")
    with fake as url:
        with GusClient(fake.key, url) as gus:
            gus.search_nip("5261040828")

It speaks SOAP 1.2 and answers, like the real service, in MTOM
(multipart/related with an application/xop+xml part). The operation is taken
from the WS-Addressing ``Action`` header, which is required, as is ``To``.
``Zaloguj`` with ``key`` gives a session id (another key: an empty one);
``DaneSzukajPodmioty`` needs the session in the HTTP header ``sid``
(without it, or for an unknown NIP, the result is empty, as the service
does). ``requests`` records (operation, fields, sid) of each request.
"""

import itertools
from xml.sax.saxutils import escape

from lxml import etree

from .fake_server import FakeHandler, LocalFakeServer

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"
NS = "http://CIS/BIR/PUBL/2014/07"
DATA_NS = "http://CIS/BIR/PUBL/2014/07/DataContract"
ACTION_PREFIX = f"{NS}/IUslugaBIRzewnPubl/"
PATH = "/wsBIR/UslugaBIRzewnPubl.svc"
BOUNDARY = "uuid:5d1f1a2e-fake-bir-0001"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class _Handler(FakeHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path != PATH:
            self.send_payload(404, "text/plain", b"Not Found")
            return
        if not self.headers.get("Content-Type", "").startswith("application/soap+xml"):
            self.send_payload(415, "text/plain", b"Need application/soap+xml")
            return
        status, envelope = self.server.fake.respond(body, self.headers.get("sid"))
        payload = (
            (
                f"--{BOUNDARY}\r\n"
                "Content-ID: <http://tempuri.org/0>\r\n"
                "Content-Transfer-Encoding: 8bit\r\n"
                "Content-Type: application/xop+xml;charset=utf-8;"
                'type="application/soap+xml"\r\n\r\n'
            ).encode()
            + envelope
            + f"\r\n--{BOUNDARY}--\r\n".encode()
        )
        content_type = (
            'multipart/related; type="application/xop+xml"; '
            f'start="<http://tempuri.org/0>"; boundary="{BOUNDARY}"; '
            'start-info="application/soap+xml"'
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class FakeGus(LocalFakeServer):
    """In-memory BIR 1.1 on 127.0.0.1, run in a daemon thread."""

    handler_class = _Handler
    key = "abcde12345abcde12345"

    def __init__(self):
        super().__init__()
        self.registry = {}  # {nip: {"Regon": ..., "Nazwa": ..., ...}}
        self.sessions = set()
        self.requests = []
        self._ids = itertools.count(1)

    def _url(self):
        return f"{self.base_url}{PATH}"

    def add(self, nip, regon, name, street=None, number=None, flat=None, **fields):
        self.registry[nip] = {
            "Regon": regon,
            "Nip": nip,
            "StatusNip": "",
            "Nazwa": name,
            "Wojewodztwo": fields.get("voivodeship", "MAZOWIECKIE"),
            "Powiat": "",
            "Gmina": "",
            "Miejscowosc": fields.get("city", ""),
            "KodPocztowy": fields.get("zip", ""),
            "Ulica": street or "",
            "NrNieruchomosci": number or "",
            "NrLokalu": flat or "",
            "Typ": fields.get("kind", "P"),
            "SilosID": "6",
            "DataZakonczeniaDzialalnosci": "",
            "MiejscowoscPoczty": fields.get("city", ""),
        }

    def respond(self, body, sid):
        """(HTTP status, SOAP 1.2 envelope bytes) for a request envelope."""
        try:
            root = etree.fromstring(body, _PARSER)
            action = root.findtext(f"{{{SOAP12}}}Header/{{{WSA}}}Action") or ""
            to = root.findtext(f"{{{SOAP12}}}Header/{{{WSA}}}To")
            operation_node = root.find(f"{{{SOAP12}}}Body")[0]
        except (etree.XMLSyntaxError, TypeError, IndexError):
            return 400, _fault("Malformed request")
        operation = etree.QName(operation_node).localname
        fields = {
            etree.QName(node).localname: (node.text or "").strip()
            for node in operation_node.iter()
            if node is not operation_node and len(node) == 0
        }
        with self._lock:
            self.requests.append((operation, fields, sid))
        if not to or action != ACTION_PREFIX + operation:
            return 500, _fault("The message with Action cannot be processed")
        if operation == "Zaloguj":
            session = ""
            if fields.get("pKluczUzytkownika") == self.key:
                session = f"s{next(self._ids):019d}"
                self.sessions.add(session)
            return 200, _envelope("Zaloguj", escape(session))
        if operation == "Wyloguj":
            ended = fields.get("pIdentyfikatorSesji") in self.sessions
            self.sessions.discard(fields.get("pIdentyfikatorSesji"))
            return 200, _envelope("Wyloguj", "true" if ended else "false")
        if operation == "DaneSzukajPodmioty":
            entry = self.registry.get(fields.get("Nip"))
            if sid not in self.sessions or not entry:
                return 200, _envelope("DaneSzukajPodmioty", "")
            dane = "".join(
                f"<{tag}>{escape(value)}</{tag}>" for tag, value in entry.items()
            )
            data = f"\r\n<root>\r\n  <dane>{dane}</dane>\r\n</root>"
            return 200, _envelope("DaneSzukajPodmioty", escape(data))
        return 500, _fault(f"Unknown operation {operation}")


def _envelope(operation, escaped_result):
    return (
        f'<s:Envelope xmlns:s="{SOAP12}" xmlns:a="{WSA}">'
        f'<s:Header><a:Action s:mustUnderstand="1">{ACTION_PREFIX}{operation}Response'
        "</a:Action></s:Header>"
        f'<s:Body><{operation}Response xmlns="{NS}">'
        f"<{operation}Result>{escaped_result}</{operation}Result>"
        f"</{operation}Response></s:Body></s:Envelope>"
    ).encode()


def _fault(reason):
    return (
        f'<s:Envelope xmlns:s="{SOAP12}"><s:Body><s:Fault>'
        "<s:Code><s:Value>s:Sender</s:Value></s:Code>"
        f'<s:Reason><s:Text xml:lang="en-US">{escape(reason)}</s:Text></s:Reason>'
        "</s:Fault></s:Body></s:Envelope>"
    ).encode()
