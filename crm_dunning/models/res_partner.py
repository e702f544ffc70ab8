from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.interest import contractual_excess, contractual_periods
from .interest_rate import INTEREST_KINDS


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

    @api.constrains("dunning_contractual_rate")
    def _check_dunning_contractual_rate(self):
        for partner in self:
            if not 0.0 <= partner.dunning_contractual_rate <= 100.0:
                raise ValidationError(
                    self.env._("An annual interest rate must be between 0 and 100 %.")
                )

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
