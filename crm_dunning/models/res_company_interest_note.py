# Interest notes are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models
from odoo.exceptions import UserError

# Default accounts of the Polish chart (l10n_pl): interest received is a
# financial income (75), the recovery compensation another operating income
# (76).
_CHART_INTEREST_ACCOUNT = "chart75000300"
_CHART_COMPENSATION_ACCOUNT = "chart76000900"
_NOTE_SEQUENCE_CODE = "crm.dunning.interest.note"


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_note_journal_id = fields.Many2one(
        "account.journal",
        string="Interest Notes Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
        help="Journal of the entries of posted interest notes; created "
        '("Noty odsetkowe") on the first posting when empty.',
    )
    dunning_interest_account_id = fields.Many2one(
        "account.account",
        string="Interest Income Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Credited with the interest of posted interest notes (financial "
        "income). Empty: the chart's interest received account.",
    )
    dunning_compensation_account_id = fields.Many2one(
        "account.account",
        string="Compensation Income Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Credited with the recovery compensation of posted interest notes "
        "(other operating income). Empty: the chart's other operating income "
        "account.",
    )
    dunning_note_payment_days = fields.Integer(
        string="Interest Note Payment Term (days)",
        default=7,
        help="Days from the date of an interest note to its due date.",
    )

    def _crm_dunning_note_journal(self):
        """The interest notes journal, created on demand."""
        self.ensure_one()
        if self.dunning_note_journal_id:
            return self.dunning_note_journal_id
        Journal = self.env["account.journal"].sudo()
        journal = Journal.search(
            [
                ("company_id", "=", self.id),
                ("code", "=", "NOT"),
                ("type", "=", "general"),
            ],
            limit=1,
        )
        if not journal:
            journal = Journal.create(
                {
                    "name": "Noty odsetkowe",
                    "code": "NOT",
                    "type": "general",
                    "company_id": self.id,
                }
            )
        self.sudo().dunning_note_journal_id = journal
        return journal

    def _crm_dunning_note_account(self, kind):
        """The income account of ``kind`` ("interest" or "compensation").

        Falls back to the Polish chart's account and remembers it; a clear
        error when neither is set.
        """
        self.ensure_one()
        field = (
            "dunning_interest_account_id"
            if kind == "interest"
            else "dunning_compensation_account_id"
        )
        account = self[field]
        if not account:
            xmlid = (
                _CHART_INTEREST_ACCOUNT
                if kind == "interest"
                else _CHART_COMPENSATION_ACCOUNT
            )
            account = (
                self.env["account.chart.template"]
                .with_company(self)
                .ref(xmlid, raise_if_not_found=False)
            )
            if account:
                self.sudo()[field] = account
        if not account:
            if kind == "interest":
                message = self.env._(
                    "Set the interest income account of %(company)s in the "
                    "Invoicing settings (Late-Payment Interest) before posting "
                    "interest notes.",
                    company=self.display_name,
                )
            else:
                message = self.env._(
                    "Set the compensation income account of %(company)s in the "
                    "Invoicing settings (Late-Payment Interest) before posting "
                    "interest notes with a recovery compensation.",
                    company=self.display_name,
                )
            raise UserError(message)
        return account

    def _crm_dunning_note_number(self, date):
        """The next interest note number of this company (NO/2026/0001)."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", _NOTE_SEQUENCE_CODE), ("company_id", "=", self.id)],
            limit=1,
        )
        if not sequence:
            sequence = Sequence.create(
                {
                    "name": self.env._("Interest Notes (%s)", self.name),
                    "code": _NOTE_SEQUENCE_CODE,
                    "company_id": self.id,
                    "prefix": "NO/%(range_year)s/",
                    "padding": 4,
                    "use_date_range": True,
                    "implementation": "no_gap",
                }
            )
        return sequence.next_by_id(sequence_date=date)
