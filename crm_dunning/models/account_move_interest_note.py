# Interest notes are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_interest_note_line_ids = fields.One2many(
        "crm.dunning.interest.note.line", "move_id", string="Interest Note Lines"
    )
    dunning_interest_note_ids = fields.Many2many(
        "crm.dunning.interest.note",
        string="Interest Notes",
        compute="_compute_dunning_interest_note_ids",
        help="The interest notes that charged this invoice.",
    )
    dunning_interest_note_count = fields.Integer(
        compute="_compute_dunning_interest_note_ids"
    )

    def _compute_dunning_interest_note_ids(self):
        for move in self:
            notes = move.dunning_interest_note_line_ids.note_id
            move.dunning_interest_note_ids = notes
            move.dunning_interest_note_count = len(notes)

    def action_view_dunning_interest_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_interest_note"
        )
        action["domain"] = [("id", "in", self.dunning_interest_note_ids.ids)]
        action["context"] = {"create": False}
        return action
