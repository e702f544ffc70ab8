"""The sales dashboard: invoiced, collected, open and overdue amounts.

Two read-only SQL views over the posted customer invoices and corrections
(drafts, pro formas and cancelled documents never post, so never appear):

- ``pl.sales.analysis``: one row per document, with what its receivable lines
  say (collected, open, overdue, the age of the oldest unpaid overdue
  instalment);
- ``pl.sales.analysis.line``: one row per product line, each line carrying its
  share (by net value) of the document's total, collected, open and overdue
  amounts, so totals per product add up to the documents' totals.

All amounts are in the company currency, signed (a correction is negative).
The age is computed against the user's today when the dashboard is read (the
views are queries made at each reading, ``_table_query``): it is always up
to date. Overdue means what it means on the customer card and in dunning
(``tools/pl_calendar``): an instalment is late from the day after its due
date moved past weekends and public holidays (art. 115 KC), and its days of
delay are counted from that moved date.
"""

from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.pl_document_type import DOCUMENT_KINDS
from ..tools.pl_calendar import last_overdue_due_date, polish_holidays

AGE_BUCKETS = [
    ("paid", "Paid"),
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days Overdue"),
    ("31_60", "31-60 Days Overdue"),
    ("61_90", "61-90 Days Overdue"),
    ("91_180", "91-180 Days Overdue"),
    ("over_180", "Over 180 Days Overdue"),
]

_DEPENDS = {
    "account.move": [
        "name",
        "state",
        "move_type",
        "company_id",
        "invoice_date",
        "invoice_date_due",
        "date",
        "invoice_user_id",
        "commercial_partner_id",
        "pl_document_type_id",
        "amount_untaxed_signed",
        "amount_total_signed",
    ],
    "account.move.line": [
        "move_id",
        "display_type",
        "balance",
        "amount_residual",
        "date_maturity",
        "product_id",
        "quantity",
    ],
    "pl.document.type": ["kind"],
}


# The public holidays known to the queries: since this year (older debts
# are over 180 days late whatever their weekends).
HOLIDAYS_SINCE = 2000


def documents_query(today):
    """One row per posted customer invoice or correction, with its figures
    on ``today``."""
    holidays = sorted(
        day
        for year in range(HOLIDAYS_SINCE, today.year + 1)
        for day in polish_holidays(year)
    )
    return SQL(
        """
    SELECT move.id AS id,
           move.id AS move_id,
           move.name AS name,
           move.move_type AS move_type,
           move.company_id AS company_id,
           company.currency_id AS currency_id,
           COALESCE(move.invoice_date, move.date) AS invoice_date,
           COALESCE(move.invoice_date_due, move.invoice_date, move.date)
               AS invoice_date_due,
           move.invoice_user_id AS user_id,
           move.commercial_partner_id AS partner_id,
           move.pl_document_type_id AS pl_document_type_id,
           doc_type.kind AS pl_document_kind,
           move.amount_untaxed_signed AS amount_untaxed,
           move.amount_total_signed AS amount_total,
           move.amount_total_signed - COALESCE(term.open, 0) AS amount_collected,
           COALESCE(term.open, 0) AS amount_open,
           COALESCE(term.overdue, 0) AS amount_overdue,
           COALESCE(%(today)s - deadline.day, 0) AS days_overdue,
           CASE WHEN COALESCE(term.open, 0) = 0 THEN 'paid'
                WHEN term.oldest_overdue IS NULL THEN 'not_due'
                WHEN %(today)s - deadline.day <= 30 THEN '1_30'
                WHEN %(today)s - deadline.day <= 60 THEN '31_60'
                WHEN %(today)s - deadline.day <= 90 THEN '61_90'
                WHEN %(today)s - deadline.day <= 180 THEN '91_180'
                ELSE 'over_180' END AS age_bucket
      FROM account_move move
      JOIN res_company company ON company.id = move.company_id
      LEFT JOIN pl_document_type doc_type ON doc_type.id = move.pl_document_type_id
      -- the receivable (payment term) lines of the document, one per
      -- instalment; late when due on or before the last working day
      -- before today
      LEFT JOIN LATERAL (
            SELECT SUM(aml.amount_residual) AS open,
                   SUM(aml.amount_residual)
                       FILTER (WHERE aml.date_maturity <= %(last_due)s) AS overdue,
                   MIN(aml.date_maturity)
                       FILTER (WHERE aml.date_maturity <= %(last_due)s
                                 AND aml.amount_residual != 0) AS oldest_overdue
              FROM account_move_line aml
             WHERE aml.move_id = move.id
               AND aml.display_type = 'payment_term'
      ) term ON TRUE
      -- the oldest late instalment's due date moved to a working day
      LEFT JOIN LATERAL (
            SELECT MIN(day)::date AS day
              FROM generate_series(
                       term.oldest_overdue, term.oldest_overdue + 10,
                       interval '1 day'
                   ) AS day
             WHERE EXTRACT(ISODOW FROM day) < 6
               AND day::date <> ALL(%(holidays)s::date[])
      ) deadline ON TRUE
     WHERE move.state = 'posted'
       AND move.move_type IN ('out_invoice', 'out_refund')
        """,
        today=today,
        last_due=last_overdue_due_date(today),
        holidays=holidays,
    )


