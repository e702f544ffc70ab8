from odoo import fields, models

LINE_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("cancelled", "Cancelled"),
]


class CrmDunningCommunicationLine(models.Model):
    """One instalment (receivable line) in a dunning communication."""

    _name = "crm.dunning.communication.line"
    _description = "Dunning Communication Line"
    _order = "communication_id desc, due_date, id"
    _check_company_auto = True

    communication_id = fields.Many2one(
        "crm.dunning.communication", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="communication_id.company_id", store=True, index=True
    )
    partner_id = fields.Many2one(
        related="communication_id.partner_id", store=True, index=True
    )
    date = fields.Date(related="communication_id.date", store=True)
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Instalment",
        required=True,
        ondelete="cascade",
        index=True,
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", index=True
    )
    level_id = fields.Many2one(
        "crm.dunning.level", required=True, ondelete="restrict", index=True
    )
    state = fields.Selection(LINE_STATES, default="draft", required=True)
    due_date = fields.Date(required=True)
    days_overdue = fields.Integer(
        help="Days after the due date on the run's date (negative: before it)."
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        help="The invoice's currency, the currency of the amounts.",
    )
    amount_residual = fields.Monetary(string="Amount Left")
    interest_amount = fields.Monetary(string="Interest to Date")
    channels = fields.Char(related="communication_id.channels")
    mail_state = fields.Selection(related="communication_id.mail_state")
    sms_state = fields.Selection(related="communication_id.sms_state")
    cancel_reason = fields.Char(readonly=True)

    # Never the same level twice for the same instalment.
    _level_once = models.UniqueIndex(
        "(move_line_id, level_id) WHERE (state != 'cancelled')",
        "This dunning level was already sent for this instalment.",
    )

    def _crm_dunning_portal_link(self):
        """Absolute portal link of the invoice (with its access token)."""
        self.ensure_one()
        move = self.move_id
        return move.get_base_url() + move.get_portal_url()
