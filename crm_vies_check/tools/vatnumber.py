"""Offline checks of Polish NIP and EU VAT numbers (python-stdnum).

Pure Python, no Odoo, no network: normalise the number, check its format
and checksum, and return the compact form, or raise VatNumberError.
"""

from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat
from stdnum.pl import nip as pl_nip

# Country prefixes VIES knows: the EU member states (Greece is "EL", not
# "GR") and Northern Ireland ("XI").
VIES_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE "
    "SI SK XI".split()
)


class VatNumberError(ValueError):
    """Invalid NIP / VAT number.

    ``code`` is "empty", "format", "checksum" or "country";
    ``str()`` is a plain English message.
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def check_nip(value):
    """Return the 10-digit compact form of the Polish NIP ``value``.

    Spaces, dashes and a "PL" prefix are accepted and removed.
    """
    text = _text(value)
    try:
        return pl_nip.validate(text)
    except stdnum_errors.InvalidChecksum as exc:
        raise VatNumberError(
            "checksum", f"NIP {text!r} has a wrong check digit."
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise VatNumberError("format", f"NIP {text!r} is not 10 digits.") from exc


def check_eu_vat(value):
    """Return the compact form of the EU VAT number ``value``, prefix first.

    The number must start with a VIES country prefix; "GR" is accepted for
    Greece and returned as "EL", as VIES expects.
    """
    text = _text(value)
    compact = "".join(text.split()).upper()
    country = compact[:2]
    if country == "GR":
        country, compact = "EL", "EL" + compact[2:]
    if country not in VIES_COUNTRIES:
        raise VatNumberError(
            "country",
            f"VAT number {text!r} does not start with the code of an EU country.",
        )
    try:
        number = eu_vat.validate(compact)
    except stdnum_errors.InvalidChecksum as exc:
        raise VatNumberError(
            "checksum", f"VAT number {text!r} has a wrong check digit."
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise VatNumberError(
            "format", f"VAT number {text!r} has an invalid format for {country}."
        ) from exc
    return country + number[2:]


def _text(value):
    """``value`` as a stripped string; raise VatNumberError "empty" if blank."""
    text = "" if value is None else str(value).strip()
    if not text:
        raise VatNumberError("empty", "No VAT number given.")
    return text
