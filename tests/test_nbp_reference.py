import datetime
from decimal import Decimal

import pytest
from crm_pl_testing.fake_nbp_rates import FakeNbpRates, archive_xml, current_xml
from odoo.addons.crm_dunning.tools.nbp_reference import (
    COMMERCIAL_HEALTH_MARGIN,
    NbpReferenceClient,
    NbpReferenceError,
    civil_rates,
    commercial_rates,
    delay_rate_on,
    max_contractual_rate,
    merge_histories,
    parse_rate,
    parse_reference_rates,
    reference_rate_on,
)

D = Decimal
d = datetime.date

# An excerpt of NBP's archive file, as published (decimal comma, "pozycje"
# entries with "obowiazuje_od", the other rates next to the reference one).
ARCHIVE_SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<stopy_procentowe_archiwum xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
data_publikacji="2015-03-04">
  <pozycje obowiazuje_od="1998-02-26">
    <pozycja id="ref" oprocentowanie="24,00" />
    <pozycja id="lom" oprocentowanie="27,00" />
    <pozycja id="red" oprocentowanie="24,50" />
  </pozycje>
  <pozycje obowiazuje_od="2023-10-05">
    <pozycja id="ref" oprocentowanie="5,75" />
    <pozycja id="lom" oprocentowanie="6,25" />
    <pozycja id="dep" oprocentowanie="5,25" />
  </pozycje>
  <pozycje obowiazuje_od="2025-05-08">
    <pozycja id="ref" oprocentowanie="5,25" />
    <pozycja id="lom" oprocentowanie="5,75" />
  </pozycje>
  <pozycje obowiazuje_od="2025-07-03">
    <pozycja id="ref" oprocentowanie="5,00" />
  </pozycje>
  <pozycje obowiazuje_od="2025-12-04">
    <pozycja id="lom" oprocentowanie="4,50" />
    <pozycja id="ref" oprocentowanie="4,00" />
  </pozycje>
</stopy_procentowe_archiwum>
"""

CURRENT_SAMPLE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<stopy_procentowe data_publikacji="2026-03-05">
  <tabela id="stoproc" naglowek="Stopa procentowa:">
    <pozycja id="ref" nazwa="Stopa referencyjna" oprocentowanie="3,75" \
obowiazuje_od="2026-03-05" />
    <pozycja id="lom" nazwa="Stopa lombardowa" oprocentowanie="4,25" \
obowiazuje_od="2026-03-05" />
  </tabela>
</stopy_procentowe>
"""

HISTORY = [
    (d(2023, 10, 5), D("5.75")),
    (d(2025, 5, 8), D("5.25")),
    (d(2025, 7, 3), D("5.00")),
    (d(2025, 12, 4), D("4.00")),
    (d(2026, 3, 5), D("3.75")),
]


# --- parsing ------------------------------------------------------------


def test_parse_archive_sample():
    assert parse_reference_rates(ARCHIVE_SAMPLE.encode()) == [
        (d(1998, 2, 26), D("24.00")),
        (d(2023, 10, 5), D("5.75")),
        (d(2025, 5, 8), D("5.25")),
        (d(2025, 7, 3), D("5.00")),
        (d(2025, 12, 4), D("4.00")),
    ]


def test_parse_current_sample():
    assert parse_reference_rates(CURRENT_SAMPLE) == [(d(2026, 3, 5), D("3.75"))]


def test_parse_rates_are_decimals_from_the_comma():
    rates = parse_reference_rates(ARCHIVE_SAMPLE)
    assert all(isinstance(rate, Decimal) for _day, rate in rates)
    assert parse_rate("0,10") == D("0.10")
    assert parse_rate("6,75") + D("5.5") == D("12.25")


def test_parse_with_bom_and_unsorted():
    body = (
        "\ufeff<stopy_procentowe_archiwum>"
        '<pozycje obowiazuje_od="2026-03-05"><pozycja id="ref" oprocentowanie="3,75"/>'
        "</pozycje>"
        '<pozycje obowiazuje_od="2025-12-04"><pozycja id="ref" oprocentowanie="4,00"/>'
        "</pozycje></stopy_procentowe_archiwum>"
    ).encode()
    assert [day for day, _rate in parse_reference_rates(body)] == [
        d(2025, 12, 4),
        d(2026, 3, 5),
    ]


def test_entries_without_reference_rate_are_skipped():
    body = (
        "<stopy_procentowe_archiwum>"
        '<pozycje obowiazuje_od="1998-02-26"><pozycja id="lom" oprocentowanie="27,00"/>'
        "</pozycje>"
        '<pozycje obowiazuje_od="2026-03-05"><pozycja id="ref" oprocentowanie="3,75"/>'
        "</pozycje></stopy_procentowe_archiwum>"
    )
    assert parse_reference_rates(body) == [(d(2026, 3, 5), D("3.75"))]


