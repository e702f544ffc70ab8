#!/usr/bin/env python3
"""Serve the suite with demo data (``make demo``).

Creates the database if it is missing (default ``crm_pl_demo``), with the
suite's add-ons installed WITH demo data and Polish loaded, then serves Odoo
in the foreground on http://127.0.0.1:8069 (login admin / admin). An existing
database is served as it is; suite add-ons it does not have yet (a new add-on
in the repository) are installed first. Ctrl+C stops the server.

Same Odoo, add-ons path and preflight as ``scripts/run_tests.py`` (shared
through ``scripts/odoo_env.py``). The filestore and Odoo config live in
``.demo/``; a developer's ~/.odoorc is not read.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoo_env  # noqa: E402
from odoo_env import REPO_ROOT, PreflightError  # noqa: E402

DEMO_DIR = REPO_ROOT / ".demo"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--db",
        default=os.environ.get("DB") or "crm_pl_demo",
        help="database name (default %(default)s; make demo DB=name)",
    )
    p.add_argument("--port", type=int, default=8069, help="HTTP port (default 8069)")
    p.add_argument("--addons", metavar="A,B", help="suite add-ons (default: all)")
    p.add_argument("--lang", default="pl_PL", help="language to load (default pl_PL)")
    p.add_argument(
        "--init-only",
        action="store_true",
        help="create/complete the database, do not serve it",
    )
    p.add_argument(
        "--reset",
        action="store_true",
        help="drop the database first and create it anew",
    )
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        odoo = odoo_env.import_odoo()
        print(f"odoo {odoo.release.version} at {odoo_env.odoo_root(odoo)}")
        print(f"postgresql: {odoo_env.check_postgres()}")
        addons = odoo_env.select_addons(args.addons)
        if not args.init_only and odoo_env.port_in_use(args.port):
            raise PreflightError(
                f"port {args.port} on 127.0.0.1 is already in use "
                "(another Odoo running?); stop it or pass --port"
            )
    except PreflightError as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 2

    data_dir = DEMO_DIR / "data"
    config = odoo_env.write_empty_config(DEMO_DIR / "odoo-demo.conf")
    db = args.db

    if args.reset and odoo_env.database_exists(db):
        print(f"--reset: dropping database {db}")
        odoo_env.drop_database(db, data_dir)

    created = not odoo_env.database_exists(db)
    missing = (
        addons
        if created
        else sorted(set(addons) - odoo_env.installed_modules(db, addons))
    )
    if missing:
        what = "creating database" if created else "installing into database"
        print(
            f"{what} {db}: {', '.join(missing)} with demo data, language {args.lang}",
            flush=True,
        )
        init = odoo_env.odoo_command(
            db,
            config=config,
            data_dir=data_dir,
            odoo_pkg=odoo,
            extra=[
                f"--init={','.join(missing)}",
                "--with-demo",
                f"--load-language={args.lang}",
                "--stop-after-init",
                "--no-http",
                "--max-cron-threads=0",
            ],
        )
        print("$ " + " ".join(init), flush=True)
        rc = subprocess.run(
            init, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, check=False
        ).returncode
        if rc != 0:
            print(f"demo: installing failed (odoo exit code {rc})", file=sys.stderr)
            if created:
                print(f"demo: dropping the half-made database {db}", file=sys.stderr)
                odoo_env.drop_database(db, data_dir)
            return 1
    else:
        print(f"database {db} exists with {', '.join(addons)} installed: serving it")

    if args.init_only:
        return 0
    serve = odoo_env.odoo_command(
        db,
        config=config,
        data_dir=data_dir,
        odoo_pkg=odoo,
        extra=[
            "--http-interface=127.0.0.1",
            f"--http-port={args.port}",
            f"--db-filter=^{db}$",
        ],
    )
    print("$ " + " ".join(serve))
    print(
        f"\n  Odoo is starting: http://127.0.0.1:{args.port}"
        f"\n  login: admin / password: admin   (database {db}; Ctrl+C stops)\n",
        flush=True,
    )
    os.chdir(REPO_ROOT)
    os.execv(serve[0], serve)  # foreground: Odoo gets the terminal and Ctrl+C


if __name__ == "__main__":
    sys.exit(main())
