"""A new contact filled from the registers as soon as its NIP is typed.

Typing a Polish NIP on a contact not saved yet fills its empty name,
address, REGON and KRS from GUS REGON (from the VAT white list when no GUS
key is set), and says so in a notification; nothing is saved before the
user saves, and an unreachable register only says why.
"""

# Filling a new contact is a concern of its own, kept apart from the checks.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models
from odoo.exceptions import UserError

from ..tools.vatnumber import VatNumberError
from ..tools.whitelist import WhiteListError, split_address

FILLED = ("name", "street", "zip", "city", "pl_regon", "pl_krs")


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.onchange("vat")
    def _onchange_vat_pl_fill(self):
        if self._origin.id or not self.vat:
            return None
        try:
            scope, nip = self._pl_vat_target(self.vat, self.country_id.code or "PL")
        except VatNumberError:
            return None  # the VAT number check says what is wrong on saving
        if scope != "pl":
            return None
        title = self.env._("Contractor data")
        try:
            values, source = self._pl_register_data(nip)
        except UserError as error:
            return {"warning": {"title": title, "message": error.args[0]}}
        if not values:
            return {
                "warning": {
                    "title": title,
                    "message": self.env._(
                        "%(register)s has no entity with the NIP %(nip)s: fill "
                        "the name and address by hand.",
                        register=source,
                        nip=nip,
                    ),
                }
            }
        filled = [name for name in FILLED if values.get(name) and not self[name]]
        if not filled:
            return None
        for name in filled:
            self[name] = values[name]
        self.is_company = True
        self.country_id = self.env.ref("base.pl")
        return {
            "warning": {
                "title": title,
                "message": self.env._(
                    "Name and address filled from %(register)s: check them before "
                    "saving.",
                    register=source,
                ),
            }
        }

    def _pl_register_data(self, nip):
        """({field: value}, register name) of ``nip`` from GUS REGON, else the
        white list; empty values when the register does not know the NIP."""
        if self.env["ir.config_parameter"].sudo().get_param("crm_vies_check.gus_key"):
            subject = self._pl_gus_subject(nip)
            values = {}
            if subject:
                values = self.env["pl.gus.lookup"]._values_of(
                    subject, self._pl_krs_of(nip)
                )
            return values, "GUS REGON"
        register = self.env._("The VAT white list")
        if self._pl_whitelist_paused_until():
            raise UserError(
                self.env._(
                    "The daily limit of white-list queries is used up: fill the "
                    "name and address by hand."
                )
            )
        try:
            subject = self._pl_whitelist_client().search_nip(nip)
        except (WhiteListError, OSError, ValueError) as error:
            raw_fault = str(error)
            if isinstance(error, WhiteListError):
                raw_fault = f"{error.code}: {error}"
            reason = (
                self.env["partner.verification"]
                .new({"check_type": "whitelist", "raw_fault": raw_fault})
                ._pl_fault_words()
            )
            raise UserError(
                self.env._(
                    "%(reason)s Fill the name and address by hand or type the NIP "
                    "again later.",
                    reason=reason,
                )
            ) from error
        if not subject.found:
            return {}, register
        street, zip_code, city = split_address(
            subject.working_address or subject.residence_address
        )
        values = {
            "name": subject.name,
            "street": street,
            "zip": zip_code,
            "city": city,
            "pl_regon": subject.regon,
            "pl_krs": subject.krs,
        }
        return values, register
