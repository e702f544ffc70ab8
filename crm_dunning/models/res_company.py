from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

INTEREST_DENOMINATORS = [
    ("365", "365 days"),
    ("actual", "Actual days of the year (366 in a leap year)"),
]
# The seeded policy: (name, offset, e-mail, SMS, letter, interest,
# compensation, payment demand).
DEFAULT_LEVELS = (
    ("Przypomnienie", -3, True, False, False, False, False, False),
    ("Ponaglenie", 7, True, True, False, False, False, False),
    ("Monit", 14, True, False, False, True, False, False),
    ("Wezwanie do zapłaty", 30, True, False, True, True, True, True),
)
# Default accounts of the Polish chart (l10n_pl): interest received is a
# financial income (75), the recovery compensation another operating income
# (76).
_CHART_INTEREST_ACCOUNT = "chart75000300"
_CHART_COMPENSATION_ACCOUNT = "chart76000900"
_NOTE_SEQUENCE_CODE = "crm.dunning.interest.note"


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_interest_denominator = fields.Selection(
        INTEREST_DENOMINATORS,
        string="Interest Day Count",
        default="365",
        required=True,
        help="Interest = amount x annual rate x days / 365, or / the actual "
        "days of each year (366 in a leap year).",
    )

    dunning_policy_id = fields.Many2one(
        "crm.dunning.policy",
        string="Default Dunning Policy",
        domain="[('company_id', '=', id)]",
        help="Applies to customers without a dunning policy of their own.",
    )
    dunning_auto_send = fields.Boolean(
        string="Automatic Dunning",
        help="Run the dunning every day and send the reminders, payment demands "
        "and letters without a preview. Off: runs are started by hand "
        "(Run Now), previewed and sent.",
    )

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

    dunning_demand_deadline_days = fields.Integer(
        string="Payment Demand Deadline (days)",
        default=7,
        help="Days from the date of a payment demand to its payment deadline.",
    )
    dunning_letter_fee = fields.Monetary(
        string="Registered Letter Fee",
        currency_field="currency_id",
        help="Default postage of a registered letter in the dispatch book.",
    )

    @api.constrains("dunning_demand_deadline_days")
    def _check_dunning_demand_deadline_days(self):
        for company in self:
            if company.dunning_demand_deadline_days < 0:
                raise ValidationError(
                    self.env._("The payment deadline of a demand cannot be negative.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        for company in companies:
            company._crm_dunning_default_policy()
        return companies

    def _crm_dunning_denominator(self):
        self.ensure_one()
        return 365 if self.dunning_interest_denominator == "365" else "actual"

    @api.model
    def _crm_dunning_seed_policies(self):
        """Give every company the standard policy (on install)."""
        for company in self.sudo().search([("dunning_policy_id", "=", False)]):
            company._crm_dunning_default_policy()

    def _crm_dunning_default_policy(self):
        """The company's default policy; seeded on first use.

        A company without one gets the standard policy: a reminder three
        days before the due date, ponaglenie (+7, e-mail and SMS), monit
        (+14, with interest) and wezwanie do zapłaty (+30, e-mail and letter,
        with interest and compensation).
        """
        self.ensure_one()
        if self.dunning_policy_id:
            return self.dunning_policy_id
        Policy = self.env["crm.dunning.policy"].sudo()
        policy = Policy.search([("company_id", "=", self.id)], limit=1)
        if not policy:
            policy = Policy.create(self._crm_dunning_default_policy_values())
        self.sudo().dunning_policy_id = policy
        return policy

    def _crm_dunning_default_policy_values(self):
        self.ensure_one()
        return {
            "name": self.env._("Standard dunning"),
            "company_id": self.id,
            "level_ids": [
                Command.create(
                    {
                        "sequence": index,
                        "name": name,
                        "offset_days": offset,
                        "channel_email": email,
                        "channel_sms": sms,
                        "channel_letter": letter,
                        "add_interest": interest,
                        "demand_compensation": compensation,
                        "payment_demand": demand,
                    }
                )
                for index, (
                    name,
                    offset,
                    email,
                    sms,
                    letter,
                    interest,
                    compensation,
                    demand,
                ) in enumerate(DEFAULT_LEVELS, start=1)
            ],
        }

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

    def _crm_dunning_sequence(self, code, prefix, name):
        """This company's own ir.sequence ``code`` ("WZ/2026/0001"), made once."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", code), ("company_id", "=", self.id)], limit=1
        )
        # The year of the document's date (its date range), not of the day the
        # number is taken: a demand dated 31 December issued on 2 January is
        # WZ/<that year>/…
        year_prefix = prefix + "/%(range_year)s/"
        if not sequence:
            sequence = Sequence.create(
                {
                    "name": "%s (%s)" % (name, self.name),
                    "code": code,
                    "company_id": self.id,
                    "prefix": year_prefix,
                    "padding": 4,
                    "use_date_range": True,
                }
            )
        elif sequence.prefix == prefix + "/%(year)s/":  # made by an earlier version
            sequence.prefix = year_prefix
        return sequence
