"""Client of the Polish VAT-payer white list ("Wykaz podatników VAT") API.

Pure Python, no Odoo. REST API of the Ministry of Finance
(https://wl-api.mf.gov.pl; test host https://wl-test.mf.gov.pl): search
subjects by NIP on a date, and check whether a bank account (NRB) is
assigned to a NIP. Each answer carries a ``requestId`` and a
``requestDateTime``: they are kept in the results as proof of the check.

Errors come as ``{"code": "WL-1xx", "message": ...}``; WL-191 (the daily
limit of this IP is used up) raises WhiteListLimitError so that the caller
can pause its queue until midnight.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import requests
from stdnum.pl import nip as pl_nip

DEFAULT_BASE_URL = "https://wl-api.mf.gov.pl"
TEST_BASE_URL = "https://wl-test.mf.gov.pl"
MAX_NIPS_PER_CALL = 30
WARSAW = ZoneInfo("Europe/Warsaw")
REQUEST_DATETIME_FORMAT = "%d-%m-%Y %H:%M:%S"

STATUS_ACTIVE = "Czynny"
STATUS_EXEMPT = "Zwolniony"
STATUS_NOT_REGISTERED = "Niezarejestrowany"

LIMIT_CODE = "WL-191"
# Server error, "database updated, retry", "update in progress".
RETRY_CODES = frozenset({"WL-100", "WL-195", "WL-196"})

_PARSE_ERRORS = (KeyError, IndexError, TypeError, ValueError, AttributeError)


@dataclass(frozen=True)
class WhiteListSubject:
    """One subject of the white list as of ``on_date``.

    ``status_vat`` is "Czynny", "Zwolniony", "Niezarejestrowany", or None
    when the NIP is not on the list at all. ``request_id`` and
    ``request_datetime`` (Warsaw time) identify the query.
    """

    nip: str
    on_date: date
    request_id: str | None
    request_datetime: datetime | None
    status_vat: str | None = None
    name: str | None = None
    regon: str | None = None
    krs: str | None = None
    residence_address: str | None = None
    working_address: str | None = None
    account_numbers: tuple = ()
    has_virtual_accounts: bool | None = None
    registration_legal_date: date | None = None
    removal_date: date | None = None

    @property
    def found(self):
        return self.status_vat is not None


@dataclass(frozen=True)
class WhiteListAccountCheck:
    """Answer of the account check: is ``account`` assigned to ``nip``?"""

    nip: str
    account: str
    on_date: date
    assigned: bool
    request_id: str | None
    request_datetime: datetime | None


class WhiteListError(Exception):
    """White list failure.

    ``code`` is the API's "WL-1xx" code, "unreachable" or "bad_response";
    ``str()`` is a message (the API's own, in Polish, for WL codes).
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code

    @property
    def transient(self):
        """Whether the same request may succeed later."""
        return self.code in RETRY_CODES or self.code in ("unreachable", LIMIT_CODE)


class WhiteListLimitError(WhiteListError):
    """WL-191: the daily request limit of this IP is exhausted."""


class WhiteListClient:
    """Minimal client of the white list API (search by NIP, account check)."""

    def __init__(self, base_url=DEFAULT_BASE_URL, timeout=10, session=None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()

    def search_nip(self, nip, on_date=None):
        """Return the WhiteListSubject of ``nip`` on ``on_date`` (default today)."""
        nip, on_date = _nip(nip), on_date or today()
        result = self._get(f"search/nip/{_segment(nip)}", on_date)
        try:
            return _subject(nip, result["subject"], on_date, *_proof(result))
        except _PARSE_ERRORS as exc:
            raise _bad_response(exc) from exc

    def search_nips(self, nips, on_date=None):
        """Return {nip: WhiteListSubject} for ``nips``, in the given order.

        The list is sent in batches of at most MAX_NIPS_PER_CALL NIPs;
        duplicates are asked once.
        """
        on_date = on_date or today()
        wanted = list(dict.fromkeys(_nip(nip) for nip in nips))
        found = {}
        for start in range(0, len(wanted), MAX_NIPS_PER_CALL):
            batch = wanted[start : start + MAX_NIPS_PER_CALL]
            path = "search/nips/" + ",".join(_segment(nip) for nip in batch)
            result = self._get(path, on_date)
            try:
                found.update(_entries(batch, result, on_date))
            except _PARSE_ERRORS as exc:
                raise _bad_response(exc) from exc
        return found

    def check_account(self, nip, account, on_date=None):
        """Return a WhiteListAccountCheck of ``account`` (NRB) for ``nip``."""
        nip, on_date = _nip(nip), on_date or today()
        account = _account(account)
        path = f"check/nip/{_segment(nip)}/bank-account/{_segment(account)}"
        result = self._get(path, on_date)
        try:
            assigned = result["accountAssigned"]
            if assigned not in ("TAK", "NIE"):
                raise ValueError(f"accountAssigned is {assigned!r}")
            return WhiteListAccountCheck(
                nip, account, on_date, assigned == "TAK", *_proof(result)
            )
        except _PARSE_ERRORS as exc:
            raise _bad_response(exc) from exc

    def _get(self, path, on_date):
        """GET ``/api/{path}?date=``; return the ``result`` object."""
        url = f"{self.base_url}/api/{path}"
        try:
            response = self.session.get(
                url,
                params={"date": on_date.isoformat()},
                timeout=self.timeout,
                headers={"Accept": "application/json"},
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise WhiteListError(
                "unreachable", f"White list API is unreachable ({url}): {exc}"
            ) from exc
        except requests.RequestException as exc:
            raise _bad_response(exc) from exc
        try:
            data = json.loads(response.content)
        except ValueError as exc:
            raise WhiteListError(
                "bad_response",
                f"White list API answered HTTP {response.status_code} "
                f"without JSON for {url}.",
            ) from exc
        if isinstance(data, dict) and data.get("code"):
            error_class = (
                WhiteListLimitError if data["code"] == LIMIT_CODE else WhiteListError
            )
            raise error_class(str(data["code"]), str(data.get("message") or ""))
        if response.status_code != 200 or not isinstance(data, dict):
            raise WhiteListError(
                "bad_response",
                f"White list API answered HTTP {response.status_code} for {url}.",
            )
        result = data.get("result")
        if not isinstance(result, dict):
            raise _bad_response("no 'result' object")
        return result


def today():
    """Today's date in Warsaw (the API's dates are Polish dates)."""
    return datetime.now(WARSAW).date()


def _entries(batch, result, on_date):
    """{nip: WhiteListSubject} of one /search/nips answer, for ``batch``."""
    request_id, request_datetime = _proof(result)
    subjects = {}
    for entry in result["entries"]:
        candidates = entry.get("subjects") or []
        active = [s for s in candidates if s.get("statusVat") == STATUS_ACTIVE]
        subject = (active or candidates or [None])[0]
        nip = str(entry["identifier"])
        subjects[nip] = _subject(nip, subject, on_date, request_id, request_datetime)
    return {
        nip: subjects.get(nip)
        or _subject(nip, None, on_date, request_id, request_datetime)
        for nip in batch
    }


def _subject(nip, data, on_date, request_id, request_datetime):
    """WhiteListSubject of a JSON ``subject`` (None: not on the list)."""
    if data is None:
        return WhiteListSubject(nip, on_date, request_id, request_datetime)
    status = data["statusVat"]
    if status not in (STATUS_ACTIVE, STATUS_EXEMPT, STATUS_NOT_REGISTERED):
        raise ValueError(f"unknown statusVat {status!r}")
    return WhiteListSubject(
        nip=str(data.get("nip") or nip),
        on_date=on_date,
        request_id=request_id,
        request_datetime=request_datetime,
        status_vat=status,
        name=data.get("name"),
        regon=data.get("regon"),
        krs=data.get("krs"),
        residence_address=data.get("residenceAddress"),
        working_address=data.get("workingAddress"),
        account_numbers=tuple(str(acc) for acc in data.get("accountNumbers") or ()),
        has_virtual_accounts=data.get("hasVirtualAccounts"),
        registration_legal_date=_date(data.get("registrationLegalDate")),
        removal_date=_date(data.get("removalDate")),
    )


def _proof(result):
    """(requestId, requestDateTime as an aware Warsaw datetime)."""
    raw = result.get("requestDateTime")
    stamp = None
    if raw:
        stamp = datetime.strptime(raw, REQUEST_DATETIME_FORMAT).replace(tzinfo=WARSAW)
    return result.get("requestId"), stamp


def _date(value):
    return date.fromisoformat(value) if value else None


def _nip(value):
    """NIP without spaces, dashes and "PL" prefix (python-stdnum's compact
    form; the API validates it)."""
    text = pl_nip.compact(str(value or ""))
    if not text:
        raise ValueError("No NIP given.")
    return text


def _account(value):
    """NRB without spaces, dashes and "PL" prefix (the API validates it).

    A pure function on purpose: the client is Odoo-free and gets plain
    strings (callers holding a res.partner.bank pass its
    sanitized_acc_number); the API wants the 26 digits without "PL".
    """
    text = "".join(str(value or "").split()).replace("-", "").upper()
    text = text[2:] if text.startswith("PL") else text
    if not text:
        raise ValueError("No bank account number given.")
    return text


def _segment(value):
    """``value`` quoted as one URL path segment."""
    return quote(value, safe="")


def _bad_response(exc):
    return WhiteListError("bad_response", f"Unexpected white list API answer: {exc}")


_ADDRESS = re.compile(r"^(?P<street>.+?),\s*(?P<zip>\d{2}-\d{3})\s+(?P<city>.+)$")


def split_address(address):
    """(street, zip, city) of a white-list address ("UL. KRUCZA 5, 00-548
    WARSZAWA"); the whole text as the street when it has no Polish postcode."""
    address = " ".join((address or "").split())
    if not address:
        return None, None, None
    matching = _ADDRESS.match(address)
    if not matching:
        return address, None, None
    return matching["street"], matching["zip"], matching["city"]
