import datetime
from decimal import Decimal

import pytest
from nbp_history import REFERENCE
from odoo.addons.crm_dunning.tools.interest import (
    InterestError,
    InterestLine,
    RatePeriod,
    civil_rate_periods,
    commercial_rate_periods,
    compensation_eur,
    compensation_rate_date,
    contractual_excess,
    contractual_periods,
    interest,
    validate_rates,
)
from odoo.addons.crm_invoicing_pl.tools.pl_calendar import payment_deadline

D = Decimal
d = datetime.date


@pytest.fixture
def commercial():
    # 2016-2019: ref + 8 for all; since 2020: ref + 10 (general debtors).
    return commercial_rate_periods(
        REFERENCE, 8, until=d(2019, 12, 31)
    ) + commercial_rate_periods(
        REFERENCE, 10, until=d(2026, 6, 30), since=d(2020, 1, 1)
    )


@pytest.fixture
def civil():
    return civil_rate_periods(REFERENCE)


def rows(result):
    """(from, to, days, rate, denominator, interest) as strings."""
    return [
        (
            str(x.date_from),
            str(x.date_to),
            x.days,
            str(x.rate),
            x.denominator,
            str(x.interest),
        )
        for x in result.lines
    ]


def flat(rate):
    """One open rate from 2000 on."""
    return [RatePeriod(d(2000, 1, 1), None, D(rate))]


# --- rate tables -------------------------------------------------------------


def test_commercial_half_year_rule_matches_domain_table(commercial):
    by_start = {(p.date_from, p.date_to): str(p.rate) for p in commercial}
    expected = {
        (d(2020, 1, 1), d(2020, 6, 30)): "11.50",
        (d(2020, 7, 1), d(2020, 12, 31)): "10.10",
        (d(2021, 1, 1), d(2021, 6, 30)): "10.10",
        (d(2021, 7, 1), d(2021, 12, 31)): "10.10",
        (d(2022, 1, 1), d(2022, 6, 30)): "11.75",
        (d(2022, 7, 1), d(2022, 12, 31)): "16.00",
        (d(2023, 1, 1), d(2023, 6, 30)): "16.75",
        (d(2023, 7, 1), d(2023, 12, 31)): "16.75",
        (d(2024, 1, 1), d(2024, 6, 30)): "15.75",
        (d(2024, 7, 1), d(2024, 12, 31)): "15.75",
        (d(2025, 1, 1), d(2025, 6, 30)): "15.75",
        # 1 July 2025: the 3 July cut does not count yet.
        (d(2025, 7, 1), d(2025, 12, 31)): "15.25",
        (d(2026, 1, 1), d(2026, 6, 30)): "14.00",
    }
    for key, rate in expected.items():
        assert by_start[key] == rate
    before_2020 = [p for p in commercial if p.date_from.year < 2020]
    assert len(before_2020) == 8
    assert {str(p.rate) for p in before_2020} == {"9.50"}
    assert commercial[0].date_from == d(2016, 1, 1)
    assert commercial[-1].date_to == d(2026, 6, 30)
    assert validate_rates(commercial) == commercial  # contiguous, no overlap


def test_commercial_public_health_margin():
    periods = commercial_rate_periods(
        REFERENCE, 8, until=d(2022, 7, 1), since=d(2022, 1, 1)
    )
    assert [(str(p.date_from), str(p.rate)) for p in periods] == [
        ("2022-01-01", "9.75"),
        ("2022-07-01", "14.00"),
    ]


def test_commercial_starts_with_first_half_year_after_first_change():
    changes = [(d(2024, 3, 1), 5), (d(2024, 8, 1), 6)]
    periods = commercial_rate_periods(changes, 10, until=d(2025, 1, 1))
    # The rate in force on 1 January 2024 is unknown: start on 1 July.
    assert periods == (
        RatePeriod(d(2024, 7, 1), d(2024, 12, 31), D(15)),
        RatePeriod(d(2025, 1, 1), d(2025, 6, 30), D(16)),
    )


def test_commercial_since_inside_half_year_and_empty_results():
    periods = commercial_rate_periods(
        REFERENCE, 10, until=d(2025, 7, 1), since=d(2025, 3, 15)
    )
    assert [str(p.date_from) for p in periods] == ["2025-01-01", "2025-07-01"]
    assert commercial_rate_periods(REFERENCE, 10, until=d(2015, 12, 31)) == ()
    assert commercial_rate_periods([], 10, until=d(2025, 1, 1)) == ()


