"""Cash accounting (metoda kasowa, art. 21 of the VAT Act) on the invoice:
the last day its VAT is due (the 180th day after the delivery for a buyer
who is a VAT taxpayer). (FA(3): crm_invoicing_pl_ksef.)"""

import datetime

from odoo.tests import freeze_time, tagged

from .common import PlInvoicingCommon

d = datetime.date


class CashAccountingCommon(PlInvoicingCommon):
    """A company settling VAT by the cash method (art. 21) and its invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"pl_cash_accounting": True, "pl_invoice_date_from": "2026-01-01"}
        )

    def _invoice(self, partner=None):
        """1 000 net + 230 VAT = 1 230 gross, delivered on 1 Dec 2026,
        issued on 3 Dec 2026."""
        invoice = self.pl_invoice(
            partner=partner,
            lines=[(self.goods, 1, 1000.0, self.tax_23)],
            date="2026-12-03",
            taxable_supply_date="2026-12-01",
        )
        invoice.action_post()
        self.assertEqual(invoice.amount_total, 1230.0)
        return invoice


@tagged("post_install", "-at_install")
@freeze_time("2027-07-01")
class TestCashAccounting(CashAccountingCommon):
    def test_vat_due_at_the_latest(self):
        """Art. 21 ust. 1 pkt 1: delivered on 1 Dec 2026 to a VAT taxpayer,
        due at the latest on 30 May 2027 (the 180th day); pkt 2: a consumer
        has no such day; without cash accounting there is none either."""
        self.assertEqual(self._invoice().pl_cash_deadline, d(2027, 5, 30))
        self.assertFalse(self._invoice(partner=self.consumer).pl_cash_deadline)
        self.company.pl_cash_accounting = False
        self.assertFalse(self._invoice().pl_cash_deadline)
