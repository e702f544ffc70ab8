"""Units of measure as Polish invoices write them, without Odoo.

:func:`polish_unit`: the abbreviation ("szt.", "godz.", "kg", ...) of an
Odoo unit from its name (English or Polish), printed on the documents and
written in the KSeF invoice (FA(3) P_8A / P_8AZ).
"""

# Odoo's units (uom module data, English names and their Polish translations)
# as Polish invoices write them. Keys are lower case.
POLISH_UNITS = {
    "units": "szt.",
    "unit": "szt.",
    "jednostki": "szt.",
    "jednostka": "szt.",
    "dozens": "tuz.",
    "tuzin": "tuz.",
    "pack of 6": "opak. (6 szt.)",
    "hours": "godz.",
    "hour": "godz.",
    "godziny": "godz.",
    "godzina": "godz.",
    "days": "dni",
    "day": "dni",
    "dni": "dni",
    "minutes": "min",
    "minuty": "min",
    "mm": "mm",
    "cm": "cm",
    "m": "m",
    "km": "km",
    "m²": "m²",
    "m2": "m²",
    "ml": "ml",
    "l": "l",
    "l.": "l",
    "m³": "m³",
    "m3": "m³",
    "g": "g",
    "kg": "kg",
    "t": "t",
    "kwh": "kWh",
}


def polish_unit(*names):
    """The Polish abbreviation of the first of ``names`` that is known.

    ``names`` are the names of one unit (e.g. its English and its Polish
    name); an unknown unit keeps its first non-empty name, no unit is "szt.".
    """
    for name in names:
        unit = POLISH_UNITS.get((name or "").strip().lower())
        if unit:
            return unit
    return next((name.strip() for name in names if name and name.strip()), "szt.")
