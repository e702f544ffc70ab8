from decimal import ROUND_HALF_UP, Decimal

import pytest
from odoo.addons.crm_invoicing_pl.tools.advance import (
    AdvanceError,
    RateBucket,
    Totals,
    advance_amount,
    advance_split,
    advance_tax,
    final_settlement,
)

D = Decimal


def buckets_from_lines(lines):
    """Per-rate buckets of ``(key, rate, net)`` order lines: nets summed per
    key, the tax of each total rounded half-up (what an order's tax totals
    are)."""
    nets, rates = {}, {}
    for key, rate, net in lines:
        rates.setdefault(key, None if rate is None else D(str(rate)))
        nets[key] = nets.get(key, D("0")) + D(str(net))
    buckets = []
    for key, total in nets.items():
        net = total.quantize(D("0.01"))
        tax = (net * (rates[key] or 0) / 100).quantize(D("0.01"), ROUND_HALF_UP)
        buckets.append(RateBucket(key, rates[key], net, tax, net + tax))
    return buckets


def B(key, rate, net, tax, gross):
    return RateBucket(key, None if rate is None else D(rate), D(net), D(tax), D(gross))


def rows(buckets):
    """(key, net, tax, gross) as strings, for compact asserts."""
    return [(b.key, str(b.net), str(b.tax), str(b.gross)) for b in buckets]


def gross_total(buckets):
    return sum((b.gross for b in buckets), D("0.00"))


@pytest.fixture
def order():
    # 1 000,00 @23 % -> tax 230,00, gross 1 230,00
    #   500,00 @8 %  -> tax  40,00, gross   540,00
    #   200,00 zw    -> tax   0,00, gross   200,00
    # totals: net 1 700,00, tax 270,00, gross 1 970,00
    return buckets_from_lines(
        [("23", 23, "1000.00"), ("8", 8, "500.00"), ("zw", None, "200.00")]
    )


@pytest.fixture
def order3():
    # Three taxed rates: 100,00 @23 % -> 123,00; @8 % -> 108,00; @5 % -> 105,00.
    # Gross total 336,00.
    return buckets_from_lines([("23", 23, 100), ("8", 8, 100), ("5", 5, 100)])


# --- buckets ---------------------------------------------------------------


def test_bucket_must_add_up():
    with pytest.raises(AdvanceError) as err:
        B("23", 23, "100.00", "23.00", "124.00")
    assert err.value.code == "invalid_bucket"
    assert isinstance(err.value, ValueError)


# --- advance_amount ----------------------------------------------------------


def test_advance_amount_percent_and_fixed():
    # 30 % of 1 970,00 = 591,00; fixed 1 000 -> 1 000,00.
    assert advance_amount(D("1970.00"), "percent", 30) == D("591.00")
    assert advance_amount(D("1970.00"), "fixed", 1000) == D("1000.00")
    # 100 % after 591,00 advanced is too much; the rest, 1 379,00, fits.
    assert advance_amount(D("1970.00"), "fixed", "1379.00", D("591.00")) == D("1379.00")


def test_advance_amount_rounds_half_up():
    # 50 % of 3 885,17 = 1 942,585 -> 1 942,59.
    assert advance_amount(D("3885.17"), "percent", 50) == D("1942.59")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((D("1970.00"), "percent", 0), "not_positive"),
        ((D("1970.00"), "fixed", D("-5")), "not_positive"),
        # 0,0001 % of 1 970,00 = 0,00197 -> 0,00
        ((D("1970.00"), "percent", D("0.0001")), "not_positive"),
        # 100,01 % = 1 970,197 -> 1 970,20 > 1 970,00
        ((D("1970.00"), "percent", D("100.01")), "exceeds_order"),
        # 970,01 advanced + 1 000,00 = 1 970,01 > 1 970,00
        ((D("1970.00"), "fixed", 1000, D("970.01")), "exceeds_order"),
        ((D("0.00"), "fixed", 10), "empty_order"),
        ((D("1970.00"), "fixed", 10, D("-1")), "negative_advanced"),
        ((D("1970.00"), "share", 10), "invalid_mode"),
    ],
)
def test_advance_amount_refusals(args, code):
    with pytest.raises(AdvanceError) as err:
        advance_amount(*args)
    assert err.value.code == code


