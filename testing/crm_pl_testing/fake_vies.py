"""A local fake of the VIES checkVat SOAP 1.1 service for tests.

Usage::

    fake = FakeVies()
    fake.add("DE", "100000008", "Beispiel GmbH", "Musterstr. 1, 10115 Berlin")
    with fake as service_url:
        ViesClient(service_url=service_url).check("DE", "100000008")

It parses the request envelope (document/literal, namespace
``urn:ec.europa.eu:taxud:vies:services:checkVat:types``) and answers
checkVat and checkVatApprox from ``registry``, as the EU service does: an
unknown number is ``valid=false`` with "---" as name and address; a bad
country code or number is the fault INVALID_INPUT; checkVatApprox with a
requester that is not a valid registered number is INVALID_REQUESTER_INFO,
with a valid one it returns a ``requestIdentifier`` ("WAPI...").

The official test service's magic numbers (100 valid, 200 invalid, 201
INVALID_INPUT, 300 SERVICE_UNAVAILABLE, ...) are answered too unless
``magic`` is False. Failure injection: ``faults`` is a queue consumed one
item per request (a faultstring, or None to answer normally), ``latency``
(seconds), ``malformed`` ("not_xml" or "missing_fields"), ``fail_status``
(an HTTP status with an HTML body). ``requests`` records each request,
``max_in_flight`` the most requests answered at the same time.
"""

import re
from datetime import date

from lxml import etree

