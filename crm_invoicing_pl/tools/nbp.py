"""NBP average exchange rates (table A) and the Polish tax-point rule.

Pure Python, no Odoo. Under art. 31a of the Polish VAT act a foreign-currency
invoice is converted at the NBP table A average rate of the last business
day before the tax point. NBP publishes no table on weekends and public
holidays, so the client asks the public API for a range of days ending the
day before the tax point and keeps the latest published rate (the rate day
itself, the last working day before the tax point, is
``pl_calendar.last_business_day_before``).

API documentation: https://api.nbp.pl/
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import requests

DEFAULT_BASE_URL = "https://api.nbp.pl"
LOOKBACK_DAYS = 10
WIDE_LOOKBACK_DAYS = 30

_PARSE_ERRORS = (KeyError, IndexError, TypeError, ValueError, InvalidOperation)


def rate_date_candidates(tax_point, lookback_days=LOOKBACK_DAYS):
    """Return the (start, end) date range to query for the rate of ``tax_point``.

    ``end`` is the day before the tax point; ``start`` is ``lookback_days``
    before ``end``.
    """
    end = tax_point - timedelta(days=1)
    return end - timedelta(days=lookback_days), end


@dataclass(frozen=True)
class NbpRate:
    """One NBP table A average rate: PLN per unit of ``currency``."""

    currency: str
    mid: Decimal
    effective_date: date
    table_no: str


class NbpError(Exception):
    """NBP lookup failure.

    ``code`` is "no_rate", "no_table", "unreachable" or "bad_response";
    ``str()`` is a plain English message.
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class NbpClient:
    """Minimal client of the NBP exchange-rate API (table A)."""

    def __init__(self, base_url=DEFAULT_BASE_URL, timeout=10, session=None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()

    def rate_before(self, currency_code, tax_point):
        """Return the NbpRate of the last business day before ``tax_point``.

        Ask for LOOKBACK_DAYS days first and, when NBP has no data in that
        range, once more for WIDE_LOOKBACK_DAYS; then raise NbpError
        "no_rate".
        """
        code = str(currency_code).upper()
        if not (len(code) == 3 and code.isascii() and code.isalpha()):
            raise ValueError(f"Not an ISO 4217 currency code: {currency_code!r}")
        rates = []
        for lookback in (LOOKBACK_DAYS, WIDE_LOOKBACK_DAYS):
            start, end = rate_date_candidates(tax_point, lookback)
            data = self._get_json(f"rates/a/{code.lower()}/{start}/{end}")
            if data is not None:
                rates = _parse_rates(code, data)
                break
        rates = [rate for rate in rates if rate.effective_date < tax_point]
        if not rates:
            raise NbpError(
                "no_rate",
                f"NBP published no table A rate for {code} between {start} and {end}.",
            )
        return max(rates, key=lambda rate: rate.effective_date)

    def table(self, on_date):
        """Return the list of NbpRate of the table A published on ``on_date``."""
        data = self._get_json(f"tables/a/{on_date.isoformat()}")
        if data is None:
            raise NbpError("no_table", f"NBP published no table A on {on_date}.")
        return _parse_table(data)

    def _get_json(self, path):
        """GET an API path; return the decoded JSON, or None on HTTP 404."""
        url = f"{self.base_url}/api/exchangerates/{path}/?format=json"
        try:
            response = self.session.get(
                url, timeout=self.timeout, headers={"Accept": "application/json"}
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise NbpError(
                "unreachable", f"NBP API is unreachable ({url}): {exc}"
            ) from exc
        except requests.RequestException as exc:
            raise _bad_response(exc) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise NbpError(
                "bad_response",
                f"NBP API answered HTTP {response.status_code} for {url}.",
            )
        try:
            return json.loads(response.content, parse_float=Decimal)
        except ValueError as exc:
            raise _bad_response(exc) from exc


def _parse_rates(code, data):
    """Rates of one currency from a ``rates/a/{code}/{start}/{end}`` answer."""
    try:
        return [
            _rate(code, item["mid"], item["effectiveDate"], item["no"])
            for item in data["rates"]
        ]
    except _PARSE_ERRORS as exc:
        raise _bad_response(exc) from exc


def _parse_table(data):
    """All rates of the table in a ``tables/a/{date}`` answer."""
    try:
        table = data[0]
        return [
            _rate(item["code"], item["mid"], table["effectiveDate"], table["no"])
            for item in table["rates"]
        ]
    except _PARSE_ERRORS as exc:
        raise _bad_response(exc) from exc


def _rate(code, mid, effective_date, table_no):
    """Build an NbpRate from raw JSON values; raise ValueError if invalid."""
    mid = Decimal(str(mid))
    if not (mid.is_finite() and mid > 0):
        raise ValueError(f"invalid mid rate {mid}")
    return NbpRate(
        currency=str(code).upper(),
        mid=mid,
        effective_date=date.fromisoformat(effective_date),
        table_no=str(table_no),
    )


def _bad_response(exc):
    return NbpError("bad_response", f"Unexpected response from NBP API: {exc}")
