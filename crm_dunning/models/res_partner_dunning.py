# Dunning policies are a concern of their own, kept apart from the interest.
# pylint: disable=consider-merging-classes-inherited
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_policy_id = fields.Many2one(
        "crm.dunning.policy",
        company_dependent=True,
        domain="[('company_id', 'in', (False, current_company_id))]",
        help="Empty: the company's default dunning policy.",
    )
    dunning_excluded = fields.Boolean(
        string="Excluded from Dunning",
        help="No reminder, SMS or letter is sent to this customer.",
    )
    dunning_excluded_reason = fields.Char(string="Exclusion Reason")
    dunning_line_ids = fields.One2many(
        "crm.dunning.communication.line",
        "partner_id",
        string="Dunning History",
        readonly=True,
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    dunning_level_id = fields.Many2one(
        "crm.dunning.level",
        string="Current Dunning Level",
        compute="_compute_dunning_summary",
        help="The highest level sent for an invoice still open.",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    dunning_overdue_amount = fields.Monetary(
        string="Total Overdue",
        compute="_compute_dunning_summary",
        currency_field="dunning_currency_id",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    dunning_interest_amount = fields.Monetary(
        string="Interest to Date",
        compute="_compute_dunning_summary",
        currency_field="dunning_currency_id",
        help="Statutory (or contractual) interest of the overdue amounts up to today.",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    dunning_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_dunning_summary",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    dunning_communication_count = fields.Integer(
        string="Dunning Communications",
        compute="_compute_dunning_summary",
        groups="account.group_account_invoice,account.group_account_readonly",
    )

    @api.depends_context("company")
    def _compute_dunning_summary(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        Line = self.env["account.move.line"]
        Comm = self.env["crm.dunning.communication"]
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.dunning_currency_id = company.currency_id
            if not commercial.id:
                partner.update(
                    {
                        "dunning_level_id": False,
                        "dunning_overdue_amount": 0.0,
                        "dunning_interest_amount": 0.0,
                        "dunning_communication_count": 0,
                    }
                )
                continue
            open_lines = Line.search(
                [
                    ("company_id", "=", company.id),
                    ("move_id.commercial_partner_id", "=", commercial.id),
                    ("move_id.move_type", "=", "out_invoice"),
                    ("parent_state", "=", "posted"),
                    ("display_type", "=", "payment_term"),
                    ("amount_residual", ">", 0),
                    ("reconciled", "=", False),
                ]
            )
            overdue = open_lines.filtered(
                lambda line: line._crm_dunning_due_date() < today
            )
            try:
                portions = overdue._crm_dunning_portions(today)
            except UserError:
                # No statutory rate covers today yet: the customer card still
                # opens; the dunning screens and Settings say which rate is
                # missing (crm.dunning.rates.warning).
                portions = []
            interest = sum(
                (p["result"].total for p in portions if not p["paid_date"]),
                Decimal(0),
            )
            sent = self.env["crm.dunning.communication.line"].search(
                [
                    ("move_line_id", "in", open_lines.ids),
                    ("state", "=", "sent"),
                ]
            )
            levels = sent.level_id.sorted(
                lambda level: (level.offset_days, level.sequence, level.id)
            )
            partner.dunning_level_id = levels[-1:]
            partner.dunning_overdue_amount = sum(overdue.mapped("amount_residual"))
            partner.dunning_interest_amount = float(interest)
            partner.dunning_communication_count = Comm.search_count(
                [("partner_id", "=", commercial.id), ("company_id", "=", company.id)]
            )

    def action_crm_dunning_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_communication"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_level": 0}
        return action

    def _crm_dunning_policy(self, company):
        """This customer's dunning policy in ``company``, else the company's."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        return partner.dunning_policy_id or company._crm_dunning_default_policy()
