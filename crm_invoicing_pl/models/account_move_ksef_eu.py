"""FA(3) parties identified for EU VAT.

Core ``l10n_pl_edi`` writes the buyer's foreign VAT number as ``KodKraju`` +
``NrID`` (e.g. "DE" + "DE312345671"), and ``KodUE`` + ``NrVatUE`` only on OSS
and triangular invoices; it never writes the seller's ``PrefiksPodatnika``.
FA(3) identifies a buyer registered for VAT in another member state by
``KodUE`` + ``NrVatUE`` (the prefix apart from the number, Greece as "EL"),
and the seller acting as an EU VAT taxpayer carries ``PrefiksPodatnika``
"PL" (tools/eu_vat.py). The template ``crm_invoicing_pl.fa3_xml_template_eu``
asks ``pl_ksef_party_id`` (a value of the rendering) for the buyer as it is
rendered: the customer, its local government unit or VAT group, or the
buyer frozen at posting.
"""

# KSeF (FA(3)) data is a concern of its own.
# pylint: disable=consider-merging-classes-inherited

from odoo import api, models

from ..tools import eu_vat

# Tax report tags (l10n_pl) of supplies made as an EU VAT taxpayer: intra-EU
# supply of goods (K_21) and art. 28b services taxed in another member
# state (K_12, art. 100 ust. 1 pkt 4).
INTRA_EU_TAGS = frozenset({"K_21", "K_12"})


class AccountMove(models.Model):
    _inherit = "account.move"

    def _l10n_pl_edi_get_xml_values(self):
        # EXTENDS l10n_pl_edi: how the template identifies the parties for VAT.
        values = super()._l10n_pl_edi_get_xml_values()
        if "pl_ksef" not in values:  # not a document of ours: Odoo's FA(3)
            return values
        company = self.company_id
        intra_eu = self._pl_ksef_intra_eu(values)

        def seller_prefix(buyer_id):
            return eu_vat.seller_prefix(
                company.vat, company.country_id.code, buyer_id, intra_eu
            )

        values["pl_ksef_party_id"] = self._pl_ksef_party_id
        values["pl_ksef_seller_prefix"] = seller_prefix
        return values

    def _pl_ksef_intra_eu(self, values):
        """Whether the document has a supply made as an EU VAT taxpayer:
        goods to another member state (WDT), art. 28b services taxed there,
        or a simplified triangular transaction (art. 135-138)."""
        self.ensure_one()
        if values.get("triangular_transaction") == "1":
            return True
        taxes = self.invoice_line_ids.tax_ids.flatten_taxes_hierarchy()
        if "intra_eu" in taxes.mapped("pl_vat_kind"):
            return True
        tags = {
            name.lstrip("+-")
            for name in self.invoice_line_ids.tax_tag_ids.with_context(
                lang="en_US"
            ).mapped("name")
        }
        return bool(INTRA_EU_TAGS & tags)

    @api.model
    def _pl_ksef_party_id(self, partner):
        """How FA(3) identifies ``partner`` (a partner, possibly an unsaved
        one holding a frozen buyer) for VAT: a ``tools.eu_vat.PartyId``."""
        return eu_vat.party_id(partner.vat, partner.country_id.code)
