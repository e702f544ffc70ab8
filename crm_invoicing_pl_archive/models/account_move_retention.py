"""How long a sales document is kept (see tools/retention.py)."""

# Retention is a concern of its own, kept apart from the document rules.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models

from ..tools.retention import retention_until


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_retention_until = fields.Date(
        string="Keep Until",
        compute="_compute_pl_retention_until",
        store=True,
        index="btree_not_null",
        help="End of the retention period of the document: the limitation "
        "period of its VAT (art. 112 of the VAT act, art. 70 § 1 of the Tax "
        "Ordinance), 31 December of the 5th year after the year in which the "
        "VAT of its tax point was due.",
    )

    @api.depends("move_type", "taxable_supply_date", "invoice_date", "state")
    def _compute_pl_retention_until(self):
        for move in self:
            if move.state == "posted" and move.is_sale_document(include_receipts=True):
                move.pl_retention_until = retention_until(move._pl_tax_point())
            else:
                move.pl_retention_until = False