@pytest.mark.parametrize(
    "body",
    [
        "<stopy_procentowe_archiwum><pozycje obowiazuje_od=",
        "<html><body>Przerwa techniczna</body>",
        "not xml at all",
        '<stopy_procentowe_archiwum><pozycje obowiazuje_od="2026-13-05">'
        '<pozycja id="ref" oprocentowanie="3,75"/></pozycje>'
        "</stopy_procentowe_archiwum>",
        '<stopy_procentowe_archiwum><pozycje obowiazuje_od="2026-03-05">'
        '<pozycja id="ref" oprocentowanie="3,7x"/></pozycje>'
        "</stopy_procentowe_archiwum>",
        '<stopy_procentowe_archiwum><pozycje><pozycja id="ref" oprocentowanie="3,75"/>'
        "</pozycje></stopy_procentowe_archiwum>",
        '<stopy_procentowe_archiwum><pozycje obowiazuje_od="2026-03-05">'
        '<pozycja id="ref" oprocentowanie="-1,00"/></pozycje>'
        "</stopy_procentowe_archiwum>",
        '<a><pozycja id="ref" oprocentowanie="3,75" obowiazuje_od="2026-03-05"/>'
        '<pozycja id="ref" oprocentowanie="4,00" obowiazuje_od="2026-03-05"/></a>',
    ],
)
def test_malformed_file(body):
    with pytest.raises(NbpReferenceError) as info:
        parse_reference_rates(body)
    assert info.value.code == "malformed"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b'<?xml version="1.0"?>'
        b'<stopy_procentowe_archiwum data_publikacji="2015-03-04"/>',
        b'<stopy_procentowe><tabela id="stoproc"/></stopy_procentowe>',
    ],
)
def test_empty_file(body):
    with pytest.raises(NbpReferenceError) as info:
        parse_reference_rates(body)
    assert info.value.code == "empty"


def test_merge_current_wins():
    archive = [(d(2025, 12, 4), D("4.00")), (d(2026, 3, 5), D("3.50"))]
    current = [(d(2026, 3, 5), D("3.75"))]
    assert merge_histories(archive, current) == [
        (d(2025, 12, 4), D("4.00")),
        (d(2026, 3, 5), D("3.75")),
    ]


# --- derivation ---------------------------------------------------------


def test_reference_rate_on():
    assert reference_rate_on(HISTORY, d(2023, 10, 4)) is None
    assert reference_rate_on(HISTORY, d(2023, 10, 5)) == D("5.75")
    assert reference_rate_on(HISTORY, d(2026, 3, 4)) == D("4.00")
    assert reference_rate_on(HISTORY, d(2026, 3, 5)) == D("3.75")


def test_commercial_half_years_from_the_rate_on_their_first_day():
    rows = commercial_rates(HISTORY, until=d(2026, 12, 6))
    # The history starts 2023-10-05: the first half-year with a rate on its
    # first day is 2024 H1.
    assert rows == [
        (d(2024, 1, 1), d(2024, 6, 30), D("15.75")),
        (d(2024, 7, 1), d(2024, 12, 31), D("15.75")),
        (d(2025, 1, 1), d(2025, 6, 30), D("15.75")),
        (d(2025, 7, 1), d(2025, 12, 31), D("15.25")),
        (d(2026, 1, 1), d(2026, 6, 30), D("14.00")),
        (d(2026, 7, 1), d(2026, 12, 31), D("13.75")),
    ]
    health = commercial_rates(
        HISTORY, until=d(2026, 12, 6), margin=COMMERCIAL_HEALTH_MARGIN
    )
    assert [rate for _f, _t, rate in health] == [
        D("13.75"),
        D("13.75"),
        D("13.75"),
        D("13.25"),
        D("12.00"),
        D("11.75"),
    ]


def test_commercial_change_in_the_middle_of_a_half_year():
    # A change on 2027-03-04 does not touch 2027 H1 (rate on 1 January),
    # only 2027 H2.
    history = HISTORY + [(d(2027, 3, 4), D("3.25"))]
    rows = commercial_rates(history, until=d(2027, 7, 1))
    assert rows[-2:] == [
        (d(2027, 1, 1), d(2027, 6, 30), D("13.75")),
        (d(2027, 7, 1), d(2027, 12, 31), D("13.25")),
    ]
    civil = civil_rates(history)
    assert civil[-2:] == [
        (d(2026, 3, 5), d(2027, 3, 3), D("9.25")),
        (d(2027, 3, 4), None, D("8.75")),
    ]


