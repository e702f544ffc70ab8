from datetime import date
from unittest.mock import patch

from crm_pl_testing.fake_nbp import FakeNbp
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestNbpRates(PlInvoicingCommon):
    """NBP table A fed into Odoo's currency rates, against a local fake API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.usd = cls.env.ref("base.USD")
        cls.usd.active = True

    def setUp(self):
        super().setUp()
        self.fake = FakeNbp()
        self.fake.add_rate("EUR", date(2026, 11, 13), "4.2345")
        self.fake.add_rate("USD", date(2026, 11, 13), "3.9012")
        self.fake.add_rate("EUR", date(2026, 11, 12), "4.2200")
        base_url = self.fake.__enter__()
        self.addCleanup(self.fake.__exit__, None, None, None)
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_invoicing_pl.nbp_api_url", base_url
        )

    def _rate(self, currency, day):
        return self.env["res.currency.rate"].search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "=", self.company.id),
                ("name", "=", day),
            ]
        )

    def test_table_recorded_as_company_rates(self):
        written = self.env["res.currency"]._pl_update_nbp_rates(
            self.company, date(2026, 11, 13)
        )
        self.assertEqual(written, 2)
        eur = self._rate(self.eur, date(2026, 11, 13))
        self.assertAlmostEqual(eur.inverse_company_rate, 4.2345, places=4)
        self.assertAlmostEqual(
            self._rate(self.usd, date(2026, 11, 13)).inverse_company_rate, 3.9012, 4
        )

    def test_update_is_idempotent(self):
        for _run in range(2):
            self.env["res.currency"]._pl_update_nbp_rates(
                self.company, date(2026, 11, 13)
            )
        self.assertEqual(len(self._rate(self.eur, date(2026, 11, 13))), 1)

    def test_invoice_uses_recorded_rate_of_previous_business_day(self):
        currency = self.env["res.currency"]
        currency._pl_update_nbp_rates(self.company, date(2026, 11, 12))
        currency._pl_update_nbp_rates(self.company, date(2026, 11, 13))
        # Supply on Monday 16 Nov: Friday 13 Nov table.
        invoice = self.pl_invoice(
            date="2026-11-16",
            currency_id=self.eur.id,
            lines=[(self.goods, 1, 100.0)],
        )
        self.assertEqual(str(invoice.pl_rate_date), "2026-11-13")
        self.assertAlmostEqual(invoice.pl_rate, 4.2345, places=4)

    def test_latest_table_falls_back_before_publication(self):
        # Friday 13 Nov before noon: today's table is not out, Thursday's is.
        with patch("odoo.fields.Date.context_today", return_value=date(2026, 11, 13)):
            self.fake.rates.pop(("EUR", date(2026, 11, 13)))
            self.fake.rates.pop(("USD", date(2026, 11, 13)))
            self.env["res.currency"]._pl_update_nbp_rates(self.company)
        self.assertAlmostEqual(
            self._rate(self.eur, date(2026, 11, 12)).inverse_company_rate, 4.22, 4
        )

    def test_service_down_gives_clear_error_and_writes_nothing(self):
        self.fake.fail_status = 500
        with self.assertRaisesRegex(UserError, "cannot be read"):
            self.env["res.currency"]._pl_update_nbp_rates(
                self.company, date(2026, 11, 13)
            )
        self.assertFalse(self._rate(self.eur, date(2026, 11, 13)))

    def test_no_table_on_holiday(self):
        with self.assertRaisesRegex(UserError, "no table A on that day"):
            self.env["res.currency"]._pl_update_nbp_rates(
                self.company, date(2026, 11, 11)
            )

    def test_cron_only_for_companies_that_asked(self):
        with patch("odoo.fields.Date.context_today", return_value=date(2026, 11, 13)):
            self.env["res.currency"]._cron_pl_update_nbp_rates()
            self.assertFalse(self._rate(self.eur, date(2026, 11, 13)))
            self.company.pl_nbp_rates = True
            self.env["res.currency"]._cron_pl_update_nbp_rates()
        self.assertTrue(self._rate(self.eur, date(2026, 11, 13)))
