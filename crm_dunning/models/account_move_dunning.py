# Dunning policies are a concern of their own, kept apart from the interest.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_excluded = fields.Boolean(
        string="Excluded from Dunning",
        copy=False,
        tracking=True,
        help="No reminder, SMS or letter is sent about this invoice.",
    )
    dunning_excluded_reason = fields.Char(
        string="Dunning Exclusion Reason", copy=False, tracking=True
    )
    dunning_line_ids = fields.One2many(
        "crm.dunning.communication.line",
        "move_id",
        string="Dunning History",
        readonly=True,
    )
    dunning_level_id = fields.Many2one(
        "crm.dunning.level",
        compute="_compute_dunning_level_id",
        help="The highest dunning level sent about this invoice.",
    )
    dunning_line_count = fields.Integer(compute="_compute_dunning_level_id")

    @api.depends("dunning_line_ids.state", "dunning_line_ids.level_id")
    def _compute_dunning_level_id(self):
        for move in self:
            sent = move.dunning_line_ids.filtered(lambda line: line.state == "sent")
            levels = sent.level_id.sorted(
                lambda level: (level.offset_days, level.sequence, level.id)
            )
            move.dunning_level_id = levels[-1:]
            move.dunning_line_count = len(move.dunning_line_ids)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # An advance invoice of money already received asks for nothing.
        for move in posted.filtered(
            lambda m: m.pl_advance_received_date and not m.dunning_excluded
        ):
            move.write(
                {
                    "dunning_excluded": True,
                    "dunning_excluded_reason": self.env._(
                        "Advance invoice of a payment received on %s",
                        format_date(self.env, move.pl_advance_received_date),
                    ),
                }
            )
        return posted

    @api.constrains("dunning_excluded", "dunning_excluded_reason")
    def _check_dunning_excluded_reason(self):
        for move in self:
            if (
                move.dunning_excluded
                and not (move.dunning_excluded_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Give the reason why %s is excluded from dunning.",
                        move.display_name,
                    )
                )

    def action_crm_dunning_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_communication_line"
        )
        action["domain"] = [("move_id", "=", self.id)]
        return action
