"""Top-level tests: pure helpers and protocol clients, no Odoo registry.

The add-ons live at the repository root; they are imported through Odoo's
``odoo.addons`` namespace (as Odoo itself imports them), so Odoo must be
importable. The local fake servers come from the test-only package
``crm_pl_testing`` (``testing/``, installed by requirements-dev.txt). A
missing Odoo or fake package is an error, never a silent skip.
"""

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

try:
    import odoo.addons
except ImportError as exc:  # pragma: no cover - environment guard
    raise pytest.UsageError(
        "Odoo 19.0 is not importable by this Python (import odoo failed: %s). "
        "See README.md, Prerequisites." % exc
    ) from exc

try:
    import crm_pl_testing  # noqa: F401  (the local fake servers)
except ImportError as exc:  # pragma: no cover - environment guard
    raise pytest.UsageError(
        "The test-only package crm_pl_testing (testing/) is not installed "
        "(%s): pip install -r requirements-dev.txt" % exc
    ) from exc

if str(ROOT) not in list(odoo.addons.__path__):
    odoo.addons.__path__.append(str(ROOT))
# Odoo's own add-ons (e.g. sms), which models of our add-ons build on.
# (odoo/addons holds the base add-ons; addons/ next to odoo/, the others).
for _base in [p for p in odoo.addons.__path__ if p.endswith("odoo/addons")]:
    _addons = pathlib.Path(_base).resolve().parent.parent / "addons"
    if _addons.is_dir() and str(_addons) not in list(odoo.addons.__path__):
        odoo.addons.__path__.append(str(_addons))
