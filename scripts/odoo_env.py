"""Where Odoo and the suite's add-ons are, and how to start Odoo on them.

Shared by ``scripts/run_tests.py`` (``make test``) and ``scripts/demo.py``
(``make demo``) so both use the same add-ons path, the same isolated Odoo
configuration and the same preflight checks. Standard library only, plus
psycopg2, which Odoo itself requires (imported lazily, after Odoo).

Every check raises :class:`PreflightError` with a message meant for a human;
callers print it and exit non-zero. Nothing here skips silently.
"""

from __future__ import annotations

import ast
import importlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
REQUIRED_SERIES = "19.0"
# OCA add-ons installed from PyPI by `make oca-deps` (requirements-oca.txt),
# relative to the repository root.
OCA_ADDONS_DIR = Path(".oca-addons", "odoo", "addons")
# Same names, same order as odoo.tests.common._find_executable() on Linux.
CHROME_NAMES = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")


class PreflightError(RuntimeError):
    """An environment problem that must stop the run, with a readable reason."""


def discover_addons(root: Path = REPO_ROOT) -> list[str]:
    """The suite's add-ons: top-level directories holding a ``__manifest__.py``."""
    return sorted(
        p.parent.name
        for p in root.glob("*/__manifest__.py")
        if not p.parent.name.startswith((".", "_"))
    )


def select_addons(requested: str | None, root: Path = REPO_ROOT) -> list[str]:
    """``--addons a,b`` validated against the discovered add-ons (all if None)."""
    available = discover_addons(root)
    if not available:
        raise PreflightError(
            f"no add-on found in {root} (no top-level directory has a __manifest__.py)"
        )
    if not requested:
        return available
    wanted = [a.strip() for a in requested.split(",") if a.strip()]
    unknown = [a for a in wanted if a not in available]
    if unknown:
        raise PreflightError(
            f"unknown add-on(s) {', '.join(unknown)}; "
            f"the suite has: {', '.join(available)}"
        )
    return wanted


def import_odoo():
    """Import Odoo and require the 19.0 series; return the ``odoo`` package."""
    try:
        import odoo
        import odoo.release
    except ImportError as exc:
        raise PreflightError(
            f"cannot import Odoo with {sys.executable} ({exc}). Odoo {REQUIRED_SERIES} "
            "must be importable as `odoo` by this Python, e.g. through a .pth file "
            "in site-packages pointing at the Odoo source checkout, or run `make "
            "odoo` (ODOO_SRC=<git URL or directory>) to set it up in .venv (see "
            "README.md, Prerequisites)."
        ) from exc
    series = getattr(odoo.release, "serie", None) or ".".join(
        str(x) for x in odoo.release.version_info[:2]
    )
    if series != REQUIRED_SERIES:
        raise PreflightError(
            f"Odoo {odoo.release.version} found at {odoo_root(odoo)}, "
            f"but this suite needs Odoo {REQUIRED_SERIES}"
        )
    return odoo


def odoo_root(odoo_pkg=None) -> Path:
    """The Odoo source checkout: the directory holding the ``odoo`` package.

    Odoo 19's ``odoo`` is a namespace package (no ``__init__.py``, so
    ``odoo.__file__`` is None): locate it through ``odoo/release.py``.
    """
    if odoo_pkg is None:
        odoo_pkg = import_odoo()
    return Path(odoo_pkg.release.__file__).resolve().parent.parent


def odoo_bin(odoo_pkg=None) -> Path:
    path = odoo_root(odoo_pkg) / "odoo-bin"
    if not path.is_file():
        raise PreflightError(
            f"odoo-bin not found at {path} (expected next to the imported "
            "`odoo` package; a pip-installed Odoo without the source checkout "
            "is not supported)"
        )
    return path


