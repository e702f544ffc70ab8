"""No production module of an add-on imports test code (issue 20).

Test code is an add-on's ``tests/`` package, Odoo's ``odoo.tests`` and the
test-only package ``crm_pl_testing`` (``testing/``: the local fake servers).
Every other Python file of an add-on (models, tools, controllers, wizards,
hooks, migrations...) is read with ``ast`` and none of its imports, relative
ones resolved, may name a ``tests`` package, a ``fake_*`` module or
``crm_pl_testing``; nor may it import one by name through
``importlib.import_module`` / ``__import__``.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent for p in ROOT.glob("*/__manifest__.py"))


def _is_test_code(module):
    parts = module.split(".")
    return (
        parts[0] == "crm_pl_testing"
        or "tests" in parts
        or any(part.startswith("fake_") for part in parts)
    )


def _package(path):
    """Package of ``path`` as Odoo imports it: ``odoo.addons.<addon>...``."""
    return ["odoo", "addons", *path.parent.relative_to(ROOT).parts]


def _resolve(package, level, module):
    """Absolute name of ``from <level dots><module> import``."""
    if not level:
        return module or ""
    base = package[: len(package) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def imported_modules(source, package):
    """Every module name the source imports (``from m import a``: m and m.a)."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(package, node.level, node.module)
            names.append(module)
            names.extend(f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (
                    isinstance(node.func, ast.Attribute)
                    and node.func.attr == "import_module"
                )
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.append(node.args[0].value)
    return names


def test_imports_of_test_code_are_recognised():
    package = ["odoo", "addons", "crm_dunning", "models"]
    source = "\n".join(
        [
            "import crm_pl_testing",
            "from crm_pl_testing.fake_ksef import FakeKsef",
            "from crm_pl_testing import smtp_sink",
            "from odoo.addons.crm_invoicing_pl.tests.common import X",
            "from odoo.addons.crm_invoicing_pl import tests",
            "from ..tests import common",
            "from . import fake_nbp",
            "from odoo.tests import tagged",
            "import importlib",
            "importlib.import_module('crm_pl_testing.fake_nbp')",
            "from odoo import api, fields, models",
            "from odoo.addons.crm_invoicing_pl.tools import nbp",
            "from ..tools import interest",
            "from . import res_partner",
        ]
    )
    flagged = [m for m in imported_modules(source, package) if _is_test_code(m)]
    assert flagged == [
        "crm_pl_testing",
        "crm_pl_testing.fake_ksef",
        "crm_pl_testing.fake_ksef.FakeKsef",
        "crm_pl_testing",
        "crm_pl_testing.smtp_sink",
        "odoo.addons.crm_invoicing_pl.tests.common",
        "odoo.addons.crm_invoicing_pl.tests.common.X",
        "odoo.addons.crm_invoicing_pl.tests",
        "odoo.addons.crm_dunning.tests",
        "odoo.addons.crm_dunning.tests.common",
        "odoo.addons.crm_dunning.models.fake_nbp",
        "odoo.tests",
        "odoo.tests.tagged",
        "crm_pl_testing.fake_nbp",
    ]


def _production_files():
    for addon in ADDONS:
        for path in sorted(addon.rglob("*.py")):
            if "tests" not in path.relative_to(addon).parts[:-1]:
                yield path


def test_production_files_are_found():
    files = {p.relative_to(ROOT).as_posix() for p in _production_files()}
    assert len(ADDONS) >= 10
    assert "crm_invoicing_pl/tools/nbp.py" in files
    assert "crm_dunning/models/__init__.py" in files
    assert not any("/tests/" in f for f in files)


@pytest.mark.parametrize("addon", [a.name for a in ADDONS])
def test_no_production_module_imports_test_code(addon):
    offenders = []
    for path in _production_files():
        if path.relative_to(ROOT).parts[0] != addon:
            continue
        source = path.read_text(encoding="utf-8")
        offenders.extend(
            f"{path.relative_to(ROOT)}: {module}"
            for module in imported_modules(source, _package(path))
            if _is_test_code(module)
        )
    assert not offenders, "production code imports test code:\n" + "\n".join(offenders)
