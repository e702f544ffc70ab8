"""Cash accounting (metoda kasowa, art. 21 of the VAT Act): the VAT periods of
an invoice, computed by hand."""

import datetime
from decimal import Decimal

import pytest
from odoo.addons.crm_invoicing_pl.tools.cash_accounting import (
    deadline,
    split,
    tax_points,
)

d = datetime.date
D = Decimal
INVOICE = {"K_19": D("1000.00"), "K_20": D("230.00")}  # 1 230.00 gross


def test_deadline_is_the_180th_day_after_the_delivery():
    """Art. 21 ust. 1 pkt 1 (with art. 12 § 1 Ordynacji podatkowej, the day
    of the delivery not counted): delivered 1 Dec 2026 -> 30 days of December,
    31 + 28 + 31 + 30 of January-April (150), 30 of May: 30 May 2027."""
    assert deadline(d(2026, 12, 1), d(2026, 12, 3), True) == d(2027, 5, 30)
    # No supply date: the issue date; 31 Dec 2026 -> 29 Jun 2027 (31 + 28 + 31
    # + 30 + 31 = 151, + 29); in a leap year 31 Dec 2027 -> 28 Jun 2028.
    assert deadline(None, d(2026, 12, 31), True) == d(2027, 6, 29)
    assert deadline(None, d(2027, 12, 31), True) == d(2028, 6, 28)


def test_no_deadline_for_consumers():
    """Art. 21 ust. 1 pkt 2: a buyer that is not a VAT taxpayer: the day of
    the payment only, however late."""
    assert deadline(d(2026, 12, 1), d(2026, 12, 3), False) is None
    assert deadline(None, None, True) is None


def test_two_halves_in_two_months():
    """Art. 21 ust. 1: 1 000 net + 230 VAT = 1 230 gross, 615 paid on
    10 Dec 2026 and 615 on 5 Jan 2027: December 500 / 115, January 500 / 115;
    the 180th day (30 May 2027) has nothing left."""
    shares = split(
        INVOICE,
        "1230",
        [(d(2027, 1, 5), D("615")), (d(2026, 12, 10), D("615"))],
        d(2027, 5, 30),
    )
    assert shares == [
        (d(2026, 12, 10), {"K_19": D("500.00"), "K_20": D("115.00")}),
        (d(2027, 1, 5), {"K_19": D("500.00"), "K_20": D("115.00")}),
    ]


def test_never_paid_taxpayer_on_the_180th_day():
    """Art. 21 ust. 1 pkt 1: a VAT taxpayer who never pays: the whole
    1 000 / 230 is due on the 180th day, 30 May 2027."""
    assert split(INVOICE, 1230, [], d(2027, 5, 30)) == [
        (d(2027, 5, 30), {"K_19": D("1000.00"), "K_20": D("230.00")})
    ]


def test_never_paid_consumer_never_due():
    """Art. 21 ust. 1 pkt 2: a consumer who never pays: no tax point."""
    assert split(INVOICE, 1230, []) == []


def test_part_paid_then_the_rest_on_the_180th_day():
    """Art. 21 ust. 1 pkt 1: 400 of 1 230 paid on 15 Dec: 1 000 x 400 / 1 230
    = 325.203 -> 325.20 net and 230 x 400 / 1 230 = 74.797 -> 74.80 VAT
    (325.20 + 74.80 = 400.00); the rest 674.80 / 155.20 on 30 May 2027; the
    830 paid on 10 Jun 2027, after the 180th day, changes nothing."""
    shares = split(
        INVOICE,
        1230,
        [(d(2026, 12, 15), 400), (d(2027, 6, 10), 830)],
        d(2027, 5, 30),
    )
    assert shares == [
        (d(2026, 12, 15), {"K_19": D("325.20"), "K_20": D("74.80")}),
        (d(2027, 5, 30), {"K_19": D("674.80"), "K_20": D("155.20")}),
    ]


def test_payment_on_the_180th_day_is_one_tax_point():
    """Art. 21 ust. 1 pkt 1: 300 paid on the 180th day itself: one tax point
    on that day with the whole invoice."""
    assert tax_points(1230, [(d(2027, 5, 30), 300)], d(2027, 5, 30)) == [
        (d(2027, 5, 30), D(0), D(1230))
    ]


def test_two_rates_pro_rata():
    """Art. 21 ust. 1: 100 net at 23 % (23 VAT) + 100 net at 8 % (8 VAT) =
    231 gross, 100 paid: 100 x 100 / 231 = 43.290 -> 43.29 of each net,
    23 x 100 / 231 = 9.957 -> 9.96, 8 x 100 / 231 = 3.463 -> 3.46 (43.29 x 2
    + 9.96 + 3.46 = 100.00); a consumer's rest stays unpaid."""
    amounts = {"K_19": 100, "K_20": 23, "K_17": 100, "K_18": 8}
    assert split(amounts, 231, [(d(2026, 12, 10), 100)]) == [
        (
            d(2026, 12, 10),
            {
                "K_19": D("43.29"),
                "K_20": D("9.96"),
                "K_17": D("43.29"),
                "K_18": D("3.46"),
            },
        )
    ]


def test_thirds_add_up_to_the_invoice():
    """Art. 21 ust. 1: 100 + 23 = 123 paid in three 41s: cumulative
    rounding gives net 33.33, 33.34 (66.67 - 33.33), 33.33 and VAT 7.67,
    7.66 (15.33 - 7.67), 7.67: together exactly 100 and 23."""
    shares = split(
        {"K_19": 100, "K_20": 23},
        123,
        [(d(2026, 12, 1), 41), (d(2026, 12, 2), 41), (d(2026, 12, 3), 41)],
    )
    assert [share for _day, share in shares] == [
        {"K_19": D("33.33"), "K_20": D("7.67")},
        {"K_19": D("33.34"), "K_20": D("7.66")},
        {"K_19": D("33.33"), "K_20": D("7.67")},
    ]


def test_same_day_payments_merge_and_overpayment_is_capped():
    """Art. 21 ust. 1: two payments on one day are one tax point; paying
    1 300 of 1 230 makes the whole 1 230 due, not more."""
    assert tax_points(1230, [(d(2026, 12, 10), 600), (d(2026, 12, 10), 700)]) == [
        (d(2026, 12, 10), D(0), D(1230))
    ]


def test_zero_total_is_refused():
    """Art. 21 ust. 1 needs something to pay: a zero gross has no share."""
    with pytest.raises(ValueError):
        tax_points(0, [])
