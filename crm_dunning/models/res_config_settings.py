from odoo import fields, models


# Settings are extended here, as Odoo does, with the rates warning mixed in.
class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "crm.dunning.rates.warning"]

    dunning_interest_denominator = fields.Selection(
        related="company_id.dunning_interest_denominator", readonly=False
    )

    dunning_policy_id = fields.Many2one(
        related="company_id.dunning_policy_id", readonly=False
    )
    dunning_auto_send = fields.Boolean(
        related="company_id.dunning_auto_send", readonly=False
    )

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

    dunning_demand_deadline_days = fields.Integer(
        related="company_id.dunning_demand_deadline_days", readonly=False
    )
    dunning_letter_fee = fields.Monetary(
        related="company_id.dunning_letter_fee",
        currency_field="currency_id",
        readonly=False,
    )