class PlSalesAnalysisCommon(models.AbstractModel):
    """What both views of the sales dashboard show of a document."""

    _name = "pl.sales.analysis.common"
    _description = "Sales Dashboard: Document Figures"
    _order = "invoice_date desc, id desc"
    _rec_name = "name"

    move_id = fields.Many2one("account.move", string="Document", readonly=True)
    name = fields.Char(string="Number", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Correction")],
        string="Type",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    invoice_date = fields.Date(string="Issue Date", readonly=True)
    invoice_date_due = fields.Date(string="Due Date", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    pl_document_type_id = fields.Many2one(
        "pl.document.type", string="Document Type", readonly=True
    )
    pl_document_kind = fields.Selection(
        DOCUMENT_KINDS, string="Document Kind", readonly=True
    )
    amount_collected = fields.Monetary(
        string="Collected",
        readonly=True,
        help="Part of the total paid or settled (payments, offset corrections).",
    )
    amount_open = fields.Monetary(string="Open", readonly=True)
    amount_overdue = fields.Monetary(
        string="Overdue",
        readonly=True,
        help="Open amount of the instalments whose due date has passed.",
    )
    age_bucket = fields.Selection(
        AGE_BUCKETS, string="Age", readonly=True, group_expand=True
    )


class PlSalesAnalysis(models.Model):
    """Sales dashboard per document: invoiced, collected, open, overdue."""

    _name = "pl.sales.analysis"
    _description = "Sales Dashboard"
    _inherit = "pl.sales.analysis.common"
    _auto = False
    _depends = _DEPENDS

    amount_untaxed = fields.Monetary(string="Invoiced Net", readonly=True)
    amount_total = fields.Monetary(string="Invoiced Total", readonly=True)
    days_overdue = fields.Integer(
        readonly=True,
        aggregator="max",
        help="Days since the due date of the oldest unpaid overdue instalment.",
    )

    def init(self):
        # Read through _table_query since the age follows the user's today:
        # the view of earlier versions goes.
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        return documents_query(fields.Date.context_today(self))


class PlSalesAnalysisLine(models.Model):
    """Sales dashboard per product line, sharing the document's figures."""

    _name = "pl.sales.analysis.line"
    _description = "Sales Dashboard by Product"
    _inherit = "pl.sales.analysis.common"
    _auto = False
    _depends = _DEPENDS

    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    quantity = fields.Float(readonly=True)
    amount_untaxed = fields.Monetary(string="Invoiced Net", readonly=True)
    amount_total = fields.Monetary(
        string="Invoiced Total",
        readonly=True,
        help="The line's share of the document total, by net value.",
    )

    def init(self):
        # Read through _table_query since the age follows the user's today:
        # the view of earlier versions goes.
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        # share = line net / document net: the shares of a document's lines
        # add up to 1, so their amounts add up to the document's.
        return SQL(
            """
    WITH doc AS (%(documents)s),
    line AS (
        SELECT aml.id, aml.move_id, aml.product_id, aml.quantity,
               -aml.balance AS net,
               SUM(-aml.balance) OVER (PARTITION BY aml.move_id) AS doc_net
          FROM account_move_line aml
          JOIN doc ON doc.move_id = aml.move_id
         WHERE aml.display_type = 'product'
    )
    SELECT line.id AS id,
           doc.move_id, doc.name, doc.move_type, doc.company_id,
           doc.currency_id, doc.invoice_date, doc.invoice_date_due,
           doc.user_id, doc.partner_id, doc.pl_document_type_id,
           doc.pl_document_kind,
           doc.age_bucket,
           line.product_id AS product_id,
           template.categ_id AS product_categ_id,
           CASE WHEN doc.move_type = 'out_refund' THEN -line.quantity
                ELSE line.quantity END AS quantity,
           line.net AS amount_untaxed,
           doc.amount_total * share.ratio AS amount_total,
           doc.amount_collected * share.ratio AS amount_collected,
           doc.amount_open * share.ratio AS amount_open,
           doc.amount_overdue * share.ratio AS amount_overdue
      FROM line
      JOIN doc ON doc.move_id = line.move_id
      CROSS JOIN LATERAL (
            SELECT CASE WHEN line.doc_net = 0 THEN 0
                        ELSE line.net / line.doc_net END AS ratio
      ) share
      LEFT JOIN product_product product ON product.id = line.product_id
      LEFT JOIN product_template template ON template.id = product.product_tmpl_id
            """,
            documents=documents_query(fields.Date.context_today(self)),
        )
