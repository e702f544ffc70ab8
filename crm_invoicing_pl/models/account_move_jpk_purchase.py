# A concern of its own, kept apart from the other extensions of the model.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models

# l10n_pl's tag of the import of goods settled under art. 33a (K_25).
IMPORT_33A_TAG = "K_25"


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_jpk_purchase_document = fields.Selection(
        [
            ("MK", "MK: supplier using cash accounting"),
            ("VAT_RR", "VAT_RR: VAT RR invoice (flat-rate farmer)"),
            ("WEW", "WEW: internal document"),
        ],
        string="JPK Purchase Document",
        copy=False,
        help="DokumentZakupu of the JPK_V7 purchase row (§ 11 ust. 1 of the "
        "JPK_VAT regulation): an invoice of a supplier settling by the cash "
        "method (art. 21), a VAT RR invoice for the purchase from a flat-rate "
        "farmer (art. 116) or an internal document. Empty for any other "
        "purchase document.",
    )
    pl_jpk_import = fields.Boolean(
        string="Import of Goods (IMP)",
        copy=False,
        help="The input tax of this document comes from the import of goods "
        "(customs declaration): the JPK_V7 purchase row carries IMP. Set "
        "automatically for the import of goods settled under art. 33a.",
    )

    def _pl_jpk_imported(self):
        """IMP (§ 11 ust. 2 pkt 1 of the JPK_VAT regulation): input tax on
        the import of goods, including the import settled under art. 33a
        (l10n_pl's K_25 tag on the document)."""
        self.ensure_one()
        return self.pl_jpk_import or IMPORT_33A_TAG in self.line_ids.tax_tag_ids.mapped(
            "name"
        )
