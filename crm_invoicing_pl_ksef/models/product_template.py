from odoo import fields, models

# FA(3) TOznaczenieProcedury: procedure markers of an invoice line (§ 10 ust. 4
# of the JPK_V7 regulation). TP (links between buyer and seller) is not a line
# marker in FA(3): it comes from the customer (l10n_pl_links_with_customer).
KSEF_PROCEDURES = [
    ("WSTO_EE", "WSTO_EE - Intra-EU distance sale of goods / services to EU consumers"),
    ("IED", "IED - Supply by a taxable person facilitating it (art. 7a)"),
    ("TT_D", "TT_D - Supply by the second taxpayer in a triangular transaction"),
    ("I_42", "I_42 - Intra-EU supply after import under customs procedure 42"),
    ("I_63", "I_63 - Intra-EU supply after import under customs procedure 63"),
    ("B_SPV", "B_SPV - Transfer of a single-purpose voucher"),
    ("B_SPV_DOSTAWA", "B_SPV_DOSTAWA - Supply covered by a single-purpose voucher"),
    ("B_MPV_PROWIZJA", "B_MPV_PROWIZJA - Brokerage of multi-purpose vouchers"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    pl_ksef_procedure = fields.Selection(
        KSEF_PROCEDURES,
        string="KSeF Procedure Marker",
        help="Procedure marker (Procedura) of the invoice lines of this product "
        "in KSeF invoices; can be changed on each invoice line.",
    )