# --- advance_split -----------------------------------------------------------


def test_split_30_percent(order):
    # 591,00 = 30 % of each rate's gross: 369,00 / 162,00 / 60,00.
    # KP 23 %: 369,00 x 23 / 123 = 69,00 -> net 300,00
    # KP 8 %:  162,00 x 8 / 108  = 12,00 -> net 150,00
    split = advance_split(order, advance_amount(D("1970.00"), "percent", 30))
    assert rows(split) == [
        ("23", "300.00", "69.00", "369.00"),
        ("8", "150.00", "12.00", "162.00"),
        ("zw", "60.00", "0.00", "60.00"),
    ]


def test_split_fixed_1000(order):
    # Shares of 100 000 gr: x 1230/1970 = 62 436,548; x 540/1970 = 27 411,168;
    # x 200/1970 = 10 152,284. Floors sum to 99 999; the last grosz goes to
    # the largest remainder (0,548: 23 %) -> 624,37 / 274,11 / 101,52.
    # KP 23 %: 624,37 x 23 / 123 = 116,752 -> 116,75, net 507,62
    # KP 8 %:  274,11 x 8 / 108  =  20,304 ->  20,30, net 253,81
    split = advance_split(order, D("1000.00"))
    assert rows(split) == [
        ("23", "507.62", "116.75", "624.37"),
        ("8", "253.81", "20.30", "274.11"),
        ("zw", "101.52", "0.00", "101.52"),
    ]
    assert gross_total(split) == D("1000.00")


def test_split_one_grosz(order):
    # 0,01: shares 0,624 / 0,274 / 0,102 gr, floors 0; the grosz goes to 23 %;
    # KP 0,01 x 23 / 123 = 0,0019 -> 0,00.
    assert rows(advance_split(order, D("0.01"))) == [
        ("23", "0.01", "0.00", "0.01"),
        ("8", "0.00", "0.00", "0.00"),
        ("zw", "0.00", "0.00", "0.00"),
    ]


def test_split_1000_01(order):
    # 100 001 gr: 62 437,173 / 27 411,442 / 10 152,386; floors 100 000, the
    # last grosz to the largest remainder 0,442 (8 %) -> 624,37 / 274,12 / 101,52.
    # KP 8 %: 274,12 x 8 / 108 = 20,3052 -> 20,31, net 253,81.
    assert rows(advance_split(order, D("1000.01"))) == [
        ("23", "507.62", "116.75", "624.37"),
        ("8", "253.81", "20.31", "274.12"),
        ("zw", "101.52", "0.00", "101.52"),
    ]


def test_split_333_33_over_three_rates(order3):
    # 33 333 gr x 123/336 = 12 202,259; x 108/336 = 10 714,179;
    # x 105/336 = 10 416,563. Floors 33 332; the grosz to 5 % (0,563).
    # KP 23 %: 122,02 x 23 / 123 = 22,817 -> 22,82, net 99,20
    # KP 8 %:  107,14 x 8 / 108  =  7,936 ->  7,94, net 99,20
    # KP 5 %:  104,17 x 5 / 105  =  4,960 ->  4,96, net 99,21
    assert rows(advance_split(order3, D("333.33"))) == [
        ("23", "99.20", "22.82", "122.02"),
        ("8", "99.20", "7.94", "107.14"),
        ("5", "99.21", "4.96", "104.17"),
    ]


AWKWARD = ["0.01", "0.02", "0.03", "0.99", "1.00", "7.77", "333.33", "335.99"]


@pytest.mark.parametrize("payment", [*AWKWARD, "1000.01", "1969.99"])
def test_split_always_adds_up(order, payment):
    # The gross parts sum to the payment itself; net + tax = gross per rate.
    split = advance_split(order, D(payment))
    assert gross_total(split) == D(payment)
    assert all(b.net + b.tax == b.gross and b.gross >= 0 for b in split)


