"""A local fake of the NBP exchange-rate API (table A) for tests.

Usage::

    fake = FakeNbp()
    fake.add_rate("EUR", date(2026, 11, 25), "4.2345")
    with fake as base_url:
        NbpClient(base_url=base_url).rate_before("EUR", date(2026, 11, 26))

It answers ``/api/exchangerates/rates/a/{code}/{start}/{end}/`` and
``/api/exchangerates/tables/a/{date}/`` with NBP's JSON shapes, and NBP's 404
body when nothing matches. Set ``delay`` (seconds), ``fail_status`` (e.g. 500)
or ``malformed`` to inject failures; ``paths`` records each request.
"""

import json
import re
from datetime import date
from urllib.parse import urlsplit

from .fake_server import FakeHandler, LocalFakeServer

NOT_FOUND_BODY = "404 NotFound - Not Found - Brak danych"
BAD_RANGE_BODY = "400 BadRequest - Błędny zakres dat / Invalid date range"
MAX_RANGE_DAYS = 93  # NBP refuses longer ranges in one query
MALFORMED_BODY = '{"table": "A", "rates": [{"no": '

_DATE = r"(\d{4}-\d{2}-\d{2})"
_RATES_PATH = re.compile(
    rf"/api/exchangerates/rates/a/([A-Za-z]{{3}})/{_DATE}/{_DATE}/?"
)
_TABLE_PATH = re.compile(rf"/api/exchangerates/tables/a/{_DATE}/?")
_NAMES = {
    "EUR": "euro",
    "USD": "dolar amerykański",
    "GBP": "funt szterling",
    "CHF": "frank szwajcarski",
    "CZK": "korona czeska",
}


class _Handler(FakeHandler):
    def do_GET(self):
        self.send_payload(*self.server.fake.respond(self.path))


class FakeNbp(LocalFakeServer):
    """In-memory NBP table A server on 127.0.0.1, run in a daemon thread."""

    handler_class = _Handler

    def __init__(self):
        super().__init__()
        self.rates = {}  # {(code, date): (mid, table_no)}
        self.delay = 0.0
        self.fail_status = None
        self.malformed = False
        self.paths = []

    @property
    def request_count(self):
        return len(self.paths)

    def add_rate(self, code, day, mid, table_no=None):
        """Store a rate; ``table_no`` defaults to "<day of year>/A/NBP/<year>"."""
        if table_no is None:
            table_no = f"{day.timetuple().tm_yday:03d}/A/NBP/{day.year}"
        self.rates[(code.upper(), day)] = (mid, table_no)

    def respond(self, raw_path):
        """Return (status, content type, body) for a GET of ``raw_path``."""
        with self._lock:
            self.paths.append(raw_path)
        if self.delay:
            self._closing.wait(self.delay)
        if self.fail_status:
            return self.fail_status, "text/plain", f"{self.fail_status} Error"
        if self.malformed:
            return 200, "application/json", MALFORMED_BODY
        path = urlsplit(raw_path).path
        try:
            if match := _RATES_PATH.fullmatch(path):
                code, start, end = match.groups()
                body = self._rates_body(
                    code.upper(), date.fromisoformat(start), date.fromisoformat(end)
                )
            elif match := _TABLE_PATH.fullmatch(path):
                body = self._table_body(date.fromisoformat(match.group(1)))
            else:
                body = None
        except ValueError:
            return 400, "text/plain", BAD_RANGE_BODY
        if body is None:
            return 404, "text/plain", NOT_FOUND_BODY
        return 200, "application/json", json.dumps(body)

    def _rates_body(self, code, start, end):
        if start > end or (end - start).days > MAX_RANGE_DAYS:
            raise ValueError("invalid range")
        rates = [
            {"no": no, "effectiveDate": day.isoformat(), "mid": float(mid)}
            for (rate_code, day), (mid, no) in sorted(self.rates.items())
            if rate_code == code and start <= day <= end
        ]
        if not rates:
            return None
        return {
            "table": "A",
            "currency": _NAMES.get(code, code.lower()),
            "code": code,
            "rates": rates,
        }

    def _table_body(self, day):
        entries = sorted(
            (code, mid, no)
            for (code, rate_day), (mid, no) in self.rates.items()
            if rate_day == day
        )
        if not entries:
            return None
        return [
            {
                "table": "A",
                "no": entries[0][2],
                "effectiveDate": day.isoformat(),
                "rates": [
                    {
                        "currency": _NAMES.get(code, code.lower()),
                        "code": code,
                        "mid": float(mid),
                    }
                    for code, mid, _no in entries
                ],
            }
        ]
