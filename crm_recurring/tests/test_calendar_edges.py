"""The cron at calendar edges: catch-up over a year end, leap days.

The clock is frozen on the days the test names; every contract has its own
start date: nothing depends on the day the tests run.
"""

from odoo import fields
from odoo.tests import freeze_time, tagged

from .common import RecurringCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestRecurringCalendarEdges(RecurringCommon):
    def cron_on(self, moment):
        with freeze_time(moment):
            return self.Contract._cron_generate_invoices()

    def test_catch_up_of_several_periods_across_the_year_end(self):
        """One run on 5 January 2027 invoices every missed period of both
        years once, oldest first:

        * anchored monthly from 31 October 2026, in advance: 31.10-29.11,
          30.11-30.12, 31.12-30.01 (the 31st, clipped in 30-day months and
          back on the 31st: no drift); next on 31 January 2027;
        * calendar months from 1 November 2026, in arrears: November
          (invoiced from 1 December) and December (from 1 January); next on
          1 February 2027.

        Each invoice is issued on the day of the run (art. 106e ust. 1 pkt 1
        of the VAT act: the date of issue) and numbered in the January 2027
        series by that date, in the order of the periods' ends; its supply
        date is its period's last day (art. 19a ust. 3: services settled in
        periods are supplied at the end of each period).
        """
        anchored = self.contract(date_start="2026-10-31", calendar_periods=False)
        arrears = self.contract(date_start="2026-11-01", invoicing_mode="arrears")
        self.assertEqual(
            (anchored.next_invoice_date, arrears.next_invoice_date),
            (D("2026-10-31"), D("2026-12-01")),
        )
        run = self.cron_on("2027-01-05 07:00:00")
        self.assertEqual((run.invoice_count, run.failure_count), (5, 0))
        self.assertEqual(
            [
                (str(p.date_start), str(p.date_end))
                for p in anchored.period_ids + arrears.period_ids
            ],
            [
                ("2026-10-31", "2026-11-29"),
                ("2026-11-30", "2026-12-30"),
                ("2026-12-31", "2027-01-30"),
                ("2026-11-01", "2026-11-30"),
                ("2026-12-01", "2026-12-31"),
            ],
        )
        invoices = self.invoices(anchored) + self.invoices(arrears)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(set(invoices.mapped("invoice_date")), {D("2027-01-05")})
        # One gap-free January 2027 series; Odoo numbers a batch by its
        # accounting date, in l10n_pl the supply date: the periods of both
        # contracts interleave, each contract's in period order.
        self.assertEqual(
            invoices.mapped("name"),
            [f"FV/{n}/01/2027" for n in (1, 3, 5, 2, 4)],
        )
        self.assertEqual(
            [str(day) for day in invoices.mapped("taxable_supply_date")],
            ["2026-11-29", "2026-12-30", "2027-01-30", "2026-11-30", "2026-12-31"],
        )
        self.assertIn("31.10.2026-29.11.2026", invoices[0].invoice_line_ids.name)
        self.assertIn("12/2026", invoices[4].invoice_line_ids.name)
        self.assertEqual(invoices.mapped("amount_untaxed"), [1000.0] * 5)
        self.assertEqual(
            (anchored.next_invoice_date, anchored.last_invoiced_date),
            (D("2027-01-31"), D("2027-01-30")),
        )
        self.assertEqual(
            (arrears.next_invoice_date, arrears.last_invoiced_date),
            (D("2027-02-01"), D("2026-12-31")),
        )
        # The next day: nothing more.
        self.assertEqual(self.cron_on("2027-01-06 07:00:00").invoice_count, 0)
        self.assertEqual(len(invoices), 5)

    def test_31_january_and_29_february_in_a_leap_year(self):
        """Art. 111 § 2 KC counts a month to the day of the same number, or
        to the last day of a month without it: a contract of 31 January 2028
        is next invoiced on 29 February 2028 and then on 31 March (not
        29 March); a yearly contract of 29 February 2028 on 28 February
        2029, and on 29 February again in 2032."""
        monthly = self.contract(date_start="2028-01-31", calendar_periods=False)
        yearly = self.contract(
            date_start="2028-02-29", period_unit="year", calendar_periods=False
        )
        self.cron_on("2028-02-28 07:00:00")
        self.assertEqual(len(monthly.period_ids), 1)
        self.assertEqual(monthly.next_invoice_date, D("2028-02-29"))
        self.assertFalse(yearly.period_ids)
        self.cron_on("2028-02-29 07:00:00")
        self.assertEqual(
            [(str(p.date_start), str(p.date_end)) for p in monthly.period_ids],
            [("2028-01-31", "2028-02-28"), ("2028-02-29", "2028-03-30")],
        )
        self.assertEqual(monthly.next_invoice_date, D("2028-03-31"))
        self.assertEqual(
            [(str(p.date_start), str(p.date_end)) for p in yearly.period_ids],
            [("2028-02-29", "2029-02-27")],
        )
        self.assertEqual(yearly.next_invoice_date, D("2029-02-28"))
        self.assertEqual(self.cron_on("2028-03-30 07:00:00").invoice_count, 0)
        self.assertEqual(self.cron_on("2028-03-31 07:00:00").invoice_count, 1)
        self.assertEqual(self.invoices(monthly)[-1].invoice_date, D("2028-03-31"))
        # Three years later, the yearly contract comes back to 29 February.
        self.cron_on("2031-03-01 07:00:00")
        self.assertEqual(
            [str(p.date_start) for p in yearly.period_ids],
            ["2028-02-29", "2029-02-28", "2030-02-28", "2031-02-28"],
        )
        self.assertEqual(yearly.next_invoice_date, D("2032-02-29"))

    def test_cron_after_midnight_in_poland_issues_in_the_new_year(self):
        """The cron's day is the day in the time zone of the user running
        it: at 23:30 UTC on 31 December 2026 it is already 1 January 2027 in
        Warsaw, so the January period (calendar months, in advance) is due
        and its invoice is issued on 1 January 2027, the first of the
        January series (art. 106e ust. 1 pkt 1-2 of the VAT act: date of
        issue and number). In UTC it is still 31 December: nothing is due.
        """
        contract = self.contract(date_start="2027-01-01")
        with freeze_time("2026-12-31 23:30:00"):
            self.Contract.with_context(tz="UTC")._cron_generate_invoices()
            self.assertFalse(contract.period_ids)
            self.Contract.with_context(tz="Europe/Warsaw")._cron_generate_invoices()
        invoice = self.invoices(contract)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(
            (invoice.invoice_date, invoice.name, invoice.taxable_supply_date),
            (D("2027-01-01"), "FV/1/01/2027", D("2027-01-31")),
        )
        self.assertIn("01/2027", invoice.invoice_line_ids.name)
