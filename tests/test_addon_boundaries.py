"""Each add-on imports only from the modules it depends on (issue 20).

An add-on installs, and is tested, with its declared dependencies alone: no
Python file of it (models, wizards, controllers, hooks, tests...) may import
``odoo.addons.<X>`` unless X is in its dependency closure, read from the
manifests: ours at the repository root, Odoo's under its two add-ons
directories, the OCA add-ons of ``make oca-deps`` when they are installed. A
module found in none of them counts as a leaf (it depends on nothing more).
The test-only package ``crm_pl_testing`` is no add-on: any test may use it.

Likewise the groups of the users a test makes (``groups="module.group,..."``
of ``new_test_user`` and the suite's ``_pl_user``) belong to modules of the
closure: a test of an add-on installed alone cannot give its users a group of
a module that is not there.
"""

import ast
import sys
from functools import cache
from pathlib import Path

import pytest
from test_no_test_code_in_production import imported_modules

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import odoo_env  # noqa: E402

ADDONS = odoo_env.discover_addons(ROOT)


def manifest_paths(root=ROOT):
    """Where manifests are looked for, as the test command's add-ons path."""
    odoo = odoo_env.odoo_root()
    paths = [root, odoo / "addons", odoo / "odoo" / "addons"]
    return [*paths, root / odoo_env.OCA_ADDONS_DIR]


def dependency_closure(addon, paths):
    """``addon``, every module it depends on, directly or not, and ``base``
    (Odoo's implicit dependency of every module)."""

    @cache
    def depends(module):
        for path in paths:
            if (path / module / "__manifest__.py").is_file():
                return tuple(odoo_env.manifest_depends(path / module))
        return ()  # not found: a leaf

    closure, todo = set(), [addon]
    while todo:
        module = todo.pop()
        if module not in closure:
            closure.add(module)
            todo.extend(depends(module))
    return closure | {"base"}


def addon_imports(addon_dir):
    """(file, X) for every ``odoo.addons.X`` a Python file of the add-on
    imports (relative imports resolved)."""
    found = []
    for path in sorted(addon_dir.rglob("*.py")):
        package = ["odoo", "addons", *path.parent.relative_to(addon_dir.parent).parts]
        source = path.read_text(encoding="utf-8")
        for module in imported_modules(source, package):
            parts = module.split(".")
            if parts[:2] == ["odoo", "addons"] and len(parts) > 2:
                found.append((path, parts[2]))
    return found


def user_groups(source):
    """(line, module) of the group xml ids a source gives users it makes:
    the ``groups`` keyword (a literal) of any call, and the groups argument of
    ``new_test_user(env, login, groups)`` / ``_pl_user(login, groups)``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", None))
        values = [k.value for k in node.keywords if k.arg == "groups"]
        position = {"new_test_user": 2, "_pl_user": 1}.get(name)
        if position is not None and len(node.args) > position:
            values.append(node.args[position])
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.extend(
                    (node.lineno, xmlid.strip().split(".")[0])
                    for xmlid in value.value.split(",")
                    if "." in xmlid
                )
    return found


def group_violations(addon, root=ROOT, paths=None):
    """``file:line: module`` for each user group of a module outside the
    add-on's dependency closure."""
    closure = dependency_closure(addon, paths or manifest_paths(root))
    return sorted(
        f"{path.relative_to(root)}:{line}: {module}"
        for path in sorted((root / addon).rglob("*.py"))
        for line, module in user_groups(path.read_text(encoding="utf-8"))
        if module not in closure
    )


def boundary_violations(addon, root=ROOT, paths=None):
    """``file: odoo.addons.X`` for each import of a module outside the
    add-on's dependency closure."""
    closure = dependency_closure(addon, paths or manifest_paths(root))
    return sorted(
        {
            f"{path.relative_to(root)}: odoo.addons.{module}"
            for path, module in addon_imports(root / addon)
            if module not in closure
        }
    )


def _addon(directory, name, depends, files=None):
    (directory / name).mkdir(parents=True)
    (directory / name / "__manifest__.py").write_text(
        repr({"name": name, "depends": depends}), encoding="utf-8"
    )
    for relative, source in (files or {}).items():
        path = directory / name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


def test_imports_outside_the_dependency_closure_are_found(tmp_path):
    repo, core = tmp_path / "repo", tmp_path / "core"
    _addon(core, "account", ["product"])
    _addon(core, "product", ["uom"])  # uom: found nowhere, a leaf
    _addon(core, "sale", ["account"])
    _addon(repo, "our_main", ["account"])
    _addon(
        repo,
        "our_check",
        ["account"],
        {
            "models/res_partner.py": "from odoo.addons.uom.tools import x\n",
            "tests/common.py": (
                "from odoo.addons.account.tests.common import Common\n"
                "from odoo.addons.our_main.tests.common import MainCommon\n"
                "from odoo.addons.product.tests.common import ProductCommon\n"
                "from odoo.addons import sale\n"
                "from odoo.addons.base.models import res_partner\n"
                "from ..models import res_partner as ours\n"
            ),
            "tests/test_x.py": (
                "import importlib\n"
                "from crm_pl_testing.neutralize_case import NeutralizeCase\n"
                "importlib.import_module('odoo.addons.our_main.tools')\n"
            ),
        },
    )
    assert dependency_closure("our_check", [repo, core]) == {
        "our_check",
        "account",
        "product",
        "uom",
        "base",
    }
    assert boundary_violations("our_check", repo, [repo, core]) == [
        "our_check/tests/common.py: odoo.addons.our_main",
        "our_check/tests/common.py: odoo.addons.sale",
        "our_check/tests/test_x.py: odoo.addons.our_main",
    ]
    assert boundary_violations("our_main", repo, [repo, core]) == []


def test_user_groups_outside_the_dependency_closure_are_found(tmp_path):
    repo, core = tmp_path / "repo", tmp_path / "core"
    _addon(core, "account", [])
    _addon(
        repo,
        "our_check",
        ["account"],
        {
            "tests/test_x.py": (
                "a = new_test_user(env, 'a', 'sales_team.group_sale_salesman')\n"
                "b = new_test_user(env, login='b', groups='base.group_user')\n"
                "c = cls._pl_user('c', 'account.group_account_invoice,"
                "crm_x.group_y')\n"
                "d = new_test_user(env, login='d', groups=GROUPS)\n"
            ),
        },
    )
    assert group_violations("our_check", repo, [repo, core]) == [
        "our_check/tests/test_x.py:1: sales_team",
        "our_check/tests/test_x.py:3: crm_x",
    ]


def test_the_dependencies_are_read_from_the_real_manifests():
    closure = dependency_closure("crm_vies_check", manifest_paths())
    assert {"crm_vies_check", "account", "base_vat", "product", "base"} <= closure
    assert not {"crm_invoicing_pl", "sale", "sales_team", "l10n_pl"} & closure
    assert "crm_invoicing_pl" in dependency_closure(
        "crm_invoicing_pl_sale", manifest_paths()
    )


@pytest.mark.parametrize("addon", ADDONS)
def test_addon_imports_only_its_dependencies(addon):
    violations = boundary_violations(addon)
    assert not violations, (
        f"{addon} imports from modules it does not depend on (declare them in "
        "its __manifest__.py, or move what is shared to crm_pl_testing):\n"
        + "\n".join(violations)
    )


@pytest.mark.parametrize("addon", ADDONS)
def test_addon_users_have_groups_of_its_dependencies(addon):
    violations = group_violations(addon)
    assert not violations, (
        f"{addon}'s tests give users groups of modules it does not depend on:\n"
        + "\n".join(violations)
    )
