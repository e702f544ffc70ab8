"""Posting controls a billing user cannot get round (issue 16, items 5, 8,
12 and 14), tried through the ORM as that user and through JSON-RPC.

- Art. 31a ust. 1 of the VAT Act: a document in a foreign currency is
  converted at the NBP average rate of the last working day before the tax
  point; without that rate (none, or only an older one) it is refused, naming
  the currency and the day, with a button that fetches the rate.
- Date window (a safety rule, widened in Settings): no invoice dated after
  today (company time zone) plus the days ahead, nor before the company's
  first fiscal year in Odoo.
- An accountant cannot write the buyer frozen at posting (art. 106e: the
  invoice shows the buyer as invoiced) on a posted document, hashed or not.
  (The buyer's country KSeF needs, the FA(3) of the frozen buyer:
  crm_invoicing_pl_ksef.)

Every refusal asserts that nothing changed: the document is still a draft,
has no number, and its journal items are those it had. The clock is frozen;
every date is derived from the frozen day.
"""

from datetime import timedelta

from crm_pl_testing.fake_nbp import FakeNbp
from odoo import fields
from odoo.exceptions import RedirectWarning, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import PlInvoicingCommon


class SecurityPostingCommon(PlInvoicingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._pl_user("pl_post_billing", "account.group_account_invoice")
        cls.today = fields.Date.today()
        cls.rate_day = cls.today - timedelta(days=1)
        cls.gbp = cls.setup_other_currency("GBP", rates=[])

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _gbp_rate(self, day, pln_per_gbp):
        self.env["res.currency.rate"].create(
            {
                "name": day,
                "currency_id": self.gbp.id,
                "company_id": self.company.id,
                "inverse_company_rate": pln_per_gbp,
            }
        )

    def _invoice(self, day=None, **values):
        return self.pl_invoice(date=str(day or self.today), **values)

    def _gbp_invoice(self):
        return self._invoice(currency_id=self.gbp.id, lines=[(self.goods, 177, 100.0)])

    def _snapshot(self, move):
        move.invalidate_recordset()
        return (
            move.state,
            move.name,
            move.pl_buyer_name,
            sorted(
                move.line_ids.mapped(
                    lambda aml: (aml.id, aml.balance, aml.amount_currency)
                )
            ),
        )

    def _refused_orm(self, move, exception=UserError):
        """Post ``move`` as the billing user: refused, nothing changed."""
        before = self._snapshot(move)
        with self.assertRaises(exception) as error:
            move.with_user(self.billing).action_post()
        self.assertEqual(self._snapshot(move), before)
        self.assertEqual(move.state, "draft")
        self.assertIn(move.name, (False, "/"))
        return str(error.exception.args[0])

    def _refused_jsonrpc(self, move, exception_name="odoo.exceptions.UserError"):
        before = self._snapshot(move)
        self.authenticate(self.billing.login, self.billing.login)
        self.assertEqual(
            self._pl_jsonrpc_refusal("account.move", "action_post", [move.ids]),
            exception_name,
        )
        self.assertEqual(self._snapshot(move), before)
        self.assertEqual(move.state, "draft")


# Friday 20 November 2026, 10:00 in Warsaw: the rate day of an invoice of
# today is Thursday 19 November.
@freeze_time("2026-11-20 09:00:00")
@tagged("post_install", "-at_install")
class TestSecurityPosting(SecurityPostingCommon):
    # ------------------------------------------------------------------
    # NBP rate (art. 31a)
    # ------------------------------------------------------------------
    def test_foreign_currency_without_rate_refused_through_the_orm(self):
        """17 700 GBP with no GBP rate at all: not booked as 17 700 PLN."""
        move = self._gbp_invoice()
        message = self._refused_orm(move, RedirectWarning)
        self.assertIn("GBP", message)
        self.assertIn("11/19/2026", message)
        self.assertIn("31a", message)

    def test_stale_rate_refused_through_the_orm(self):
        """Only the rate of a week ago: a stale rate, refused."""
        self._gbp_rate(self.today - timedelta(days=7), 5.1)
        move = self._gbp_invoice()
        with self.assertRaises(RedirectWarning) as error:
            move.with_user(self.billing).action_post()
        message, action_id, button, context = error.exception.args
        self.assertIn("11/13/2026", message)
        self.assertEqual(
            action_id,
            self.env.ref("crm_invoicing_pl.action_server_pl_fetch_nbp_rate").id,
        )
        self.assertEqual(button, "Fetch the NBP Rate")
        self.assertEqual(context["active_ids"], move.ids)
        self.assertEqual(move.state, "draft")

    def test_foreign_currency_without_rate_refused_through_jsonrpc(self):
        move = self._gbp_invoice()
        # odoo.http logs a RedirectWarning as an error (it is no UserError).
        with mute_logger("odoo.http"):
            self._refused_jsonrpc(move, "odoo.exceptions.RedirectWarning")

    def test_rate_recorded_after_the_draft_refused_until_applied(self):
        """The draft was converted before the rate arrived: refused too."""
        move = self._gbp_invoice()
        self._gbp_rate(self.rate_day, 5.0)
        message = self._refused_orm(move, RedirectWarning)
        self.assertIn("another rate", message)

    def test_rate_of_the_rate_day_posts(self):
        """Positive control: 17 700 GBP at 5,0000 are 88 500 PLN net."""
        self._gbp_rate(self.rate_day, 5.0)
        move = self._gbp_invoice()
        move.with_user(self.billing).action_post()
        self.assertEqual(move.state, "posted")
        self.assertAlmostEqual(move.amount_untaxed_signed, 88500.0, places=2)

    def test_fetch_button_records_and_applies_the_rate(self):
        fake = FakeNbp()
        fake.add_rate("GBP", self.rate_day, "5.0123")
        base_url = fake.__enter__()
        self.addCleanup(fake.__exit__, None, None, None)
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_invoicing_pl.nbp_api_url", base_url
        )
        move = self._gbp_invoice()
        action = self.env.ref("crm_invoicing_pl.action_server_pl_fetch_nbp_rate")
        result = (
            action.with_user(self.billing)
            .with_context(active_model="account.move", active_ids=move.ids)
            .run()
        )
        self.assertEqual(result["params"]["type"], "success")
        move.with_user(self.billing).action_post()
        self.assertEqual(move.state, "posted")
        self.assertAlmostEqual(move.pl_rate, 5.0123, places=4)

    # ------------------------------------------------------------------
    # Date window (safety rule)
    # ------------------------------------------------------------------
    def test_invoice_dated_tomorrow_refused_through_the_orm(self):
        move = self._invoice(self.today + timedelta(days=1))
        message = self._refused_orm(move)
        self.assertIn("Invoice Date Window", message)

    def test_invoice_dated_far_ahead_refused_through_jsonrpc(self):
        move = self._invoice(self.today + timedelta(days=73 * 365))
        self._refused_jsonrpc(move)

    def test_invoice_dated_before_the_books_refused_through_the_orm(self):
        self._invoice().action_post()  # the books start this fiscal year
        move = self._invoice(self.today - timedelta(days=27 * 365))
        message = self._refused_orm(move)
        self.assertIn("first fiscal year", message)

    def test_invoice_dated_before_the_books_refused_through_jsonrpc(self):
        self._invoice().action_post()
        move = self._invoice(self.today.replace(month=1, day=1) - timedelta(days=1))
        self._refused_jsonrpc(move)

    def test_window_widened_in_settings_posts(self):
        """Positive control: a consultant widens the window in Settings."""
        self._invoice().action_post()
        ahead = self._invoice(self.today + timedelta(days=5))
        old = self._invoice(self.today - timedelta(days=400))
        self._refused_orm(ahead)
        self._refused_orm(old)
        settings = self.env["res.config.settings"].create(
            {
                "pl_invoice_days_ahead": 5,
                "pl_invoice_date_from": self.today - timedelta(days=400),
            }
        )
        settings.execute()
        self.assertEqual(self.company.pl_invoice_days_ahead, 5)
        (ahead | old).with_user(self.billing).action_post()
        self.assertEqual((ahead | old).mapped("state"), ["posted", "posted"])

    def test_earliest_date_set_in_settings_refuses_earlier(self):
        self.company.pl_invoice_date_from = self.today - timedelta(days=10)
        message = self._refused_orm(self._invoice(self.today - timedelta(days=11)))
        self.assertIn("earliest invoice date", message)

    def test_today_counts_in_the_company_time_zone(self):
        """23:30 UTC on 20 November is 00:30 on 21 November in Warsaw: an
        invoice of 21 November is of today."""
        move = self._invoice(self.today + timedelta(days=1))
        with freeze_time("2026-11-20 23:30:00"):
            move.with_user(self.billing).action_post()
        self.assertEqual(move.state, "posted")

    def test_days_ahead_cannot_be_negative(self):
        with self.assertRaises(ValidationError):
            self.company.pl_invoice_days_ahead = -1

    def test_frozen_buyer_refused_on_a_posted_document(self):
        accountant = self._pl_user(
            "pl_post_accountant",
            "account.group_account_manager,base.group_partner_manager",
        )
        invoice = self._invoice()
        invoice.action_post()
        self.assertFalse(invoice.inalterable_hash)
        with self.assertRaisesRegex(UserError, "frozen when it was posted"):
            invoice.with_user(accountant).write({"pl_buyer_name": "Ktoś inny"})
        self.authenticate(accountant.login, accountant.login)
        refusal = self._pl_jsonrpc_refusal(
            "account.move", "write", [invoice.ids, {"pl_buyer_vat": "PL5260250274"}]
        )
        self.assertEqual(refusal, "odoo.exceptions.UserError")
        invoice.invalidate_recordset()
        self.assertEqual(invoice.pl_buyer_name, self.customer.name)
        self.assertEqual(invoice.pl_buyer_vat, "PL1234567883")
        # Back in draft, the document shows the customer as it is now.
        invoice.button_draft()
        self.assertFalse(invoice.pl_buyer_name)
        invoice.write({"pl_buyer_vat": "PL5260250274"})
        self.assertEqual(invoice.pl_buyer_vat, "PL5260250274")
