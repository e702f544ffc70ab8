import pytest
from odoo.addons.crm_invoicing_pl_approval.tools.offer_rules import (
    AMOUNT,
    LINE_DISCOUNT,
    ORDER_DISCOUNT,
    ApprovalRules,
    OfferLine,
    breaches,
    list_subtotal,
    order_discount,
)


def line(discount, subtotal):
    return OfferLine(discount, subtotal, list_subtotal(subtotal, discount))


def rules_of(found):
    return [breach.rule for breach in found]


def test_no_rules_nothing_exceeded():
    rules = ApprovalRules()
    assert not rules.active()
    assert breaches([line(90.0, 10.0)], 10**9, rules) == []


@pytest.mark.parametrize(
    ("discount", "expected"),
    [(0.0, []), (9.99, []), (10.0, []), (10.004, []), (10.01, [LINE_DISCOUNT])],
)
def test_line_discount_boundary(discount, expected):
    rules = ApprovalRules(line_discount=10.0)
    found = breaches([line(0.0, 500.0), line(discount, 100.0)], 600.0, rules)
    assert rules_of(found) == expected
    if found:
        assert found[0].value == discount
        assert found[0].limit == 10.0


def test_line_discount_ignores_global_discount_lines():
    rules = ApprovalRules(line_discount=5.0)
    lines = [line(0.0, 1000.0), OfferLine(0.0, -100.0, None)]
    assert breaches(lines, 900.0, rules) == []


def test_order_discount():
    # 1000 list at 20 % + 1000 list at 0 %: 200 off 2000 = 10 %
    lines = [line(20.0, 800.0), line(0.0, 1000.0)]
    assert order_discount(lines) == pytest.approx(10.0)
    assert breaches(lines, 1800.0, ApprovalRules(order_discount=10.0)) == []
    found = breaches(lines, 1800.0, ApprovalRules(order_discount=9.99))
    assert rules_of(found) == [ORDER_DISCOUNT]
    assert found[0].value == pytest.approx(10.0)
    # A global discount line of -180 makes it 19 %.
    lines.append(OfferLine(0.0, -180.0, None))
    assert order_discount(lines) == pytest.approx(19.0)


def test_order_discount_full_and_empty():
    assert order_discount([]) == 0.0
    assert order_discount([OfferLine(0.0, -50.0, None)]) == 0.0
    free = OfferLine(100.0, 0.0, list_subtotal(0.0, 100.0, undiscounted=300.0))
    assert free.list_subtotal == 300.0
    assert order_discount([free, line(0.0, 300.0)]) == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(49999.99, []), (50000.0, []), (50000.004, []), (50000.01, [AMOUNT])],
)
def test_amount_boundary(amount, expected):
    found = breaches([line(0.0, amount)], amount, ApprovalRules(amount=50000.0))
    assert rules_of(found) == expected


def test_all_rules_in_order():
    rules = ApprovalRules(line_discount=10.0, order_discount=5.0, amount=1000.0)
    found = breaches([line(30.0, 7000.0)], 7000.0, rules)
    assert rules_of(found) == [LINE_DISCOUNT, ORDER_DISCOUNT, AMOUNT]
    assert [b.value for b in found] == pytest.approx([30.0, 30.0, 7000.0])
