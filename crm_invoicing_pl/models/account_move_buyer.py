"""The buyer's data of a posted document, frozen at posting.

A posted invoice must keep showing the buyer as invoiced (art. 106e) even
when the customer's record changes or is anonymised (GDPR,
crm_invoicing_pl_archive): the printout reads these fields when they are set.
"""

# The buyer snapshot is a concern of its own, kept apart from the rules.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models
from odoo.exceptions import UserError

BUYER_FIELDS = (
    "pl_buyer_name",
    "pl_buyer_vat",
    "pl_buyer_street",
    "pl_buyer_street2",
    "pl_buyer_zip",
    "pl_buyer_city",
    "pl_buyer_country_id",
)
BUYER_FIELDS_SET = frozenset(BUYER_FIELDS)


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_buyer_name = fields.Char(
        string="Buyer Name (as Invoiced)", readonly=True, copy=False
    )
    pl_buyer_vat = fields.Char(
        string="Buyer Tax ID (as Invoiced)", readonly=True, copy=False
    )
    pl_buyer_street = fields.Char(readonly=True, copy=False)
    pl_buyer_street2 = fields.Char(readonly=True, copy=False)
    pl_buyer_zip = fields.Char(readonly=True, copy=False)
    pl_buyer_city = fields.Char(readonly=True, copy=False)
    pl_buyer_country_id = fields.Many2one(
        "res.country", string="Buyer Country (as Invoiced)", readonly=True, copy=False
    )

    def write(self, vals):
        # EXTENDS account: the buyer as invoiced is frozen once posted, hashed
        # or not (a hashed document is also guarded by Odoo's hash check).
        if not BUYER_FIELDS_SET.isdisjoint(vals):
            frozen = self.filtered(lambda m: m.state == "posted" and m.pl_buyer_name)
            if frozen:
                raise UserError(
                    self.env._(
                        "The buyer's data of %(documents)s were frozen when it was "
                        "posted: the document shows the buyer as invoiced (art. "
                        "106e of the VAT Act). To correct them, issue a correction "
                        "invoice.",
                        documents=", ".join(frozen.mapped("display_name")),
                    )
                )
        return super().write(vals)

    def _post(self, soft=True):
        # Frozen before posting: the hash computed at posting (the hash chain
        # of crm_invoicing_pl_archive) covers them.
        # They touch no journal item: the invoice's line synchronisation and
        # balance check (most of the cost of a write on a move; posting
        # checks the balance itself) are skipped, and the documents of one
        # buyer are written at once.
        by_values = {}
        for move in self.filtered(
            lambda m: m.pl_document_type_id and m.is_sale_document()
        ):
            values = move._pl_buyer_snapshot_values()
            key = tuple(values.items())
            by_values.setdefault(key, [values, self.browse()])[1] |= move
        for values, moves in by_values.values():
            moves.with_context(skip_invoice_sync=True, check_move_validity=False).write(
                values
            )
        return super()._post(soft=soft)

    def button_draft(self):
        result = super().button_draft()
        # A draft shows the customer as it is now; posting freezes it again.
        # (Odoo calls this on empty sets for every journal item written.)
        frozen = self.filtered("pl_buyer_name")
        if frozen:
            frozen.write(dict.fromkeys(BUYER_FIELDS, False))
        return result

    def _pl_buyer_address_partner(self):
        """The partner whose address the document shows for the buyer."""
        self.ensure_one()
        if self.partner_id.street or self.partner_id.city:
            return self.partner_id
        return self.commercial_partner_id

    def _pl_buyer_snapshot_values(self):
        """The buyer as the printout shows it (see pl_invoice_parties)."""
        self.ensure_one()
        buyer = self.commercial_partner_id
        address = self._pl_buyer_address_partner()
        return {
            "pl_buyer_name": buyer.name,
            "pl_buyer_vat": buyer.vat,
            "pl_buyer_street": address.street,
            "pl_buyer_street2": address.street2,
            "pl_buyer_zip": address.zip,
            "pl_buyer_city": address.city,
            "pl_buyer_country_id": address.country_id.id,
        }

    def _pl_report_buyer_snapshot_nip(self):
        """The frozen buyer's NIP as printed (see ``_pl_report_nip``)."""
        self.ensure_one()
        vat = (self.pl_buyer_vat or "").replace(" ", "").replace("-", "")
        if vat[:2].upper() == "PL" and self.pl_buyer_country_id.code in (False, "PL"):
            return vat[2:]
        return vat

    def _pl_frozen_buyer_partner(self, live):
        """An in-memory partner holding the buyer as frozen at posting (name,
        tax id, address); contact data (e-mail, phone) stay those of
        ``live``, the customer's record."""
        self.ensure_one()
        return self.env["res.partner"].new(
            {
                "name": self.pl_buyer_name,
                "vat": self.pl_buyer_vat,
                "street": self.pl_buyer_street,
                "street2": self.pl_buyer_street2,
                "zip": self.pl_buyer_zip,
                "city": self.pl_buyer_city,
                "country_id": self.pl_buyer_country_id.id,
                "is_company": live.is_company,
                "email": live.email,
                "phone": live.phone,
            }
        )
