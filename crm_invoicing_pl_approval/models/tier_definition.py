from odoo import api, fields, models

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
