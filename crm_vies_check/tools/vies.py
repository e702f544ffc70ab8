"""VIES (EU VAT number validation) SOAP client, built on zeep.

Pure Python, no Odoo. The WSDL travels with the add-on
(``data/checkVatService.wsdl``) and is loaded from disk; the endpoint it
names is used unless another service URL is given (a test fake, the test
service).

A service-side problem (member state down, time-out, too many concurrent
requests, network error) is retried with exponential back-off and, if it
persists, gives status "pending", never "invalid": only VIES's own answer
``valid=false`` or an INVALID_INPUT fault makes a number "invalid".
"""

import logging
import pathlib
import re
import time
from dataclasses import dataclass
from datetime import date

import requests
from lxml import etree
from zeep import Client, Plugin, Settings
from zeep.exceptions import (
    Fault,
    TransportError,
    UnexpectedElementError,
    XMLParseError,
    XMLSyntaxError,
)
from zeep.transports import Transport

_logger = logging.getLogger(__name__)

DEFAULT_WSDL_PATH = (
    pathlib.Path(__file__).resolve().parent.parent / "data" / "checkVatService.wsdl"
)
BINDING_NAME = "{urn:ec.europa.eu:taxud:vies:services:checkVat}checkVatBinding"
TYPES_NS = "urn:ec.europa.eu:taxud:vies:services:checkVat:types"

TRANSIENT_FAULTS = frozenset(
    {"MS_UNAVAILABLE", "TIMEOUT", "SERVICE_UNAVAILABLE", "SERVER_BUSY"}
)
# HTTP statuses of a gateway in front of VIES answering instead of it.
TRANSIENT_HTTP_STATUSES = frozenset({502, 503, 504})
NOT_DISCLOSED = "---"  # VIES's placeholder for a name/address it may not show

_DATE_WITH_OFFSET = re.compile(r"(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})")

STATUS_VALID = "valid"
STATUS_INVALID = "invalid"
STATUS_PENDING = "pending"


@dataclass(frozen=True, kw_only=True)
class ViesResult:
    """Outcome of one VIES check.

    ``status`` is "valid", "invalid" or "pending" (VIES could not answer;
    check again later). ``request_identifier`` is the consultation number
    (checkVatApprox with a requester only); ``raw_fault`` the last SOAP
    faultstring or network error, if any.
    """

    valid: bool
    country: str
    number: str
    name: str | None = None
    address: str | None = None
    request_date: date | None = None
    request_identifier: str | None = None
    raw_fault: str | None = None
    status: str


