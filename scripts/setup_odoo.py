#!/usr/bin/env python3
"""Set Odoo 19.0 up for the suite (``make odoo``).

Takes Odoo's source from ``--src`` (``ODOO_SRC``): a git URL (default: Odoo's
official repository), fetched at ``--ref`` (``ODOO_REF``, default the 19.0
branch; a commit pins it) into the git-ignored ``.odoo-src/``, or a local
directory holding an Odoo 19.0 checkout, used where it is. Then creates the
virtual environment ``--venv`` (default the git-ignored ``.venv/``), installs
Odoo's requirements and the suite's into it, and makes ``odoo`` importable
there through a ``.pth`` file. ``make demo`` and ``make test`` use
``.venv/bin/python`` when it exists.

Only Odoo Community: a source with ``odoo/enterprise`` is refused.
Standard library only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = "https://github.com/odoo/odoo.git"
DEFAULT_REF = "19.0"
SERIES = "19.0"
# cbor2 (an Odoo requirement) builds only with setuptools older than 81.
BUILD_CONSTRAINTS = "setuptools<81\n"


class SetupError(Exception):
    pass


def run(cmd, **kwargs):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)


def source_tree(src: str, ref: str, checkout: Path) -> Path:
    """The Odoo source root for ``src``: a local directory, or a git fetch."""
    local = Path(src).expanduser()
    if local.is_dir():
        root = local.resolve()
    else:
        if not (checkout / ".git").is_dir():
            checkout.mkdir(parents=True, exist_ok=True)
            run(["git", "init", "-q", str(checkout)])
            run(["git", "-C", str(checkout), "remote", "add", "origin", src])
        else:
            run(["git", "-C", str(checkout), "remote", "set-url", "origin", src])
        run(["git", "-C", str(checkout), "fetch", "-q", "--depth", "1", "origin", ref])
        run(["git", "-C", str(checkout), "checkout", "-q", "--force", "FETCH_HEAD"])
        root = checkout.resolve()
    release = root / "odoo" / "release.py"
    if not release.is_file():
        raise SetupError(f"{root} is not an Odoo source checkout (no odoo/release.py)")
    if (root / "odoo" / "enterprise").exists():
        raise SetupError(
            f"{root} contains odoo/enterprise (Odoo Enterprise): the suite runs on "
            "Odoo Community only; use a source without it"
        )
    return root


def site_packages(venv: Path) -> Path:
    python = venv / "bin" / "python"
    out = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip())


def setup(
    src: str, ref: str, venv: Path, system_site_packages: bool, checkout: Path
) -> str:
    root = source_tree(src, ref, checkout)
    if not (venv / "bin" / "python").exists():
        cmd = [sys.executable, "-m", "venv", str(venv)]
        if system_site_packages:
            cmd.insert(3, "--system-site-packages")
        run(cmd)
    python = str(venv / "bin" / "python")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as constraints:
        constraints.write(BUILD_CONSTRAINTS)
    env = dict(os.environ, PIP_CONSTRAINT=constraints.name)
    env.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    try:
        requirements = ["-r", str(root / "requirements.txt")]
        if (REPO_ROOT / "requirements.txt").is_file():
            requirements += ["-r", str(REPO_ROOT / "requirements.txt")]
        run([python, "-m", "pip", "install", "-q", *requirements], env=env)
    finally:
        os.unlink(constraints.name)
    (site_packages(venv) / "crm_invoicing_pl_odoo.pth").write_text(f"{root}\n")
    out = subprocess.run(
        [python, "-c", "import odoo.release as r; print(r.serie)"],
        check=True,
        capture_output=True,
        text=True,
    )
    series = out.stdout.strip()
    if series != SERIES:
        raise SetupError(f"Odoo {series} at {root}; this suite needs Odoo {SERIES}")
    return str(root)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--src",
        default=os.environ.get("ODOO_SRC") or DEFAULT_SRC,
        help="git URL or local directory of Odoo 19.0 (default %(default)s)",
    )
    p.add_argument(
        "--ref",
        default=os.environ.get("ODOO_REF") or DEFAULT_REF,
        help="branch or commit to fetch from a git URL (default %(default)s)",
    )
    p.add_argument(
        "--venv",
        type=Path,
        default=REPO_ROOT / ".venv",
        help="virtual environment to create (default .venv)",
    )
    p.add_argument(
        "--checkout",
        type=Path,
        default=REPO_ROOT / ".odoo-src",
        help="where a git source is fetched (default .odoo-src)",
    )
    p.add_argument(
        "--system-site-packages",
        action="store_true",
        help="let the virtual environment see this Python's installed packages",
    )
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        root = setup(
            args.src, args.ref, args.venv, args.system_site_packages, args.checkout
        )
    except (SetupError, subprocess.CalledProcessError) as exc:
        print(f"make odoo: FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"\nOdoo {SERIES} from {root} is set up in {args.venv}.")
    print("Next: make demo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
