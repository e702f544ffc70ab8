"""What an interest note already charged: no portion is charged twice.

Pure Python, no Odoo. A late portion of an instalment is an amount paid late
on ``paid_date``, or still unpaid on a note's date (``paid_date`` None). A
note line charging a portion records its paid date (None: unpaid), the
note's date and the last day of interest it charged. Such a charge covers:

* a portion of the same instalment paid on the same day;
* when it charged an unpaid portion: every portion paid after its note's
  date or still unpaid (the money that was unpaid then), up to its last day.

A new note charges a covered portion only from the day after the last
charged day (``charged_until``); two charges overlap when their periods
share a day (``overlaps``).
"""

import datetime
from collections.abc import Iterable


def covers(charged_paid_date, charged_note_date, paid_date) -> bool:
    """Whether a charge (paid date, note date) covers a portion paid ``paid_date``."""
    if charged_paid_date == paid_date:
        return True
    return charged_paid_date is None and (
        paid_date is None or paid_date > charged_note_date
    )


def charged_until(charges: Iterable, paid_date) -> datetime.date | None:
    """The last charged day of the portion paid ``paid_date``, or None.

    ``charges`` are ``(paid_date or None, note_date, date_to)`` of the
    instalment's posted note lines.
    """
    days = [
        date_to
        for charged_paid, note_date, date_to in charges
        if covers(charged_paid, note_date, paid_date)
    ]
    return max(days) if days else None


def overlaps(first_from, first_to, second_from, second_to) -> bool:
    """Whether two inclusive periods share a day."""
    return first_from <= second_to and second_from <= first_to
