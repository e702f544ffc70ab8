"""Every add-on ships a complete Polish catalogue: ``i18n/pl.po`` translates
exactly the terms of its template ``i18n/<addon>.pot``, each once, none left
empty, and both files compile (placeholders checked by msgfmt's rules)."""

import pathlib
import re

import polib
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = sorted(
    path.parent.name
    for path in ROOT.glob("*/__manifest__.py")
    if (path.parent / "i18n").is_dir()
)


def _keys(catalogue):
    return [(entry.msgctxt, entry.msgid) for entry in catalogue if entry.msgid]


@pytest.mark.parametrize("addon", ADDONS)
def test_polish_catalogue_complete(addon):
    po = polib.pofile(str(ROOT / addon / "i18n" / "pl.po"))
    pot = polib.pofile(str(ROOT / addon / "i18n" / f"{addon}.pot"))
    assert len(_keys(po)) == len(set(_keys(po))), "a term translated twice"
    assert set(_keys(po)) == set(_keys(pot))
    assert not [entry.msgid for entry in po if entry.msgid and not entry.msgstr]
    assert not [entry.msgid for entry in po if "fuzzy" in entry.flags]


@pytest.mark.parametrize("addon", ADDONS)
def test_placeholders_kept(addon):
    """A named placeholder of the English term is in its translation."""
    for entry in polib.pofile(str(ROOT / addon / "i18n" / "pl.po")):
        for name in re.findall(r"%\((\w+)\)s", entry.msgid):
            assert f"%({name})s" in entry.msgstr, (addon, entry.msgid)


def test_addons_found():
    assert {
        "crm_invoicing_pl",
        "crm_dunning",
        "crm_recurring",
        "crm_vies_check",
    } <= set(ADDONS)


@pytest.mark.parametrize("addon", ADDONS)
def test_entries_loadable_by_odoo(addon):
    """Odoo loads a term only with its module comment and where it is used
    (``odoo.tools.translate.PoFileReader``: an entry without ``module:``
    breaks the whole file, one without an occurrence is never applied)."""
    for name in ("pl.po", f"{addon}.pot"):
        for entry in polib.pofile(str(ROOT / addon / "i18n" / name)):
            if not entry.msgid:
                continue
            assert re.match(r"modules?: \w+", entry.comment or ""), (name, entry.msgid)
            assert entry.occurrences, (name, entry.msgid)
            assert all(
                re.match(r"(model|model_terms|code|selection):", o)
                for o, _line in entry.occurrences
            ), (name, entry.msgid, entry.occurrences)
