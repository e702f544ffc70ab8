"""FA(3) values without Odoo (crm_invoicing_pl_ksef.tools.ksef_fa3)."""

from decimal import Decimal

import pytest
from odoo.addons.crm_invoicing_pl_ksef.tools import ksef_fa3
from odoo.addons.crm_invoicing_pl_ksef.tools.ksef_fa3 import Line, correct_lines


@pytest.mark.parametrize(
    ("kind", "amount", "art_100", "expected"),
    [
        ("standard", 23.0, False, "23"),
        ("standard", 8, False, "8"),
        ("standard", "5.0", False, "5"),
        ("standard", 0.0, False, "0 KR"),
        ("zero", 0.0, False, "0 KR"),
        ("exempt", 0.0, False, "zw"),
        ("reverse_charge", 0.0, False, "oo"),
        ("not_subject", 0.0, False, "np I"),
        ("not_subject", 0.0, True, "np II"),
        ("intra_eu", 0.0, False, "0 WDT"),
        ("export", 0.0, False, "0 EX"),
        # Rates FA(3) does not know.
        ("standard", 19.0, False, None),
        ("standard", 7.5, False, None),
    ],
)
def test_rate_code(kind, amount, art_100, expected):
    assert ksef_fa3.rate_code(kind, amount, art_100=art_100) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("23%", "23"),
        ("8%", "8"),
        ("0%", "0 KR"),
        ("zw", "zw"),
        ("np", "np I"),
        ("oo", "oo"),
        ("17%", None),
        ("", None),
        (None, None),
    ],
)
def test_rate_code_from_label(label, expected):
    assert ksef_fa3.rate_code_from_label(label) == expected


@pytest.mark.parametrize(
    ("value", "quantity", "price"),
    [
        (2.0, "2", "2.00"),
        (-1.0, "-1", "-1.00"),
        (1.5, "1.5", "1.50"),
        (0.1 + 0.2, "0.3", "0.30"),
        (1234.56789, "1234.56789", "1234.56789"),
        (0.0000004, "0", "0.0000004"),
        (-0.0, "0", "0.00"),
        (Decimal("12.3456789012"), "12.345679", "12.3456789"),
    ],
)
def test_quantity_and_price_repr(value, quantity, price):
    assert ksef_fa3.quantity_repr(value) == quantity
    assert ksef_fa3.price_repr(value) == price


def line(quantity, price, net, name="Kabel", product=1, **data):
    return Line(
        keys=((product, name), (product,)),
        quantity=quantity,
        price=price,
        net=net,
        data={"name": name, **data},
    )


def test_price_cut_keeps_the_quantity():
    result = correct_lines([line(2, 100, 200)], [line(2, 30, 60)])
    [(before, after)] = result.pairs
    assert (before.quantity, before.price, before.net) == (2, 100, Decimal("200.00"))
    assert (after.quantity, after.price, after.net) == (2, 70, Decimal("140.00"))
    assert after.data == {"name": "Kabel"}
    assert result.differences == ()


def test_return_keeps_the_price():
    result = correct_lines([line(5, 100, 500)], [line(2, 100, 200)])
    [(_before, after)] = result.pairs
    assert (after.quantity, after.price, after.net) == (3, 100, Decimal("300.00"))


def test_full_reversal_leaves_nothing():
    [(_before, after)] = correct_lines([line(3, 10, 30)], [line(3, 10, 30)]).pairs
    assert (after.quantity, after.net) == (0, 0)


def test_other_change_gives_the_average_price():
    # 4 x 25,00 less a 10,00 lump sum for 1 piece: 90,00 for 4 pieces.
    [(_before, after)] = correct_lines([line(4, 25, 100)], [line(1, 10, 10)]).pairs
    assert (after.quantity, after.price, after.net) == (4, Decimal("22.5"), 90)


def test_lines_matched_by_the_most_precise_key_first():
    state = [line(1, 10, 10, name="A"), line(1, 20, 20, name="B")]
    # The credit note renamed B: matched by product once A is taken by name.
    credit = [line(1, 5, 5, name="B (renamed)"), line(1, 2, 2, name="A")]
    result = correct_lines(state, credit)
    assert [(b.data["name"], a.net) for b, a in result.pairs] == [
        ("B", Decimal("15.00")),
        ("A", Decimal("8.00")),
    ]
    assert [a.net for a in result.state] == [Decimal("8.00"), Decimal("15.00")]


def test_unmatched_credit_line_is_a_difference():
    result = correct_lines([line(1, 10, 10)], [line(1, 3, 3, product=2, name="X")])
    assert result.pairs == ()
    [difference] = result.differences
    assert (difference.quantity, difference.net) == (-1, Decimal("-3.00"))
    assert result.state == (line(1, 10, 10),)


def test_corrections_in_a_row():
    first = correct_lines([line(5, 100, 500)], [line(1, 100, 100)])
    second = correct_lines(first.state, [line(2, 100, 200)])
    [(before, after)] = second.pairs
    assert (before.quantity, after.quantity) == (4, 2)
    assert after.net == Decimal("200.00")


def test_two_equal_lines_are_corrected_one_each():
    state = [line(1, 10, 10), line(1, 10, 10)]
    result = correct_lines(state, [line(1, 10, 10), line(1, 10, 10)])
    assert [after.net for _before, after in result.pairs] == [0, 0]
    assert result.differences == ()


# Upward corrections (art. 106j ust. 1 pkt 5): the lines add to the invoice.
def test_price_raise_keeps_the_quantity():
    result = correct_lines([line(2, 100, 200)], [line(2, 15, 30)], increase=True)
    [(before, after)] = result.pairs
    assert (before.quantity, before.price, before.net) == (2, 100, Decimal("200.00"))
    assert (after.quantity, after.price, after.net) == (2, 115, Decimal("230.00"))
    assert result.differences == ()


def test_more_goods_keep_the_price():
    result = correct_lines([line(5, 100, 500)], [line(2, 100, 200)], increase=True)
    [(_before, after)] = result.pairs
    assert (after.quantity, after.price, after.net) == (7, 100, Decimal("700.00"))


def test_other_increase_gives_the_average_price():
    # 4 x 25,00 plus a 10,00 lump sum: 110,00 for 4 pieces.
    [(_before, after)] = correct_lines(
        [line(4, 25, 100)], [line(1, 10, 10)], increase=True
    ).pairs
    assert (after.quantity, after.price, after.net) == (4, Decimal("27.5"), 110)


def test_unmatched_increase_line_is_a_positive_difference():
    result = correct_lines(
        [line(1, 10, 10)], [line(1, 3, 3, product=2, name="Transport")], increase=True
    )
    assert result.pairs == ()
    [difference] = result.differences
    assert (difference.quantity, difference.net) == (1, Decimal("3.00"))


def test_decrease_after_an_increase_starts_from_the_raised_line():
    raised = correct_lines([line(2, 100, 200)], [line(2, 20, 40)], increase=True)
    cut = correct_lines(raised.state, [line(2, 10, 20)])
    [(before, after)] = cut.pairs
    assert (before.price, before.net) == (120, Decimal("240.00"))
    assert (after.price, after.net) == (110, Decimal("220.00"))
