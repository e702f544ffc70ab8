# A concern of its own, kept apart from the other extensions of the model.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_demand_ids = fields.Many2many(
        "crm.dunning.demand",
        compute="_compute_dunning_demand_ids",
        string="Payment Demands",
        help="Payment demands that included this invoice, with the registered "
        "letter's number, dispatch date and return receipt date.",
    )
    dunning_demand_count = fields.Integer(compute="_compute_dunning_demand_ids")

    def _compute_dunning_demand_ids(self):
        lines = self.env["crm.dunning.demand.line"].search(
            [("move_id", "in", self._origin.ids)]
        )
        by_move = {}
        for line in lines:
            by_move.setdefault(line.move_id.id, self.env["crm.dunning.demand"])
            by_move[line.move_id.id] |= line.demand_id
        for move in self:
            demands = by_move.get(move._origin.id, self.env["crm.dunning.demand"])
            move.dunning_demand_ids = demands
            move.dunning_demand_count = len(demands)
