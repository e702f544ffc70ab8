"""FA(3) XSD validation (crm_invoicing_pl.tools.ksef_xsd, the FA(3) imports of
crm_invoicing_pl_ksef/data/ksef_xsd), no network."""

import pathlib

import odoo.addons
import pytest
from lxml import etree
from odoo.addons.crm_invoicing_pl.tools import ksef_xsd

IMPORTS = str(
    pathlib.Path(__file__).resolve().parent.parent
    / "crm_invoicing_pl_ksef"
    / "data"
    / "ksef_xsd"
)


def _odoo_file(relative):
    for base in odoo.addons.__path__:
        path = pathlib.Path(base) / relative
        if path.is_file():
            return path
    pytest.fail("%s not found in the Odoo add-ons path" % relative)


FA3_XSD = str(_odoo_file("l10n_pl_edi/data/fa3_schema.xsd"))


@pytest.fixture(scope="module")
def schema():
    return ksef_xsd.load_schema(FA3_XSD, IMPORTS)


@pytest.fixture(scope="module")
def valid_xml():
    """l10n_pl_edi's own expected FA(3) of a standard invoice."""
    raw = _odoo_file(
        "l10n_pl_edi/tests/export_xmls/standert_fa3_format.xml"
    ).read_bytes()
    return raw.replace(b"___ignore___", b"2026-11-27T00:00:00Z")


def test_schema_loads_without_network(schema):
    assert isinstance(schema, etree.XMLSchema)


def test_missing_import_is_an_error_not_a_download(tmp_path):
    with pytest.raises(etree.XMLSchemaParseError):
        ksef_xsd.load_schema(FA3_XSD, str(tmp_path))


def test_valid_document_has_no_problem(schema, valid_xml):
    assert ksef_xsd.validate(schema, valid_xml) == []
    assert ksef_xsd.validate(schema, valid_xml.decode()) == []


def test_wrong_value_names_the_element_and_allowed_values(schema, valid_xml):
    bad = valid_xml.replace(b"<P_12>23</P_12>", b"<P_12>24</P_12>")
    [problem] = ksef_xsd.validate(schema, bad)
    assert problem.kind == "value"
    assert problem.element == "P_12"
    assert problem.path == "Faktura/Fa/FaWiersz/P_12"
    assert problem.value == "24"
    assert "0 KR" in problem.expected and "23" in problem.expected
    assert "{http" not in problem.message


def test_empty_element(schema, valid_xml):
    bad = valid_xml.replace(b"<P_2>INV/2026/00001</P_2>", b"<P_2></P_2>")
    problems = ksef_xsd.validate(schema, bad)
    assert [(p.kind, p.element, p.path) for p in problems] == [
        ("empty", "P_2", "Faktura/Fa/P_2")
    ]


def test_element_out_of_place_lists_what_is_expected(schema, valid_xml):
    bad = valid_xml.replace(b"<P_18A>2</P_18A>", b"")
    [problem] = ksef_xsd.validate(schema, bad)
    assert problem.kind == "unexpected"
    assert problem.element == "Zwolnienie"
    assert problem.expected == ("P_18A",)


def test_not_well_formed(schema):
    [problem] = ksef_xsd.validate(schema, b"<Faktura><Fa></Faktura>")
    assert problem.kind == "malformed"
