from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import offer_rules
from ..tools.rule_match import RuleCriteria


class TierDefinition(models.Model):
    """Invoice criteria on approval rules, so no domain needs writing.

    They only apply to rules on journal entries (``account.move``) and are
    ANDed with the rule's own domain (see ``account.move.evaluate_tier``).
    """

    _inherit = "tier.definition"

    review_type = fields.Selection(
        selection_add=[("pl_team", "Sales team")],
        ondelete={"pl_team": "set default"},
    )
    # Four-eyes principle on by default: neither the requester nor the
    # document's authors approve it (tier.review._pl_four_eyes_excluded).
    exclude_requester = fields.Boolean(
        default=True,
        help="When set, neither the user who requested the validation nor the "
        "authors of the document (its creator and salesperson) may approve it, "
        "whatever the reviewers of this rule.",
    )
    pl_team_id = fields.Many2one(
        "crm.team",
        string="Approving Sales Team",
        help="The team whose leader or members approve.",
    )
    pl_team_reviewer = fields.Selection(
        [("leader", "Team leader"), ("members", "Any team member")],
        string="Approved by",
        default="leader",
    )
    pl_currency_id = fields.Many2one("res.currency", compute="_compute_pl_currency_id")
    pl_min_amount = fields.Monetary(
        string="Minimum Total",
        currency_field="pl_currency_id",
        help="Invoices whose total (tax included, company currency) is at least "
        "this amount. 0: any amount.",
    )
    pl_min_discount = fields.Float(
        string="Minimum Discount (%)",
        digits="Discount",
        help="Invoices with a line discounted by at least this percentage. "
        "0: any discount.",
    )
    pl_partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        help="Invoices of these customers (their contacts included). "
        "Empty: any customer.",
    )
    pl_document_type_ids = fields.Many2many(
        "pl.document.type",
        string="Document Types",
        help="Invoices of these Polish document types. Empty: any type.",
    )
    pl_team_ids = fields.Many2many(
        "crm.team",
        "tier_definition_pl_sale_team_rel",
        string="Sales Teams",
        help="Invoices of these sales teams. Empty: any team.",
    )
    pl_customer_documents_only = fields.Boolean(
        string="Customer Invoices and Credit Notes Only",
        help="Leave vendor bills and other journal entries out of this rule.",
    )

    # Offers (sale.order): the suite's Polish rules, one limit per rule
    pl_offer_rule = fields.Selection(
        [
            (offer_rules.LINE_DISCOUNT, "A line discount above"),
            (offer_rules.ORDER_DISCOUNT, "The offer's total discount above"),
            (offer_rules.AMOUNT, "The untaxed total above"),
        ],
        string="Offers With",
        help="Offers exceeding this limit need the approval of this rule; the "
        "total discount compares the list prices with the untaxed total, the "
        "untaxed total is in the company currency. Empty: every offer (the "
        "domain, if any, still applies).",
    )
    pl_offer_limit = fields.Float(
        string="Limit",
        digits="Discount",
        help="A percentage for the discounts, an amount in the company "
        "currency for the untaxed total. Reaching the limit needs no approval, "
        "exceeding it does.",
    )

    _pl_offer_limit_positive = models.Constraint(
        "CHECK (pl_offer_limit >= 0)",
        "The limit of an offer approval rule cannot be negative.",
    )

    @api.constrains("pl_offer_rule", "pl_offer_limit")
    def _check_pl_offer_limit(self):
        for definition in self:
            if (
                definition.pl_offer_rule
                in (offer_rules.LINE_DISCOUNT, offer_rules.ORDER_DISCOUNT)
                and definition.pl_offer_limit > 100.0
            ):
                raise ValidationError(
                    self.env._("Discount limits must be between 0 and 100 %.")
                )

    def _pl_offer_rules(self):
        """The rule's limit as offer_rules.ApprovalRules (None: no limit)."""
        self.ensure_one()
        limits = dict.fromkeys(
            (offer_rules.LINE_DISCOUNT, offer_rules.ORDER_DISCOUNT, offer_rules.AMOUNT)
        )
        if self.pl_offer_rule:
            limits[self.pl_offer_rule] = self.pl_offer_limit
        company = self.company_id or self.env.company
        return offer_rules.ApprovalRules(
            line_discount=limits[offer_rules.LINE_DISCOUNT],
            order_discount=limits[offer_rules.ORDER_DISCOUNT],
            amount=limits[offer_rules.AMOUNT],
            discount_digits=self.env["decimal.precision"].precision_get("Discount"),
            amount_digits=company.currency_id.decimal_places or 0,
        )

    @api.depends("company_id")
    def _compute_pl_currency_id(self):
        for definition in self:
            definition.pl_currency_id = (
                definition.company_id.currency_id or self.env.company.currency_id
            )

    @api.onchange("review_type")
    def onchange_review_type(self):
        res = super().onchange_review_type()
        self.pl_team_id = None
        return res

    def _reviewers_to_check_for_access(self):
        if self.review_type == "pl_team":
            return self.pl_team_id.user_id | self.pl_team_id.member_ids
        return super()._reviewers_to_check_for_access()

    def _pl_criteria(self):
        self.ensure_one()
        return RuleCriteria(
            min_amount=self.pl_min_amount,
            min_discount=self.pl_min_discount,
            customer_ids=frozenset(self.pl_partner_ids.commercial_partner_id.ids),
            document_type_ids=frozenset(self.pl_document_type_ids.ids),
            team_ids=frozenset(self.pl_team_ids.ids),
            customer_documents_only=self.pl_customer_documents_only,
        )
