from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    pl_annex_15 = fields.Boolean(
        string="Annex 15 Goods/Services",
        help="Listed in załącznik nr 15 to the Polish VAT act: B2B invoices above "
        "15 000 zł gross must carry 'mechanizm podzielonej płatności'.",
    )
    pl_tax_point_rule = fields.Selection(
        [
            ("general", "Supply date (art. 19a ust. 1)"),
            (
                "on_invoice",
                "Invoice date, at the latest the payment due date "
                "(art. 19a ust. 5 pkt 4: utilities, telecoms, rent, ...)",
            ),
            (
                "construction",
                "Invoice date, at the latest 30 days after the service "
                "(art. 19a ust. 5 pkt 3: construction services)",
            ),
        ],
        string="VAT Tax Point",
        default="general",
        required=True,
        help="When the VAT on this product falls due: it decides the VAT period "
        "and the NBP rate of a foreign-currency invoice (art. 31a). Goods sent "
        "to another EU country follow art. 20 ust. 1 whatever is set here.",
    )
