"""The KSeF option of the sending wizard in the user's language.

l10n_pl_edi's label and help of its sending option are code terms of
l10n_pl_edi, which ships no Polish translation; Odoo reads a module's code
terms only from that module's own ``i18n`` files. Ours, translated in our
catalogue, replace them.
"""

# The wording of the sending option is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
from odoo import models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    def _get_all_extra_edis(self):
        # EXTENDS l10n_pl_edi
        res = super()._get_all_extra_edis()
        if "pl_ksef" in res:
            res["pl_ksef"]["label"] = self.env._("by KSeF (e-Faktura)")
            res["pl_ksef"]["help"] = self.env._(
                "Send the electronic invoice to the Polish National e-Invoicing "
                "System (KSeF)."
            )
        return res
