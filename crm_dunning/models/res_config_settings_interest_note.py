# Interest notes are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_note_journal_id = fields.Many2one(
        related="company_id.dunning_note_journal_id", readonly=False
    )
    dunning_interest_account_id = fields.Many2one(
        related="company_id.dunning_interest_account_id", readonly=False
    )
    dunning_compensation_account_id = fields.Many2one(
        related="company_id.dunning_compensation_account_id", readonly=False
    )
    dunning_note_payment_days = fields.Integer(
        related="company_id.dunning_note_payment_days", readonly=False
    )
