from crm_pl_testing.fake_nbp import FakeNbp
from odoo import fields
from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon


def shipped_rates_only(env):
    """Leave the statutory rates as this add-on ships them: drop the rows
    its demo adds past the shipped table (up to the day the demo is loaded),
    for the tests that freeze the clock after the table's end."""
    rates = env["crm.dunning.interest.rate"].with_context(active_test=False)
    rates.search([]).filtered(lambda rate: not rate.get_external_id()[rate.id]).unlink()


class DunningCommon(PlInvoicingCommon):
    """Posted Polish invoices with due dates, and payments on chosen days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A missing EUR rate of a compensation is fetched from NBP: from a
        # local fake (without rates unless a test adds some), never from the
        # real service.
        cls.fake_nbp = FakeNbp()
        base_url = cls.fake_nbp.__enter__()
        cls.addClassCleanup(cls.fake_nbp.__exit__, None, None, None)
        cls.env["ir.config_parameter"].sudo().set_param(
            "crm_invoicing_pl.nbp_api_url", base_url
        )

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
        """Record (or overwrite) the NBP EUR rate of ``day`` for the company."""
        values = {
            "name": day,
            "currency_id": self.env.ref("base.EUR").id,
            "company_id": self.company.id,
        }
        Rate = self.env["res.currency.rate"]
        rate = Rate.search([(k, "=", v) for k, v in values.items()]) or Rate.create(
            values
        )
        rate.inverse_company_rate = pln_per_eur
        return rate