def addons_path(odoo_pkg=None, root: Path = REPO_ROOT) -> list[Path]:
    """Odoo's core add-on directories, the repository root, then the OCA
    add-ons of ``make oca-deps`` when they are installed.

    Raises PreflightError when an add-on of the suite depends on a module that
    none of these directories holds.
    """
    base = odoo_root(odoo_pkg)
    core = [base / "addons", base / "odoo" / "addons"]
    missing = [str(p) for p in core if not p.is_dir()]
    if missing:
        raise PreflightError(
            f"Odoo core add-ons directory missing: {', '.join(missing)} "
            "(a full Odoo source checkout is needed)"
        )
    paths = [*core, root]
    oca = root / OCA_ADDONS_DIR
    if oca.is_dir():
        paths.append(oca)
    check_dependencies(paths, root)
    return paths


def manifest_depends(addon_dir: Path) -> list[str]:
    """The ``depends`` of an add-on's ``__manifest__.py``."""
    manifest = ast.literal_eval(
        (addon_dir / "__manifest__.py").read_text(encoding="utf-8")
    )
    return list(manifest.get("depends", []))


def check_dependencies(paths: list[Path], root: Path = REPO_ROOT) -> None:
    """Every module the suite's add-ons depend on is in one of ``paths``."""
    missing = {}
    for addon in discover_addons(root):
        for dep in manifest_depends(root / addon):
            if not any((p / dep / "__manifest__.py").is_file() for p in paths):
                missing.setdefault(dep, []).append(addon)
    if missing:
        needs = "; ".join(
            f"{dep} (needed by {', '.join(addons)})"
            for dep, addons in sorted(missing.items())
        )
        raise PreflightError(
            f"module(s) not found in the add-ons path: {needs}. "
            "The OCA add-ons of requirements-oca.txt are installed into "
            f"{root / '.oca-addons'} by `make oca-deps`: run it first.\n"
            f"  add-ons path: {','.join(str(p) for p in paths)}"
        )


def check_postgres() -> str:
    """Connect as Odoo will (libpq defaults: socket, OS user, PG* env vars).

    Returns a one-line description; raises PreflightError if PostgreSQL does
    not accept a connection or the role may not create databases.
    """
    user = os.environ.get("PGUSER") or _os_user()
    if user == "postgres":
        raise PreflightError(
            "the database user would be 'postgres', which Odoo refuses; "
            "connect as another role (unset PGUSER / run as a non-postgres OS user)"
        )
    try:
        import psycopg2  # an Odoo requirement
    except ImportError as exc:
        raise PreflightError(f"psycopg2 is not importable ({exc})") from exc
    try:
        conn = psycopg2.connect(dbname="postgres", connect_timeout=5)
    except psycopg2.OperationalError as exc:
        hint = ""
        if shutil.which("pg_isready"):
            ready = subprocess.run(
                ["pg_isready"], capture_output=True, text=True, check=False
            )
            hint = f"\n  pg_isready says: {(ready.stdout or ready.stderr).strip()}"
        raise PreflightError(
            "PostgreSQL does not accept connections as Odoo would make them "
            f"(user {user!r}, host {os.environ.get('PGHOST', 'local socket')}): "
            f"{str(exc).strip()}{hint}\n  Start it, e.g. "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        ) from exc
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT current_user, rolsuper OR rolcreatedb, "
                "current_setting('server_version') "
                "FROM pg_roles WHERE rolname = current_user"
            )
            role, can_create, server_version = cr.fetchone()
    finally:
        conn.close()
    if not can_create:
        raise PreflightError(
            f"PostgreSQL role {role!r} may not create databases "
            f"(ALTER ROLE {role} CREATEDB)"
        )
    return f"PostgreSQL {server_version}, role {role}"


def find_chrome() -> str:
    for name in CHROME_NAMES:
        path = shutil.which(name)
        if path:
            return path
    raise PreflightError(
        "no Chrome/Chromium binary on PATH (Odoo looks for "
        f"{', '.join(CHROME_NAMES)}); without it Odoo SKIPS every browser "
        "tour. Install it: apt-get install chromium"
    )


def check_websocket() -> str:
    try:
        websocket = importlib.import_module("websocket")
    except ImportError as exc:
        raise PreflightError(
            f"python module `websocket` (package websocket-client) is missing ({exc}); "
            "without it Odoo SKIPS every browser tour. "
            "pip install -r requirements-dev.txt"
        ) from exc
    if not hasattr(websocket, "create_connection"):
        raise PreflightError(
            f"`websocket` at {websocket.__file__} is not websocket-client "
            "(a different package named `websocket` is installed)"
        )
    return getattr(websocket, "__version__", "?")