@pytest.mark.parametrize("payment", AWKWARD)
def test_split_always_adds_up_three_taxed_rates(order3, payment):
    split = advance_split(order3, D(payment))
    assert gross_total(split) == D(payment)
    assert all(b.net + b.tax == b.gross and b.gross >= 0 for b in split)


def test_split_whole_order_gives_order_values(order):
    # 1 970,00 = 100 %: every rate gets its gross; KP 1 230 x 23/123 = 230,00,
    # 540 x 8/108 = 40,00 — the order's tax.
    assert rows(advance_split(order, D("1970.00"))) == rows(order)


def test_split_ties_go_to_the_earlier_rate():
    # Two equal rates, 0,01 -> shares 0,5 / 0,5: the first in the order wins.
    first = [B("0", 0, 100, 0, 100), B("zw", None, 100, 0, 100)]
    assert [b.gross for b in advance_split(first, D("0.01"))] == [D("0.01"), D(0)]
    second = list(reversed(first))
    assert [b.gross for b in advance_split(second, D("0.01"))] == [D("0.01"), D(0)]
    assert advance_split(second, D("0.01"))[0].key == "zw"
    # 0,03 -> 1,5 / 1,5 gr: floors 1 + 1, the third grosz to the first.
    assert [b.gross for b in advance_split(first, D("0.03"))] == [D("0.02"), D("0.01")]


def test_split_respects_unpaid_rate_values():
    # Order 1 230,00 @23 % + 200,00 zw; an earlier advance paid 1 200,00 on
    # 23 % (KP 224,39, net 975,61), so 30,00 is left there. 143,00 split by
    # the order: 123,00 / 20,00, but 23 % takes only its 30,00, zw gets 113,00.
    # KP 30,00 x 23 / 123 = 5,610 -> 5,61, net 24,39.
    order = [B("23", 23, "1000.00", "230.00", "1230.00"), B("zw", None, 200, 0, 200)]
    earlier = [[B("23", 23, "975.61", "224.39", "1200.00")]]
    assert rows(advance_split(order, D("143.00"), earlier)) == [
        ("23", "24.39", "5.61", "30.00"),
        ("zw", "113.00", "0.00", "113.00"),
    ]


@pytest.mark.parametrize(
    ("payment", "advanced", "code"),
    [
        ("0", 0, "not_positive"),
        ("0.004", 0, "not_positive"),  # rounds to 0,00
        ("-10.00", 0, "not_positive"),
        ("1970.01", 0, "exceeds_order"),
        # 591,00 paid: 1 379,00 is the unpaid rest, 1 379,01 is too much
        ("1379.01", D("591.00"), "exceeds_order"),
        ("10.00", D("-0.01"), "negative_advanced"),
    ],
)
def test_split_refusals(order, payment, advanced, code):
    with pytest.raises(AdvanceError) as err:
        advance_split(order, D(payment), advanced)
    assert err.value.code == code


def test_split_after_advances_up_to_the_rest(order):
    # 591,00 advanced; the rest 1 379,00 is allowed.
    assert gross_total(advance_split(order, D("1379.00"), D("591.00"))) == D("1379.00")


@pytest.mark.parametrize(
    "order",
    [[], [B("23", 23, 0, 0, 0), B("zw", None, 0, 0, 0)]],
)
def test_split_empty_order(order):
    with pytest.raises(AdvanceError) as err:
        advance_split(order, D("10.00"))
    assert err.value.code == "empty_order"


def test_split_refuses_duplicate_keys():
    order = [B("23", 23, 100, 23, 123), B("23", 23, 100, 23, 123)]
    with pytest.raises(AdvanceError) as err:
        advance_split(order, D("10.00"))
    assert err.value.code == "invalid_order"


# --- final_settlement --------------------------------------------------------


