"""What the benchmarks share: Odoo set-up, the OCA baseline, databases,
Polish companies, products and customers, SQL copies of posted invoices,
and timing a committed run.

Imported by the scripts of this folder (their folder is first on
``sys.path`` when they run), after ``scripts/odoo_env.py``. What each
benchmark measures and reports stays in its script.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import namedtuple
from pathlib import Path

import odoo_env
from stdnum.pl import nip as pl_nip

DEFAULT_OCA = "/opt/oca-addons"
STREETS = (
    "ul. Marszałkowska",
    "ul. Piotrkowska",
    "ul. Długa",
    "ul. Floriańska",
    "al. Jerozolimskie",
    "ul. Świętojańska",
    "ul. Półwiejska",
    "ul. Grunwaldzka",
)
CITIES = (
    ("00-001", "Warszawa"),
    ("90-001", "Łódź"),
    ("80-001", "Gdańsk"),
    ("31-001", "Kraków"),
    ("61-001", "Poznań"),
    ("50-001", "Wrocław"),
    ("81-001", "Gdynia"),
    ("20-001", "Lublin"),
)
NAMES = (
    "Hurtownia",
    "Kancelaria",
    "Pracownia",
    "Serwis",
    "Drukarnia",
    "Piekarnia",
    "Apteka",
    "Studio",
)
COMPANY_NIP = "PL5260250274"
COMPANY_IBAN = "PL61109010140000071219812874"
# The context of bulk set-up: no chatter message, no tracking.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


class BenchError(Exception):
    pass


def oca_addons_path(oca_dir, modules, script, hint=""):
    """``oca_dir`` once every OCA module of the baseline is found in it."""
    missing = [
        m for m in modules if not (Path(oca_dir) / m / "__manifest__.py").is_file()
    ]
    if missing:
        raise BenchError(
            f"OCA add-on(s) {', '.join(missing)} not found in {oca_dir}: "
            "install the OCA baseline as this script's docstring says "
            f"(python3 bench/{script} --help) or pass --oca-addons{hint}"
        )
    return str(oca_dir)


def addons_path(*extra, root=None):
    """The add-ons path of Odoo and this repository (or the checkout
    ``root``), then ``extra`` folders, as ``--addons-path`` takes it."""
    odoo = odoo_env.import_odoo()
    paths = odoo_env.addons_path(odoo, **({"root": Path(root)} if root else {}))
    return ",".join([*(str(path) for path in paths), *(str(path) for path in extra)])


def odoo_bin_run(addons_path, db, option, modules):
    """``odoo-bin --init`` / ``--update`` of ``modules`` in ``db``, no demo data."""
    cmd = [
        sys.executable,
        str(odoo_env.odoo_bin()),
        f"--addons-path={addons_path}",
        f"--database={db}",
        f"{option}={','.join(modules)}",
        "--without-demo=all",
        "--stop-after-init",
        "--no-http",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    print("$ " + " ".join(cmd), flush=True)
    if subprocess.run(cmd, cwd="/tmp", check=False).returncode:
        raise BenchError(f"{option} {', '.join(modules)} on {db} failed")


def install_missing(db, modules, addons_path, duration="several minutes"):
    """Install those of ``modules`` not installed in ``db`` (created when
    missing); returns them (empty when all were there)."""
    present = odoo_env.installed_modules(db, list(modules))
    missing = [m for m in modules if m not in present]
    if missing:
        print(f"installing {', '.join(missing)} into {db} ({duration})")
        odoo_bin_run(addons_path, db, "--init", missing)
    return missing


def upgrade(db, modules, addons_path):
    """``odoo-bin --update`` of ``modules`` in ``db`` (after code changes)."""
    print(f"upgrading {', '.join(modules)} in {db}")
    odoo_bin_run(addons_path, db, "--update", list(modules))


def copy_database(source, target):
    """``target``, a fresh copy of ``source`` and its filestore (replacing an
    earlier one), for a run that must leave ``source`` as it is."""
    import odoo.sql_db

    odoo.sql_db.close_db(source)
    drop_database(target)
    odoo_env.copy_database(source, target, _data_dir())


def drop_database(db):
    """Drop ``db`` and its filestore when it exists, this process's Odoo
    connections closed."""
    import odoo.sql_db

    odoo.sql_db.close_db(db)
    odoo_env.drop_database(db, _data_dir())


def _data_dir():
    from odoo.tools import config

    return Path(config["data_dir"])


def configure_odoo(db, addons_path, name):
    """Point this process's Odoo at ``db`` with an empty configuration file."""
    from odoo.tools import config

    conf = odoo_env.write_empty_config(Path(tempfile.gettempdir()) / f"{name}.conf")
    config.parse_config(
        [f"--config={conf}", "-d", db, "--addons-path", addons_path]
        + ["--log-level=warn", "--http-interface=127.0.0.1"]
    )


