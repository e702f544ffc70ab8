from odoo import api, fields, models

from ..tools.note_coverage import covers


class CrmDunningInterestNoteLine(models.Model):
    """A line of an interest note.

    Interest lines: one rate segment of a late portion of an instalment (an
    amount paid late on ``paid_date``, or still unpaid on the note date when
    ``paid_date`` is empty), ``days`` from ``date_from`` to ``date_to`` at
    ``rate``. Compensation lines: the recovery compensation of an invoice in
    EUR at the NBP rate of ``eur_rate_date``. The instalment, the paid date
    and the covered days identify what was charged, so that it is never
    charged twice.
    """

    _name = "crm.dunning.interest.note.line"
    _description = "Interest Note Line"
    _inherit = ["crm.dunning.evidence"]
    _order = "note_id, sequence, id"
    _crm_dunning_document_field = "note_id"

    sequence = fields.Integer(default=10)
    note_id = fields.Many2one(
        "crm.dunning.interest.note", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="note_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="note_id.currency_id")
    state = fields.Selection(related="note_id.state", store=True)
    kind = fields.Selection(
        [("interest", "Interest"), ("compensation", "Recovery Compensation")],
        required=True,
        default="interest",
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, index=True, ondelete="restrict"
    )
    move_line_id = fields.Many2one(
        "account.move.line", string="Instalment", index=True, ondelete="restrict"
    )
    invoice_amount = fields.Monetary(help="Gross amount of the invoice.")
    due_date = fields.Date()
    paid_date = fields.Date(
        string="Payment Date", help="Empty: unpaid on the date of the note."
    )
    amount = fields.Monetary(string="Late Amount")
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    days = fields.Integer()
    rate = fields.Float(string="Rate (%)", digits=(5, 2), aggregator=None)
    interest = fields.Monetary()
    eur = fields.Float(string="EUR", digits=(12, 2))
    eur_rate = fields.Float(string="NBP EUR Rate", digits=(12, 4), aggregator=None)
    eur_rate_date = fields.Date(string="Rate Date")
    compensation = fields.Monetary()
    total = fields.Monetary(compute="_compute_total", store=True)

    @api.depends("interest", "compensation")
    def _compute_total(self):
        for line in self:
            line.total = line.interest + line.compensation

    def _crm_dunning_covers(self, move_line, paid_date):
        """The lines of ``self`` charging the portion (``move_line``, ``paid_date``).

        A line of the same instalment covers a portion paid on the same day;
        a line of a portion unpaid on its note's date also covers the
        portions paid after that date (or still unpaid).
        """
        return self.filtered(
            lambda line: (
                line.kind == "interest"
                and line.move_line_id == move_line
                and covers(line.paid_date or None, line.note_id.date, paid_date or None)
            )
        )
