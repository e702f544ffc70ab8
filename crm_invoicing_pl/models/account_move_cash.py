"""Cash accounting (metoda kasowa, art. 21 of the VAT Act).

The mechanism: the invoice keeps Odoo's ordinary (on-invoice) taxes, so its
journal items, its FA(3) file (every FaWiersz, P_13_x / P_14_x, P_16 = 1) and
its printout stay those of any VAT invoice. Only the VAT period moves: the
VAT sales register (``crm_invoicing_pl_jpk``), and through it the JPK_V7M
file, lists the invoice once per payment received, in the payment's month,
with that payment's share of every JPK box, and once on the 180th day after
the delivery with what is still unpaid then when the buyer is a VAT taxpayer
(tools/cash_accounting.py). The payments are read from the reconciliations
of the invoice's receivable (account.partial.reconcile).

Odoo's on-payment taxes (tax_exigibility = on_payment, cash basis) are not
used: they post the VAT on a transition account and move it with a CABA
entry, so l10n_pl_edi finds no tax tags on the invoice's lines (FA(3) loses
every FaWiersz and P_13_x / P_14_x) and the tax report lists the CABA entry
of the payment instead of the invoice.
"""

# Cash accounting is a concern of its own, kept apart from the document rules.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models

from ..tools.cash_accounting import deadline


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_cash_deadline = fields.Date(
        string="Cash Accounting: VAT Due at the Latest",
        compute="_compute_pl_cash_deadline",
        store=True,
        help="Cash accounting (art. 21 ust. 1 pkt 1 of the VAT Act): the VAT "
        "of an invoice to a VAT taxpayer is due on the payment, at the latest "
        "on the 180th day after the delivery; what is unpaid then is reported "
        "in that day's period. Empty for other buyers, whose VAT is due only "
        "when they pay (pkt 2).",
    )

    @api.depends(
        "move_type",
        "company_id.pl_cash_accounting",
        "taxable_supply_date",
        "invoice_date",
        "commercial_partner_id.is_company",
        "commercial_partner_id.vat",
    )
    def _compute_pl_cash_deadline(self):
        for move in self:
            if move.move_type == "out_invoice" and move.company_id.pl_cash_accounting:
                move.pl_cash_deadline = deadline(
                    move.taxable_supply_date,
                    move.invoice_date,
                    move._pl_buyer_is_taxpayer(),
                )
            else:
                move.pl_cash_deadline = False