def valid_nip(rng):
    """A random NIP with a valid check digit, prefixed with PL."""
    while True:
        body = "".join(str(rng.randint(1 if i == 0 else 0, 9)) for i in range(9))
        # the one check digit python-stdnum accepts; none when the weighted
        # sum leaves 10 (then draw again)
        for digit in "0123456789":
            if pl_nip.is_valid(body + digit):
                return "PL" + body + digit


def setup_partners(env, count, rng, ref_prefix, with_email=False, batch=1000):
    """``count`` Polish business customers (ref ``<ref_prefix>-00000``...).

    Kept between runs: only the missing ones are created.
    """
    Partner = env["res.partner"]
    domain = [("ref", "=like", f"{ref_prefix}-%")]
    existing = Partner.search_count(domain)
    if existing < count:
        print(f"  creating {count - existing} customers", flush=True)
        vals = []
        for index in range(existing, count):
            zip_code, city = CITIES[index % len(CITIES)]
            vals.append(
                {
                    "name": f"{NAMES[index % len(NAMES)]} {index + 1} Sp. z o.o.",
                    "ref": f"{ref_prefix}-{index:05d}",
                    "is_company": True,
                    "vat": valid_nip(rng),
                    "street": f"{STREETS[index % len(STREETS)]} {index % 120 + 1}",
                    "zip": zip_code,
                    "city": city,
                    "country_id": env.ref("base.pl").id,
                    **(
                        {"email": f"ksiegowosc{index + 1}@klient.invalid"}
                        if with_email
                        else {}
                    ),
                }
            )
        for chunk in range(0, len(vals), batch):
            Partner.create(vals[chunk : chunk + batch])
    return Partner.search(domain, order="ref", limit=count)


def create_pl_company(env, name, **values):
    """A new Polish company: l10n_pl chart, NIP, Warsaw address, bank account.

    The current user gets access to it. Returns the company.
    """
    company = env["res.company"].create(
        {
            "name": name,
            "vat": COMPANY_NIP,
            "street": "ul. Świętokrzyska 12",
            "zip": "00-916",
            "city": "Warszawa",
            "country_id": env.ref("base.pl").id,
            "currency_id": env.ref("base.PLN").id,
            **values,
        }
    )
    env.user.company_ids |= company
    cenv = env(context={"allowed_company_ids": company.ids})
    cenv["account.chart.template"].try_loading("pl", company, install_demo=False)
    bank = cenv["res.partner.bank"].create(
        {
            "acc_number": COMPANY_IBAN,
            "partner_id": company.partner_id.id,
            "company_id": company.id,
            "allow_out_payment": True,
        }
    )
    cenv["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
    ).bank_account_id = bank
    return company


def get_or_create_company(env, name, **values):
    """(the company ``name``, whether it was created now): made once by
    ``create_pl_company`` with ``values``, kept between runs."""
    company = env["res.company"].search([("name", "=", name)], limit=1)
    if company:
        return company, False
    print(f"  creating company {name} (Polish chart)", flush=True)
    return create_pl_company(env, name, **values), True


