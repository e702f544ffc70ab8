from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.account_move_jpk import KSEF_MARKERS
from ..tools.jpk import (
    AMOUNT_FIELDS,
    OUTPUT_TAX_FIELDS,
    OUTPUT_TAX_LESS,
    POSITIVE_TAG_FIELDS,
    SalesRow,
)


class PlVatSalesRegister(models.Model):
    """The VAT sales register (rejestr VAT sprzedaży): one row per document.

    A row is a posted document carrying a sales-side tax tag of l10n_pl's tax
    report (K_10 ... K_36): invoices, corrections and advance invoices, and
    the vendor bills whose VAT the company self-assesses (intra-EU
    acquisitions, imported services). Pro formas never post, so they never
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
            "pl_jpk_ksef_marker",
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
    ksef_marker = fields.Selection(KSEF_MARKERS, string="KSeF Marker", readonly=True)
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

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        columns = SQL(", ").join(
            SQL(
                "SUM(CASE WHEN tag.name->>'en_US' = %s THEN %s END) AS %s",
                name,
                SQL("aml.balance" if name in POSITIVE_TAG_FIELDS else "-aml.balance"),
                SQL.identifier(name.lower()),
            )
            for name in AMOUNT_FIELDS
        )
        signed = SQL(
            "CASE WHEN tag.name->>'en_US' IN %s THEN aml.balance ELSE -aml.balance END",
            tuple(POSITIVE_TAG_FIELDS),
        )
        output_tax = SQL(
            "COALESCE(SUM(CASE WHEN tag.name->>'en_US' IN %s THEN %s "
            "WHEN tag.name->>'en_US' IN %s THEN -%s END), 0)",
            tuple(OUTPUT_TAX_FIELDS),
            signed,
            tuple(OUTPUT_TAX_LESS),
            signed,
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
           move.pl_jpk_ksef_marker AS ksef_marker,
           move.l10n_pl_edi_number AS ksef_number,
           %(columns)s,
           CASE WHEN move.pl_jpk_document_type = 'FP' THEN 0
                ELSE %(output_tax)s END AS output_tax
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
                fields=tuple(AMOUNT_FIELDS),
            )
        )

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
                    number=row.name,
                    issue_date=row.invoice_date,
                    sale_date=row.sale_date,
                    partner_name=row.partner_id.name or "",
                    partner_tin=number,
                    tin_country=country,
                    ksef_marker=row.ksef_marker or "BFK",
                    ksef_number=row.ksef_number or None,
                    document_type=move.pl_jpk_document_type or None,
                    gtu=frozenset(gtu),
                    markers=frozenset(markers),
                    amounts={
                        name: row[name.lower()]
                        for name in AMOUNT_FIELDS
                        if row[name.lower()]
                    },
                )
            )
        return rows
