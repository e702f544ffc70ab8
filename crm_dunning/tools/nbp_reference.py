"""NBP reference rate (stopa referencyjna) and the statutory rates built on it.

Pure Python, no Odoo. NBP publishes its interest rates as two static XML
files (there is no JSON API for them):

* the current rates, ``stopy_procentowe.xml``::

    <stopy_procentowe data_publikacji="2026-03-05">
      <tabela id="stoproc" naglowek="Stopa procentowa:">
        <pozycja id="ref" nazwa="Stopa referencyjna" oprocentowanie="3,75"
                 obowiazuje_od="2026-03-05" />
        ...
      </tabela>
    </stopy_procentowe>

* the history, ``stopy_procentowe_archiwum.xml`` (since 1998; its
  ``data_publikacji`` attribute is not kept up to date)::

    <stopy_procentowe_archiwum data_publikacji="2015-03-04">
      <pozycje obowiazuje_od="1998-02-26">
        <pozycja id="ref" oprocentowanie="24,00" />
        <pozycja id="lom" oprocentowanie="27,00" />
      </pozycje>
      ...
    </stopy_procentowe_archiwum>

Rates use a decimal comma. ``parse_reference_rates`` reads either file into
the reference-rate history, ``[(date_from, Decimal rate)]`` sorted by date;
``NbpReferenceClient.history`` fetches both and merges them (the current
file wins on a day both carry). Failures are ``NbpReferenceError`` with a
``code``: "timeout", "unreachable", "http_error", "malformed", "empty".

The statutory rates derived from that history (Decimal throughout):

* commercial transactions (art. 4 pkt 3 and art. 11b of the late-payment
  act): per half-year, the reference rate in force on 1 January / 1 July
  + 10 pp (``COMMERCIAL_MARGIN``), + 8 pp where the debtor is a public
  healthcare provider (``COMMERCIAL_HEALTH_MARGIN``); since 2020
  (``COMMERCIAL_SINCE``: the 2016-2019 rates stay as recorded);
* civil-law delay interest (KC art. 481 par. 2): reference rate + 5.5 pp
  (``CIVIL_MARGIN``) from every change;
* the maximum contractual delay interest (KC art. 481 par. 2^1): twice the
  statutory delay rate, ``max_contractual_rate``.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

import requests

from .interest import InterestError, civil_rate_periods, commercial_rate_periods

DEFAULT_BASE_URL = "https://static.nbp.pl/dane/stopy"
CURRENT_FILE = "stopy_procentowe.xml"
ARCHIVE_FILE = "stopy_procentowe_archiwum.xml"
DEFAULT_TIMEOUT = 10
REFERENCE_ID = "ref"

COMMERCIAL_MARGIN = Decimal("10")
COMMERCIAL_HEALTH_MARGIN = Decimal("8")
CIVIL_MARGIN = Decimal("5.5")
COMMERCIAL_SINCE = datetime.date(2020, 1, 1)

_CENTS = Decimal("0.01")
_ONE_DAY = datetime.timedelta(days=1)
_RATE_TEXT = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*$")


class NbpReferenceError(Exception):
    """The NBP interest-rate files could not be fetched or read.

    ``code`` is "timeout", "unreachable", "http_error", "malformed" or
    "empty"; ``str()`` is a plain English message.
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def parse_rate(text):
    """A rate written by NBP ("3,75") as a Decimal; refuse anything else."""
    if text is None or not _RATE_TEXT.match(text):
        raise NbpReferenceError("malformed", f"Not an NBP rate: {text!r}")
    rate = Decimal(text.strip().replace(",", "."))
    if rate < 0:
        raise NbpReferenceError("malformed", f"Negative NBP rate: {text!r}")
    return rate


def parse_reference_rates(content):
    """Reference-rate changes ``[(date_from, Decimal)]`` of an NBP rates file.

    Reads both the current file (``obowiazuje_od`` on the ``pozycja``) and
    the archive (``obowiazuje_od`` on the enclosing ``pozycje``). Entries
    without a reference rate are skipped; a reference rate without a date or
    with an unreadable value, two different rates on one day, or a file that
    is not XML raise "malformed"; a file without any reference rate raises
    "empty".
    """
    if isinstance(content, str):
        content = content.encode("utf-8")
    content = (content or b"").lstrip(b"\xef\xbb\xbf \t\r\n")
    if not content:
        raise NbpReferenceError("empty", "The NBP rates file is empty.")
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise NbpReferenceError(
            "malformed", f"The NBP rates file is not XML: {exc}"
        ) from exc
    changes = {}
    for parent in root.iter():
        for item in parent.findall("pozycja"):
            if item.get("id") != REFERENCE_ID or item.get("oprocentowanie") is None:
                continue
            day = _parse_date(item.get("obowiazuje_od") or parent.get("obowiazuje_od"))
            rate = parse_rate(item.get("oprocentowanie"))
            if changes.get(day, rate) != rate:
                raise NbpReferenceError(
                    "malformed", f"Two different reference rates on {day}."
                )
            changes[day] = rate
    if not changes:
        raise NbpReferenceError("empty", "The NBP rates file holds no reference rate.")
    return sorted(changes.items())


