from odoo import api, fields, models, tools
from odoo.addons.crm_invoicing_pl.tools.cash_accounting import (
    CASH_FIELDS,
    CASH_TAX_FIELDS,
)
from odoo.fields import Domain
from odoo.tools import SQL

from ..models.account_move import KSEF_MARKERS, PURCHASE_TYPES
from ..tools.jpk import (
    AMOUNT_FIELDS,
    BUYER_BOXES,
    OUTPUT_TAX_FIELDS,
    OUTPUT_TAX_LESS,
    POSITIVE_TAG_FIELDS,
    SalesRow,
    split_buyer_boxes,
)

# l10n_pl tags the base of a purchase for which the company is the taxpayer
# (art. 17 ust. 1 pkt 5) "K_31rc"; its "K_31" tag is on the sale tax "0 %
# Stal", the seller's box repealed in 2019 (see tools/jpk.py, BUYER_BOXES).
PURCHASE_K31_TAG = "K_31rc"
# (JPK field, register column) of the amounts.
AMOUNT_COLUMNS = tuple((name, name.lower()) for name in AMOUNT_FIELDS)


class PlVatSalesRegister(models.Model):
    """The VAT sales register (rejestr VAT sprzedaży): one row per document,
    or, for cash accounting (art. 21), one row per tax point of the document.

    A row is a posted document carrying a sales-side tax tag of l10n_pl's tax
    report (K_10 ... K_36): invoices, corrections and advance invoices, and
    the vendor bills whose VAT the company self-assesses (intra-EU
    acquisitions, imported services, goods of art. 17 ust. 1 pkt 5). K_31
    and K_32 are the buyer's boxes: only vendor bills fill them; the K_31
    tag of a sales document is kept apart (``seller_k31``) and left out of
    the JPK with a warning. Pro formas never post, so they never
    appear. Each K_ column is the document's balance on that tag with the
    report's sign, in the company currency, so the register's totals are the
    tax report's totals.

    Cash accounting (art. 21 of the VAT Act, crm_invoicing_pl's account_move.py):
    the invoice's row is repeated in the period of every payment received
    (``date`` is the tax point: the payment's day, or the 180th day after
    the delivery for the rest) with that payment's share of its boxes; the
    number, issue date and buyer stay the invoice's. The tax report, which
    knows nothing of it, then differs from the register by the unpaid share.
    """

    _name = "pl.vat.sales.register"
    _description = "VAT Sales Register"
    _auto = False
    _order = "date, invoice_date, name, id"
    _rec_name = "name"
    _depends = {
        "account.move": [
            "name",
            "state",
            "company_id",
            "journal_id",
            "date",
            "invoice_date",
            "taxable_supply_date",
            "commercial_partner_id",
            "move_type",
            "pl_jpk_document_type",
            "l10n_pl_edi_number",
            "amount_total",
            "pl_cash_deadline",
        ],
        "account.move.line": ["move_id", "balance", "tax_tag_ids"],
        "account.partial.reconcile": [
            "debit_move_id",
            "credit_move_id",
            "debit_amount_currency",
        ],
        "res.company": ["pl_cash_accounting"],
        "res.partner": ["vat"],
    }

    move_id = fields.Many2one("account.move", string="Document", readonly=True)
    name = fields.Char(string="Number", readonly=True)
    move_type = fields.Selection(
        related="move_id.move_type", string="Document Type", readonly=True
    )
    pl_document_kind = fields.Selection(
        related="move_id.pl_document_kind", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    journal_id = fields.Many2one("account.journal", readonly=True)
    date = fields.Date(string="Accounting Date", readonly=True)
    invoice_date = fields.Date(string="Issue Date", readonly=True)
    sale_date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Contractor", readonly=True)
    partner_vat = fields.Char(string="Tax ID", readonly=True)
    ksef_marker = fields.Selection(
        KSEF_MARKERS,
        string="KSeF Marker",
        compute="_compute_ksef_marker",
        search="_search_ksef_marker",
    )
    ksef_number = fields.Char(string="KSeF Number", readonly=True)
    jpk_document_type = fields.Selection(
        related="move_id.pl_jpk_document_type", readonly=True
    )
    gtu_codes = fields.Char(
        string="GTU", compute="_compute_jpk_codes", compute_sudo=True
    )
    procedure_markers = fields.Char(
        string="Markers", compute="_compute_jpk_codes", compute_sudo=True
    )
    k_10 = fields.Monetary(string="K_10 Domestic exempt", readonly=True)
    k_11 = fields.Monetary(string="K_11 Outside Poland", readonly=True)
    k_12 = fields.Monetary(string="K_12 of which services art. 100.1.4", readonly=True)
    k_13 = fields.Monetary(string="K_13 Domestic 0%", readonly=True)
    k_14 = fields.Monetary(string="K_14 0% art. 129", readonly=True)
    k_15 = fields.Monetary(string="K_15 Base 5%", readonly=True)
    k_16 = fields.Monetary(string="K_16 VAT 5%", readonly=True)
    k_17 = fields.Monetary(string="K_17 Base 8%", readonly=True)
    k_18 = fields.Monetary(string="K_18 VAT 8%", readonly=True)
    k_19 = fields.Monetary(string="K_19 Base 23%", readonly=True)
    k_20 = fields.Monetary(string="K_20 VAT 23%", readonly=True)
    k_21 = fields.Monetary(string="K_21 Intra-EU supply", readonly=True)
    k_22 = fields.Monetary(string="K_22 Export", readonly=True)
    k_23 = fields.Monetary(string="K_23 Intra-EU acquisition", readonly=True)
    k_24 = fields.Monetary(string="K_24 VAT intra-EU acquisition", readonly=True)
    k_25 = fields.Monetary(string="K_25 Import art. 33a", readonly=True)
    k_26 = fields.Monetary(string="K_26 VAT import art. 33a", readonly=True)
    k_27 = fields.Monetary(string="K_27 Import of services", readonly=True)
    k_28 = fields.Monetary(string="K_28 VAT import of services", readonly=True)
    k_29 = fields.Monetary(string="K_29 Import of services art. 28b", readonly=True)
    k_30 = fields.Monetary(string="K_30 VAT import of services art. 28b", readonly=True)
    k_31 = fields.Monetary(string="K_31 Buyer as taxpayer", readonly=True)
    k_32 = fields.Monetary(string="K_32 VAT buyer as taxpayer", readonly=True)
    k_33 = fields.Monetary(string="K_33 Stock-take tax", readonly=True)
    k_34 = fields.Monetary(string="K_34 Cash register refund", readonly=True)
    k_35 = fields.Monetary(
        string="K_35 VAT special intra-EU acquisition", readonly=True
    )
    k_36 = fields.Monetary(
        string="K_36 VAT special acquisition of fuels", readonly=True
    )
    output_tax = fields.Monetary(readonly=True)
    seller_k31 = fields.Monetary(
        string="K_31 of a sale (left out)",
        readonly=True,
        help='Base of a sales document tagged K_31 (l10n_pl\'s "0% Stal" '
        "tax): K_31 is the buyer's box (art. 17 ust. 1 pkt 5), so the JPK "
        "leaves this amount out.",
    )

    def init(self):
        """One row per document (id: the document's id x 1024); a
        cash-accounting invoice (art. 21) gets one row per tax point instead
        (id: the document's id x 1024 + the tax point's rank), dated on the
        tax point, with the share of every box due on it.

        Cash accounting (see crm_invoicing_pl's account_move.py): an out_invoice of
        a company with ``pl_cash_accounting``, with a positive total and only
        the boxes of ``CASH_FIELDS``. Its tax points are the days of the
        payments reconciled with its receivable (the partials whose other
        side is a payment or bank entry, not a credit note), up to the 180th
        day (``pl_cash_deadline``), plus that day with the rest. The shares
        are those of tools/cash_accounting.py: cumulative amounts rounded to
        the grosz, ``ROUND(box * paid_up_to / gross) - ROUND(box *
        paid_before / gross)``.
        """
        tools.drop_view_if_exists(self.env.cr, self._table)
        tag = SQL("tag.name->>'en_US'")
        purchase = SQL("move.move_type IN %s", PURCHASE_TYPES)

        def amount(name):
            """The signed balance of field ``name`` on one tagged line."""
            if name == "K_31":
                return SQL(
                    "CASE WHEN %s = %s AND %s THEN aml.balance END",
                    tag,
                    PURCHASE_K31_TAG,
                    purchase,
                )
            condition = SQL("%s = %s", tag, name)
            if name in BUYER_BOXES:
                condition = SQL("%s AND %s", condition, purchase)
            sign = SQL("aml.balance" if name in POSITIVE_TAG_FIELDS else "-aml.balance")
            return SQL("CASE WHEN %s THEN %s END", condition, sign)

        columns = SQL(", ").join(
            SQL("SUM(%s) AS %s", amount(name), SQL.identifier(name.lower()))
            for name in AMOUNT_FIELDS
        )
        output_tax = SQL(
            "COALESCE(SUM(%s), 0)",
            SQL(" + ").join(
                [SQL("COALESCE(%s, 0)", amount(name)) for name in OUTPUT_TAX_FIELDS]
                + [SQL("-COALESCE(%s, 0)", amount(name)) for name in OUTPUT_TAX_LESS]
            ),
        )
        plain_columns = SQL(", ").join(
            SQL("doc.%s", SQL.identifier(name.lower())) for name in AMOUNT_FIELDS
        )
        share_columns = SQL(", ").join(
            SQL(
                "ROUND(doc.%(col)s * share.paid_up_to / cash.gross, 2) "
                "- ROUND(doc.%(col)s * share.paid_before / cash.gross, 2)",
                col=SQL.identifier(name.lower()),
            )
            for name in AMOUNT_FIELDS
        )
        share_tax = SQL(" + ").join(
            SQL(
                "COALESCE(ROUND(doc.%(col)s * share.paid_up_to / cash.gross, 2) "
                "- ROUND(doc.%(col)s * share.paid_before / cash.gross, 2), 0)",
                col=SQL.identifier(name.lower()),
            )
            for name in CASH_TAX_FIELDS
        )
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS (
    WITH doc AS (
        SELECT move.id AS move_id,
               move.name AS name,
               move.company_id AS company_id,
               company.currency_id AS currency_id,
               move.journal_id AS journal_id,
               move.date AS date,
               COALESCE(move.invoice_date, move.date) AS invoice_date,
               COALESCE(move.taxable_supply_date, move.invoice_date, move.date)
                   AS sale_date,
               move.commercial_partner_id AS partner_id,
               partner.vat AS partner_vat,
               move.l10n_pl_edi_number AS ksef_number,
               move.pl_jpk_document_type = 'FP' AS receipt_invoice,
               BOOL_AND(tag.name->>'en_US' IN %(cash_fields)s) AS cash_boxes,
               %(columns)s,
               %(output_tax)s AS output_tax,
               SUM(CASE WHEN %(tag)s = 'K_31' AND NOT %(purchase)s
                        THEN -aml.balance END) AS seller_k31
          FROM account_move move
          JOIN res_company company ON company.id = move.company_id
          JOIN account_move_line aml ON aml.move_id = move.id
          JOIN account_account_tag_account_move_line_rel rel
            ON rel.account_move_line_id = aml.id
          JOIN account_account_tag tag
            ON tag.id = rel.account_account_tag_id
           AND tag.applicability = 'taxes'
           AND tag.name->>'en_US' IN %(fields)s
          JOIN res_country country
            ON country.id = tag.country_id AND country.code = 'PL'
          LEFT JOIN res_partner partner ON partner.id = move.commercial_partner_id
         WHERE move.state = 'posted'
         GROUP BY move.id, company.currency_id, partner.vat
    ),
    -- art. 21: the cash-accounting invoices, their gross and 180th day
    cash AS (
        SELECT move.id AS move_id,
               move.amount_total AS gross,
               move.pl_cash_deadline AS last_day
          FROM account_move move
          JOIN res_company company ON company.id = move.company_id
          JOIN doc ON doc.move_id = move.id AND doc.cash_boxes
         WHERE company.pl_cash_accounting
           AND move.move_type = 'out_invoice'
           AND move.amount_total > 0
    ),
    -- the payments received, per day, in the invoice's currency
    paid AS (
        SELECT cash.move_id, payment.date AS day,
               SUM(partial.debit_amount_currency) AS amount
          FROM cash
          JOIN account_move_line receivable ON receivable.move_id = cash.move_id
          JOIN account_partial_reconcile partial
            ON partial.debit_move_id = receivable.id
          JOIN account_move_line counterpart
            ON counterpart.id = partial.credit_move_id
          JOIN account_move payment
            ON payment.id = counterpart.move_id
           AND payment.move_type = 'entry'
           AND payment.state = 'posted'
         WHERE cash.last_day IS NULL OR payment.date <= cash.last_day
         GROUP BY cash.move_id, payment.date
    ),
    point AS (
        SELECT move_id, day, MAX(paid_up_to) AS paid_up_to
          FROM (
            SELECT paid.move_id, paid.day,
                   LEAST(SUM(paid.amount) OVER (
                       PARTITION BY paid.move_id ORDER BY paid.day
                   ), cash.gross) AS paid_up_to
              FROM paid JOIN cash ON cash.move_id = paid.move_id
            UNION ALL
            SELECT move_id, last_day, gross FROM cash WHERE last_day IS NOT NULL
          ) AS points
         GROUP BY move_id, day
    ),
    share AS (
        SELECT move_id, day, paid_up_to,
               COALESCE(LAG(paid_up_to) OVER (
                   PARTITION BY move_id ORDER BY day
               ), 0) AS paid_before,
               ROW_NUMBER() OVER (PARTITION BY move_id ORDER BY day) AS rank
          FROM point
    )
    SELECT doc.move_id::bigint * 1024 AS id,
           doc.move_id, doc.name, doc.company_id, doc.currency_id,
           doc.journal_id, doc.date, doc.invoice_date, doc.sale_date,
           doc.partner_id, doc.partner_vat, doc.ksef_number,
           %(plain_columns)s,
           CASE WHEN doc.receipt_invoice THEN 0 ELSE doc.output_tax END
               AS output_tax,
           doc.seller_k31
      FROM doc
     WHERE doc.move_id NOT IN (SELECT move_id FROM cash)
    UNION ALL
    SELECT doc.move_id::bigint * 1024 + share.rank AS id,
           doc.move_id, doc.name, doc.company_id, doc.currency_id,
           doc.journal_id, share.day AS date, doc.invoice_date, doc.sale_date,
           doc.partner_id, doc.partner_vat, doc.ksef_number,
           %(share_columns)s,
           CASE WHEN doc.receipt_invoice THEN 0 ELSE %(share_tax)s END
               AS output_tax,
           doc.seller_k31
      FROM doc
      JOIN cash ON cash.move_id = doc.move_id
      JOIN share ON share.move_id = doc.move_id
                AND share.paid_up_to > share.paid_before
)
                """,
                table=SQL.identifier(self._table),
                columns=columns,
                output_tax=output_tax,
                tag=tag,
                purchase=purchase,
                fields=tuple(AMOUNT_FIELDS) + (PURCHASE_K31_TAG,),
                cash_fields=tuple(CASH_FIELDS),
                plain_columns=plain_columns,
                share_columns=share_columns,
                share_tax=share_tax,
            )
        )

    @api.depends("move_id.pl_jpk_ksef_marker")
    def _compute_ksef_marker(self):
        for row in self:
            row.ksef_marker = row.move_id.pl_jpk_ksef_marker

    def _search_ksef_marker(self, operator, value):
        # Worked out from each document at each reading (a KSeF number may
        # come after an export), so searched the same way: NrKSeF is having
        # a number; the others are read from each row without one.
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        wanted = {value} if isinstance(value, str) else set(value or ())
        without_number = self.search([("ksef_number", "=", False)])
        ids = without_number.filtered(lambda row: row.ksef_marker in wanted).ids
        domain = Domain("id", "in", ids)
        if "NrKSeF" in wanted:
            domain |= Domain("ksef_number", "!=", False)
        return domain if operator in ("=", "in") else ~domain

    @api.depends("move_id")
    def _compute_jpk_codes(self):
        codes = self.move_id._pl_jpk_codes_by_move()
        for row in self:
            gtu, markers = codes[row.move_id.id]
            row.gtu_codes = " ".join("GTU_%02d" % code for code in sorted(gtu))
            row.procedure_markers = " ".join(sorted(markers))

    @api.model
    def _pl_jpk_columns(self):
        """The columns :meth:`_pl_sales_rows` reads."""
        return ["move_id", "name", "invoice_date", "sale_date", "partner_id"] + [
            name.lower() for name in AMOUNT_FIELDS + ("seller_k31",)
        ]

    @api.model
    def _pl_sales_rows(self, values):
        """The register rows ``values`` (dicts of :meth:`_pl_jpk_columns`,
        e.g. a page read by the export) as the JPK tools' ``SalesRow``
        objects, in order. Their documents and contractors are read together
        (one prefetch for the page)."""
        moves = self.env["account.move"].browse([value["move_id"] for value in values])
        partners = self.env["res.partner"].browse(
            {value["partner_id"] for value in values if value["partner_id"]}
        )
        names = dict(zip(partners.ids, partners.mapped("name"), strict=True))
        codes = moves._pl_jpk_codes_by_move()
        rows = []
        for value, move in zip(values, moves, strict=True):
            gtu, markers = codes[move.id]
            country, number = move._pl_jpk_tin()
            rows.append(
                SalesRow(
                    number=move._pl_jpk_document_number(),
                    issue_date=value["invoice_date"],
                    sale_date=value["sale_date"],
                    partner_name=names.get(value["partner_id"]) or "",
                    partner_tin=number,
                    tin_country=country,
                    ksef_marker=move.pl_jpk_ksef_marker,
                    ksef_number=move.l10n_pl_edi_number or None,
                    document_type=move.pl_jpk_document_type or None,
                    gtu=frozenset(gtu),
                    markers=frozenset(markers),
                    amounts=split_buyer_boxes(
                        {
                            name: value[column]
                            for name, column in AMOUNT_COLUMNS
                            if value[column]
                        },
                        purchase=move.move_type in PURCHASE_TYPES,
                    )[0],
                )
            )
        return rows
