import re

from odoo import api, fields, models

# JPK_V7 tax report boxes (l10n_pl tags) telling what kind of supply a tax is.
TAG_KINDS = (
    ("K_10", "exempt"),
    ("K_31", "reverse_charge"),
    ("K_11", "not_subject"),
    ("K_12", "not_subject"),
    ("K_21", "intra_eu"),
    ("K_22", "export"),
    ("K_13", "zero"),
    # TAX FREE: 0 % for travellers' refunds (art. 129).
    ("K_14", "zero"),
)


class AccountTax(models.Model):
    _inherit = "account.tax"

    pl_vat_kind = fields.Selection(
        [
            ("standard", "Taxed"),
            ("zero", "0% domestic"),
            ("exempt", "Exempt (zw)"),
            ("reverse_charge", "Reverse charge (oo)"),
            ("not_subject", "Not subject to Polish VAT (np)"),
            ("intra_eu", "Intra-EU supply (0% WDT)"),
            ("export", "Export (0% EX)"),
        ],
        string="Polish VAT Kind",
        compute="_compute_pl_vat_kind",
        store=True,
        readonly=False,
        help="Decides the annotations printed on Polish invoices. Deduced from "
        "the tax report tags of l10n_pl; can be set by hand.",
    )
    pl_exemption_basis = fields.Char(
        string="Exemption Basis",
        translate=True,
        help="Legal basis printed on invoices with this exempt tax, e.g. "
        "'art. 43 ust. 1 pkt 37 ustawy o VAT'.",
    )

    @api.depends("invoice_repartition_line_ids.tag_ids")
    def _compute_pl_vat_kind(self):
        for tax in self:
            tag_names = {
                re.sub(r"^[+-]", "", name or "")
                for name in tax.invoice_repartition_line_ids.tag_ids.with_context(
                    lang="en_US"
                ).mapped("name")
            }
            tax.pl_vat_kind = next(
                (kind for tag, kind in TAG_KINDS if tag in tag_names), "standard"
            )
