"""How long a sales document must be kept (Polish law), without Odoo.

Art. 112 of the VAT act: invoices are kept until the limitation period of
the tax liability expires. Art. 70 § 1 of the Tax Ordinance (Ordynacja
podatkowa): the liability is time-barred 5 years after the end of the
calendar year in which the tax payment was due. The VAT of a tax point in
month M is due by the 25th of month M + 1 (monthly VAT return), so a
December tax point is due in January of the next year and is kept a year
longer.

Suspensions and interruptions of the limitation period (art. 70 § 2-6,
e.g. a tax audit) are not modelled: the date given is the ordinary one.
"""

import datetime

from dateutil.relativedelta import relativedelta

LIMITATION_YEARS = 5
VAT_DUE_DAY = 25


def vat_due_date(tax_point: datetime.date) -> datetime.date:
    """The 25th of the month following the month of the tax point."""
    return tax_point + relativedelta(months=1, day=VAT_DUE_DAY)


def retention_until(
    tax_point: datetime.date, years: int = LIMITATION_YEARS
) -> datetime.date:
    """Last day the document with this tax point must be kept.

    31 December of the ``years``-th year after the year in which the VAT
    of the tax point was due.
    """
    return datetime.date(vat_due_date(tax_point).year + years, 12, 31)
