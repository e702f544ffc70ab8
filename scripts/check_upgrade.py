#!/usr/bin/env python3
"""Check the upgrade of a database made by an earlier version of the suite.

Issue 20 carves concerns out of ``crm_invoicing_pl`` into add-ons of their
own; ``crm_invoicing_pl/migrations`` installs them with its upgrade. This
script proves it on a real database, by hand (it is not part of
``make test``)::

    python3 scripts/check_upgrade.py --from 66b6e7b
    python3 scripts/check_upgrade.py --from ad840b0 --demo

1. the add-ons of git revision ``--from`` are extracted into a temporary
   directory and ``crm_invoicing_pl`` is installed from them into a fresh
   database (with demo data with ``--demo``);
2. the database is upgraded with this checkout (``-u crm_invoicing_pl``);
3. checked: the upgrade ran without error, every add-on of the
   ``SPLIT_ADDONS`` of the migrations the upgrade runs that exists in this
   checkout is installed, no column of the old schema is gone (the data of
   the fields handed over stays where it was), every record the old
   ``crm_invoicing_pl`` created with ``noupdate`` (crons, rules, templates)
   still exists, no scheduled action or record rule is there twice, no
   business record (order, invoice, price rule, lead) was added, and
   Odoo's integrity report finds no hashed document corrupted.

Exit status 0 when every check passes. Standard library + psycopg2.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoo_env  # noqa: E402
from odoo_env import REPO_ROOT  # noqa: E402

MIGRATIONS = REPO_ROOT / "crm_invoicing_pl" / "migrations"
# Run in `odoo-bin shell` after the upgrade: Odoo's integrity report of every
# company, as the hash chain's "Check Integrity" prints it.
HASH_CHECK = """
for company in env["res.company"].search([]):
    for result in company.with_company(company)._check_hash_integrity()["results"]:
        print("HASH", result["status"], company.id, result["journal_name"])
