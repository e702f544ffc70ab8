from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.interest import InterestError, interest

INTEREST_KINDS = [
    ("commercial", "Commercial transactions (reference rate + 10 pp)"),
    (
        "commercial_health",
        "Commercial, public healthcare debtor (reference rate + 8 pp)",
    ),
    ("civil", "Civil-law delay interest (reference rate + 5.5 pp)"),
]


class CrmDunningInterestRate(models.Model):
    """Statutory interest rate in force over a period, editable.

    Commercial-transaction rates change by half-year (the reference rate in
    force on 1 January / 1 July, art. 11b of the late-payment act); civil-law
    delay interest changes with every reference-rate change. The seed comes
    from the published notices and can be extended when a new one appears.
    """

    _name = "crm.dunning.interest.rate"
    _description = "Statutory Interest Rate"
    _order = "kind, date_from desc"
    _rec_name = "kind"

    kind = fields.Selection(INTEREST_KINDS, required=True, default="commercial")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", help="Empty: in force until further notice.")
    rate = fields.Float(string="Annual Rate (%)", digits=(5, 2), required=True)
    source = fields.Char(
        help="Where the rate comes from, e.g. the Monitor Polski notice."
    )
    active = fields.Boolean(default=True)

    @api.constrains("kind", "date_from", "date_to", "rate", "active")
    def _check_period(self):
        for record in self:
            if record.date_to and record.date_to < record.date_from:
                raise ValidationError(
                    self.env._("The end of a rate period cannot be before its start.")
                )
            if not 0.0 <= record.rate <= 100.0:
                raise ValidationError(
                    self.env._("An annual interest rate must be between 0 and 100 %.")
                )
            overlapping = self.search(
                [
                    ("id", "!=", record.id),
                    ("kind", "=", record.kind),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", record.date_from),
                ]
                + ([("date_from", "<=", record.date_to)] if record.date_to else []),
                limit=1,
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "The rate from %(start)s overlaps the rate from %(other)s of "
                        "the same kind: end the earlier period first.",
                        start=record.date_from,
                        other=overlapping.date_from,
                    )
                )

    @api.model
    def _pl_table(self, kind):
        """The rates of ``kind`` as (date_from, date_to or None, rate) rows."""
        return [
            (record.date_from, record.date_to or None, record.rate)
            for record in self.search([("kind", "=", kind)], order="date_from")
        ]

    @api.model
    def _pl_interest(
        self, kind, amount, due_date, paid_date, denominator=365, rates=None
    ):
        """Interest of ``amount`` paid on ``paid_date`` instead of ``due_date``.

        Uses ``rates`` (e.g. a contractual rate), else the table of ``kind``;
        returns the tools' ``InterestResult`` (lines split at every rate
        change, total rounded to the grosz). A missing rate or bad input is
        a translated UserError.
        """
        if rates is None:
            rates = self._pl_table(kind)
        try:
            return interest(amount, due_date, paid_date, rates, denominator)
        except InterestError as exc:
            kind_label = dict(
                self._fields["kind"]._description_selection(self.env),
                contractual=self.env._("Contractual rate"),
            )[kind]
            messages = {
                "rate_missing": self.env._(
                    "No statutory interest rate (%(kind)s) covers the whole period "
                    "from %(due)s to %(paid)s: add the missing period in "
                    "Statutory Interest Rates.",
                    kind=kind_label,
                    due=due_date,
                    paid=paid_date,
                ),
                "rate_overlap": self.env._(
                    "The statutory interest rates (%(kind)s) overlap: correct the "
                    "table first.",
                    kind=kind_label,
                ),
            }
            raise UserError(
                messages.get(
                    exc.code,
                    self.env._("The interest cannot be computed: %s", exc),
                )
            ) from exc
