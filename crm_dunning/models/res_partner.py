from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.interest import contractual_excess, contractual_periods
from .crm_dunning_interest_rate import INTEREST_KINDS


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_interest_kind = fields.Selection(
        INTEREST_KINDS + [("contractual", "Contractual rate")],
        string="Late-Payment Interest",
        company_dependent=True,
        help="Empty: commercial-transaction interest for businesses (a company "
        "or a partner with a tax ID), civil-law delay interest for consumers.",
    )
    dunning_contractual_rate = fields.Float(
        string="Contractual Interest Rate (%)",
        digits=(5, 2),
        company_dependent=True,
        help="Annual rate agreed with the customer, used instead of the "
        "statutory rate when the interest is contractual.",
    )

    dunning_contractual_rate_warning = fields.Char(
        compute="_compute_dunning_contractual_rate_warning"
    )

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

    dunning_interest_note_ids = fields.One2many(
        "crm.dunning.interest.note",
        "partner_id",
        string="Interest Notes",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    dunning_interest_note_count = fields.Integer(
        compute="_compute_dunning_interest_note_count",
        groups="account.group_account_invoice,account.group_account_readonly",
    )

    dunning_demand_ids = fields.One2many(
        "crm.dunning.demand",
        compute="_compute_dunning_demand_ids",
        string="Payment Demands",
        help="Payment demands of this customer, with the registered letter's "
        "number, dispatch date and return receipt date.",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    dunning_demand_count = fields.Integer(
        compute="_compute_dunning_demand_ids",
        groups="account.group_account_invoice,account.group_account_readonly",
    )

    @api.depends("dunning_interest_kind", "dunning_contractual_rate")
    @api.depends_context("company")
    def _compute_dunning_contractual_rate_warning(self):
        today = fields.Date.context_today(self)
        delay = self.env["crm.dunning.interest.rate"]._pl_table("civil")
        for partner in self:
            maximum = (
                partner.dunning_interest_kind == "contractual"
                and contractual_excess(partner.dunning_contractual_rate, delay, today)
            )
            partner.dunning_contractual_rate_warning = maximum and self.env._(
                "The agreed %(rate)s %% is above the maximum contractual delay "
                "interest (twice the statutory delay rate: %(maximum)s %% today): "
                "interest is computed at the maximum for the days the agreed rate "
                "exceeds it (art. 481 § 2¹ and § 2² of the Civil Code).",
                rate=partner.dunning_contractual_rate,
                maximum=maximum,
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

    def _compute_dunning_interest_note_count(self):
        for partner in self:
            partner.dunning_interest_note_count = len(
                partner.commercial_partner_id.dunning_interest_note_ids
            )

    def _compute_dunning_demand_ids(self):
        Demand = self.env["crm.dunning.demand"]
        for partner in self:
            if not partner.commercial_partner_id.id:
                partner.dunning_demand_ids = Demand
                partner.dunning_demand_count = 0
                continue
            demands = Demand.search(
                [("partner_id", "=", partner.commercial_partner_id.id)]
            )
            partner.dunning_demand_ids = demands
            partner.dunning_demand_count = len(demands)

    @api.constrains("dunning_contractual_rate")
    def _check_dunning_contractual_rate(self):
        for partner in self:
            if not 0.0 <= partner.dunning_contractual_rate <= 100.0:
                raise ValidationError(
                    self.env._("An annual interest rate must be between 0 and 100 %.")
                )

    def action_crm_dunning_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_communication"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_level": 0}
        return action

    def action_view_dunning_interest_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_interest_note"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_dunning_interest_note_wizard(self):
        """The interest note wizard for this customer (collective by default)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Interest Note"),
            "res_model": "crm.dunning.interest.note.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_mode": "collective",
            },
        }

    def action_crm_dunning_demand_wizard(self):
        """The payment demand wizard for this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_demand_wizard"
        )
        action["context"] = {
            "active_model": "res.partner",
            "active_ids": self.commercial_partner_id.ids,
            "active_id": self.commercial_partner_id.id,
        }
        return action

    def _pl_gdpr_erase_copies(self, partners, emails, phones):
        # EXTENDS crm_invoicing_pl_archive (GDPR): the addressee and address
        # copied on the registered letters of the dispatch books (also of
        # dispatched books, which are otherwise never changed).
        erased = super()._pl_gdpr_erase_copies(partners, emails, phones)
        letters = (
            self.env["crm.dunning.dispatch.line"]
            .sudo()
            .search([("partner_id", "in", partners.ids)])
        )
        for letter in letters._crm_dunning_on_route():
            letter.write(
                {
                    "addressee_name": self.env._(
                        "Anonymised customer %s", letter.partner_id.id
                    ),
                    "street": False,
                    "street2": False,
                    "zip": False,
                    "city": False,
                }
            )
        erased[self.env._("registered letters")] = len(letters)
        return erased

    def _crm_dunning_is_business(self):
        """B2B: a company or a partner with a tax ID (compensation applies)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return bool(partner.is_company or partner.vat)

    def _crm_dunning_interest_kind(self):
        """The interest kind that applies to this customer."""
        self.ensure_one()
        partner = self.commercial_partner_id
        if partner.dunning_interest_kind:
            return partner.dunning_interest_kind
        return "commercial" if partner._crm_dunning_is_business() else "civil"

    def _crm_dunning_rates(self):
        """(kind, rate table) for this customer's interest.

        A contractual rate is the agreed rate, capped at twice the statutory
        delay rate of each period (KC art. 481 § 2¹ and § 2²); the statutory
        kinds read the editable table.
        """
        kind = self._crm_dunning_interest_kind()
        Rate = self.env["crm.dunning.interest.rate"]
        if kind == "contractual":
            rate = self.commercial_partner_id.dunning_contractual_rate
            return kind, contractual_periods(rate, Rate._pl_table("civil"))
        return kind, Rate._pl_table(kind)

    def _crm_dunning_policy(self, company):
        """This customer's dunning policy in ``company``, else the company's."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        return partner.dunning_policy_id or company._crm_dunning_default_policy()