def create_products(env, company, products):
    """The products of ``company``, created one by one in the given order.

    ``products``: ``product.product`` values each with ``tax``, the xml id
    of its tax in the company's l10n_pl chart (``vs_kraj_23``...).
    """
    from odoo import Command

    cenv = env(context={"allowed_company_ids": company.ids})
    chart = cenv["account.chart.template"].with_company(company)
    created = cenv["product.product"]
    for values in products:
        values = dict(values)
        tax = chart.ref(values.pop("tax"))
        created |= cenv["product.product"].create(
            {
                **values,
                "taxes_id": [Command.set(tax.ids)],
                "company_id": company.id,
            }
        )
    return created


def company_products(env, company, code_prefix):
    """The products of ``company`` whose internal reference starts with
    ``code_prefix``, by reference."""
    return env["product.product"].search(
        [("company_id", "=", company.id), ("default_code", "=like", f"{code_prefix}%")],
        order="default_code",
    )


def enable_pl_documents(env, company):
    """Switch the suite's Polish documents on in ``company``, as a Polish user
    does (Settings > Polish Sales Documents: its document types and number
    series), with the e-mail/SMS on issue off; returns the document types."""
    company.pl_documents_enabled = True
    doc_types = env["pl.document.type"].search([("company_id", "=", company.id)])
    doc_types.write({"pl_notify_email": False, "pl_notify_sms": False})
    return doc_types


