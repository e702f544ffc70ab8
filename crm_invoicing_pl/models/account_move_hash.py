"""Hash chain of the posted Polish sales documents (Odoo's inalterability).

Odoo chains the hashes of the posted moves of one journal and one
``sequence_prefix`` ordered by ``sequence_number`` (account.move
``_hash_moves``). Odoo's split of a number takes its LAST digits as the
counter, which for our series (FV/15/11/2026: counter first) would give
every document a chain of its own numbered 2026; the split below reads
our layout, so one series and period (FV/…/11/2026) is one chain.

The hash of a Polish document also covers what its printout shows and
Odoo's hash leaves out: the customer, the issue and sale dates, the
totals and the buyer's data frozen at posting.
"""

# Hashing is a concern of its own, kept apart from the document rules.
# pylint: disable=consider-merging-classes-inherited
import re

from odoo import models
from odoo.addons.account.models.account_move import MAX_HASH_VERSION

from .account_move_buyer import BUYER_FIELDS

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
COUNTER = re.compile(r"^(\d+)(/.*)?$")


class AccountMove(models.Model):
    _inherit = "account.move"

    def _compute_split_sequence(self):
        result = super()._compute_split_sequence()
        for move in self.filtered(lambda m: m.name and m.pl_document_type_id):
            prefix = "%s/" % (move.pl_document_type_id.number_prefix or "").strip(" /")
            matching = move.name.startswith(prefix) and COUNTER.match(
                move.name[len(prefix) :]
            )
            if matching:
                # FV/15/11/2026 -> chain "FV//11/2026", number 15.
                move.sequence_prefix = prefix + (matching.group(2) or "")
                move.sequence_number = int(matching.group(1))
        return result

    def _get_integrity_hash_fields(self):
        fields_list = super()._get_integrity_hash_fields()
        hash_version = self.env.context.get("hash_version", MAX_HASH_VERSION)
        # Only documents whose buyer was frozen at posting (see
        # account_move_buyer.py) were hashed with the Polish fields.
        if hash_version >= 4 and len(self) == 1 and self.pl_buyer_name:
            return fields_list + PL_HASH_FIELDS
        return fields_list
