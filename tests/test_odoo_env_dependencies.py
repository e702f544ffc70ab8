"""scripts/odoo_env.py: a suite add-on depending on a module found nowhere."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import odoo_env  # noqa: E402


def _addon(directory, name, depends):
    (directory / name).mkdir(parents=True)
    (directory / name / "__manifest__.py").write_text(
        repr({"name": name, "depends": depends}), encoding="utf-8"
    )


def test_missing_dependency_names_module_addon_and_make_target(tmp_path):
    repo, core = tmp_path / "repo", tmp_path / "core"
    _addon(core, "account", [])
    _addon(repo, "our_main", ["account"])
    _addon(repo, "our_approval", ["our_main", "account_move_tier_validation"])
    with pytest.raises(odoo_env.PreflightError) as info:
        odoo_env.check_dependencies([core, repo], repo)
    message = str(info.value)
    assert "account_move_tier_validation (needed by our_approval)" in message
    assert "make oca-deps" in message
    assert "our_main (" not in message


def test_dependencies_found_in_the_oca_directory_pass(tmp_path):
    repo, core = tmp_path / "repo", tmp_path / "core"
    _addon(core, "account", [])
    _addon(repo, "our_approval", ["account", "account_move_tier_validation"])
    oca = repo / odoo_env.OCA_ADDONS_DIR
    _addon(oca, "account_move_tier_validation", ["account"])
    odoo_env.check_dependencies([core, repo, oca], repo)
