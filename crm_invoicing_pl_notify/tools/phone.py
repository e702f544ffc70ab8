"""Phone numbers: normalisation to E.164 and mobile detection.

Pure Python, no Odoo; built on ``phonenumbers`` (libphonenumber metadata).
Numbers without a country code are read as numbers of ``default_region``
(Poland unless told otherwise); "+48 ...", "0048 ..." and "48 ..." forms are
understood, and so is a trunk "0" written the old Polish way ("022 123 45 67")
or after a country code ("+48 (0) 22 123 45 67").

Letters are refused rather than read as a vanity number ("600 100 2OO" must
not become some other subscriber's number), so are extensions ("wew. 12").
"""

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

_ALLOWED = re.compile(r"[\d\s+\-().\/]+")
_LENGTH_ERRORS = {
    NumberParseException.TOO_SHORT_AFTER_IDD,
    NumberParseException.TOO_SHORT_NSN,
    NumberParseException.TOO_LONG,
}
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


class PhoneNumberError(ValueError):
    """A phone number that cannot be used.

    ``code`` is "empty", "unparsable" (not a phone number, letters, unknown
    country code) or "invalid" (a number, but not a valid one: too short,
    too long, unassigned range); ``str()`` is a plain English message.
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def normalize_phone(raw, default_region="PL"):
    """Return ``raw`` as an E.164 string ("+48600100200"); raise PhoneNumberError."""
    text = "" if raw is None or raw is False else str(raw)
    text = text.strip()
    if not text:
        raise PhoneNumberError("empty", "No phone number given.")
    if not _ALLOWED.fullmatch(text):
        raise PhoneNumberError(
            "unparsable",
            f"{text!r} is not a phone number: only digits, spaces, "
            "'+', '-', '.', '/' and brackets are allowed.",
        )
    digits = text
    if text.startswith(("+", "00")):
        # "+48 (0) 22 ...": the trunk "0" written after a country code.
        digits = re.sub(r"\(\s*0\s*\)", " ", text)
    try:
        number = phonenumbers.parse(digits, default_region)
    except NumberParseException as exc:
        too_short = exc.error_type == NumberParseException.NOT_A_NUMBER and any(
            char.isdigit() for char in digits
        )
        if too_short or exc.error_type in _LENGTH_ERRORS:
            raise PhoneNumberError("invalid", _invalid(text)) from exc
        raise PhoneNumberError(
            "unparsable", f"{text!r} is not a phone number."
        ) from exc
    if not phonenumbers.is_valid_number(number):
        number = _without_old_trunk_prefix(digits, default_region) or number
    if not phonenumbers.is_valid_number(number):
        raise PhoneNumberError("invalid", _invalid(text))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_mobile(e164, region="PL"):
    """Tell whether ``e164`` is a valid mobile number.

    With the default ``region`` only Polish mobiles count; with ``region=None``
    mobiles of any country do (including numbering plans, such as the US,
    where mobiles and landlines share ranges). Never raises: anything that is
    not a valid E.164 number is simply not a mobile.
    """
    try:
        number = phonenumbers.parse(str(e164 or ""), None)
    except NumberParseException:
        return False
    if not phonenumbers.is_valid_number(number):
        return False
    if region and phonenumbers.region_code_for_number(number) != region:
        return False
    return phonenumbers.number_type(number) in _MOBILE_TYPES


def _invalid(text):
    return f"{text!r} is not a valid phone number (wrong length or unused range)."


def _without_old_trunk_prefix(text, default_region):
    """Polish numbers written with the old trunk "0" ("022 123 45 67")."""
    digits = re.sub(r"\D", "", text)
    if default_region != "PL" or text.lstrip().startswith("+"):
        return None
    if not (len(digits) == 10 and digits[0] == "0" and digits[1] != "0"):
        return None
    try:
        number = phonenumbers.parse(digits[1:], "PL")
    except NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None