"""


# Business records: an upgrade adds none of them (an add-on that takes
# records over and loads its data again must not double an order line, an
# invoice or a price rule).
DOCUMENT_TABLES = (
    "account_move",
    "account_move_line",
    "sale_order",
    "sale_order_line",
    "product_pricelist_item",
    "crm_lead",
)


def _version(text):
    return [int(n) for n in text.split(".")]


def split_addons(newer_than="0") -> list[str]:
    """``SPLIT_ADDONS`` of the migrations of crm_invoicing_pl that an upgrade
    from version ``newer_than`` runs."""
    addons = []
    for version in sorted(MIGRATIONS.iterdir(), key=lambda p: _version(p.name)):
        if _version(version.name) <= _version(newer_than):
            continue
        tree = ast.parse((version / "pre-migrate.py").read_text(encoding="utf-8"))
        values = [
            ast.literal_eval(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign)
            and any(getattr(t, "id", None) == "SPLIT_ADDONS" for t in node.targets)
        ]
        if not values:
            raise SystemExit(f"no SPLIT_ADDONS in {version}/pre-migrate.py")
        addons.extend(values[0])
    return addons


def extract(revision: str, target: Path) -> None:
    archive = target / "old.tar"
    subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", "-o", str(archive), revision],
        check=True,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(target / "old", filter="data")
    oca = REPO_ROOT / ".oca-addons"  # make oca-deps: the same OCA add-ons
    if oca.is_dir():
        (target / "old" / ".oca-addons").symlink_to(oca)


def run_odoo(db, root, work, args, log):
    command = odoo_env.odoo_command(
        db,
        config=odoo_env.write_empty_config(work / "odoo.conf"),
        data_dir=work / "data",
        root=root,
        extra=[
            *args,
            "--stop-after-init",
            "--no-http",
            "--max-cron-threads=0",
            "--log-level=info",
        ],
    )
    print("$", " ".join(command), flush=True)
    with log.open("w", encoding="utf-8") as out:
        rc = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT).returncode
    text = log.read_text(encoding="utf-8")
    errors = [line for line in text.splitlines() if " ERROR " in line]
    if rc or errors or "Traceback" in text:
        print("\n".join(errors[:20]) or text[-3000:])
        raise SystemExit(f"FAILED: Odoo exited {rc} (log: {log})")


def query(db, sql, params=()):
    import psycopg2

    conn = psycopg2.connect(dbname=db)
    try:
        with conn.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()
    finally:
        conn.close()


def snapshot(db):
    columns = set(
        query(
            db,
            # tables only: the SQL views of reports are built again
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_schema, table_name) "
            "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'",
        )
    )
    kept = set(
        query(
            db,
            "SELECT model, res_id FROM ir_model_data "
            "WHERE module = 'crm_invoicing_pl' AND noupdate",
        )
    )
    counts = {
        table: query(db, f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608
        for table in DOCUMENT_TABLES
        if query(db, "SELECT to_regclass(%s) IS NOT NULL", (table,))[0][0]
    }
    return columns, kept, counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="revision", required=True, help="git revision")
    parser.add_argument("--db", default="crm_pl_upgrade_check")
    parser.add_argument("--demo", action="store_true", help="install demo data")
    args = parser.parse_args(argv)
    odoo_env.import_odoo()
    with tempfile.TemporaryDirectory(prefix="crm-pl-upgrade-") as tmp:
        work = Path(tmp)
        extract(args.revision, work)
        odoo_env.drop_database(args.db, work / "data")
        try:
            run_odoo(
                args.db,
                work / "old",
                work,
                ["-i", "crm_invoicing_pl", f"--without-demo={not args.demo}"],
                work / "install.log",
            )
            columns, kept, counts = snapshot(args.db)
            ((old_version,),) = query(
                args.db,
                "SELECT latest_version FROM ir_module_module"
                " WHERE name = 'crm_invoicing_pl'",
            )
            print(
                f"old crm_invoicing_pl {old_version}: {len(columns)} columns, "
                f"{len(kept)} noupdate records, "
                + ", ".join(f"{n} {table}" for table, n in counts.items())
            )
            run_odoo(
                args.db, REPO_ROOT, work, ["-u", "crm_invoicing_pl"], work / "up.log"
            )
            problems = check(args.db, columns, kept, counts, old_version)
            problems += check_hashes(args.db, work)
        finally:
            odoo_env.drop_database(args.db, work / "data")
    for problem in problems:
        print("FAILED:", problem)
    print("upgrade check:", "FAILED" if problems else "passed")
    return 1 if problems else 0


def check_hashes(db, work):
    """No hashed document reads as corrupted after the upgrade."""
    command = odoo_env.odoo_command(
        db,
        config=work / "odoo.conf",
        data_dir=work / "data",
        extra=["--no-http", "--log-level=warn"],
    )
    command.insert(2, "shell")
    out = subprocess.run(
        command, input=HASH_CHECK, capture_output=True, text=True
    ).stdout
    lines = [
        line.split(" ", 3) for line in out.splitlines() if line.startswith("HASH ")
    ]
    verified = sum(1 for line in lines if line[1] == "verified")
    print(f"hash chains: {verified} verified of {len(lines)} journal series")
    return [
        f"hash chain {line[3]} (company {line[2]}) is {line[1]}"
        for line in lines
        if line[1] not in ("verified", "no_data")
    ]


def check(db, columns, kept, counts, old_version):
    problems = []
    wanted = [a for a in split_addons(old_version) if (REPO_ROOT / a).is_dir()]
    installed = odoo_env.installed_modules(db, ["crm_invoicing_pl", *wanted])
    problems += [f"{a} is not installed" for a in wanted if a not in installed]
    new_columns, _kept, new_counts = snapshot(db)
    problems += [
        f"{table}: {counts[table]} rows before the upgrade, {new_counts[table]} after"
        for table in counts
        if new_counts.get(table) != counts[table]
    ]
    problems += [f"column {t}.{c} is gone" for t, c in sorted(columns - new_columns)]
    # A record Odoo deletes loses its xml ids with it; one taken over by
    # another add-on keeps its id under the other add-on's name.
    still = set(query(db, "SELECT model, res_id FROM ir_model_data"))
    problems += [
        f"{model}({res_id}) of crm_invoicing_pl is gone"
        for model, res_id in sorted(kept - still)
    ]
    twice = query(
        db,
        "SELECT a.name->>'en_US', count(*) FROM ir_cron c "
        "JOIN ir_act_server a ON a.id = c.ir_actions_server_id "
        "GROUP BY 1 HAVING count(*) > 1",
    )
    problems += [f"scheduled action {name!r} {n} times" for name, n in twice]
    twice = query(
        db,
        "SELECT r.name, count(*) FROM ir_rule r JOIN ir_model_data d "
        "ON d.model = 'ir.rule' AND d.res_id = r.id AND d.module = ANY(%s) "
        "GROUP BY r.name, r.model_id, r.domain_force HAVING count(*) > 1",
        (["crm_invoicing_pl", *wanted],),
    )
    problems += [f"record rule {name!r} {n} times" for name, n in twice]
    print(f"installed: {', '.join(sorted(installed))}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
