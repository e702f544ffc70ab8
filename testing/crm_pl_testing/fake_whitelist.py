"""A local fake of the white list ("Wykaz podatników VAT") API for tests.

Usage::

    fake = FakeWhiteList()
    fake.add("0000000017", "Przykład sp. z o.o.", accounts=[nrb("1" * 24)])
    with fake as base_url:
        WhiteListClient(base_url=base_url).search_nip("0000000017")

It answers ``/api/search/nip/{nip}``, ``/api/search/nips/{nip,...}`` (at
most 30) and ``/api/check/nip/{nip}/bank-account/{nrb}``, each with
``?date=YYYY-MM-DD``, in the API's JSON shapes. Bad input gives HTTP 400
``{"code": "WL-1xx", "message": ...}`` (WL-101/102 date missing / not a
date, WL-109..111 account length / non-digit / checksum, WL-112..115 NIP
empty / length / non-digit / checksum, WL-130 more than 30 NIPs). After
``search_limit`` search or ``check_limit`` check requests every further
request of that kind answers WL-191. ``down_status`` (e.g. 503) answers
every request with an HTML error page; ``latency`` (seconds) delays every
answer. ``paths`` records each request.
"""

import itertools
import json
import re
from datetime import date, datetime
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from stdnum.pl import nip as pl_nip

from .fake_server import FakeHandler, LocalFakeServer

MAX_NIPS = 30

_SEARCH_NIP = re.compile(r"/api/search/nip/([^/]*)")
_SEARCH_NIPS = re.compile(r"/api/search/nips/([^/]*)")
_CHECK = re.compile(r"/api/check/nip/([^/]*)/bank-account/([^/]*)")
_WARSAW = ZoneInfo("Europe/Warsaw")

ERRORS = {
    "WL-101": "Pole 'data' nie może być puste.",
    "WL-102": "Pole 'data' ma nieprawidłowy format. Oczekiwany format: RRRR-MM-DD.",
    "WL-109": "Pole 'numer rachunku' ma nieprawidłową długość. Wymagane 26 znaków.",
    "WL-110": "Pole 'numer rachunku' zawiera niedozwolone znaki. Wymagane cyfry.",
    "WL-111": "Nieprawidłowy numer rachunku.",
    "WL-112": "Pole 'NIP' nie może być puste.",
    "WL-113": "Pole 'NIP' ma nieprawidłową długość. Wymagane 10 znaków.",
    "WL-114": "Pole 'NIP' zawiera niedozwolone znaki. Wymagane cyfry.",
    "WL-115": "Nieprawidłowy NIP.",
    "WL-130": "Przekroczono maksymalną liczbę argumentów (30).",
    "WL-191": "Wyczerpano dzienny limit zapytań dla tego adresu IP.",
}


def made_up_nips(count, start=1000):
    """``count`` NIPs with a correct check digit and tax office code 000
    (never assigned), from ``start`` on: data for tests and benchmarks."""
    nips = []
    body = start
    while len(nips) < count:
        nip = nip_with_check_digit(f"{body:09d}")
        if nip:
            nips.append(nip)
        body += 1
    return nips


def nip_with_check_digit(body):
    """The NIP of the 9-digit ``body`` with its check digit (python-stdnum),
    or None: a body whose weighted sum leaves 10 has no valid check digit."""
    return next(
        (body + digit for digit in "0123456789" if pl_nip.is_valid(body + digit)),
        None,
    )


def nrb(bban):
    """The 26-digit NRB of a 24-digit ``bban`` (bank + account), with checksum."""
    check = 98 - int(f"{bban}252100") % 97
    return f"{check:02d}{bban}"


def nrb_checksum_ok(account):
    """Whether the 26-digit NRB ``account`` passes the IBAN mod-97 check."""
    return int(f"{account[2:]}2521{account[:2]}") % 97 == 1


class _ApiError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


class _Handler(FakeHandler):
    def do_GET(self):
        self.send_payload(*self.server.fake.respond(self.path))