def merge_histories(*histories):
    """One history from several; a later history wins on the same day."""
    merged = {}
    for history in histories:
        merged.update(dict(history))
    return sorted(merged.items())


class NbpReferenceClient:
    """Fetches NBP's current and archived interest-rate files."""

    def __init__(
        self, base_url=DEFAULT_BASE_URL, timeout=DEFAULT_TIMEOUT, session=None
    ):
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()

    def history(self):
        """The reference-rate history: the archive merged with the current file."""
        archive = parse_reference_rates(self.fetch(ARCHIVE_FILE))
        current = parse_reference_rates(self.fetch(CURRENT_FILE))
        return merge_histories(archive, current)

    def fetch(self, name):
        """The bytes of the file ``name``; raise NbpReferenceError on failure."""
        url = f"{self.base_url}/{name}"
        try:
            response = self.session.get(
                url, timeout=self.timeout, headers={"Accept": "application/xml"}
            )
        except requests.Timeout as exc:
            raise NbpReferenceError(
                "timeout", f"NBP did not answer in {self.timeout} s ({url})."
            ) from exc
        except requests.RequestException as exc:
            raise NbpReferenceError(
                "unreachable", f"NBP cannot be reached ({url}): {exc}"
            ) from exc
        if response.status_code != 200:
            raise NbpReferenceError(
                "http_error", f"NBP answered HTTP {response.status_code} for {url}."
            )
        return response.content


def reference_rate_on(history, day):
    """The reference rate in force on ``day``, or None before the history."""
    rate = None
    for date_from, value in sorted(history):
        if date_from > day:
            break
        rate = Decimal(value)
    return rate


def commercial_rates(history, until, margin=COMMERCIAL_MARGIN, since=COMMERCIAL_SINCE):
    """Half-year commercial rates ``[(date_from, date_to, Decimal)]``.

    Each half-year from ``since`` (2020 by default) up to the one containing
    ``until`` gets the reference rate in force on its first day + ``margin``
    (art. 11b); a half-year starting before the history has none.
    """
    return _rows(_derive(commercial_rate_periods, history, margin, until, since))


def civil_rates(history, since=None, margin=CIVIL_MARGIN):
    """Civil-law delay rates ``[(date_from, date_to or None, Decimal)]``.

    Reference rate + 5.5 pp from each change, the last one open-ended
    (KC art. 481 par. 2). With ``since``, periods ending before it are left
    out and the one in force on it starts there.
    """
    periods = _rows(_derive(civil_rate_periods, history, margin))
    if since is None:
        return periods
    return [
        (max(date_from, since), date_to, rate)
        for date_from, date_to, rate in periods
        if date_to is None or date_to >= since
    ]


def delay_rate_on(history, day, margin=CIVIL_MARGIN):
    """The statutory delay rate (reference + 5.5 pp) on ``day``, or None."""
    reference = reference_rate_on(history, day)
    return None if reference is None else _quantize(reference + Decimal(margin))


def max_contractual_rate(delay_rate):
    """The maximum contractual delay interest: twice the statutory delay rate.

    KC art. 481 par. 2^1; above it the statutory maximum is due (par. 2^2).
    """
    try:
        rate = Decimal(str(delay_rate))
    except InvalidOperation as exc:
        raise ValueError(f"Not a rate: {delay_rate!r}") from exc
    if isinstance(delay_rate, bool) or not rate.is_finite() or rate < 0:
        raise ValueError(f"Not a rate: {delay_rate!r}")
    return _quantize(rate * 2)


def _derive(function, history, *args):
    """Call an ``interest`` derivation; its errors become "malformed"."""
    try:
        return function(history, *args)
    except InterestError as exc:
        raise NbpReferenceError("malformed", str(exc)) from exc


def _rows(periods):
    return [
        (period.date_from, period.date_to, _quantize(period.rate)) for period in periods
    ]


def _quantize(rate):
    return Decimal(rate).quantize(_CENTS)


def _parse_date(text):
    try:
        return datetime.date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise NbpReferenceError(
            "malformed", f"Not an NBP date (YYYY-MM-DD): {text!r}"
        ) from exc
