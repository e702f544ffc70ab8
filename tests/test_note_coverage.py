from datetime import date

from odoo.addons.crm_dunning.tools.note_coverage import (
    charged_until,
    covers,
    overlaps,
)

NOTE_DATE = date(2026, 4, 1)


def test_same_payment_day_is_covered():
    assert covers(date(2026, 3, 12), NOTE_DATE, date(2026, 3, 12))
    assert not covers(date(2026, 3, 12), NOTE_DATE, date(2026, 3, 13))
    assert not covers(date(2026, 3, 12), NOTE_DATE, None)


def test_unpaid_charge_covers_later_payments_only():
    # Unpaid on 1 April: covers what is paid after it, or still unpaid...
    assert covers(None, NOTE_DATE, None)
    assert covers(None, NOTE_DATE, date(2026, 4, 20))
    # ...not a payment made before the note (it was not unpaid then).
    assert not covers(None, NOTE_DATE, date(2026, 3, 12))
    assert not covers(None, NOTE_DATE, NOTE_DATE)


def test_charged_until_takes_the_last_covered_day():
    charges = [
        (date(2026, 3, 12), NOTE_DATE, date(2026, 3, 12)),
        (None, NOTE_DATE, NOTE_DATE),
        (None, date(2026, 5, 1), date(2026, 5, 1)),
    ]
    assert charged_until(charges, date(2026, 3, 12)) == date(2026, 3, 12)
    assert charged_until(charges, date(2026, 4, 20)) == NOTE_DATE
    assert charged_until(charges, None) == date(2026, 5, 1)
    assert charged_until(charges, date(2026, 3, 20)) is None
    assert charged_until([], None) is None


def test_overlaps_share_a_day():
    assert overlaps(
        date(2026, 3, 3), date(2026, 4, 1), date(2026, 4, 1), date(2026, 5, 1)
    )
    assert not overlaps(
        date(2026, 3, 3), date(2026, 4, 1), date(2026, 4, 2), date(2026, 5, 1)
    )
    assert overlaps(
        date(2026, 3, 3), date(2026, 3, 3), date(2026, 3, 3), date(2026, 3, 3)
    )
