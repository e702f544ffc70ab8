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
import signal
import subprocess
import sys
import time
import urllib.request
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
    url = f"http://127.0.0.1:{args.port}"
    prepare_database(db, url)
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
    print("$ " + " ".join(serve), flush=True)
    os.chdir(REPO_ROOT)
    return serve_until_stopped(serve, url, db)


# Public test services a demo user with internet can try (set once: a
# consultant's own settings are kept): KSeF's test environment (l10n_pl_edi)
# and GUS REGON's test endpoint with the public test key GUS publishes.
DEMO_PARAMETERS = {
    "l10n_pl_edi_ksef.mode": "test",
    "crm_vies_check.gus_url": (
        "https://wyszukiwarkaregontest.stat.gov.pl/wsBIR/UslugaBIRzewnPubl.svc"
    ),
    "crm_vies_check.gus_key": "abcde12345abcde12345",
}


def prepare_database(db: str, url: str) -> None:
    """Point web.base.url at the served port (before the first login it is
    still http://localhost:8069, where the PDF-archive job would have
    wkhtmltopdf load the report CSS) and fill ``DEMO_PARAMETERS`` in."""
    import psycopg2

    conn = psycopg2.connect(dbname=db, connect_timeout=5)
    try:
        with conn, conn.cursor() as cr:
            cr.execute(
                "UPDATE ir_config_parameter SET value = %s WHERE key = 'web.base.url'",
                (url,),
            )
            for key, value in DEMO_PARAMETERS.items():
                cr.execute(
                    "INSERT INTO ir_config_parameter (key, value, create_date, "
                    "write_date) VALUES (%s, %s, now() at time zone 'UTC', "
                    "now() at time zone 'UTC') ON CONFLICT (key) DO NOTHING",
                    (key, value),
                )
    finally:
        conn.close()


def ready_block(url: str, db: str) -> str:
    """What the user reads once Odoo answers: where to go and what to open."""
    return (
        "\n" + "=" * 64 + "\n"
        f"  The demo is ready: {url}\n"
        f"  Login: admin   Password: admin   (database {db})\n"
        "  Opens on Invoicing > Customers > Invoices of Demo Polska;\n"
        "  try first: CRM > a quotation > Pro forma, then Faktura VAT.\n"
        "  Ctrl+C stops Odoo.\n" + "=" * 64 + "\n"
    )


def serve_until_stopped(serve: list[str], url: str, db: str) -> int:
    """Run Odoo in the foreground; once it answers, print ``ready_block``."""
    proc = subprocess.Popen(serve, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/web/login", timeout=5) as answer:
                    if answer.status == 200:
                        print(ready_block(url, db), flush=True)
                        break
            except OSError:
                time.sleep(1)
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
