from odoo import fields, models


class AccountTax(models.Model):
    _inherit = "account.tax"

    pl_exemption_basis_type = fields.Selection(
        [
            ("act", "Polish VAT act or regulation"),
            ("directive", "Directive 2006/112/EC"),
            ("other", "Other legal basis"),
        ],
        string="Exemption Basis Type",
        default="act",
        help="Where the exemption basis goes in KSeF invoices: P_19A (a "
        "provision of the VAT act or of a regulation), P_19B (Directive "
        "2006/112/EC) or P_19C (another legal basis).",
    )
