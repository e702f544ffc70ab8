"""Top-level tests: pure helpers and protocol clients, no Odoo registry.

The add-ons live at the repository root; they are imported through Odoo's
``odoo.addons`` namespace (as Odoo itself imports them), so Odoo must be
importable. A missing Odoo is an error, never a silent skip.
"""

import importlib.util
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

try:
    import odoo.addons
except ImportError as exc:  # pragma: no cover - environment guard
    raise pytest.UsageError(
        "Odoo 19.0 is not importable by this Python (import odoo failed: %s). "
        "See README.md, Prerequisites." % exc
    ) from exc

if str(ROOT) not in list(odoo.addons.__path__):
    odoo.addons.__path__.append(str(ROOT))
# Odoo's own add-ons (e.g. sms), which models of our add-ons build on.
# (odoo/addons holds the base add-ons; addons/ next to odoo/, the others).
for _base in [p for p in odoo.addons.__path__ if p.endswith("odoo/addons")]:
    _addons = pathlib.Path(_base).resolve().parent.parent / "addons"
    if _addons.is_dir() and str(_addons) not in list(odoo.addons.__path__):
        odoo.addons.__path__.append(str(_addons))


def _load_fake(name, path):
    """Load a local fake server module shipped with an add-on's Odoo tests.

    The fakes live in the add-ons (their Odoo tests use them too); importing
    them through the add-on's ``tests`` package would import Odoo's test
    modules, so they are loaded by path.
    """
    spec = importlib.util.spec_from_file_location(name, ROOT / path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_load_fake("fake_nbp", "crm_invoicing_pl/tests/fake_nbp.py")
_load_fake("fake_nbp_rates", "crm_dunning/tests/fake_nbp_rates.py")
_load_fake("fake_vies", "crm_vies_check/tests/fake_vies.py")
_load_fake("fake_whitelist", "crm_vies_check/tests/fake_whitelist.py")
_load_fake("fake_sms_gateway", "sms_http_gateway_pl/tests/fake_sms_gateway.py")
_load_fake("smtp_sink", "crm_invoicing_pl_notify/tests/smtp_sink.py")
_load_fake("fake_gus", "crm_vies_check/tests/fake_gus.py")
_load_fake("fake_ksef", "crm_invoicing_pl/tests/fake_ksef.py")
