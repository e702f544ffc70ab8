# Interest notes are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models
from odoo.exceptions import UserError


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

    def _check_draftable(self):
        # The entry (or the reversal) of a posted interest note books the
        # note: reset to draft and changed, it would no longer match it.
        result = super()._check_draftable()
        notes = (
            self.env["crm.dunning.interest.note"]
            .sudo()
            .search(
                [
                    "|",
                    ("move_id", "in", self.ids),
                    ("reversal_move_id", "in", self.ids),
                ]
            )
            .filtered(lambda note: note._crm_dunning_is_evidence())
        )
        if notes:
            raise UserError(
                self.env._(
                    "The journal entry of the interest note %s cannot be reset to "
                    "draft: it books the posted note. To correct the note, cancel "
                    "it (its entry is reversed) and create a new one.",
                    notes[0].display_name,
                )
            )
        return result

    def action_view_dunning_interest_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_interest_note"
        )
        action["domain"] = [("id", "in", self.dunning_interest_note_ids.ids)]
        action["context"] = {"create": False}
        return action