def test_civil_rate_periods_follow_every_change(civil):
    assert len(civil) == len(REFERENCE)
    assert civil[0] == RatePeriod(d(2016, 1, 1), d(2020, 3, 17), D("7.00"))
    assert civil[-1] == RatePeriod(d(2026, 3, 5), None, D("9.25"))
    # The domain's civil-law table, ref + 5.5, from date.
    assert [str(p.rate) for p in civil] == [
        "7.00", "6.50", "6.00", "5.60", "6.00", "6.75", "7.25", "7.75", "8.25",
        "9.00", "10.00", "10.75", "11.50", "12.00", "12.25", "11.50", "11.25",
        "10.75", "10.50", "10.25", "10.00", "9.75", "9.50", "9.25",
    ]  # fmt: skip
    assert all(
        p.date_to == q.date_from - datetime.timedelta(days=1)
        for p, q in zip(civil, civil[1:], strict=False)
    )
    assert validate_rates(civil) == civil


def test_civil_rate_periods_sorts_and_takes_margin():
    periods = civil_rate_periods([(d(2025, 2, 1), "2"), (d(2025, 1, 1), "1")], "3.5")
    assert periods == (
        RatePeriod(d(2025, 1, 1), d(2025, 1, 31), D("4.5")),
        RatePeriod(d(2025, 2, 1), None, D("5.5")),
    )


def test_validate_rates_sorts_and_accepts_tuples():
    later = (d(2025, 7, 1), None, "15.25")
    earlier = (d(2025, 1, 1), d(2025, 6, 30), 15.75)
    assert validate_rates([later, earlier]) == (
        RatePeriod(d(2025, 1, 1), d(2025, 6, 30), D("15.75")),
        RatePeriod(d(2025, 7, 1), None, D("15.25")),
    )
    # A gap is allowed in the table itself.
    gap = [(d(2025, 1, 1), d(2025, 1, 31), 1), (d(2025, 3, 1), None, 2)]
    assert len(validate_rates(gap)) == 2


# --- interest ----------------------------------------------------------------


def test_domain_example_ten_days(commercial, civil):
    # Due 10 March, paid 20 March: 11..20 March, 10 days.
    result = interest("10000.00", d(2025, 3, 10), d(2025, 3, 20), commercial)
    # 10 000 x 15.75 % x 10 / 365 = 43.1506...
    assert rows(result) == [("2025-03-11", "2025-03-20", 10, "15.75", 365, "43.15")]
    assert result.total == D("43.15") and result.days == 10
    assert result.amount == D("10000.00")
    assert isinstance(result.lines[0], InterestLine)
    # Civil law: 11.25 % -> 30.8219...
    assert interest(10000, d(2025, 3, 10), d(2025, 3, 20), civil).total == D("30.82")


def test_split_at_half_year_rate_change(commercial):
    result = interest(10000, d(2025, 6, 20), d(2025, 7, 10), commercial)
    assert rows(result) == [
        ("2025-06-21", "2025-06-30", 10, "15.75", 365, "43.15"),
        ("2025-07-01", "2025-07-10", 10, "15.25", 365, "41.78"),
    ]
    assert result.total == D("84.93") and result.days == 20


def test_split_at_several_civil_changes(civil):
    result = interest(1000, d(2025, 6, 30), d(2025, 9, 10), civil)
    assert rows(result) == [
        ("2025-07-01", "2025-07-02", 2, "10.75", 365, "0.59"),  # 0.5890
        ("2025-07-03", "2025-09-03", 63, "10.50", 365, "18.12"),  # 18.1233
        ("2025-09-04", "2025-09-10", 7, "10.25", 365, "1.97"),  # 1.9657
    ]
    assert result.total == D("20.68")


def test_equal_adjacent_rates_form_one_line(commercial):
    # 2021 H1 and H2 are both 10.10 %: no rate change, one line.
    result = interest(10000, d(2021, 6, 20), d(2021, 7, 10), commercial)
    assert rows(result) == [("2021-06-21", "2021-07-10", 20, "10.10", 365, "55.34")]


def test_leap_year_actual_denominator(commercial):
    # 20 Feb .. 1 Mar 2024 = 11 days, 29 February included.
    fixed = interest(10000, d(2024, 2, 19), d(2024, 3, 1), commercial)
    actual = interest(10000, d(2024, 2, 19), d(2024, 3, 1), commercial, "actual")
    assert fixed.total == D("47.47")  # / 365: 47.4657
    assert rows(actual) == [("2024-02-20", "2024-03-01", 11, "15.75", 366, "47.34")]


