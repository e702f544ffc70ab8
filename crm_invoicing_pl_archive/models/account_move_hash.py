"""Hash chain of the posted Polish sales documents (Odoo's inalterability).

Odoo chains the hashes of the posted moves of one journal and one
``sequence_prefix`` ordered by ``sequence_number`` (account.move
``_hash_moves``); crm_invoicing_pl splits our numbers (FV/15/11/2026:
counter first) so that one series and period (FV/…/11/2026) is one chain.

The hash of a Polish document also covers what its printout shows and
Odoo's hash leaves out: the customer, the issue and sale dates, the
totals and the buyer's data frozen at posting.
"""

# Hashing is a concern of its own, kept apart from the document rules.
# pylint: disable=consider-merging-classes-inherited
from odoo import models
from odoo.addons.account.models.account_move import MAX_HASH_VERSION
from odoo.addons.crm_invoicing_pl.models.account_move import BUYER_FIELDS

# Fields added to Odoo's hash (version 4) of a Polish document.
PL_HASH_FIELDS = [
    "partner_id",
    "invoice_date",
    "taxable_supply_date",
    "currency_id",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "pl_document_type_id",
    *BUYER_FIELDS,
]


class AccountMove(models.Model):
    _inherit = "account.move"

    def _get_integrity_hash_fields(self):
        fields_list = super()._get_integrity_hash_fields()
        hash_version = self.env.context.get("hash_version", MAX_HASH_VERSION)
        # Only documents whose buyer was frozen at posting (crm_invoicing_pl,
        # account_move.py) were hashed with the Polish fields.
        if hash_version >= 4 and len(self) == 1 and self.pl_buyer_name:
            return fields_list + PL_HASH_FIELDS
        return fields_list
