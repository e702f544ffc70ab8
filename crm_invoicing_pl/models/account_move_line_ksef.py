# KSeF (FA(3)) data is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models

from .product_template_ksef import KSEF_PROCEDURES


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    pl_ksef_procedure = fields.Selection(
        KSEF_PROCEDURES,
        string="KSeF Procedure",
        compute="_compute_pl_ksef_procedure",
        store=True,
        readonly=False,
        precompute=True,
        help="Procedure marker (Procedura) of this line in the KSeF invoice; "
        "taken from the product.",
    )

    @api.depends("product_id")
    def _compute_pl_ksef_procedure(self):
        for line in self:
            line.pl_ksef_procedure = line.product_id.product_tmpl_id.pl_ksef_procedure
