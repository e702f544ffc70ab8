from odoo import api, fields, models

from .product_template import KSEF_PROCEDURES


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    pl_ksef_procedure = fields.Selection(
        KSEF_PROCEDURES,
        string="KSeF Procedure",
        compute="_compute_pl_ksef_procedure",
        store=True,
        readonly=False,
        precompute=True,
        help="Procedure marker (Procedura) of this line in the KSeF invoice "
        "and in the JPK_V7 row; taken from the product, or WSTO_EE for goods "
        "sold to a consumer in another EU country.",
    )

    @api.depends(
        "product_id",
        "move_id.move_type",
        "move_id.company_id",
        "move_id.commercial_partner_id.country_id",
        "move_id.commercial_partner_id.is_company",
        "move_id.commercial_partner_id.vat",
    )
    def _compute_pl_ksef_procedure(self):
        for line in self:
            procedure = line.product_id.product_tmpl_id.pl_ksef_procedure
            if not procedure and line._pl_is_distance_sale():
                procedure = "WSTO_EE"
            line.pl_ksef_procedure = procedure

    def _pl_is_distance_sale(self):
        """Whether the line looks like an intra-EU distance sale of goods
        (art. 2 pkt 22a: goods sent from Poland to a buyer who is not a
        taxpayer in another member state), the JPK_V7 marker WSTO_EE."""
        self.ensure_one()
        move = self.move_id
        country = move.commercial_partner_id.country_id
        return bool(
            move.move_type in ("out_invoice", "out_refund")
            and self.product_id.type == "consu"
            and move.company_id.account_fiscal_country_id.code == "PL"
            and country
            and country.code != "PL"
            and country in self.env.ref("base.europe").country_ids
            and not move._pl_buyer_is_taxpayer()
        )