def check_testing_package() -> str:
    """The test-only package of the local fake servers (``testing/``).

    The add-ons' Odoo tests and ``tests/`` import their fakes from
    ``crm_pl_testing``; requirements-dev.txt installs it (``-e ./testing``).
    Returns where it is imported from.
    """
    try:
        package = importlib.import_module("crm_pl_testing")
    except ImportError as exc:
        raise PreflightError(
            f"python package `crm_pl_testing` (the local fake servers of the tests, "
            f"in testing/) is missing ({exc}); the tests import their fakes from it. "
            "pip install -r requirements-dev.txt (or pip install -e ./testing)"
        ) from exc
    return str(Path(package.__file__).resolve().parent)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def write_empty_config(path: Path) -> Path:
    """An empty Odoo config, so a developer's ~/.odoorc cannot leak in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[options]\n", encoding="utf-8")
    return path


def odoo_command(
    db: str,
    *,
    config: Path,
    data_dir: Path,
    odoo_pkg=None,
    root: Path = REPO_ROOT,
    extra: list[str] | tuple[str, ...] = (),
) -> list[str]:
    """The command line that starts Odoo on ``db`` with the suite's add-ons."""
    return [
        sys.executable,
        str(odoo_bin(odoo_pkg)),
        f"--config={config}",
        f"--data-dir={data_dir}",
        f"--addons-path={','.join(str(p) for p in addons_path(odoo_pkg, root))}",
        f"--database={db}",
        *extra,
    ]


def _connect_postgres():
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", connect_timeout=5)
    conn.autocommit = True
    return conn


def database_exists(db: str) -> bool:
    conn = _connect_postgres()
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
            return cr.fetchone() is not None
    finally:
        conn.close()


def databases_like(prefix: str) -> list[str]:
    """The databases whose name starts with ``prefix``."""
    conn = _connect_postgres()
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
                (prefix,),
            )
            return sorted(row[0] for row in cr.fetchall())
    finally:
        conn.close()


def copy_database(template: str, db: str, data_dir: Path) -> None:
    """Create ``db`` as a copy of ``template``, filestore included.

    ``FILE_COPY`` copies the files of the database instead of writing every
    block to the WAL (PostgreSQL 15's default): faster for a large one."""
    from psycopg2 import sql

    conn = _connect_postgres()
    try:
        with conn.cursor() as cr:
            cr.execute(
                sql.SQL(
                    "CREATE DATABASE {} WITH TEMPLATE {} STRATEGY FILE_COPY"
                ).format(sql.Identifier(db), sql.Identifier(template))
            )
    finally:
        conn.close()
    source = data_dir / "filestore" / template
    if source.is_dir():
        shutil.copytree(source, data_dir / "filestore" / db)


def installed_modules(db: str, names: list[str]) -> set[str]:
    """Which of ``names`` are installed in ``db`` (empty if it has no Odoo yet)."""
    import psycopg2

    try:
        conn = psycopg2.connect(dbname=db, connect_timeout=5)
    except psycopg2.OperationalError:
        return set()
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
            if not cr.fetchone()[0]:
                return set()
            cr.execute(
                "SELECT name FROM ir_module_module "
                "WHERE state = 'installed' AND name = ANY(%s)",
                (list(names),),
            )
            return {row[0] for row in cr.fetchall()}
    finally:
        conn.close()


def drop_database(db: str, data_dir: Path | None = None) -> None:
    """Drop ``db`` (terminating leftover connections) and its filestore."""
    from psycopg2 import sql

    conn = _connect_postgres()
    try:
        with conn.cursor() as cr:
            cr.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(db)
                )
            )
    finally:
        conn.close()
    if data_dir is not None:
        shutil.rmtree(data_dir / "filestore" / db, ignore_errors=True)


def _os_user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return os.environ.get("USER", "?")
