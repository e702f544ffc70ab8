from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    pl_annex_15 = fields.Boolean(
        string="Annex 15 Goods/Services",
        help="Listed in załącznik nr 15 to the Polish VAT act: B2B invoices above "
        "15 000 zł gross must carry 'mechanizm podzielonej płatności'.",
    )
