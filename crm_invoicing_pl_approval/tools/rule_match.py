"""Whether an invoice falls under an approval rule. Pure logic, no Odoo.

A rule's criteria are ANDed; a criterion left empty (0 or no records) does not
filter. Ids are plain integers, amounts are in the company currency.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleCriteria:
    min_amount: float = 0.0
    min_discount: float = 0.0
    customer_ids: frozenset[int] = frozenset()
    document_type_ids: frozenset[int] = frozenset()
    team_ids: frozenset[int] = frozenset()
    customer_documents_only: bool = False


@dataclass(frozen=True)
class InvoiceFacts:
    amount: float  # total, company currency, without sign
    max_discount: float  # the largest line discount, in %
    customer_id: int | None  # the commercial partner
    document_type_id: int | None
    team_id: int | None
    is_customer_document: bool  # customer invoice or credit note


def rule_matches(rule: RuleCriteria, invoice: InvoiceFacts) -> bool:
    """True when ``invoice`` meets every criterion set on ``rule``."""
    if rule.customer_documents_only and not invoice.is_customer_document:
        return False
    if rule.min_amount and round(invoice.amount, 2) < round(rule.min_amount, 2):
        return False
    if rule.min_discount and round(invoice.max_discount, 2) < round(
        rule.min_discount, 2
    ):
        return False
    checks = (
        (rule.customer_ids, invoice.customer_id),
        (rule.document_type_ids, invoice.document_type_id),
        (rule.team_ids, invoice.team_id),
    )
    return all(not allowed or value in allowed for allowed, value in checks)
