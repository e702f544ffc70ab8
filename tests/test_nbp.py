import socket
from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests
from crm_pl_testing.fake_nbp import FakeNbp
from odoo.addons.crm_invoicing_pl.tools import nbp, pl_calendar
from odoo.addons.crm_invoicing_pl.tools.nbp import NbpClient, NbpError, NbpRate

D = date.fromisoformat


@pytest.fixture
def fake():
    server = FakeNbp()
    with server:
        yield server


@pytest.fixture
def client(fake):
    return NbpClient(base_url=fake.base_url, timeout=5)


# --- rate days ----------------------------------------------------------
# (the Polish calendar itself: test_pl_calendar.py)


def test_rate_date_candidates():
    assert nbp.rate_date_candidates(D("2026-11-26")) == (
        D("2026-11-15"),
        D("2026-11-25"),
    )
    assert nbp.rate_date_candidates(D("2026-11-26"), lookback_days=30) == (
        D("2026-10-26"),
        D("2026-11-25"),
    )


# --- client: rates ------------------------------------------------------


def test_rate_before_uses_latest_rate_strictly_before_tax_point(fake, client):
    fake.add_rate("EUR", D("2026-11-24"), "4.2311", "229/A/NBP/2026")
    fake.add_rate("EUR", D("2026-11-25"), "4.2345", "230/A/NBP/2026")
    fake.add_rate("EUR", D("2026-11-26"), "4.3000", "231/A/NBP/2026")
    fake.add_rate("USD", D("2026-11-25"), "3.9012")

    rate = client.rate_before("eur", D("2026-11-26"))

    assert rate == NbpRate(
        currency="EUR",
        mid=Decimal("4.2345"),
        effective_date=D("2026-11-25"),
        table_no="230/A/NBP/2026",
    )
    assert fake.paths == [
        "/api/exchangerates/rates/a/eur/2026-11-15/2026-11-25/?format=json"
    ]


def test_rate_before_skips_holiday_gap(fake, client):
    for day in ("2026-12-18", "2026-12-21", "2026-12-22", "2026-12-23", "2026-12-28"):
        fake.add_rate("USD", D(day), f"3.9{day[-2:]}")
    tax_point = D("2026-12-28")

    rate = client.rate_before("USD", tax_point)

    assert rate.effective_date == pl_calendar.last_business_day_before(tax_point)
    assert rate.effective_date == D("2026-12-23")
    assert rate.mid == Decimal("3.923")
    assert fake.request_count == 1


def test_rate_before_widens_lookback_once_on_404(fake, client):
    fake.add_rate("GBP", D("2026-11-05"), "5.1234")

    rate = client.rate_before("GBP", D("2026-11-26"))

    assert rate.effective_date == D("2026-11-05")
    assert rate.mid == Decimal("5.1234")
    assert fake.paths == [
        "/api/exchangerates/rates/a/gbp/2026-11-15/2026-11-25/?format=json",
        "/api/exchangerates/rates/a/gbp/2026-10-26/2026-11-25/?format=json",
    ]


def test_rate_before_no_rate_after_widening(fake, client):
    fake.add_rate("EUR", D("2026-10-01"), "4.2")

    with pytest.raises(NbpError) as info:
        client.rate_before("EUR", D("2026-11-26"))

    assert info.value.code == "no_rate"
    assert str(info.value) == (
        "NBP published no table A rate for EUR between 2026-10-26 and 2026-11-25."
    )
    assert fake.request_count == 2


@pytest.mark.parametrize("code", ["EU", "EURO", "E1R", "../", ""])
def test_rate_before_rejects_bad_currency_code(fake, client, code):
    with pytest.raises(ValueError):
        client.rate_before(code, D("2026-11-26"))
    assert fake.request_count == 0


# --- client: table ------------------------------------------------------


def test_table(fake, client):
    fake.add_rate("USD", D("2026-11-25"), "3.9012", "230/A/NBP/2026")
    fake.add_rate("EUR", D("2026-11-25"), "4.2345", "230/A/NBP/2026")
    fake.add_rate("EUR", D("2026-11-24"), "4.2311", "229/A/NBP/2026")

    rates = client.table(D("2026-11-25"))

    assert rates == [
        NbpRate("EUR", Decimal("4.2345"), D("2026-11-25"), "230/A/NBP/2026"),
        NbpRate("USD", Decimal("3.9012"), D("2026-11-25"), "230/A/NBP/2026"),
    ]
    assert fake.paths == ["/api/exchangerates/tables/a/2026-11-25/?format=json"]


def test_table_404(fake, client):
    fake.add_rate("EUR", D("2026-11-25"), "4.2345")

    with pytest.raises(NbpError) as info:
        client.table(D("2026-11-28"))

    assert info.value.code == "no_table"
    assert str(info.value) == "NBP published no table A on 2026-11-28."


# --- client: failures ---------------------------------------------------


def test_timeout_is_unreachable(fake):
    fake.add_rate("EUR", D("2026-11-25"), "4.2345")
    fake.delay = 2
    client = NbpClient(base_url=fake.base_url, timeout=0.2)

    with pytest.raises(NbpError) as info:
        client.rate_before("EUR", D("2026-11-26"))

    assert info.value.code == "unreachable"
    assert fake.request_count == 1


def test_connection_refused_is_unreachable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = NbpClient(base_url=f"http://127.0.0.1:{port}", timeout=1)

    with pytest.raises(NbpError) as info:
        client.table(D("2026-11-25"))

    assert info.value.code == "unreachable"


def test_http_500_is_bad_response(fake, client):
    fake.add_rate("EUR", D("2026-11-25"), "4.2345")
    fake.fail_status = 500

    with pytest.raises(NbpError) as info:
        client.rate_before("EUR", D("2026-11-26"))

    assert info.value.code == "bad_response"
    assert "HTTP 500" in str(info.value)
    assert fake.request_count == 1


@pytest.mark.parametrize("call", ["rate_before", "table"])
def test_malformed_json_is_bad_response(fake, client, call):
    fake.malformed = True

    with pytest.raises(NbpError) as info:
        if call == "table":
            client.table(D("2026-11-25"))
        else:
            client.rate_before("EUR", D("2026-11-26"))

    assert info.value.code == "bad_response"


def test_unexpected_json_shape_is_bad_response(fake, client, monkeypatch):
    monkeypatch.setattr(
        fake, "respond", lambda path: (200, "application/json", '{"rates": [{}]}')
    )

    with pytest.raises(NbpError) as info:
        client.rate_before("EUR", D("2026-11-26"))

    assert info.value.code == "bad_response"


def test_fake_rejects_ranges_longer_than_nbp_limit(fake):
    start = D("2026-01-01")
    end = start + timedelta(days=94)
    response = requests.get(
        f"{fake.base_url}/api/exchangerates/rates/a/eur/{start}/{end}/",
        timeout=5,
    )
    assert response.status_code == 400
