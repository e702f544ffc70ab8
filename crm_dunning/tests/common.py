from odoo import fields
from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon


class DunningCommon(PlInvoicingCommon):
    """Posted Polish invoices with due dates, and payments on chosen days."""

    def invoice(self, partner=None, price=100.0, date="2026-03-02", due=None, **kw):
        """A posted faktura VAT: one line at ``price`` net + 23 % VAT."""
        move = self.pl_invoice(
            partner=partner,
            lines=[(self.goods, 1, price)],
            date=date,
            invoice_date_due=fields.Date.to_date(due or date),
            **kw,
        )
        move.action_post()
        return move

    def pay(self, invoice, amount, date):
        """Register a payment of ``amount`` on ``date`` against ``invoice``."""
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": date})
            ._create_payments()
        )

    def eur_rate(self, day, pln_per_eur):
        """Record an NBP EUR rate of ``day`` for the company."""
        return self.env["res.currency.rate"].create(
            {
                "name": day,
                "currency_id": self.env.ref("base.EUR").id,
                "company_id": self.company.id,
                "inverse_company_rate": pln_per_eur,
            }
        )
