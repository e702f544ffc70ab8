from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.account_move import PURCHASE_TYPES
from ..tools.jpk import INPUT_TAX_FIELDS, PURCHASE_AMOUNT_FIELDS, PurchaseRow


class PlVatPurchaseRegister(models.Model):
    """The VAT purchase register (ewidencja w zakresie podatku naliczonego):
    one row per posted document carrying an input-tax tag of l10n_pl's tax
    report (K_40 ... K_47): vendor bills and vendor credit notes, including
    the bills whose VAT the company self-assesses (intra-EU acquisitions,
    imported services, goods of art. 17 ust. 1 pkt 5: l10n_pl tags them both
    K_23 ... K_32 and K_42 / K_43, so they are in the sales register too),
    and journal entries correcting input tax (K_44 ... K_47).

    Each K_ column is the document's balance on that tag in the company
    currency (the report reads these tags with a plus sign), so the
    register's totals are the tax report's. ``date`` (the accounting date)
    decides the period; the supplier's invoice date is DataZakupu.
    """

    _name = "pl.vat.purchase.register"
    _description = "VAT Purchase Register"
    _auto = False
    _order = "date, invoice_date, name, id"
    _rec_name = "name"
    _depends = {
        "account.move": [
            "name",
            "ref",
            "state",
            "company_id",
            "journal_id",
            "date",
            "invoice_date",
            "commercial_partner_id",
            "l10n_pl_edi_number",
        ],
        "account.move.line": ["move_id", "balance", "tax_tag_ids"],
        "res.partner": ["vat"],
    }

    move_id = fields.Many2one("account.move", string="Document", readonly=True)
    name = fields.Char(string="Number", readonly=True)
    supplier_number = fields.Char(string="Supplier's Number", readonly=True)
    move_type = fields.Selection(
        related="move_id.move_type", string="Document Type", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    journal_id = fields.Many2one("account.journal", readonly=True)
    date = fields.Date(string="Accounting Date", readonly=True)
    invoice_date = fields.Date(string="Issue Date", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Supplier", readonly=True)
    partner_vat = fields.Char(string="Tax ID", readonly=True)
    ksef_marker = fields.Selection(
        related="move_id.pl_jpk_ksef_marker", string="KSeF Marker"
    )
    ksef_number = fields.Char(string="KSeF Number", readonly=True)
    k_40 = fields.Monetary(string="K_40 Fixed assets net", readonly=True)
    k_41 = fields.Monetary(string="K_41 VAT fixed assets", readonly=True)
    k_42 = fields.Monetary(string="K_42 Other purchases net", readonly=True)
    k_43 = fields.Monetary(string="K_43 VAT other purchases", readonly=True)
    k_44 = fields.Monetary(string="K_44 Correction fixed assets", readonly=True)
    k_45 = fields.Monetary(string="K_45 Correction other purchases", readonly=True)
    k_46 = fields.Monetary(string="K_46 Correction art. 89b.1", readonly=True)
    k_47 = fields.Monetary(string="K_47 Correction art. 89b.4", readonly=True)
    input_tax = fields.Monetary(readonly=True)

    def init(self):
        """One row per document (id: the document's id)."""
        tools.drop_view_if_exists(self.env.cr, self._table)
        tag = SQL("tag.name->>'en_US'")

        def amount(name):
            return SQL("CASE WHEN %s = %s THEN aml.balance END", tag, name)

        columns = SQL(", ").join(
            SQL("SUM(%s) AS %s", amount(name), SQL.identifier(name.lower()))
            for name in PURCHASE_AMOUNT_FIELDS
        )
        input_tax = SQL(
            "COALESCE(SUM(%s), 0)",
            SQL(" + ").join(
                SQL("COALESCE(%s, 0)", amount(name)) for name in INPUT_TAX_FIELDS
            ),
        )
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS (
    SELECT move.id AS id,
           move.id AS move_id,
           move.name AS name,
           CASE WHEN move.move_type IN %(purchase_types)s
                THEN COALESCE(NULLIF(TRIM(move.ref), ''), move.name)
                ELSE move.name END AS supplier_number,
           move.company_id AS company_id,
           company.currency_id AS currency_id,
           move.journal_id AS journal_id,
           move.date AS date,
           COALESCE(move.invoice_date, move.date) AS invoice_date,
           move.commercial_partner_id AS partner_id,
           partner.vat AS partner_vat,
           move.l10n_pl_edi_number AS ksef_number,
           %(columns)s,
           %(input_tax)s AS input_tax
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
)
                """,
                table=SQL.identifier(self._table),
                columns=columns,
                input_tax=input_tax,
                fields=tuple(PURCHASE_AMOUNT_FIELDS),
                purchase_types=PURCHASE_TYPES,
            )
        )

    @api.model
    def _pl_jpk_columns(self):
        """The columns :meth:`_pl_purchase_rows` reads."""
        return ["move_id", "date", "invoice_date", "partner_id"] + [
            name.lower() for name in PURCHASE_AMOUNT_FIELDS
        ]

    @api.model
    def _pl_purchase_rows(self, values):
        """The register rows ``values`` (dicts of :meth:`_pl_jpk_columns`)
        as the JPK tools' ``PurchaseRow`` objects, in order: DowodZakupu the
        supplier's number (the bill's reference), DataZakupu its issue date,
        DataWplywu the accounting date (the day the bill was entered, which
        decides the period of the deduction, art. 86 ust. 10 and 10b), the
        KSeF marker of the bill (its KSeF number, else BFK)."""
        moves = self.env["account.move"].browse([value["move_id"] for value in values])
        partners = self.env["res.partner"].browse(
            {value["partner_id"] for value in values if value["partner_id"]}
        )
        names = dict(zip(partners.ids, partners.mapped("name"), strict=True))
        rows = []
        for value, move in zip(values, moves, strict=True):
            country, number = move._pl_jpk_tin()
            rows.append(
                PurchaseRow(
                    number=move._pl_jpk_document_number(),
                    issue_date=value["invoice_date"],
                    receipt_date=value["date"],
                    partner_name=names.get(value["partner_id"]) or "",
                    partner_tin=number,
                    tin_country=country,
                    ksef_marker=move.pl_jpk_ksef_marker,
                    ksef_number=move.l10n_pl_edi_number or None,
                    document_type=move.pl_jpk_purchase_document or None,
                    imported=move._pl_jpk_imported(),
                    amounts={
                        name: value[name.lower()]
                        for name in PURCHASE_AMOUNT_FIELDS
                        if value[name.lower()]
                    },
                )
            )
        return rows