class ViesError(Exception):
    """VIES answered something that is not a checkVat response.

    ``code`` is "bad_response"; ``str()`` is a plain English message.
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def is_transient_fault(faultstring):
    """Whether a VIES faultstring means "try again later"."""
    return faultstring in TRANSIENT_FAULTS or "MAX_CONCURRENT_REQ" in faultstring


class _RequestDatePlugin(Plugin):
    """Drop the offset of ``requestDate`` ("2026-11-26+01:00" -> "2026-11-26").

    VIES sends xsd:date with a time-zone offset, which isodate (>= 0.7, used
    by zeep) cannot parse: zeep would then return None. The date is the one
    of the VIES server and is kept as it is.
    """

    def ingress(self, envelope, http_headers, operation):
        for node in envelope.iter(f"{{{TYPES_NS}}}requestDate"):
            match = _DATE_WITH_OFFSET.fullmatch((node.text or "").strip())
            if match:
                node.text = match.group(1)
        return envelope, http_headers


class _Transport(Transport):
    """A zeep transport that refuses HTTP answers which cannot be SOAP.

    SOAP 1.1 answers with HTTP 200, or 500 for a fault; anything else (a
    gateway's 503 page, a 404) is raised as a TransportError, instead of
    zeep's "Unknown fault occured" when the page happens to be XML.
    """

    def post(self, address, message, headers):
        response = super().post(address, message, headers)
        if response.status_code not in (200, 500):
            raise TransportError(
                f"Server returned HTTP status {response.status_code}",
                status_code=response.status_code,
                content=response.content,
            )
        return response


class ViesClient:
    """Client of the VIES checkVat service (checkVat and checkVatApprox)."""

    def __init__(
        self,
        wsdl_path=DEFAULT_WSDL_PATH,
        service_url=None,
        timeout=10,
        max_retries=3,
        backoff=0.5,
        sleep=time.sleep,
    ):
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.sleep = sleep
        transport = _Transport(timeout=timeout, operation_timeout=timeout)
        self.client = Client(
            str(wsdl_path),
            transport=transport,
            settings=Settings(),
            plugins=[_RequestDatePlugin()],
        )
        if service_url:
            self.service = self.client.create_service(BINDING_NAME, service_url)
        else:
            self.service = self.client.service

    def check(self, country, number, requester=None):
        """Check the VAT number ``number`` of member state ``country``.

        ``requester`` is our own VAT number with its prefix ("PL1234567890")
        or a (country, number) pair; when given, checkVatApprox is called so
        that VIES returns a consultation number. Return a ViesResult.
        """
        country = str(country or "").strip().upper()
        number = "".join(str(number or "").split()).upper()
        if country and number.startswith(country):
            number = number[len(country) :]
        if requester:
            requester = _split_vat(requester)
        attempt = 0
        while True:
            outcome = self._call(country, number, requester)
            if isinstance(outcome, ViesResult):
                return outcome
            fault, transient = outcome
            if not transient or attempt >= self.max_retries:
                _logger.info("VIES %s%s pending: %s", country, number, fault)
                return _failed(country, number, fault, STATUS_PENDING)
            delay = self.backoff * 2**attempt
            _logger.debug("VIES %s, retry in %ss", fault, delay)
            self.sleep(delay)
            attempt += 1

    def _call(self, country, number, requester):
        """One SOAP call: a ViesResult, or (fault, transient) to retry."""
        try:
            if requester:
                response = self.service.checkVatApprox(
                    countryCode=country,
                    vatNumber=number,
                    requesterCountryCode=requester[0],
                    requesterVatNumber=requester[1],
                )
            else:
                response = self.service.checkVat(countryCode=country, vatNumber=number)
        except Fault as exc:
            fault = (exc.message or "").strip() or "UNKNOWN_FAULT"
            if fault == "INVALID_INPUT" or (
                requester and fault == "INVALID_REQUESTER_INFO"
            ):
                return _failed(country, number, fault, STATUS_INVALID)
            return fault, is_transient_fault(fault)
        except (requests.Timeout, requests.ConnectionError) as exc:
            return f"NETWORK_ERROR: {exc}", True
        except TransportError as exc:
            if exc.status_code in TRANSIENT_HTTP_STATUSES:
                return f"HTTP_{exc.status_code}", True
            raise _bad_response(exc) from exc
        except (
            XMLSyntaxError,
            XMLParseError,
            UnexpectedElementError,
            etree.XMLSyntaxError,
        ) as exc:
            raise _bad_response(exc) from exc
        return _parse(response, approx=bool(requester))


def _parse(response, approx):
    """ViesResult of a checkVat / checkVatApprox response object."""
    try:
        valid = response["valid"]
        country = response["countryCode"]
        number = response["vatNumber"]
        request_date = response["requestDate"]
        if approx:
            name = response["traderName"]
            address = response["traderAddress"] or _join(
                response["traderStreet"],
                response["traderPostcode"],
                response["traderCity"],
            )
            identifier = response["requestIdentifier"]
        else:
            name, address, identifier = response["name"], response["address"], None
    except (KeyError, TypeError, AttributeError) as exc:
        raise _bad_response(exc) from exc
    if not isinstance(valid, bool) or not country or not number:
        raise _bad_response("missing countryCode, vatNumber or valid")
    if not isinstance(request_date, date):
        raise _bad_response("missing requestDate")
    return ViesResult(
        valid=valid,
        country=country,
        number=number,
        name=_clean(name),
        address=_clean(address),
        request_date=request_date,
        request_identifier=_clean(identifier),
        status=STATUS_VALID if valid else STATUS_INVALID,
    )


def _failed(country, number, fault, status):
    return ViesResult(
        valid=False, country=country, number=number, raw_fault=fault, status=status
    )


def _split_vat(vat):
    """(country, number) of "PL1234567890" or of a (country, number) pair."""
    if isinstance(vat, tuple | list):
        country, number = vat
    else:
        vat = "".join(str(vat).split()).upper()
        country, number = vat[:2], vat[2:]
    return str(country).upper(), str(number)


def _clean(value):
    """Stripped text, or None for empty / not disclosed ("---")."""
    text = (value or "").strip()
    return None if text in ("", NOT_DISCLOSED) else text


def _join(*parts):
    return " ".join(part.strip() for part in parts if part and part.strip()) or None


def _bad_response(exc):
    return ViesError("bad_response", f"Unexpected response from VIES: {exc}")
