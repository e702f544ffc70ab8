"""Calendar edges of numbering: year end, month end, midnight.

Every date is set by the test and the clock is frozen around each posting:
nothing depends on the day the tests run.
"""

from odoo import fields
from odoo.tests import freeze_time, tagged

from ..tools import pl_calendar
from .common import PlInvoicingCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestCalendarEdges(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat_monthly = cls.doc_types.filtered(lambda t: t.kind == "vat")[:1]
        # A second series of Faktura VAT with a yearly reset, next to the
        # monthly one: each series counts on its own.
        cls.vat_yearly = cls.vat_monthly.copy(
            {
                "name": "Faktura VAT (roczna)",
                "number_prefix": "FR",
                "number_reset": "year",
                "is_default": False,
            }
        )

    def post_at(self, moment, *invoices):
        """Post ``invoices`` with the clock frozen at ``moment`` (UTC)."""
        with freeze_time(moment):
            for invoice in invoices:
                invoice.action_post()
        return [invoice.name for invoice in invoices]

    def monthly(self, date):
        return self.pl_invoice(date=date, pl_document_type_id=self.vat_monthly.id)

    def yearly(self, date):
        return self.pl_invoice(date=date, pl_document_type_id=self.vat_yearly.id)

    def test_last_document_of_31_december_and_first_of_1_january(self):
        """The counter restarts on 1 January in both series; the period part
        changes from 12/2026 (monthly) or 2026 (yearly) to 01/2027 or 2027.

        Art. 106e ust. 1 pkt 2 of the VAT act: a number given within one or
        more series that identifies the invoice uniquely; the series is dated
        by the invoice date (date of issue, art. 106e ust. 1 pkt 1), not by
        the day the user clicks "post".
        """
        self.assertEqual(
            self.post_at(
                "2026-12-31 22:58:00",  # 23:58 in Warsaw
                self.monthly("2026-12-31"),
                self.monthly("2026-12-31"),
                self.yearly("2026-03-02"),
                self.yearly("2026-12-31"),
            ),
            ["FV/1/12/2026", "FV/2/12/2026", "FR/1/2026", "FR/2/2026"],
        )
        self.assertEqual(
            self.post_at(
                "2026-12-31 23:00:30",  # 00:00:30 on 1 January in Warsaw
                self.monthly("2027-01-01"),
                self.yearly("2027-01-01"),
                # The last documents of 31 December, posted after midnight:
                # still numbered in December / 2026, after the others.
                self.monthly("2026-12-31"),
                self.yearly("2026-12-31"),
                self.monthly("2027-01-01"),
                self.yearly("2027-01-01"),
            ),
            [
                "FV/1/01/2027",
                "FR/1/2027",
                "FV/3/12/2026",
                "FR/3/2026",
                "FV/2/01/2027",
                "FR/2/2027",
            ],
        )

    def test_invoices_posted_across_midnight_of_a_month_end(self):
        """Each invoice is numbered in the period of its own invoice date,
        whatever the clock says when it is posted (art. 106e ust. 1 pkt 1-2
        of the VAT act: the number identifies the invoice within the series
        of its date of issue).
        """
        october = self.monthly("2026-10-31")
        self.assertEqual(
            self.post_at("2026-11-30 22:59:59", self.monthly("2026-11-30")),
            ["FV/1/11/2026"],
        )
        # One second later it is 1 December in Warsaw.
        self.assertEqual(
            self.post_at(
                "2026-11-30 23:00:00",
                self.monthly("2026-12-01"),
                self.monthly("2026-11-30"),
                october,
                self.monthly("2026-12-01"),
            ),
            ["FV/1/12/2026", "FV/2/11/2026", "FV/1/10/2026", "FV/2/12/2026"],
        )
        self.assertEqual(october.date, D("2026-10-31"))

    def test_invoice_without_date_takes_the_day_of_posting_in_poland(self):
        """An invoice posted without an issue date gets the day of posting
        in the user's time zone (Europe/Warsaw), and its number follows that
        date: 30 November 23:30 UTC is already 1 December in Poland
        (art. 106e ust. 1 pkt 1 of the VAT act: the date of issue).
        """
        before = self.monthly("2026-11-30")
        self.post_at("2026-11-30 22:30:00", before)
        undated = self.monthly("2026-11-30")
        undated.invoice_date = False
        with freeze_time("2026-11-30 23:30:00"):
            undated.with_context(tz="Europe/Warsaw").action_post()
        self.assertEqual(undated.invoice_date, D("2026-12-01"))
        self.assertEqual((before.name, undated.name), ("FV/1/11/2026", "FV/1/12/2026"))


@tagged("post_install", "-at_install")
class TestRateDayAtTheYearEnd(PlInvoicingCommon):
    """Art. 31a ust. 1 of the VAT act: a foreign-currency invoice is
    converted at the NBP average rate of the last working day before the
    tax point. NBP publishes no table on weekends and public holidays,
    Christmas Eve included since 2025 (act of 6 December 2024 amending the
    act on public holidays): only publishing days have a rate here."""

    TABLE_DAYS = (
        "2025-12-22",
        "2025-12-23",
        "2025-12-29",
        "2025-12-30",
        "2025-12-31",
        "2026-01-02",
        "2026-12-22",
        "2026-12-23",
        "2026-12-28",
        "2026-12-29",
        "2026-12-30",
        "2026-12-31",
        "2027-01-04",
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A distinct rate per table day: 4.2000 + 0.0001 per day of the list.
        cls.eur = cls.setup_other_currency(
            "EUR",
            rates=[
                (day, 1 / (4.2 + index / 10000))
                for index, day in enumerate(cls.TABLE_DAYS)
            ],
        )

    def test_rate_day_of_tax_points_around_christmas_and_new_year(self):
        cases = [
            ("2026-01-02", "2025-12-31"),  # New Year's Day has no table
            ("2025-12-29", "2025-12-23"),  # 24-26 December, weekend
            ("2025-12-24", "2025-12-23"),
            ("2026-12-28", "2026-12-23"),  # Thursday 24 Dec 2026: no table
            ("2027-01-02", "2026-12-31"),  # a Saturday
            ("2027-01-04", "2026-12-31"),  # Monday after New Year
        ]
        for tax_point, rate_day in cases:
            with self.subTest(tax_point=tax_point):
                invoice = self.pl_invoice(
                    date=tax_point,
                    taxable_supply_date=tax_point,
                    currency_id=self.eur.id,
                )
                self.assertEqual(str(invoice.pl_rate_date), rate_day)
                self.assertEqual(
                    pl_calendar.last_business_day_before(D(tax_point)), D(rate_day)
                )
                index = self.TABLE_DAYS.index(rate_day)
                self.assertAlmostEqual(invoice.pl_rate, 4.2 + index / 10000, places=4)