from .fake_server import FakeHandler, LocalFakeServer

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TYPES_NS = "urn:ec.europa.eu:taxud:vies:services:checkVat:types"
SERVICE_PATH = "/taxation_customs/vies/services/checkVatService"
NOT_DISCLOSED = "---"
COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE "
    "SI SK XI".split()
)
MAGIC_FAULTS = {
    "201": "INVALID_INPUT",
    "202": "INVALID_REQUESTER_INFO",
    "300": "SERVICE_UNAVAILABLE",
    "301": "MS_UNAVAILABLE",
    "302": "TIMEOUT",
    "400": "VAT_BLOCKED",
    "401": "IP_BLOCKED",
    "500": "GLOBAL_MAX_CONCURRENT_REQ",
    "501": "GLOBAL_MAX_CONCURRENT_REQ_TIME",
    "600": "MS_MAX_CONCURRENT_REQ",
    "601": "MS_MAX_CONCURRENT_REQ_TIME",
}
_COUNTRY = re.compile(r"[A-Z]{2}")
_NUMBER = re.compile(r"[0-9A-Za-z+*.]{2,12}")
_TRADER_FIELDS = ("traderName", "traderStreet", "traderPostcode", "traderCity")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class _Handler(FakeHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path != SERVICE_PATH:
            self.send_payload(404, "text/plain", b"Not Found")
        elif not self.headers.get("Content-Type", "").startswith("text/xml"):
            self.send_payload(415, "text/plain", b"Need text/xml")
        else:
            self.send_payload(*self.server.fake.respond(body))


class FakeVies(LocalFakeServer):
    """In-memory VIES service on 127.0.0.1, run in a daemon thread."""

    handler_class = _Handler

    def __init__(self):
        super().__init__()
        self.registry = {}  # {(country, number): {"name", "address", "valid"}}
        self.magic = True
        self.faults = []
        self.latency = 0.0
        self.malformed = None
        self.fail_status = None
        self.requests = []  # [{"operation": ..., "countryCode": ..., ...}]
        self.service_url = None
        self.max_in_flight = 0
        self._in_flight = 0
        self._identifiers = 0

    @property
    def request_count(self):
        return len(self.requests)

    def add(self, country, number, name=None, address=None, valid=True):
        """Register a VAT number; name/address None are shown as "---"."""
        self.registry[(country, number)] = {
            "name": name,
            "address": address,
            "valid": valid,
        }

    def _url(self):
        self.service_url = f"{self.base_url}{SERVICE_PATH}"
        return self.service_url

    def respond(self, body):
        """Return (HTTP status, content type, body bytes) for a POSTed envelope."""
        try:
            operation, fields = _parse_request(body)
        except ValueError as exc:
            self._log({"operation": None, "error": str(exc)})
            return _fault("env:Client", str(exc))
        self._log({"operation": operation, **fields})
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            if self.latency:
                self._closing.wait(self.latency)
        finally:
            with self._lock:
                self._in_flight -= 1
        with self._lock:
            fault = self.faults.pop(0) if self.faults else None
        if fault:
            return _fault("env:Server", fault)
        if self.fail_status:
            html = b"<html><body>Service Unavailable</body></html>"
            return self.fail_status, "text/html", html
        if self.malformed == "not_xml":
            return 200, "text/xml", b"<html><body>VIES maintenance</body>"
        fault = self._check_input(operation, fields)
        if fault:
            return _fault("env:Server", fault)
        return 200, "text/xml", self._answer(operation, fields)

    def _log(self, entry):
        with self._lock:
            self.requests.append(entry)

    def _check_input(self, operation, fields):
        country = fields.get("countryCode") or ""
        number = fields.get("vatNumber") or ""
        if not (
            _COUNTRY.fullmatch(country)
            and country in COUNTRIES
            and _NUMBER.fullmatch(number)
        ):
            return "INVALID_INPUT"
        if self.magic and number in MAGIC_FAULTS:
            return MAGIC_FAULTS[number]
        if operation == "checkVatApprox" and (
            fields.get("requesterCountryCode") or fields.get("requesterVatNumber")
        ):
            requester = (
                fields.get("requesterCountryCode") or "",
                fields.get("requesterVatNumber") or "",
            )
            if not self.registry.get(requester, {}).get("valid"):
                return "INVALID_REQUESTER_INFO"
        return None

    def _lookup(self, country, number):
        if self.magic and number in ("100", "200"):
            return {"valid": number == "100", "name": None, "address": None}
        return self.registry.get((country, number))

    def _answer(self, operation, fields):
        country, number = fields["countryCode"], fields["vatNumber"]
        entry = self._lookup(country, number) or {}
        valid = bool(entry.get("valid"))
        name = (entry.get("name") if valid else None) or NOT_DISCLOSED
        address = (entry.get("address") if valid else None) or NOT_DISCLOSED
        values = [
            ("countryCode", country),
            ("vatNumber", number),
            ("requestDate", f"{date.today().isoformat()}+01:00"),
            ("valid", "true" if valid else "false"),
        ]
        if operation == "checkVat":
            values += [("name", name), ("address", address)]
        else:
            values += [("traderName", name), ("traderAddress", address)]
            if fields.get("traderName"):
                same = valid and name.casefold() == fields["traderName"].casefold()
                values.append(("traderNameMatch", "1" if same else "2"))
            values.append(("requestIdentifier", self._identifier(fields)))
        if self.malformed == "missing_fields":
            values = [("countryCode", country)]
        return _envelope(f"{operation}Response", values)

    def _identifier(self, fields):
        """A consultation number "WAPI..." when a requester was sent, else ""."""
        if not fields.get("requesterVatNumber"):
            return ""
        with self._lock:
            self._identifiers += 1
            serial = self._identifiers
        letters = ""
        for _ in range(12):
            serial, digit = divmod(serial, 26)
            letters = chr(ord("A") + digit) + letters
        return f"WAPI{letters}"


def _parse_request(body):
    """(operation, {field: text}) of a SOAP 1.1 request; ValueError if bad."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"Malformed request: {exc}") from exc
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise ValueError(f"Not a SOAP 1.1 envelope: {root.tag}")
    body_node = root.find(f"{{{SOAP_ENV}}}Body")
    operations = [] if body_node is None else list(body_node)
    if len(operations) != 1:
        raise ValueError("The SOAP body must hold exactly one operation")
    operation = etree.QName(operations[0])
    if operation.namespace != TYPES_NS or operation.localname not in (
        "checkVat",
        "checkVatApprox",
    ):
        raise ValueError(f"Unknown operation {operation.text}")
    fields = {}
    for child in operations[0]:
        name = etree.QName(child)
        if name.namespace != TYPES_NS:
            raise ValueError(f"Unexpected element {name.text}")
        fields[name.localname] = (child.text or "").strip()
    return operation.localname, fields


def _envelope(operation, values):
    nsmap = {"env": SOAP_ENV, "ns2": TYPES_NS}
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap=nsmap)
    etree.SubElement(root, f"{{{SOAP_ENV}}}Header")
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    response = etree.SubElement(body, f"{{{TYPES_NS}}}{operation}")
    for name, value in values:
        etree.SubElement(response, f"{{{TYPES_NS}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _fault(code, faultstring):
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"env": SOAP_ENV})
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = code
    etree.SubElement(fault, "faultstring").text = faultstring
    return 500, "text/xml", etree.tostring(root, xml_declaration=True, encoding="UTF-8")
