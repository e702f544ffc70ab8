import socket
from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests
from dateutil.easter import easter
from fake_nbp import FakeNbp
from odoo.addons.crm_invoicing_pl.tools import nbp
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


# --- calendar -----------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, D("2025-04-20")), (2026, D("2026-04-05")), (2027, D("2027-03-28"))],
)
def test_easter_sunday(year, expected):
    assert nbp.easter_sunday(year) == expected


def test_easter_matches_dateutil():
    for year in range(1900, 2201):
        assert nbp.easter_sunday(year) == easter(year), year


def test_polish_holidays_2026():
    assert nbp.polish_holidays(2026) == {
        D("2026-01-01"),
        D("2026-01-06"),
        D("2026-04-05"),  # Easter Sunday
        D("2026-04-06"),  # Easter Monday
        D("2026-05-01"),
        D("2026-05-03"),
        D("2026-05-24"),  # Pentecost
        D("2026-06-04"),  # Corpus Christi
        D("2026-08-15"),
        D("2026-11-01"),
        D("2026-11-11"),
        D("2026-12-24"),
        D("2026-12-25"),
        D("2026-12-26"),
    }


@pytest.mark.parametrize(
    ("year", "easter_monday", "pentecost", "corpus_christi"),
    [
        (2025, D("2025-04-21"), D("2025-06-08"), D("2025-06-19")),
        (2027, D("2027-03-29"), D("2027-05-16"), D("2027-05-27")),
    ],
)
def test_movable_holidays(year, easter_monday, pentecost, corpus_christi):
    holidays = nbp.polish_holidays(year)
    assert {easter_monday, pentecost, corpus_christi} <= holidays
    assert len(holidays) == 14


def test_christmas_eve_is_a_holiday_from_2025():
    assert D("2024-12-24") not in nbp.polish_holidays(2024)
    assert D("2025-12-24") in nbp.polish_holidays(2025)


def test_polish_holidays_returns_a_fresh_set():
    nbp.polish_holidays(2026).clear()
    assert len(nbp.polish_holidays(2026)) == 14


@pytest.mark.parametrize(
    ("tax_point", "expected"),
    [
        (D("2026-11-26"), D("2026-11-25")),  # Thursday -> Wednesday
        (D("2026-11-30"), D("2026-11-27")),  # Monday -> Friday
        (D("2026-01-02"), D("2025-12-31")),  # New Year
        (D("2026-01-07"), D("2026-01-05")),  # Epiphany
        (D("2026-04-07"), D("2026-04-03")),  # Easter Monday and weekend
        (D("2026-05-04"), D("2026-04-30")),  # 3 May Sunday, 1 May Friday
        (D("2026-06-05"), D("2026-06-03")),  # Corpus Christi
        (D("2026-08-17"), D("2026-08-14")),  # 15 August on Saturday
        (D("2026-12-27"), D("2026-12-23")),  # Sunday after Christmas
        (D("2024-12-27"), D("2024-12-24")),  # 24 Dec not yet a holiday
        (D("2027-01-04"), D("2026-12-31")),  # across the year end
    ],
)
def test_last_business_day_before(tax_point, expected):
    assert nbp.last_business_day_before(tax_point) == expected


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

    assert rate.effective_date == nbp.last_business_day_before(tax_point)
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