@pytest.mark.parametrize(
    ("change", "first_half_rate", "second_half_rate"),
    [
        # A change effective on 1 July applies to the second half-year.
        (d(2027, 7, 1), D("13.75"), D("13.00")),
        # A change effective on 30 June too: it is in force on 1 July.
        (d(2027, 6, 30), D("13.75"), D("13.00")),
        # A change effective on 2 July waits for the next half-year.
        (d(2027, 7, 2), D("13.75"), D("13.75")),
    ],
)
def test_commercial_half_year_boundaries(change, first_half_rate, second_half_rate):
    history = HISTORY + [(change, D("3.00"))]
    rows = commercial_rates(history, until=d(2027, 12, 31))
    by_start = {start: rate for start, _end, rate in rows}
    assert by_start[d(2027, 1, 1)] == first_half_rate
    assert by_start[d(2027, 7, 1)] == second_half_rate


def test_commercial_until_the_half_year_containing_until():
    assert commercial_rates(HISTORY, until=d(2026, 6, 30))[-1][1] == d(2026, 6, 30)
    assert commercial_rates(HISTORY, until=d(2026, 7, 1))[-1][1] == d(2026, 12, 31)
    assert commercial_rates(HISTORY, until=d(2027, 1, 1))[-1] == (
        d(2027, 1, 1),
        d(2027, 6, 30),
        D("13.75"),
    )


def test_commercial_since_2020_only():
    history = [(d(2015, 3, 5), D("1.50")), (d(2020, 3, 18), D("1.00"))]
    rows = commercial_rates(history, until=d(2020, 12, 31))
    assert rows == [
        (d(2020, 1, 1), d(2020, 6, 30), D("11.50")),
        (d(2020, 7, 1), d(2020, 12, 31), D("11.00")),
    ]


def test_civil_rates_from_each_change():
    assert civil_rates(HISTORY) == [
        (d(2023, 10, 5), d(2025, 5, 7), D("11.25")),
        (d(2025, 5, 8), d(2025, 7, 2), D("10.75")),
        (d(2025, 7, 3), d(2025, 12, 3), D("10.50")),
        (d(2025, 12, 4), d(2026, 3, 4), D("9.50")),
        (d(2026, 3, 5), None, D("9.25")),
    ]
    assert civil_rates(HISTORY, since=d(2025, 8, 1))[0] == (
        d(2025, 8, 1),
        d(2025, 12, 3),
        D("10.50"),
    )


def test_derivation_refuses_two_rates_on_a_day():
    with pytest.raises(NbpReferenceError):
        civil_rates([(d(2026, 3, 5), D("3.75")), (d(2026, 3, 5), D("4.00"))])


def test_max_contractual_rate():
    assert max_contractual_rate(D("9.25")) == D("18.50")
    assert max_contractual_rate("11.25") == D("22.50")
    assert max_contractual_rate(0) == D("0.00")
    assert delay_rate_on(HISTORY, d(2026, 3, 5)) == D("9.25")
    assert max_contractual_rate(delay_rate_on(HISTORY, d(2026, 3, 4))) == D("19.00")
    assert delay_rate_on(HISTORY, d(2020, 1, 1)) is None
    for wrong in ("abc", -1, float("nan"), True):
        with pytest.raises(ValueError):
            max_contractual_rate(wrong)


# --- client -------------------------------------------------------------


@pytest.fixture
def fake():
    server = FakeNbpRates(
        [(day, f"{rate:.2f}".replace(".", ",")) for day, rate in HISTORY]
    )
    with server:
        yield server


def test_client_fetches_and_merges(fake):
    client = NbpReferenceClient(base_url=fake.base_url + "/", timeout=5)
    assert client.history() == HISTORY
    assert sorted(fake.paths) == [
        "/stopy_procentowe.xml",
        "/stopy_procentowe_archiwum.xml",
    ]


def test_fake_serves_the_real_formats():
    history = [(d(2026, 3, 5), "3,75")]
    assert parse_reference_rates(archive_xml(history)) == [(d(2026, 3, 5), D("3.75"))]
    assert parse_reference_rates(current_xml(history)) == [(d(2026, 3, 5), D("3.75"))]


def test_client_http_error(fake):
    fake.fail_status = 503
    with pytest.raises(NbpReferenceError) as info:
        NbpReferenceClient(base_url=fake.base_url, timeout=5).history()
    assert info.value.code == "http_error"


def test_client_timeout(fake):
    fake.delay = 2
    with pytest.raises(NbpReferenceError) as info:
        NbpReferenceClient(base_url=fake.base_url, timeout=0.2).history()
    assert info.value.code == "timeout"


def test_client_malformed_and_empty(fake):
    fake.malformed = True
    with pytest.raises(NbpReferenceError) as info:
        NbpReferenceClient(base_url=fake.base_url, timeout=5).history()
    assert info.value.code == "malformed"
    fake.malformed = False
    fake.empty = True
    with pytest.raises(NbpReferenceError) as info:
        NbpReferenceClient(base_url=fake.base_url, timeout=5).history()
    assert info.value.code == "empty"


def test_client_unreachable():
    server = FakeNbpRates()
    with server:
        url = server.base_url
    with pytest.raises(NbpReferenceError) as info:
        NbpReferenceClient(base_url=url, timeout=2).history()
    assert info.value.code == "unreachable"
