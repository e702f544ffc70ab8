from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_dunning_demand import DEMAND_MODES


class CrmDunningDemandWizard(models.TransientModel):
    """Issue payment demands for a customer (its form) or selected invoices."""

    _name = "crm.dunning.demand.wizard"
    _description = "Create Payment Demands"

    partner_ids = fields.Many2many("res.partner", string="Customers")
    move_ids = fields.Many2many("account.move", string="Invoices")
    date = fields.Date(required=True, default=fields.Date.context_today)
    deadline_days = fields.Integer(
        string="Deadline (days)",
        default=lambda self: self.env.company.dunning_demand_deadline_days,
    )
    mode = fields.Selection(DEMAND_MODES, default="collective", required=True)
    claim_compensation = fields.Boolean(
        default=True,
        help="Claim the recovery compensation of every late invoice "
        "(business customers only).",
    )
    send_email = fields.Boolean(string="Send by E-mail", default=True)
    registered_letter = fields.Boolean(
        help="Also send by registered post: the demands wait for the next "
        "dispatch book."
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model == "res.partner":
            values["partner_ids"] = [fields.Command.set(ids)]
        elif model == "account.move":
            values["move_ids"] = [fields.Command.set(ids)]
            if len(ids) == 1:
                values["mode"] = "single"
        return values

    def action_create_demands(self):
        self.ensure_one()
        if self.deadline_days < 0:
            raise UserError(self.env._("The payment deadline cannot be negative."))
        records = self.move_ids or self.partner_ids
        if not records:
            raise UserError(self.env._("Select a customer or invoices first."))
        if self.send_email:
            partners = records.commercial_partner_id
            without_email = partners.filtered(lambda partner: not partner.email)
            if without_email:
                raise UserError(
                    self.env._(
                        "No e-mail address for %s: add one, or send the payment "
                        "demand by registered letter only.",
                        ", ".join(without_email.mapped("display_name")),
                    )
                )
        demands = self.env["crm.dunning.demand"]._crm_dunning_create_demands(
            records,
            self.date,
            mode=self.mode,
            deadline_days=self.deadline_days,
            claim_compensation=self.claim_compensation,
            registered_letter=self.registered_letter,
        )
        demands.action_issue()
        if self.send_email:
            demands.action_send_email()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_demand"
        )
        if len(demands) == 1:
            action.update(
                {"view_mode": "form", "views": [(False, "form")], "res_id": demands.id}
            )
        else:
            action["domain"] = [("id", "in", demands.ids)]
        return action
