"""Old forms of phone numbers that libphonenumber does not read.

Pure Python, no Odoo. Phone numbers are parsed, validated and formatted by
Odoo's ``phone_validation`` (libphonenumber); this module only rewrites, for
a second try, two old ways of writing a trunk prefix that libphonenumber
reads as part of the number (and then finds one digit too many):

* Poland's closed numbering plan has no trunk prefix, so libphonenumber's
  metadata for PL has none either; yet address books and invoices still hold
  numbers written the old way, with the "0" dialled before the area code
  ("022 123 45 67", "0 600 100 200"): without it they are valid numbers;
* a trunk "0" written in brackets after a country code
  ("+48 (0) 22 123 45 67", "+49 (0)30 123456") is never dialled, whatever
  the country.
"""

import re

_TRUNK_IN_BRACKETS = re.compile(r"\s*\(\s*0\s*\)\s*")
_NON_DIGITS = re.compile(r"\D")


def without_old_trunk_prefix(number, region="PL"):
    """Return ``number`` without an old trunk "0", or None when it has none.

    ``region`` is the country numbers without a country code belong to; the
    leading "0" is dropped for Poland only (elsewhere it is a live trunk
    prefix that libphonenumber already understands).
    """
    text = str(number or "").strip()
    if text.startswith(("+", "00")):
        stripped = _TRUNK_IN_BRACKETS.sub(" ", text, count=1)
        return stripped if stripped != text else None
    digits = _NON_DIGITS.sub("", text)
    if region == "PL" and len(digits) == 10 and digits[0] == "0" and digits[1] != "0":
        return digits[1:]
    return None