def test_actual_denominator_splits_on_new_year(civil):
    # Civil rate 11.25 % throughout; 10 days of 2023 (/365), 10 of 2024 (/366).
    actual = interest(10000, d(2023, 12, 21), d(2024, 1, 10), civil, "actual")
    assert rows(actual) == [
        ("2023-12-22", "2023-12-31", 10, "11.25", 365, "30.82"),
        ("2024-01-01", "2024-01-10", 10, "11.25", 366, "30.74"),
    ]
    assert actual.total == D("61.56")
    fixed = interest(10000, d(2023, 12, 21), d(2024, 1, 10), civil)
    assert rows(fixed) == [("2023-12-22", "2024-01-10", 20, "11.25", 365, "61.64")]


def test_actual_denominator_in_common_year_is_365():
    result = interest(10000, d(2025, 3, 10), d(2025, 3, 20), flat(10), "actual")
    assert result.lines[0].denominator == 365
    assert (
        result.total == interest(10000, d(2025, 3, 10), d(2025, 3, 20), flat(10)).total
    )


def test_rounding_half_up_to_the_grosz():
    # 91.25 x 10 % / 365 = 0.025 exactly -> 0.03 (half-even would give 0.02);
    # 18.25 x 10 % / 365 = 0.005 -> 0.01.
    assert interest("91.25", d(2025, 1, 1), d(2025, 1, 2), flat(10)).total == D("0.03")
    assert interest("18.25", d(2025, 1, 1), d(2025, 1, 2), flat(10)).total == D("0.01")
    # The amount itself is rounded half-up first: 100.005 -> 100.01.
    assert interest("100.005", d(2025, 1, 1), d(2025, 1, 2), flat(10)).amount == D(
        "100.01"
    )


def test_total_is_sum_of_rounded_lines():
    # 0.005 -> 0.01 and 0.015 -> 0.02: the note shows 0.03 (exact sum 0.02).
    rates = [(d(2025, 1, 1), d(2025, 1, 1), 10), (d(2025, 1, 2), None, 30)]
    result = interest("18.25", d(2024, 12, 31), d(2025, 1, 2), rates)
    assert [str(x.interest) for x in result.lines] == ["0.01", "0.02"]
    assert result.total == D("0.03")


@pytest.mark.parametrize(
    "amount, due, paid",
    [
        (0, d(2025, 3, 10), d(2025, 3, 20)),
        ("-100.00", d(2025, 3, 10), d(2025, 3, 20)),
        ("0.004", d(2025, 3, 10), d(2025, 3, 20)),  # rounds to 0.00
        (1000, d(2025, 3, 10), d(2025, 3, 10)),  # paid on the due date
        (1000, d(2025, 3, 10), d(2025, 3, 1)),  # paid before
    ],
)
def test_nothing_due(amount, due, paid):
    result = interest(amount, due, paid, [])  # no rate needed
    assert result.total == D("0.00") and result.lines == () and result.days == 0


def test_one_day_late():
    result = interest(36500, d(2025, 3, 10), d(2025, 3, 11), flat(10))
    assert rows(result) == [("2025-03-11", "2025-03-11", 1, "10", 365, "10.00")]


# --- interest errors ---------------------------------------------------------


def test_rate_missing_in_gap_before_and_after():
    rates = [(d(2025, 1, 1), d(2025, 1, 31), 10), (d(2025, 2, 2), None, 10)]
    with pytest.raises(InterestError) as exc:
        interest(1000, d(2025, 1, 20), d(2025, 2, 10), rates)
    assert exc.value.code == "rate_missing" and "2025-02-01" in str(exc.value)
    with pytest.raises(InterestError) as exc:
        interest(1000, d(2024, 12, 20), d(2025, 1, 10), rates)
    assert exc.value.code == "rate_missing"
    closed = [(d(2025, 1, 1), d(2025, 1, 31), 10)]
    with pytest.raises(InterestError) as exc:
        interest(1000, d(2025, 1, 20), d(2025, 2, 1), closed)
    assert exc.value.code == "rate_missing"
    with pytest.raises(InterestError) as exc:
        interest(1000, d(2025, 1, 20), d(2025, 2, 1), [])
    assert exc.value.code == "rate_missing"


def test_rate_missing_after_last_known_half_year(commercial):
    # 2026 H2 is not published yet.
    with pytest.raises(InterestError) as exc:
        interest(1000, d(2026, 6, 25), d(2026, 7, 5), commercial)
    assert exc.value.code == "rate_missing"


