"""Units of measure as Polish invoices write them (crm_invoicing_pl.tools.units)."""

import pytest
from odoo.addons.crm_invoicing_pl.tools import units


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Units",), "szt."),
        (("Units", "Jednostki"), "szt."),
        (("Hours", "Godziny"), "godz."),
        (("Days",), "dni"),
        (("kg",), "kg"),
        (("m³",), "m³"),
        (("KWH",), "kWh"),
        # Unknown: its own name, the first one given; nothing: a piece.
        (("Paleta EUR", "Paleta"), "Paleta EUR"),
        (("", "Komplet"), "Komplet"),
        ((False,), "szt."),
        ((), "szt."),
    ],
)
def test_polish_unit(names, expected):
    assert units.polish_unit(*names) == expected
