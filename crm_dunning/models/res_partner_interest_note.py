# Interest notes are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

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

    def _compute_dunning_interest_note_count(self):
        for partner in self:
            partner.dunning_interest_note_count = len(
                partner.commercial_partner_id.dunning_interest_note_ids
            )

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
