"""Tax identifiers of FA(3) parties without Odoo
(crm_invoicing_pl_ksef.tools.eu_vat)."""

import pytest
from odoo.addons.crm_invoicing_pl_ksef.tools import eu_vat
from odoo.addons.crm_invoicing_pl_ksef.tools.eu_vat import PartyId


def test_eu_countries_are_the_27_member_states():
    assert len(eu_vat.EU_COUNTRIES) == 27
    assert {"PL", "DE", "GR", "HR", "IE", "CY"} <= eu_vat.EU_COUNTRIES
    # Left the EU (GB), never in it (NO, CH, US), not a country code (EL, XI).
    assert not {"GB", "NO", "CH", "US", "EL", "XI"} & eu_vat.EU_COUNTRIES


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("DE", "DE"),
        ("AT", "AT"),
        # Greece: ISO "GR", VAT prefix "EL".
        ("GR", "EL"),
        ("gr", "EL"),
        ("GB", None),
        ("US", None),
        ("", None),
        (None, None),
    ],
)
def test_vat_prefix(country, expected):
    assert eu_vat.vat_prefix(country) == expected


def test_prefixes_match_fa3_eu_country_codes():
    """KodUE and PrefiksPodatnika take TKodyKrajowUE: the member states by
    their VAT prefix (EL, not GR) and Northern Ireland (XI)."""
    assert eu_vat.EU_VAT_PREFIXES == (eu_vat.EU_COUNTRIES - {"GR"}) | {"EL", "XI"}


@pytest.mark.parametrize(
    ("vat", "country", "expected"),
    [
        ("DE312345671", "DE", ("DE", "312345671")),
        ("DE312345671", None, ("DE", "312345671")),
        # The number's own prefix wins over the address.
        ("DE312345671", "AT", ("DE", "312345671")),
        ("de 312 345 671", None, ("DE", "312345671")),
        # Greece: EL, also when written GR or given by the country alone.
        ("EL094014201", "GR", ("EL", "094014201")),
        ("GR094014201", "GR", ("EL", "094014201")),
        ("094014201", "GR", ("EL", "094014201")),
        # No prefix: the address's member state.
        ("312345671", "DE", ("DE", "312345671")),
        ("U12345678", "AT", ("AT", "U12345678")),
        # French keys may be letters: not taken for a prefix.
        ("AB123456789", "FR", ("FR", "AB123456789")),
        # Dots and dashes of Belgian / Spanish writing are dropped.
        ("BE 0123.456.749", None, ("BE", "0123456749")),
        ("ES-B12345674", None, ("ES", "B12345674")),
        ("NL123456789B01", None, ("NL", "123456789B01")),
        ("ATU12345678", None, ("AT", "U12345678")),
        ("XI123456789", "GB", ("XI", "123456789")),
        ("PL5260250274", None, ("PL", "5260250274")),
        # Not EU VAT numbers.
        ("GB123456789", "GB", None),
        ("NO123456789MVA", "NO", None),
        ("123456789", "US", None),
        ("123456789", None, None),
        ("", "DE", None),
        (False, "DE", None),
        (None, None, None),
    ],
)
def test_split_eu_vat(vat, country, expected):
    assert eu_vat.split_eu_vat(vat, country) == expected


@pytest.mark.parametrize(
    ("vat", "country", "expected"),
    [
        # Polish buyers: NIP, without the prefix.
        ("PL5260250274", "PL", PartyId("NIP", "PL", "5260250274")),
        ("5260250274", "PL", PartyId("NIP", "PL", "5260250274")),
        ("PL 526-025-02-74", None, PartyId("NIP", "PL", "5260250274")),
        # A Polish NIP of a buyer with a foreign address is still a NIP.
        ("PL5260250274", "DE", PartyId("NIP", "PL", "5260250274")),
        # EU buyers: KodUE + NrVatUE without the prefix.
        ("DE312345671", "DE", PartyId("UE", "DE", "312345671")),
        ("EL094014201", "GR", PartyId("UE", "EL", "094014201")),
        ("GR094014201", "GR", PartyId("UE", "EL", "094014201")),
        ("094014201", "GR", PartyId("UE", "EL", "094014201")),
        ("CZ12345679", "CZ", PartyId("UE", "CZ", "12345679")),
        # A German VAT number of a buyer with a Polish address: the number
        # tells (a German company's Polish branch).
        ("DE312345671", "PL", PartyId("UE", "DE", "312345671")),
        # Outside the EU: KodKraju + NrID as written (spaces, dashes out).
        ("NO123456789MVA", "NO", PartyId("ID", "NO", "NO123456789MVA")),
        ("US 12-3456789", "US", PartyId("ID", "US", "US123456789")),
        ("123456789", "US", PartyId("ID", "US", "123456789")),
        ("GB123456789", "GB", PartyId("ID", "GB", "GB123456789")),
        ("CHE-123.456.788 MWST", "CH", PartyId("ID", "CH", "CHE123.456.788MWST")),
        # Neither a prefix nor a country: NrID alone (KodKraju is optional).
        ("123456789", None, PartyId("ID", None, "123456789")),
        # No number: BrakID.
        ("", "DE", PartyId("none")),
        ("  ", "PL", PartyId("none")),
        (False, "PL", PartyId("none")),
        (None, None, PartyId("none")),
    ],
)
def test_party_id(vat, country, expected):
    assert eu_vat.party_id(vat, country) == expected


def test_only_eu_vat_numbers_are_eu():
    assert eu_vat.party_id("DE312345671", "DE").is_eu_vat
    assert not eu_vat.party_id("PL5260250274", "PL").is_eu_vat
    assert not eu_vat.party_id("NO123456789MVA", "NO").is_eu_vat
    assert not eu_vat.party_id(False, "DE").is_eu_vat


@pytest.mark.parametrize(
    ("seller_vat", "seller_country", "buyer", "intra_eu", "expected"),
    [
        # An EU VAT buyer: the seller acts as an EU VAT taxpayer.
        ("PL5260250274", "PL", ("DE312345671", "DE"), False, "PL"),
        ("5260250274", "PL", ("EL094014201", "GR"), False, "PL"),
        # Domestic and non-EU buyers, consumers: no prefix ...
        ("PL5260250274", "PL", ("PL1234567883", "PL"), False, None),
        ("PL5260250274", "PL", ("NO123456789MVA", "NO"), False, None),
        ("PL5260250274", "PL", (False, "DE"), False, None),
        # ... unless the invoice has an intra-EU supply (WDT, art. 28b
        # services in another member state, triangular transaction).
        ("PL5260250274", "PL", (False, "DE"), True, "PL"),
        # No Polish NIP: never (the schema fixes the prefix to PL).
        (False, "PL", ("DE312345671", "DE"), True, None),
        ("DE312345671", "DE", ("DE312345671", "DE"), True, None),
    ],
)
def test_seller_prefix(seller_vat, seller_country, buyer, intra_eu, expected):
    buyer_id = eu_vat.party_id(*buyer)
    assert (
        eu_vat.seller_prefix(seller_vat, seller_country, buyer_id, intra_eu) == expected
    )
    assert eu_vat.seller_prefix(seller_vat, seller_country, None, intra_eu) == (
        expected if intra_eu else None
    )
