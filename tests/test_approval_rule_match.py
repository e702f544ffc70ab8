"""crm_invoicing_pl_approval.tools.rule_match: which invoices a rule catches."""

from odoo.addons.crm_invoicing_pl_approval.tools.rule_match import (
    InvoiceFacts,
    RuleCriteria,
    rule_matches,
)

INVOICE = InvoiceFacts(
    amount=12_300.0,
    max_discount=5.0,
    customer_id=7,
    document_type_id=3,
    team_id=2,
    is_customer_document=True,
)


def test_empty_rule_matches_every_invoice():
    assert rule_matches(RuleCriteria(), INVOICE)


def test_minimum_amount_is_inclusive():
    assert rule_matches(RuleCriteria(min_amount=12_300.0), INVOICE)
    assert not rule_matches(RuleCriteria(min_amount=12_300.01), INVOICE)


def test_minimum_discount():
    assert rule_matches(RuleCriteria(min_discount=5.0), INVOICE)
    assert not rule_matches(RuleCriteria(min_discount=10.0), INVOICE)


def test_lists_accept_only_their_members():
    assert rule_matches(RuleCriteria(customer_ids=frozenset({7, 8})), INVOICE)
    assert not rule_matches(RuleCriteria(customer_ids=frozenset({8})), INVOICE)
    assert not rule_matches(RuleCriteria(document_type_ids=frozenset({4})), INVOICE)
    assert not rule_matches(RuleCriteria(team_ids=frozenset({1})), INVOICE)
    no_team = InvoiceFacts(**{**INVOICE.__dict__, "team_id": None})
    assert not rule_matches(RuleCriteria(team_ids=frozenset({2})), no_team)


def test_criteria_are_anded():
    rule = RuleCriteria(min_amount=10_000.0, customer_ids=frozenset({8}))
    assert not rule_matches(rule, INVOICE)
    assert rule_matches(RuleCriteria(min_amount=10_000.0, team_ids={2}), INVOICE)


def test_customer_documents_only():
    bill = InvoiceFacts(**{**INVOICE.__dict__, "is_customer_document": False})
    assert not rule_matches(RuleCriteria(customer_documents_only=True), bill)
    assert rule_matches(RuleCriteria(), bill)
