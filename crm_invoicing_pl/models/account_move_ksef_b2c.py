"""Consumer (B2C) invoices and KSeF: the company's setting decides.

A consumer is a buyer without a NIP (VAT id) who is not a company. The law
allows issuing their invoices in KSeF, but the consumer receives them outside
KSeF; by default (``res.company.pl_ksef_b2c`` off) they are issued outside
KSeF and never offered for sending.
"""

# KSeF for consumer invoices is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _pl_ksef_is_consumer(self):
        """Whether the buyer is a consumer: no NIP / VAT id, not a company."""
        return not self._pl_buyer_is_taxpayer()

    def _pl_ksef_not_applicable_reason(self):
        # EXTENDS crm_invoicing_pl: consumer invoices only when the company
        # sends them to KSeF; a document already sent stays in KSeF.
        reason = super()._pl_ksef_not_applicable_reason()
        if (
            reason
            or self.company_id.pl_ksef_b2c
            or not self._pl_ksef_is_consumer()
            or self.l10n_pl_edi_status
            or self.l10n_pl_edi_ref
        ):
            return reason
        return self.env._(
            "%s is an invoice to a consumer: the company issues consumer invoices "
            "outside KSeF (Settings, Send Consumer Invoices to KSeF).",
            self.display_name,
        )
