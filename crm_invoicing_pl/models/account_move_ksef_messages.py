"""l10n_pl_edi's KSeF messages in the user's language.

l10n_pl_edi writes its KSeF status lines ("KSeF Status: Success (Code: 200).
Invoice accepted.") and its sending warnings in English: they are code terms
of l10n_pl_edi, which ships no Polish for them, and Odoo reads a module's code
terms only from that module's own ``i18n`` folder. The methods that return
them are extended here with the same texts as terms of this module, which
its catalogue translates; its two chatter lines on attached files are
replaced when they are posted. The KSeF status codes and their meaning are
KSeF's (API 2.0, invoice processing statuses).
"""

# l10n_pl_edi's wording is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _l10n_pl_edi_check_mandatory_fields(self):
        # EXTENDS l10n_pl_edi
        errors = super()._l10n_pl_edi_check_mandatory_fields()
        texts = {
            "vat_missing": self.env._(
                "You must have a VAT number to be able to issue e-invoices\n"
            ),
            "address_problem": self.env._(
                "Please complete the address of your company\n"
            ),
        }
        for key, error in errors.items():
            if key in texts:
                error["message"] = texts[key]
        return errors

    def _l10n_pl_edi_get_status_mapping(self):
        # EXTENDS l10n_pl_edi
        texts = {
            100: self.env._(
                "KSeF Status: Invoice accepted for further processing (Code: 100)."
            ),
            150: self.env._("KSeF Status: Processing in progress (Code: 150)."),
            200: self.env._("KSeF Status: Success (Code: 200). Invoice accepted."),
            405: self.env._("KSeF Status: Rejected (Code: 405). Processing canceled."),
            410: self.env._(
                "KSeF Status: Rejected (Code: 410). Incorrect scope of permissions."
            ),
            415: self.env._(
                "KSeF Status: Rejected (Code: 415). It is not possible to send an "
                "invoice with an attachment."
            ),
            430: self.env._(
                "KSeF Status: Rejected (Code: 430). Invoice file verification error."
            ),
            435: self.env._(
                "KSeF Status: Rejected (Code: 435). File decryption error."
            ),
            440: self.env._("KSeF Status: Rejected (Code: 440). Duplicate invoice."),
            450: self.env._(
                "KSeF Status: Rejected (Code: 450). Invoice document semantics "
                "verification error."
            ),
            500: self.env._("KSeF Status: Error (Code: 500). Unknown error."),
        }
        return {
            code: (status, texts.get(code, message))
            for code, (status, message) in super()
            ._l10n_pl_edi_get_status_mapping()
            .items()
        }

    def message_post(self, **kwargs):
        # EXTENDS mail: l10n_pl_edi's chatter lines on the files it attaches
        body = kwargs.get("body")
        if isinstance(body, str):
            texts = {
                "The KSeF XML has been attached.": self.env._(
                    "The KSeF XML has been attached."
                ),
                "The KSeF Official Confirmation of Receipt (UPO) has been "
                "downloaded and attached.": self.env._(
                    "The KSeF Official Confirmation of Receipt (UPO) has been "
                    "downloaded and attached."
                ),
            }
            kwargs["body"] = texts.get(body, body)
        return super().message_post(**kwargs)
