# A concern of its own, kept apart from the other extensions of the model.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

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
