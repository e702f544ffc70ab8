from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # The suite's documents are switched on per company: on install for the
    # companies on the Polish chart, later in Settings. A company without
    # them (e.g. one set up after the install) invoices as plain Odoo does.
    pl_documents_enabled = fields.Boolean(
        string="Polish Sales Documents",
        compute="_compute_pl_documents_enabled",
        inverse="_inverse_pl_documents_enabled",
        help="Issue the Polish documents of this suite (faktura VAT, pro forma, "
        "advance, final, correction) with their number series, the content "
        "art. 106e requires, printouts and FA(3). Off: plain Odoo invoices.",
    )
    pl_place_of_issue = fields.Char(
        string="Place of Issue",
        help="Printed on Polish sales documents; the company's city when empty.",
    )
    pl_cash_accounting = fields.Boolean(
        string="Cash Accounting (metoda kasowa)",
        help="Cash accounting (art. 21 of the VAT Act): every VAT invoice "
        "carries 'metoda kasowa' (FA(3) P_16 = 1); the VAT sales register and "
        "the JPK_V7M report each invoice in the month of each payment with "
        "that payment's share of its amounts, and what a buyer who is a VAT "
        "taxpayer has not paid by the 180th day after the delivery in the "
        "month of that day.",
    )
    pl_sale_date_policy = fields.Selection(
        [
            ("always", "Always print the sale date"),
            ("when_different", "Print the sale date only when it differs"),
        ],
        string="Sale Date on Invoices",
        default="when_different",
        required=True,
    )

    pl_nbp_rates = fields.Boolean(
        string="Daily NBP Rates",
        help="Record the NBP table A average rates every working day as the "
        "company's currency rates (active currencies only).",
    )

    # Invoice date window (account.move._pl_check_invoice_dates): a safety
    # rule, not a legal one, that a consultant widens here.
    pl_invoice_days_ahead = fields.Integer(
        string="Invoice Dates Ahead (days)",
        default=0,
        help="How many days after today an invoice may be dated when it is "
        "posted. 0: never after today (an invoice is dated the day it is "
        "issued; a supply still to come goes in the Sale Date).",
    )
    pl_invoice_date_from = fields.Date(
        string="Earliest Invoice Date",
        help="Invoices dated before this day are refused at posting. Empty: "
        "the first day of the company's first fiscal year in Odoo (that of "
        "the opening date, or of the company's first posted entry).",
    )

    def _compute_pl_documents_enabled(self):
        enabled = set(
            self.env["pl.document.type"]
            .sudo()
            .search([("company_id", "in", self.ids)])
            .company_id.ids
        )
        for company in self:
            company.pl_documents_enabled = company.id in enabled

    def _inverse_pl_documents_enabled(self):
        doc_types = self.env["pl.document.type"].sudo().with_context(active_test=False)
        for company in self:
            existing = doc_types.search([("company_id", "=", company.id)])
            if company.pl_documents_enabled:
                existing.filtered(lambda t: not t.active).active = True
                doc_types._create_defaults(company)
            else:
                existing.active = False

    @api.constrains("pl_invoice_days_ahead")
    def _check_pl_invoice_days_ahead(self):
        if any(company.pl_invoice_days_ahead < 0 for company in self):
            raise ValidationError(
                self.env._(
                    "The number of days ahead for invoice dates cannot be negative."
                )
            )

    def _pl_today(self):
        """Today in the company's time zone (Warsaw for a Polish company
        whose partner has none): a day of the VAT Act is a Polish day."""
        self.ensure_one()
        tz = self.partner_id.tz or (
            "Europe/Warsaw" if self.country_id.code == "PL" else self.env.user.tz
        )
        return fields.Date.context_today(self.with_context(tz=tz or "UTC"))

    def _pl_invoice_date_window(self):
        """(earliest, latest, earliest_is_set) invoice date of a posting.

        ``earliest`` is the setting, else the first day of the fiscal year
        of the opening date or of the company's first posted entry (False
        while the books are empty); ``latest`` is today plus the days ahead.
        """
        self.ensure_one()
        latest = self._pl_today() + timedelta(days=self.pl_invoice_days_ahead)
        if self.pl_invoice_date_from:
            return self.pl_invoice_date_from, latest, True
        first = (
            self.env["account.move"]
            .sudo()
            .search(
                [("company_id", "=", self.id), ("state", "=", "posted")],
                order="date asc, id asc",
                limit=1,
            )
            .date
        )
        starts = [day for day in (self.account_opening_date, first) if day]
        if not starts:
            return False, latest, False
        return self.compute_fiscalyear_dates(min(starts))["date_from"], latest, False

    def _pl_place_of_issue(self):
        self.ensure_one()
        return self.pl_place_of_issue or self.city or ""