@pytest.mark.parametrize(
    "rates",
    [
        [(d(2025, 1, 1), d(2025, 1, 31), 10), (d(2025, 1, 31), None, 11)],
        [(d(2025, 1, 1), None, 10), (d(2025, 3, 1), None, 11)],
        [(d(2025, 1, 1), None, 10), (d(2025, 1, 1), d(2025, 2, 1), 11)],
    ],
)
def test_rate_overlap(rates):
    with pytest.raises(InterestError) as exc:
        validate_rates(rates)
    assert exc.value.code == "rate_overlap"
    with pytest.raises(InterestError) as exc:
        interest(1000, d(2025, 1, 10), d(2025, 1, 20), rates)
    assert exc.value.code == "rate_overlap"


def test_invalid_period():
    with pytest.raises(InterestError) as exc:
        RatePeriod(d(2025, 2, 1), d(2025, 1, 31), 10)
    assert exc.value.code == "invalid_period"
    twice = [(d(2025, 1, 1), 5), (d(2025, 1, 1), 6)]
    for build in (
        civil_rate_periods,
        lambda c: commercial_rate_periods(c, 10, d(2026, 1, 1)),
    ):
        with pytest.raises(InterestError) as exc:
            build(twice)
        assert exc.value.code == "invalid_period"


@pytest.mark.parametrize("rate", ["abc", None, "NaN", "Infinity", -1, True])
def test_invalid_rate(rate):
    with pytest.raises(InterestError) as exc:
        RatePeriod(d(2025, 1, 1), None, rate)
    assert exc.value.code == "invalid_rate"


def test_invalid_rate_in_builders():
    with pytest.raises(InterestError) as exc:
        civil_rate_periods([(d(2025, 1, 1), "x")])
    assert exc.value.code == "invalid_rate"
    with pytest.raises(InterestError) as exc:
        commercial_rate_periods(REFERENCE, "ten", until=d(2025, 1, 1))
    assert exc.value.code == "invalid_rate"
    # A reference rate + a margin must not end below 0.
    with pytest.raises(InterestError) as exc:
        civil_rate_periods([(d(2025, 1, 1), 1)], margin=-2)
    assert exc.value.code == "invalid_rate"


@pytest.mark.parametrize("amount", ["abc", None, "NaN", float("inf"), True, [1]])
def test_invalid_amount(amount):
    with pytest.raises(InterestError) as exc:
        interest(amount, d(2025, 3, 10), d(2025, 3, 20), flat(10))
    assert exc.value.code == "invalid_amount"


@pytest.mark.parametrize(
    "due, paid",
    [
        ("2025-03-10", d(2025, 3, 20)),
        (d(2025, 3, 10), None),
        (datetime.datetime(2025, 3, 10), d(2025, 3, 20)),
    ],
)
def test_invalid_date(due, paid):
    with pytest.raises(InterestError) as exc:
        interest(1000, due, paid, flat(10))
    assert exc.value.code == "invalid_date"


def test_invalid_date_elsewhere():
    calls = [
        lambda: RatePeriod("2025-01-01", None, 10),
        lambda: RatePeriod(d(2025, 1, 1), "2025-02-01", 10),
        lambda: civil_rate_periods([("2025-01-01", 1)]),
        lambda: commercial_rate_periods(REFERENCE, 10, until="2025-01-01"),
        lambda: commercial_rate_periods(REFERENCE, 10, d(2025, 1, 1), since="x"),
        lambda: compensation_eur(1000, "2025-01-01"),
        lambda: compensation_rate_date(datetime.datetime(2025, 1, 1)),
    ]
    for call in calls:
        with pytest.raises(InterestError) as exc:
            call()
        assert exc.value.code == "invalid_date"


@pytest.mark.parametrize("denominator", [366, 360, "365", "ACTUAL", None, True])
def test_invalid_denominator(denominator):
    with pytest.raises(InterestError) as exc:
        interest(1000, d(2025, 3, 10), d(2025, 3, 20), flat(10), denominator)
    assert exc.value.code == "invalid_denominator"


def test_error_is_value_error_with_message():
    with pytest.raises(ValueError, match="rate_missing|No interest rate"):
        interest(1000, d(2025, 3, 10), d(2025, 3, 20), [])
    assert str(InterestError("rate_missing")) == "rate_missing"


# --- due date moved by KC art. 115 ------------------------------------------