def table_columns(cr, table):
    """The columns of ``table`` (schema public), in their order."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def column_select(columns, overrides, alias="t"):
    """The SELECT list copying ``columns`` of the row ``alias``, except
    those in ``overrides`` ({column: SQL expression})."""
    return ", ".join(overrides.get(column, f"{alias}.{column}") for column in columns)


# What a copy of a posted invoice takes from its row of the bench_clone
# table: number, customer and dates (the rest from its template).
CLONE_MOVE_COLUMNS = {
    "id": "c.new_id",
    "name": "c.name",
    "payment_reference": "c.name",
    "partner_id": "c.partner_id",
    "commercial_partner_id": "c.partner_id",
    "partner_shipping_id": "c.partner_id",
    "invoice_partner_display_name": "c.partner_name",
    "invoice_date": "c.invoice_date",
    "taxable_supply_date": "c.invoice_date",
    "date": "c.invoice_date",
    "invoice_date_due": "c.due",
    "sequence_number": "c.n + 1",
    "invoice_origin": "NULL",
    "ref": "NULL",
    "access_token": "NULL",
    "create_date": "now() at time zone 'UTC'",
    "write_date": "now() at time zone 'UTC'",
}
CLONE_LINE_COLUMNS = {
    "id": "l.new_id",
    "move_id": "c.new_id",
    "move_name": "c.name",
    "partner_id": "c.partner_id",
    "date": "c.invoice_date",
    "invoice_date": "c.invoice_date",
    "date_maturity": "CASE WHEN t.date_maturity IS NULL THEN NULL ELSE c.due END",
    "name": "CASE WHEN t.display_type = 'payment_term' THEN c.name ELSE t.name END",
    "ref": "NULL",
    "create_date": "now() at time zone 'UTC'",
    "write_date": "now() at time zone 'UTC'",
}
# The many2many tables of a journal item a copy may take along:
# (table, column of the other side).
LINE_RELATIONS = (
    ("account_account_tag_account_move_line_rel", "account_account_tag_id"),
    ("account_move_line_account_tax_rel", "account_tax_id"),
)


def clone_invoices(env, rows, sequence_prefix, with_relations=False):
    """Copies of posted invoices made through the ORM, at the SQL level.

    ``rows``: one (n, template move id, customer id, customer name, number,
    invoice date, due date) per copy; ``n + 1`` is its sequence number
    after ``sequence_prefix``. Every stored column of ``account_move`` and
    ``account_move_line`` is the template's except the number, the customer
    and the dates (``CLONE_MOVE_COLUMNS``, ``CLONE_LINE_COLUMNS``); with
    ``with_relations`` the lines' tax tags (what the VAT registers read) and
    taxes too. Posting that many invoices through the ORM would take hours.
    """
    from psycopg2.extras import execute_values

    cr = env.cr
    env.flush_all()
    cr.execute(
        "CREATE TEMP TABLE bench_clone (n int, template_id int, partner_id int, "
        "partner_name varchar, name varchar, invoice_date date, due date, "
        "new_id int)"
    )
    execute_values(
        cr,
        "INSERT INTO bench_clone (n, template_id, partner_id, partner_name, name, "
        "invoice_date, due) VALUES %s",
        rows,
        page_size=5000,
    )
    cr.execute("UPDATE bench_clone SET new_id = nextval('account_move_id_seq')")
    move_columns = {
        **CLONE_MOVE_COLUMNS,
        "sequence_prefix": cr.mogrify("%s", (sequence_prefix,)).decode(),
    }
    cols = table_columns(cr, "account_move")
    cr.execute(
        f"INSERT INTO account_move ({', '.join(cols)}) "
        f"SELECT {column_select(cols, move_columns)} "
        "FROM bench_clone c JOIN account_move t ON t.id = c.template_id"
    )
    # The new id of each line of each copy, kept to copy its relations.
    cr.execute(
        "CREATE TEMP TABLE bench_clone_line AS "
        "SELECT c.new_id AS move_id, t.id AS old_id, "
        "nextval('account_move_line_id_seq') AS new_id "
        "FROM bench_clone c JOIN account_move_line t ON t.move_id = c.template_id"
    )
    cols = table_columns(cr, "account_move_line")
    cr.execute(
        f"INSERT INTO account_move_line ({', '.join(cols)}) "
        f"SELECT {column_select(cols, CLONE_LINE_COLUMNS)} "
        "FROM bench_clone_line l JOIN bench_clone c ON c.new_id = l.move_id "
        "JOIN account_move_line t ON t.id = l.old_id"
    )
    for table, column in LINE_RELATIONS if with_relations else ():
        cr.execute(
            f"INSERT INTO {table} (account_move_line_id, {column}) "
            f"SELECT l.new_id, r.{column} FROM bench_clone_line l "
            f"JOIN {table} r ON r.account_move_line_id = l.old_id"
        )
    cr.execute("DROP TABLE bench_clone_line")
    cr.execute("DROP TABLE bench_clone")
    env.invalidate_all()


Timing = namedtuple("Timing", "elapsed cpu queries")


def vacuum_analyze(db):
    """``VACUUM ANALYZE`` of ``db``, as autovacuum does on a production server.

    This machine's PostgreSQL runs with autovacuum off (its
    ``conf.d/90-ci.conf``): without it, the dead rows and stale planner
    statistics left by the set-up, the earlier method and the earlier runs
    slow down whichever method comes next. Seen with bench/recurring.py's
    cron at 5 000 contracts: 138 s in a fresh database, 169 s in the next
    run, 110 s in the run after that with ``VACUUM ANALYZE`` before it.
    """
    import psycopg2

    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True  # VACUUM runs outside a transaction
    try:
        with conn.cursor() as cr:
            cr.execute("VACUUM ANALYZE")
    finally:
        conn.close()


def committed_run(env, run, vacuum=False):
    """Commit, empty the ORM cache, then time ``run()`` and its commit, as a
    cron's batch is: a ``Timing`` (wall-clock seconds, this process's CPU
    seconds, SQL queries of this process). With ``vacuum``, the database is
    vacuumed and analysed first (``vacuum_analyze``, not timed)."""
    import odoo.sql_db

    env.cr.commit()
    if vacuum:
        vacuum_analyze(env.cr.dbname)
    env.invalidate_all()
    queries = odoo.sql_db.sql_counter
    start, cpu = time.perf_counter(), time.process_time()
    run()
    env.cr.commit()
    return Timing(
        time.perf_counter() - start,
        time.process_time() - cpu,
        odoo.sql_db.sql_counter - queries,
    )