class FakeWhiteList(LocalFakeServer):
    """In-memory white list API on 127.0.0.1, run in a daemon thread."""

    handler_class = _Handler

    def __init__(self):
        super().__init__()
        self.registry = {}  # {nip: subject JSON dict}
        self.search_limit = None
        self.check_limit = None
        self.down_status = None
        self.latency = 0.0
        self.paths = []
        self._counts = {"search": 0, "check": 0}
        self._ids = itertools.count(1)

    @property
    def request_count(self):
        return len(self.paths)

    def add(self, nip, name, status="Czynny", accounts=(), **fields):
        """Register a subject; ``fields`` are extra JSON keys (regon, krs...)."""
        self.registry[nip] = {
            "name": name,
            "nip": nip,
            "statusVat": status,
            "regon": fields.pop("regon", None),
            "pesel": None,
            "krs": fields.pop("krs", None),
            "residenceAddress": fields.pop("residenceAddress", None),
            "workingAddress": fields.pop("workingAddress", "ul. Testowa 1, 00-001 X"),
            "representatives": [],
            "authorizedClerks": [],
            "partners": [],
            "registrationLegalDate": fields.pop("registrationLegalDate", "2019-01-01"),
            "registrationDenialBasis": None,
            "registrationDenialDate": None,
            "restorationBasis": None,
            "restorationDate": None,
            "removalBasis": None,
            "removalDate": fields.pop("removalDate", None),
            "accountNumbers": list(accounts),
            "hasVirtualAccounts": False,
            **fields,
        }

    def respond(self, raw_path):
        """Return (status, content type, body) for a GET of ``raw_path``."""
        with self._lock:
            self.paths.append(raw_path)
        if self.latency:
            self._closing.wait(self.latency)
        if self.down_status:
            return self.down_status, "text/html", "<html>Service Unavailable</html>"
        url = urlsplit(raw_path)
        try:
            if match := _SEARCH_NIP.fullmatch(url.path):
                result = self._search_nip(unquote(match.group(1)), url.query)
            elif match := _SEARCH_NIPS.fullmatch(url.path):
                result = self._search_nips(unquote(match.group(1)), url.query)
            elif match := _CHECK.fullmatch(url.path):
                nip, account = (unquote(group) for group in match.groups())
                result = self._check(nip, account, url.query)
            else:
                return 404, "application/json", json.dumps({"message": "Not Found"})
        except _ApiError as exc:
            body = {"code": exc.code, "message": ERRORS[exc.code]}
            return 400, "application/json", json.dumps(body, ensure_ascii=False)
        serial = next(self._ids)
        result["requestId"] = f"fk{serial:03d}-{serial * 7919:07x}"
        result["requestDateTime"] = datetime.now(_WARSAW).strftime("%d-%m-%Y %H:%M:%S")
        return 200, "application/json", json.dumps({"result": result})

    def _count(self, kind):
        limit = self.search_limit if kind == "search" else self.check_limit
        with self._lock:
            self._counts[kind] += 1
            if limit is not None and self._counts[kind] > limit:
                raise _ApiError("WL-191")

    def _search_nip(self, nip, query):
        self._count("search")
        _date(query)
        _check_nip(nip)
        return {"subject": self.registry.get(nip)}

    def _search_nips(self, nips, query):
        self._count("search")
        _date(query)
        nips = nips.split(",")
        if len(nips) > MAX_NIPS:
            raise _ApiError("WL-130")
        for nip in nips:
            _check_nip(nip)
        return {
            "entries": [
                {
                    "identifier": nip,
                    "subjects": [self.registry[nip]] if nip in self.registry else [],
                }
                for nip in nips
            ]
        }

    def _check(self, nip, account, query):
        self._count("check")
        _date(query)
        _check_nip(nip)
        if len(account) != 26:
            raise _ApiError("WL-109")
        if not (account.isascii() and account.isdigit()):
            raise _ApiError("WL-110")
        if not nrb_checksum_ok(account):
            raise _ApiError("WL-111")
        subject = self.registry.get(nip) or {}
        assigned = subject.get("statusVat") == "Czynny" and account in subject.get(
            "accountNumbers", ()
        )
        return {"accountAssigned": "TAK" if assigned else "NIE"}


def _date(query):
    values = parse_qs(query).get("date")
    if not values or not values[0]:
        raise _ApiError("WL-101")
    try:
        return date.fromisoformat(values[0])
    except ValueError as exc:
        raise _ApiError("WL-102") from exc


def _check_nip(nip):
    if not nip:
        raise _ApiError("WL-112")
    if len(nip) != 10:
        raise _ApiError("WL-113")
    if not (nip.isascii() and nip.isdigit()):
        raise _ApiError("WL-114")
    if not pl_nip.is_valid(nip):
        raise _ApiError("WL-115")
