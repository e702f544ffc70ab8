"""The retention period at the year end.

Every date is set by the test and the clock is frozen around the posting:
nothing depends on the day the tests run.
"""

from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon
from odoo.tests import freeze_time, tagged


@tagged("post_install", "-at_install")
class TestRetentionAtTheYearEnd(PlInvoicingCommon):
    def test_retention_of_documents_of_31_december_and_1_january(self):
        """Keep-until across the year end. Art. 112 of the VAT act with
        art. 70 § 1 of the Tax Ordinance: 5 years from the end of the year in
        which the tax fell due; the VAT of a tax point in month M is due by
        the 25th of M + 1 (art. 103 ust. 1 of the VAT act).

        * supplied and invoiced 31 Dec 2026: due 25 Jan 2027 -> 31 Dec 2032;
        * invoiced 1 Jan 2027 for a supply of 31 Dec 2026: the tax point is
          the supply (art. 19a ust. 1), due in January 2027 -> 31 Dec 2032;
        * supplied and invoiced 1 Jan 2027: due 25 Feb 2027 -> 31 Dec 2032;
        * invoiced 1 Dec 2026 for a supply of 30 Nov 2026: due 25 Dec 2026
          (moved to 28 Dec by art. 12 § 5 of the Ordinance, same year) ->
          31 Dec 2031.
        """
        cases = [
            ("2026-12-31", "2026-12-31", "2032-12-31"),
            ("2027-01-01", "2026-12-31", "2032-12-31"),
            ("2027-01-01", "2027-01-01", "2032-12-31"),
            ("2026-12-01", "2026-11-30", "2031-12-31"),
        ]
        invoices = [
            self.pl_invoice(date=issued, taxable_supply_date=supplied)
            for issued, supplied, _until in cases
        ]
        for invoice in invoices:
            self.assertFalse(invoice.pl_retention_until, "drafts are not kept")
        with freeze_time("2027-01-01 09:00:00"):
            for invoice in invoices:
                invoice.action_post()
        self.assertEqual(
            [str(invoice.pl_retention_until) for invoice in invoices],
            [until for _issued, _supplied, until in cases],
        )
