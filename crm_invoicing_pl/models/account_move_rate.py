"""The exchange rate on the invoice form, the Polish way.

Odoo shows and edits the rate of a foreign-currency document as "1 PLN =
0,235571 EUR" (``invoice_currency_rate``, document currency per company
currency). NBP publishes, and Polish invoices print, the inverse: "1 EUR =
4,2450 PLN". For a company in PLN the form shows ``pl_rate`` (PLN per unit
of the currency) in place of Odoo's rate, editable on a draft like Odoo's
(its inverse and its onchange set ``invoice_currency_rate``), with where the
rate comes from next to it: the NBP table's date, or "entered by hand".
"""

# The form's rate display is a concern of its own.
# pylint: disable=consider-merging-classes-inherited

import math

from odoo import api, fields, models
from odoo.tools import float_compare, format_date


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_rate = fields.Float(
        readonly=False,
        inverse="_inverse_pl_rate",
        help="PLN for one unit of the document's currency, as NBP publishes "
        "it (1 EUR = 4,2450 PLN): the inverse of Odoo's currency rate.",
    )
    pl_show_pln_rate = fields.Boolean(
        string="Rate in PLN per Unit",
        compute="_compute_pl_show_pln_rate",
        help="The form shows the rate as PLN per unit of the currency.",
    )
    pl_rate_display = fields.Char(
        string="Exchange Rate",
        compute="_compute_pl_rate_display",
        help='The rate as NBP publishes it and the invoice prints it: "1 EUR = '
        '4,2450 PLN".',
    )
    pl_rate_source = fields.Char(
        string="Rate Source",
        compute="_compute_pl_rate_display",
        help="The date of the NBP table whose rate the document uses, or that "
        "the rate was entered by hand.",
    )

    @api.depends("company_currency_id")
    def _compute_pl_show_pln_rate(self):
        for move in self:
            move.pl_show_pln_rate = move.company_currency_id.name == "PLN"

    @api.depends(
        "pl_rate",
        "pl_rate_date",
        "currency_id",
        "company_currency_id",
        "invoice_currency_rate",
        "expected_currency_rate",
    )
    def _compute_pl_rate_display(self):
        for move in self:
            if not move.pl_rate or move.currency_id == move.company_currency_id:
                move.pl_rate_display = False
                move.pl_rate_source = False
                continue
            move.pl_rate_display = "1 %s = %s %s" % (
                move.currency_id.name,
                move._pl_report_format_number(move.pl_rate, 4),
                move.company_currency_id.name,
            )
            move.pl_rate_source = move._pl_rate_source_text()

    def _pl_rate_source_text(self):
        """Where the document's rate comes from, in words ("" if unknown)."""
        self.ensure_one()
        if not self.pl_rate_date:
            return ""
        day = format_date(self.env, self.pl_rate_date)
        expected = self.expected_currency_rate
        if expected and math.isclose(
            expected, self.invoice_currency_rate, rel_tol=1e-6
        ):
            return self.env._("NBP table of %(date)s", date=day)
        return self.env._(
            "entered by hand (NBP table of %(date)s: %(rate)s)",
            date=day,
            rate=self._pl_report_format_number(1.0 / expected, 4) if expected else "-",
        )

    def _pl_rate_differs(self):
        """Whether ``pl_rate`` says another rate than ``invoice_currency_rate``,
        at the 4 decimals NBP publishes (and ``pl_rate`` holds): a form saving
        the rounded figure back does not change Odoo's exact rate. Companies
        in PLN only (the others do not show the rate this way)."""
        self.ensure_one()
        if self.pl_rate <= 0 or not self.pl_show_pln_rate:
            return False
        if not self.invoice_currency_rate:
            return True
        return (
            float_compare(
                1.0 / self.invoice_currency_rate, self.pl_rate, precision_digits=4
            )
            != 0
        )

    def _inverse_pl_rate(self):
        for move in self:
            if move._pl_rate_differs():
                move.invoice_currency_rate = 1.0 / move.pl_rate

    @api.onchange("pl_rate")
    def _onchange_pl_rate(self):
        # The form converts the lines at once, as when Odoo's rate is edited.
        for move in self:
            if move._pl_rate_differs():
                move.invoice_currency_rate = 1.0 / move.pl_rate
