"""Tax identifiers of the parties of an FA(3) invoice, without Odoo.

FA(3) (KSeF) identifies the buyer (``Podmiot2/DaneIdentyfikacyjne``, type
TPodmiot2) by exactly one of:

* ``NIP``: a Polish taxpayer;
* ``KodUE`` + ``NrVatUE``: a buyer identified for VAT in another EU member
  state (art. 106e ust. 1 pkt 24 of the VAT Act), the prefix apart from the
  number: DE312345671 is ``KodUE`` "DE" and ``NrVatUE`` "312345671". Greece
  is "EL" (its VAT prefix), not "GR" (its ISO code); Northern Ireland's
  traders for goods are "XI" (TKodyKrajowUE lists both);
* ``KodKraju`` (optional) + ``NrID``: any other tax identifier, e.g. of a
  buyer outside the EU;
* ``BrakID``: no tax identifier (a consumer).

The seller (``Podmiot1``) carries ``PrefiksPodatnika`` "PL" when it acts as
an EU VAT taxpayer (art. 97 ust. 10 pkt 2 and 3 of the VAT Act: intra-EU
supplies of goods and art. 28b services in another member state; art. 136
ust. 1 pkt 3: the simplified triangular transaction): see
:func:`seller_prefix`.

* :func:`party_id`: which of the four, from a VAT number and a country;
* :func:`split_eu_vat`: an EU VAT number as (prefix, number), or None;
* :func:`vat_prefix`: the EU VAT prefix of an ISO country code, or None.
"""

import re
from dataclasses import dataclass

# ISO 3166-1 codes of the EU member states.
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE "
    "SI SK".split()
)
# EU VAT prefixes (FA(3) TKodyKrajowUE): the member states, Greece as "EL",
# and Northern Ireland ("XI", goods under the Windsor Framework).
EU_VAT_PREFIXES = frozenset(
    "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE "
    "SI SK XI".split()
)
# ISO code -> VAT prefix, where they differ.
_PREFIX_OF_COUNTRY = {"GR": "EL"}
# A prefix written the ISO way in a VAT number -> the VAT prefix.
_PREFIX_ALIASES = {"GR": "EL"}

# What a VAT number may be written with, beside its letters and digits.
_SEPARATORS = re.compile(r"[\s\-./]")
# What core l10n_pl_edi drops from a foreign tax identifier (NrID).
_NRID_SEPARATORS = re.compile(r"[\s\-]")


@dataclass(frozen=True)
class PartyId:
    """How FA(3) identifies a party for VAT.

    ``kind`` is "NIP", "UE" (``KodUE`` + ``NrVatUE``), "ID" (``KodKraju``
    + ``NrID``) or "none" (``BrakID``). ``country`` is the NIP's "PL", the
    ``KodUE`` or the ``KodKraju`` (None when unknown: ``KodKraju`` is then
    left out); ``number`` is the NIP, the ``NrVatUE`` or the ``NrID``.
    """

    kind: str
    country: str | None = None
    number: str | None = None

    @property
    def is_eu_vat(self):
        """Identified by the VAT number of another EU member state."""
        return self.kind == "UE"


def vat_prefix(country_code):
    """The EU VAT prefix of an ISO country code ("GR" -> "EL"), or None
    for a country outside the EU."""
    code = (country_code or "").strip().upper()
    if code not in EU_COUNTRIES:
        return None
    return _PREFIX_OF_COUNTRY.get(code, code)


def _compact(vat):
    return _SEPARATORS.sub("", str(vat or "")).upper()


def _letter_prefix(text):
    """The two leading letters of ``text`` ("" when not two letters)."""
    head = text[:2]
    return head if len(head) == 2 and head.isascii() and head.isalpha() else ""


def split_eu_vat(vat, country_code=None):
    """``vat`` as an EU VAT number (prefix, number without the prefix), or None.

    The prefix is the number's own when it starts with an EU VAT prefix
    ("GR" read as "EL"); else the one of ``country_code`` (ISO) when that is
    an EU member state, the whole number being the number. Spaces, dashes,
    dots and slashes are dropped, letters upper-cased. None for an empty
    ``vat`` or a number of a country outside the EU.
    """
    text = _compact(vat)
    if not text:
        return None
    head = _PREFIX_ALIASES.get(text[:2], text[:2])
    if head in EU_VAT_PREFIXES and _letter_prefix(text):
        return head, text[2:]
    prefix = vat_prefix(country_code)
    if prefix:
        return prefix, text
    return None


def party_id(vat, country_code=None):
    """How FA(3) identifies a party with the tax number ``vat`` whose
    country is ``country_code`` (ISO, of its address; may be empty).

    * Polish (the number's "PL" prefix, or no prefix and a Polish address):
      "NIP", the number without the prefix;
    * the VAT number of another EU member state (its prefix, or no prefix
      and an address in that state): "UE" with the VAT prefix and the number;
    * any other number: "ID", the country being the number's own two-letter
      prefix, else the address's, the number written as core l10n_pl_edi
      does (spaces and dashes dropped, upper case);
    * no number: "none".
    """
    raw = str(vat or "").strip()
    text = _compact(raw)
    if not text:
        return PartyId("none")
    country = (country_code or "").strip().upper() or None
    own = _letter_prefix(text)
    if (own or country) == "PL":
        return PartyId("NIP", "PL", text[2:] if own == "PL" else text)
    eu = split_eu_vat(text, country)
    if eu:
        return PartyId("UE", *eu)
    return PartyId("ID", own or country, _NRID_SEPARATORS.sub("", raw).upper())


def seller_prefix(seller_vat, seller_country, buyer, intra_eu=False):
    """``PrefiksPodatnika`` of the seller: "PL" or None.

    "PL" when the seller has a Polish NIP and acts as an EU VAT taxpayer:
    its buyer is identified by an EU VAT number (``buyer``, a PartyId, is
    "UE") or the invoice has an intra-EU supply (``intra_eu``: goods to
    another member state, art. 28b services taxed there, a triangular
    transaction).
    """
    if party_id(seller_vat, seller_country).kind != "NIP":
        return None
    if intra_eu or (buyer is not None and buyer.is_eu_vat):
        return "PL"
    return None
