from odoo import models
from odoo.exceptions import UserError

# Secured documents listed in the refusal, at most.
LISTED = 10


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # EXTENDS base: a merge re-points the documents and journal items of
        # the merged contacts at the kept one (by SQL). The hash of a secured
        # document covers its partner (Odoo's journal-item hash and ours), so
        # the integrity report would then call every such document
        # tampered with: refused before anything is rewritten.
        partners = self.env["res.partner"].browse(partner_ids).exists()
        if len(partners) > 1:
            if not (dst_partner and dst_partner in partners):
                dst_partner = self._get_ordered_partner(partners.ids)[-1]
            self._pl_check_no_secured_documents(partners - dst_partner, dst_partner)
        return super()._merge(
            partner_ids, dst_partner=dst_partner, extra_checks=extra_checks
        )

    def _pl_check_no_secured_documents(self, partners, kept):
        secured = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("inalterable_hash", "!=", False),
                    "|",
                    ("partner_id", "in", partners.ids),
                    ("line_ids.partner_id", "in", partners.ids),
                ],
                order="id",
                limit=LISTED + 1,
            )
        )
        if secured:
            names = ", ".join(secured[:LISTED].mapped("name"))
            raise UserError(
                self.env._(
                    "%(partners)s cannot be merged into %(kept)s: documents locked "
                    "by the hash chain name them (%(documents)s%(more)s), and the "
                    "merge would break their hashes. Archive the duplicate contact "
                    "instead, or merge it the other way round.",
                    partners=", ".join(partners.mapped("display_name")),
                    kept=kept.display_name,
                    documents=names,
                    more=", …" if len(secured) > LISTED else "",
                )
            )