def test_settlement_after_two_advances(order):
    # Advances 591,00 (30 %) and 1 000,00 (see the split tests):
    # 23 %: gross 369,00 + 624,37 = 993,37, tax 69,00 + 116,75 = 185,75,
    #       net 300,00 + 507,62 = 807,62 -> rest 192,38 / 44,25 / 236,63
    # 8 %:  gross 162,00 + 274,11 = 436,11, tax 12,00 + 20,30 = 32,30,
    #       net 150,00 + 253,81 = 403,81 -> rest 96,19 / 7,70 / 103,89
    # zw:   60,00 + 101,52 = 161,52 -> rest 38,48
    # amount due 236,63 + 103,89 + 38,48 = 379,00 = 1 970,00 - 1 591,00
    first = advance_split(order, D("591.00"))
    second = advance_split(order, D("1000.00"), [first])
    settlement = final_settlement(order, [first, second])
    assert [rows([line.advanced]) for line in settlement.lines] == [
        [("23", "807.62", "185.75", "993.37")],
        [("8", "403.81", "32.30", "436.11")],
        [("zw", "161.52", "0.00", "161.52")],
    ]
    assert rows(line.remainder for line in settlement.lines) == [
        ("23", "192.38", "44.25", "236.63"),
        ("8", "96.19", "7.70", "103.89"),
        ("zw", "38.48", "0.00", "38.48"),
    ]
    assert settlement.order == Totals(D("1700.00"), D("270.00"), D("1970.00"))
    # advances: net 807,62 + 403,81 + 161,52 = 1 372,95; tax 218,05
    assert settlement.advanced == Totals(D("1372.95"), D("218.05"), D("1591.00"))
    assert settlement.remainder == Totals(D("327.05"), D("51.95"), D("379.00"))
    assert settlement.amount_due == D("379.00")
    assert not settlement.fully_covered


def test_three_advances_cover_the_order(order):
    # 1 000,00: 624,37 / 274,11 / 101,52 (KP 116,75 / 20,30).
    # 666,67 (66 667 gr): 41 624,574 / 18 274,203 / 6 768,223 -> floors
    #   66 666, the grosz to 23 % (0,574) -> 416,25 / 182,74 / 67,68;
    #   KP 416,25 x 23/123 = 77,835 -> 77,84; 182,74 x 8/108 = 13,536 -> 13,54.
    # The rest 303,33, given the earlier splits, is each rate's unpaid gross:
    #   1 230 - 624,37 - 416,25 = 189,38; 540 - 274,11 - 182,74 = 83,15;
    #   200 - 101,52 - 67,68 = 30,80;
    #   KP 189,38 x 23/123 = 35,413 -> 35,41; 83,15 x 8/108 = 6,159 -> 6,16.
    # Taxes add up: 116,75 + 77,84 + 35,41 = 230,00; 20,30 + 13,54 + 6,16 = 40,00.
    first = advance_split(order, D("1000.00"))
    second = advance_split(order, D("666.67"), [first])
    assert rows(second) == [
        ("23", "338.41", "77.84", "416.25"),
        ("8", "169.20", "13.54", "182.74"),
        ("zw", "67.68", "0.00", "67.68"),
    ]
    third = advance_split(order, D("303.33"), [first, second])
    assert rows(third) == [
        ("23", "153.97", "35.41", "189.38"),
        ("8", "76.99", "6.16", "83.15"),
        ("zw", "30.80", "0.00", "30.80"),
    ]
    settlement = final_settlement(order, [first, second, third])
    assert settlement.fully_covered
    assert settlement.amount_due == D("0.00")
    assert settlement.remainder == Totals(D("0.00"), D("0.00"), D("0.00"))


def test_rest_split_by_total_only_can_miss_a_rate(order):
    # Given only the total 1 666,67, the rest 303,33 is split by the order:
    # 30 333 gr -> 18 938,878 / 8 314,629 / 3 079,492, floors 30 331, the two
    # grosze to 23 % and 8 % -> 189,39 / 83,15 / 30,79: 23 % then gets 0,01
    # more than its unpaid 189,38 (and zw 0,01 less), which the
    # settlement refuses. Passing the earlier splits avoids it (test above).
    first = advance_split(order, D("1000.00"))
    second = advance_split(order, D("666.67"), [first])
    third = advance_split(order, D("303.33"), D("1666.67"))
    assert [b.gross for b in third] == [D("189.39"), D("83.15"), D("30.79")]
    with pytest.raises(AdvanceError) as err:
        final_settlement(order, [first, second, third])
    assert err.value.code == "advances_exceed_order"


