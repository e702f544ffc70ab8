"""scripts/run_tests.py --reuse-template: when the template database is remade."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import run_tests  # noqa: E402


def _tree(root):
    for name in ("our_main", "our_sale"):
        (root / name / "tests").mkdir(parents=True)
        (root / name / "__manifest__.py").write_text(repr({"name": name}))
        (root / name / "models.py").write_text("x = 1\n")
        (root / name / "tests" / "test_x.py").write_text("y = 1\n")
    (root / "requirements-oca.txt").write_text("odoo-addon-contract==19.0.1\n")


def _name(root, addons=("our_main", "our_sale"), day="2026-12-07"):
    return run_tests.template_name(list(addons), "19.0 /opt/odoo", day, root)


def test_same_tree_same_day_reuses_the_template(tmp_path):
    _tree(tmp_path)
    name = _name(tmp_path)
    assert name.startswith(run_tests.TEMPLATE_PREFIX)
    assert len(name) < 64  # a PostgreSQL identifier
    assert _name(tmp_path, addons=("our_sale", "our_main")) == name


def test_a_changed_module_file_pin_or_day_remakes_it(tmp_path):
    _tree(tmp_path)
    name = _name(tmp_path)
    prefix = name.rsplit("_", 1)[0]
    (tmp_path / "our_sale" / "models.py").write_text("x = 2\n")
    changed = _name(tmp_path)
    assert changed != name and changed.rsplit("_", 1)[0] == prefix
    (tmp_path / "requirements-oca.txt").write_text("odoo-addon-contract==19.0.2\n")
    assert _name(tmp_path) != changed
    assert _name(tmp_path, day="2026-12-08") != _name(tmp_path)


def test_a_changed_test_leaves_it_and_other_addons_get_their_own(tmp_path):
    _tree(tmp_path)
    name = _name(tmp_path)
    (tmp_path / "our_main" / "tests" / "test_x.py").write_text("y = 2\n")
    assert _name(tmp_path) == name
    other = _name(tmp_path, addons=("our_main",))
    assert other.rsplit("_", 1)[0] != name.rsplit("_", 1)[0]
