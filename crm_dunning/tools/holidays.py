"""Polish public holidays (ustawa o dniach wolnych od pracy), pure Python.

Used to move a due date that falls on a Saturday, Sunday or public holiday
to the next working day (KC art. 115) before late-payment interest is
counted. Christmas Eve (24 December) is a public holiday since 2025.
"""

import datetime

from dateutil.easter import easter

_FIXED = (
    (1, 1),  # Nowy Rok
    (1, 6),  # Trzech Króli
    (5, 1),  # Święto Pracy
    (5, 3),  # Święto Konstytucji 3 Maja
    (8, 15),  # Wniebowzięcie NMP
    (11, 1),  # Wszystkich Świętych
    (11, 11),  # Narodowe Święto Niepodległości
    (12, 25),  # Boże Narodzenie (first day)
    (12, 26),  # Boże Narodzenie (second day)
)
# Wigilia: act of 6 December 2024 amending the act on public holidays.
_CHRISTMAS_EVE_SINCE = 2025


def polish_public_holidays(year):
    """The statutory public holidays of ``year`` as a frozenset of dates."""
    if not isinstance(year, int) or isinstance(year, bool) or year < 1:
        raise ValueError("year must be a positive integer")
    days = {datetime.date(year, month, day) for month, day in _FIXED}
    easter_sunday = easter(year)
    days.update(
        easter_sunday + datetime.timedelta(days=offset)
        # Easter Sunday, Easter Monday, Pentecost Sunday, Corpus Christi
        for offset in (0, 1, 49, 60)
    )
    if year >= _CHRISTMAS_EVE_SINCE:
        days.add(datetime.date(year, 12, 24))
    return frozenset(days)


def holidays_between(date_from, date_to):
    """The public holidays of every year from ``date_from`` to ``date_to``."""
    days = set()
    for year in range(date_from.year, date_to.year + 1):
        days.update(polish_public_holidays(year))
    return frozenset(days)