def test_settlement_without_advances(order):
    settlement = final_settlement(order, [])
    assert settlement.amount_due == D("1970.00")
    assert rows(line.remainder for line in settlement.lines) == rows(order)


def test_settlement_advances_exceed_the_total(order):
    # 2 x 1 000,00 = 2 000,00 > 1 970,00 (23 %: 1 248,74 > 1 230,00).
    advance = advance_split(order, D("1000.00"))
    with pytest.raises(AdvanceError) as err:
        final_settlement(order, [advance, advance])
    assert err.value.code == "advances_exceed_order"


def test_settlement_advance_exceeds_one_rate(order):
    # 600,00 on 8 % (order: 540,00) although the total 600,00 < 1 970,00.
    advance = [B("8", 8, "555.56", "44.44", "600.00")]
    with pytest.raises(AdvanceError) as err:
        final_settlement(order, [advance])
    assert err.value.code == "advances_exceed_order"


@pytest.mark.parametrize(
    "bucket",
    [
        B("5", 5, "95.24", "4.76", "100.00"),  # the order has no 5 %
        B("23", 8, "92.59", "7.41", "100.00"),  # key 23 with rate 8
    ],
)
def test_settlement_rate_mismatch(order, bucket):
    with pytest.raises(AdvanceError) as err:
        final_settlement(order, [[bucket]])
    assert err.value.code == "rate_mismatch"
    with pytest.raises(AdvanceError) as err:
        advance_split(order, D("10.00"), [[bucket]])
    assert err.value.code == "rate_mismatch"


def test_settlement_empty_order():
    with pytest.raises(AdvanceError) as err:
        final_settlement([], [])
    assert err.value.code == "empty_order"


# --- foreign currency --------------------------------------------------------


def test_foreign_currency_same_arithmetic():
    # EUR order: 2 345,67 @23 % -> tax 539,5041 -> 539,50, gross 2 885,17;
    # 1 000,00 @0 % (export). Gross 3 885,17.
    # 50 % = 1 942,585 -> 1 942,59 (194 259 ct): x 2885,17/3885,17 =
    # 144 258,871; x 1000/3885,17 = 50 000,129; the cent to 23 % (0,871)
    # -> 1 442,59 / 500,00; KP 1 442,59 x 23/123 = 269,753 -> 269,75.
    # The rest due 3 885,17 - 1 942,59 = 1 942,58.
    order = buckets_from_lines([("23", 23, "2345.67"), ("0", 0, "1000.00")])
    assert rows(order) == [
        ("23", "2345.67", "539.50", "2885.17"),
        ("0", "1000.00", "0.00", "1000.00"),
    ]
    payment = advance_amount(gross_total(order), "percent", 50)
    split = advance_split(order, payment)
    assert rows(split) == [
        ("23", "1172.84", "269.75", "1442.59"),
        ("0", "500.00", "0.00", "500.00"),
    ]
    settlement = final_settlement(order, [split])
    assert settlement.amount_due == D("1942.58")
    assert rows(line.remainder for line in settlement.lines) == [
        ("23", "1172.83", "269.75", "1442.58"),
        ("0", "500.00", "0.00", "500.00"),
    ]


def test_advance_tax_kp_formula():
    # KP = ZB x SP / (100 + SP), half-up to the grosz.
    assert advance_tax("159.74", 23) == D("29.87")
    assert advance_tax("116.88", 8) == D("8.66")
    assert advance_tax("123.00", 23) == D("23.00")
    assert advance_tax("0.05", 23) == D("0.01")  # 0.00934... -> 0.01
    assert advance_tax("0.04", 23) == D("0.01")  # 0.00748 -> 0.01
    assert advance_tax("0.02", 23) == D("0.00")  # 0.00374 -> 0.00
    assert advance_tax("56.71", None) == D("0.00")
    assert advance_tax("56.71", 0) == D("0.00")