def test_interest_from_a_moved_due_date(commercial):
    # Due Saturday 8 March 2025 -> Monday 10 March; paid 20 March: 10 days.
    due = payment_deadline(d(2025, 3, 8))
    assert due == d(2025, 3, 10)
    assert interest(10000, due, d(2025, 3, 20), commercial).days == 10


# --- recovery compensation ---------------------------------------------------


@pytest.mark.parametrize(
    "claim, eur",
    [
        ("0.01", 40),
        ("5000.00", 40),
        (5000, 40),
        ("5000.004", 40),  # rounds to 5 000.00
        ("5000.01", 70),
        ("49999.99", 70),
        ("50000.00", 100),
        (1000000, 100),
    ],
)
def test_compensation_thresholds(claim, eur):
    result = compensation_eur(claim, d(2025, 3, 10))
    assert result == eur and isinstance(result, Decimal)


def test_compensation_before_2020_flat():
    """40 EUR flat for a transaction concluded before 2020 (the 2019 amending
    act's transitional rule), whatever the claim."""
    assert compensation_eur(100000, d(2019, 12, 31)) == 40
    assert compensation_eur(10000, d(2019, 6, 1)) == 40
    assert compensation_eur(100000, d(2020, 1, 1)) == 100


@pytest.mark.parametrize("claim, code", [(0, "not_positive"), (-1, "not_positive")])
def test_compensation_not_positive(claim, code):
    with pytest.raises(InterestError) as exc:
        compensation_eur(claim, d(2025, 3, 10))
    assert exc.value.code == code


def test_compensation_invalid_amount():
    with pytest.raises(InterestError) as exc:
        compensation_eur("abc", d(2025, 3, 10))
    assert exc.value.code == "invalid_amount"


@pytest.mark.parametrize(
    "due, rate_date",
    [
        (d(2025, 3, 10), d(2025, 2, 28)),
        (d(2024, 3, 1), d(2024, 2, 29)),
        (d(2025, 1, 15), d(2024, 12, 31)),
        (d(2025, 7, 31), d(2025, 6, 30)),
    ],
)
def test_compensation_rate_date(due, rate_date):
    assert compensation_rate_date(due) == rate_date


# Civil-law delay rates (reference + 5.5 pp) of the test: 11.25 % from
# 2023-09-07, 9.25 % from 2026-03-05 (open end).
DELAY = [(d(2023, 9, 7), d(2026, 3, 4), 11.25), (d(2026, 3, 5), None, 9.25)]


def test_contractual_rate_capped_at_twice_the_delay_rate():
    """KC art. 481 par. 2^1 / 2^2: 25 % agreed, the maximum is 22.5 % then
    18.5 %: the maximum is due instead; before the table the agreed rate."""
    periods = contractual_periods(25, DELAY)
    assert [(p.date_from, p.date_to, p.rate) for p in periods] == [
        (d(1990, 1, 1), d(2023, 9, 6), Decimal("25")),
        (d(2023, 9, 7), d(2026, 3, 4), Decimal("22.5")),
        (d(2026, 3, 5), None, Decimal("18.5")),
    ]
    # 1 000 zł, 10 days late at the maximum of 18.5 %: 1000 x 18.5 % x 10 / 365.
    result = interest(1000, d(2026, 4, 1), d(2026, 4, 11), periods)
    assert result.total == Decimal("5.07")
    assert contractual_excess(25, DELAY, d(2026, 4, 1)) == Decimal("18.5")
    assert contractual_excess(25, DELAY, d(2024, 1, 1)) == Decimal("22.5")


def test_contractual_rate_below_the_maximum_unchanged():
    periods = contractual_periods(20, DELAY)
    assert {p.rate for p in periods} == {Decimal("20"), Decimal("18.5")}
    assert [p.rate for p in contractual_periods(15, DELAY)] == [Decimal("15")] * 3
    assert contractual_excess(15, DELAY, d(2026, 4, 1)) is None
    assert contractual_excess(20, DELAY, d(2025, 4, 1)) is None


def test_contractual_cap_only_since_2016():
    """The maximum came into force on 1 January 2016: a table row starting
    earlier is capped from that day only."""
    periods = contractual_periods(30, [(d(2015, 3, 5), None, 8.0)])
    assert [(p.date_from, p.date_to, p.rate) for p in periods] == [
        (d(1990, 1, 1), d(2015, 12, 31), Decimal("30")),
        (d(2016, 1, 1), None, Decimal("16")),
    ]
    assert [p.rate for p in contractual_periods(30, [])] == [Decimal("30")]
