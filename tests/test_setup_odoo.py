"""``make odoo`` (scripts/setup_odoo.py): Odoo from a local directory or a
git URL at a pinned commit, into a virtual environment that imports it."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import odoo_env  # noqa: E402
import setup_odoo  # noqa: E402


def _venv_import(venv, code):
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def _fake_odoo(path, serie):
    (path / "odoo").mkdir(parents=True)
    (path / "odoo" / "release.py").write_text(f"serie = {serie!r}\n")
    (path / "requirements.txt").write_text("")


def _git(*args):
    subprocess.run(["git", *args], check=True, capture_output=True)


def test_local_directory(tmp_path):
    """The machine's Odoo 19.0 checkout as ODOO_SRC: the venv imports it."""
    root = odoo_env.odoo_root()
    venv = tmp_path / "venv"
    argv = ["--src", str(root), "--venv", str(venv), "--system-site-packages"]
    assert setup_odoo.main([*argv, "--checkout", str(tmp_path / "src")]) == 0
    pth = setup_odoo.site_packages(venv) / "crm_invoicing_pl_odoo.pth"
    assert pth.read_text().strip() == str(root)
    assert _venv_import(venv, "import odoo.release as r; print(r.serie)") == "19.0"
    assert not (tmp_path / "src").exists()  # a directory is used where it is


def test_git_url_pinned_commit(tmp_path):
    """A git source fetched at the commit given, not at the branch's head."""
    origin = tmp_path / "origin"
    _fake_odoo(origin, "19.0")
    _git("-C", str(origin), "init", "-q", "-b", "19.0")
    _git("-C", str(origin), "config", "uploadpack.allowAnySHA1InWant", "true")
    _git("-C", str(origin), "add", ".")
    _git(
        "-C",
        str(origin),
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "a",
    )
    pinned = subprocess.run(
        ["git", "-C", str(origin), "rev-parse", "HEAD"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (origin / "odoo" / "release.py").write_text("serie = '20.0'\n")
    _git(
        "-C",
        str(origin),
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qam",
        "b",
    )
    venv, checkout = tmp_path / "venv", tmp_path / "checkout"
    argv = ["--src", origin.as_uri(), "--ref", pinned, "--venv", str(venv)]
    assert (
        setup_odoo.main([*argv, "--checkout", str(checkout), "--system-site-packages"])
        == 0
    )
    assert _venv_import(venv, "import odoo.release as r; print(r.serie)") == "19.0"
    assert _venv_import(venv, "import odoo.release as r; print(r.__file__)") == str(
        checkout / "odoo" / "release.py"
    )
    # The head of the branch is another series: refused, loudly.
    argv = ["--src", origin.as_uri(), "--ref", "19.0", "--venv", str(venv)]
    assert setup_odoo.main([*argv, "--checkout", str(checkout)]) == 1


@pytest.mark.parametrize("problem", ["enterprise", "not_odoo"])
def test_refused_sources(tmp_path, capsys, problem):
    src = tmp_path / "src"
    if problem == "enterprise":
        _fake_odoo(src, "19.0")
        (src / "odoo" / "enterprise").mkdir()
    else:
        src.mkdir()
    argv = ["--src", str(src), "--venv", str(tmp_path / "venv")]
    assert setup_odoo.main(argv) == 1
    err = capsys.readouterr().err
    assert ("Enterprise" if problem == "enterprise" else "not an Odoo source") in err
    assert not (tmp_path / "venv").exists()
