from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL

from ..models.account_move_jpk import KSEF_MARKERS, PURCHASE_TYPES
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


class PlVatSalesRegister(models.Model):
    """The VAT sales register (rejestr VAT sprzedaży): one row per document.

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
        ],
        "account.move.line": ["move_id", "balance", "tax_tag_ids"],
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
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS (
    SELECT move.id AS id,
           move.id AS move_id,
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
           %(columns)s,
           CASE WHEN move.pl_jpk_document_type = 'FP' THEN 0
                ELSE %(output_tax)s END AS output_tax,
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
      JOIN res_country country ON country.id = tag.country_id AND country.code = 'PL'
      LEFT JOIN res_partner partner ON partner.id = move.commercial_partner_id
     WHERE move.state = 'posted'
     GROUP BY move.id, company.currency_id, partner.vat
)
                """,
                table=SQL.identifier(self._table),
                columns=columns,
                output_tax=output_tax,
                tag=tag,
                purchase=purchase,
                fields=tuple(AMOUNT_FIELDS) + (PURCHASE_K31_TAG,),
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
        for row in self:
            gtu, markers = row.move_id._pl_jpk_codes()
            row.gtu_codes = " ".join("GTU_%02d" % code for code in sorted(gtu))
            row.procedure_markers = " ".join(sorted(markers))

    def _pl_sales_rows(self):
        """These rows as the JPK tools' ``SalesRow`` objects, in order."""
        rows = []
        for row in self:
            move = row.move_id
            gtu, markers = move._pl_jpk_codes()
            country, number = move._pl_jpk_tin()
            rows.append(
                SalesRow(
                    number=move._pl_jpk_document_number(),
                    issue_date=row.invoice_date,
                    sale_date=row.sale_date,
                    partner_name=row.partner_id.name or "",
                    partner_tin=number,
                    tin_country=country,
                    ksef_marker=move.pl_jpk_ksef_marker,
                    ksef_number=move.l10n_pl_edi_number or None,
                    document_type=move.pl_jpk_document_type or None,
                    gtu=frozenset(gtu),
                    markers=frozenset(markers),
                    amounts=split_buyer_boxes(
                        {
                            name: row[name.lower()]
                            for name in AMOUNT_FIELDS
                            if row[name.lower()]
                        },
                        purchase=move.move_type in PURCHASE_TYPES,
                    )[0],
                )
            )
        return rows
