#!/usr/bin/env python3
"""Benchmark: the JPK_V7M(3) export of a big month against one SQL query.

Builds N posted Polish sales documents dated in one month, in a company of
their own, and times:

(a) the suite's JPK_V7M(3) export of that month as a user runs it: the
    wizard ``pl.vat.register.export`` (Month, JPK file, with the
    declaration) and its ``action_export()``, which reads the VAT sales and
    purchase registers (``pl.vat.sales.register`` /
    ``pl.vat.purchase.register``, SQL views over the tax tags of the move
    lines), builds the XML, checks it against the official schema and stores
    it on the wizard; then a commit;
(b) the floor: one SQL query (``COPY ... TO STDOUT``) reading the same
    register rows of the month, with the contractor's name, into a CSV file.
    It runs once before (a), warming PostgreSQL's cache for both, and once
    after; the faster of the two is the floor.

The peak memory of (a) is the highest resident set size (RSS, read from
``/proc/self/statm`` every 5 ms by a thread) during the export, less the RSS
just before it: what the export adds to the process.

The XML of (a) is then validated against the official JPK_V7M(3) schema
(``../shared/specs/jpk`` next to the repository when present, else the
add-on's copy in ``crm_invoicing_pl_jpk/data/jpk_xsd``), and its row count and
output tax (``SprzedazCtrl``) are compared with the register's, read in SQL.

The data: a few template invoices are made and posted through the ORM
(lines at 23 / 8 / 5 / 0 %, business customers, one buyer in Germany with
an intra-EU supply, one consumer without a tax ID), then copied row by row
at the SQL level (every stored column of ``account_move`` /
``account_move_line`` and the lines' tax tags and taxes, only number,
customer and dates change), spread over the days of the month, because
posting 100 000 invoices through the ORM would take hours. The copies are
rebuilt when ``--documents`` changes; the company, customers and templates
are kept in ``--db``.

Run (the database is created when missing, a few minutes, and reused)::

    python3 bench/jpk.py --documents 2000
    python3 bench/jpk.py --documents 20000
    python3 bench/jpk.py                       # 100 000 documents

After a change of the add-ons' models, ``--update`` upgrades
crm_invoicing_pl and crm_invoicing_pl_jpk in the database first.

The last printed line is::

    RESULT jpk documents=<n> vs_floor=<export time / floor time> peak_mb=<m>

The targets are vs_floor <= 3 and peak_mb <= 400.
"""

from __future__ import annotations

import argparse
import base64
import calendar
import datetime
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

from bench_common import (  # noqa: E402
    QUIET,
    BenchError,
    addons_path,
    clone_invoices,
    company_products,
    configure_odoo,
    create_products,
    enable_pl_documents,
    get_or_create_company,
    install_missing,
    setup_partners,
    upgrade,
)

MODULES = ("l10n_pl", "crm_invoicing_pl", "crm_invoicing_pl_jpk")
COMPANY = "Bench JPK Sp. z o.o."
COMPANY_EMAIL = "ksiegowosc@bench-jpk.invalid"
REF = "bench-jpk"
MARKER = "bench_jpk.built"
CLONE_PREFIX = "FVB/"
# (name, list price, tax xml id of the l10n_pl chart, GTU code)
PRODUCTS = (
    ("Usługa projektowa", 1200.0, "vs_kraj_23", False),
    ("Kabel miedziany", 89.9, "vs_kraj_23", "GTU_06"),
    ("Catering", 450.0, "vs_kraj_8", False),
    ("Książka fachowa", 79.0, "vs_kraj_5", False),
    ("Usługa eksportowa krajowa 0 %", 300.0, "vs_kraj_0", False),
)
EU_TAX = "vs_unia"
TEMPLATES = 10  # 8 to business customers, 1 to the EU buyer, 1 to the consumer
SCHEMA_DIRS = (
    REPO_ROOT.parent / "shared" / "specs" / "jpk",
    REPO_ROOT / "crm_invoicing_pl_jpk" / "data" / "jpk_xsd",
)
SCHEMA_FILE = "schemat_JPK_V7M(3)_v1-0E.xsd"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--documents",
        type=int,
        default=100000,
        help="sales documents of the month (default 100000)",
    )
    p.add_argument("--db", default="bench_jpk", help="database (default %(default)s)")
    p.add_argument(
        "--month",
        default="2026-03",
        help="the month of the documents and the JPK, YYYY-MM (default %(default)s)",
    )
    p.add_argument(
        "--customers",
        type=int,
        default=500,
        help="business customers (default %(default)s)",
    )
    p.add_argument(
        "--update",
        action="store_true",
        help="upgrade the suite's add-ons in the database first (after code changes)",
    )
    p.add_argument(
        "--keep-xml",
        default=None,
        help="write the exported JPK file here (for comparing two versions)",
    )
    p.add_argument(
        "--created",
        default=None,
        help="DataWytworzeniaJPK of the file, YYYY-MM-DDTHH:MM:SS UTC, instead of "
        "now (with --keep-xml: two versions of the export compared byte for byte)",
    )
    p.add_argument("--seed", type=int, default=4, help="random seed")
    args = p.parse_args(argv)
    try:
        args.start = datetime.date.fromisoformat(args.month + "-01")
    except ValueError as exc:
        raise BenchError(f"--month {args.month!r} is not YYYY-MM") from exc
    if args.created:
        try:
            args.created = datetime.datetime.fromisoformat(args.created)
        except ValueError as exc:
            raise BenchError(
                f"--created {args.created!r} is not a date and time"
            ) from exc
    if args.documents < TEMPLATES:
        raise BenchError(f"--documents must be at least {TEMPLATES}")
    return args


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def setup_company(env, start):
    company, created = get_or_create_company(
        env, COMPANY, email=COMPANY_EMAIL, phone="+48 22 123 45 67"
    )
    if created:
        products = create_products(
            env,
            company,
            [
                {
                    "name": name,
                    "lst_price": price,
                    "tax": tax,
                    "default_code": f"BENCH-JPK-{index}",
                }
                for index, (name, price, tax, _gtu) in enumerate(PRODUCTS)
            ],
        )
        for product, (_name, _price, _tax, gtu) in zip(products, PRODUCTS, strict=True):
            if gtu:
                product.product_tmpl_id.l10n_pl_vat_gtu = gtu
    # What the JPK_V7M's Podmiot1 and KodUrzedu need; documents of the
    # bench month may be posted whatever today's date.
    company.write(
        {
            "l10n_pl_reports_tax_office_id": env.ref("l10n_pl.pl_tax_office_1471").id,
            "pl_invoice_date_from": start,
        }
    )
    # The suite's documents, as in a Polish company using it.
    enable_pl_documents(env, company)
    return company, company_products(env, company, "BENCH-JPK-")


def special_partners(env):
    """(the buyer in Germany, the consumer without a tax ID)."""
    Partner = env["res.partner"]
    eu = Partner.search([("ref", "=", f"{REF}-eu")], limit=1) or Partner.create(
        {
            "name": "Zugspitze Handel GmbH",
            "ref": f"{REF}-eu",
            "is_company": True,
            "vat": "DE123456788",
            "street": "Marienplatz 1",
            "zip": "80331",
            "city": "München",
            "country_id": env.ref("base.de").id,
        }
    )
    consumer = Partner.search(
        [("ref", "=", f"{REF}-consumer")], limit=1
    ) or Partner.create(
        {
            "name": "Jan Kowalski",
            "ref": f"{REF}-consumer",
            "street": "ul. Długa 1",
            "zip": "80-001",
            "city": "Gdańsk",
            "country_id": env.ref("base.pl").id,
        }
    )
    return eu, consumer


def ensure_templates(env, company, products, partners, eu, consumer, start, rng):
    """TEMPLATES posted invoices of the month (kept between runs)."""
    from odoo import Command

    Move = env["account.move"].with_company(company)
    domain = [
        ("company_id", "=", company.id),
        ("state", "=", "posted"),
        ("invoice_origin", "=like", f"{REF}-template-%"),
    ]
    templates = Move.search(domain, order="id")
    if templates:
        return templates
    print(f"  creating and posting {TEMPLATES} template invoices", flush=True)
    eu_tax = env["account.chart.template"].with_company(company).ref(EU_TAX)
    vals = []
    for index in range(TEMPLATES):
        partner = {TEMPLATES - 2: eu, TEMPLATES - 1: consumer}.get(
            index, partners[index % len(partners)]
        )
        lines = []
        for product in rng.sample(list(products), 1 + index % len(products)):
            line = {
                "product_id": product.id,
                "quantity": rng.choice((1, 1, 2, 3, 10)),
                "price_unit": product.lst_price,
            }
            if partner == eu:
                line["tax_ids"] = [Command.set(eu_tax.ids)]
            lines.append(Command.create(line))
        day = start + datetime.timedelta(days=index)
        vals.append(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": day,
                "taxable_supply_date": day,
                "invoice_origin": f"{REF}-template-{index:02d}",
                "invoice_line_ids": lines,
            }
        )
    templates = Move.create(vals)
    templates.action_post()
    return templates


def drop_clones(env, company):
    env.cr.execute(
        "DELETE FROM account_move WHERE company_id = %s AND name LIKE %s",
        (company.id, CLONE_PREFIX + "%"),
    )
    return env.cr.rowcount


def clone_rows(templates, partners, count, start):
    """The copies of ``templates`` (``bench_common.clone_invoices``, tax tags
    and taxes with them): copy ``i`` of a business template goes to customer
    ``i % len(partners)`` (the EU buyer's and the consumer's stay theirs)
    and is dated on day ``i % days`` of the month."""
    days = calendar.monthrange(start.year, start.month)[1]
    special = {move.id for move in templates if not move.partner_id.vat}
    special |= {
        move.id
        for move in templates
        if move.partner_id.country_id.code not in (False, "PL")
    }
    rows = []
    for index in range(count):
        template = templates[index % len(templates)]
        partner = template.partner_id
        if template.id not in special:
            partner = partners[index % len(partners)]
        day = start + datetime.timedelta(days=index % days)
        rows.append(
            (
                index,
                template.id,
                partner.id,
                partner.name,
                f"{CLONE_PREFIX}{start:%Y/%m}/{index + 1:06d}",
                day,
                day + datetime.timedelta(days=14),
            )
        )
    return rows


def build_data(env, args, rng):
    """The company and N posted sales documents of the month."""
    params = env["ir.config_parameter"].sudo()
    print("setup:", flush=True)
    company, products = setup_company(env, args.start)
    env.cr.commit()
    partners = setup_partners(env, args.customers, rng, REF)
    eu, consumer = special_partners(env)
    env.cr.commit()
    quiet = env(context={"allowed_company_ids": company.ids, **QUIET})
    templates = ensure_templates(
        quiet, company, products, partners, eu, consumer, args.start, rng
    )
    env.cr.commit()
    spec = f"{args.documents}/{args.month}/{args.customers}/{args.seed}"
    if params.get_param(MARKER) != spec:
        dropped = drop_clones(env, company)
        clones = args.documents - len(templates)
        print(
            f"  copying the templates into {clones} documents in SQL"
            + (f" ({dropped} earlier copies dropped)" if dropped else ""),
            flush=True,
        )
        rows = clone_rows(templates, partners, clones, args.start)
        clone_invoices(quiet, rows, CLONE_PREFIX, with_relations=True)
        params.set_param(MARKER, spec)
        env.cr.commit()
        # Planner statistics of the bulk-inserted rows, as autovacuum would
        # have gathered them in production.
        env.cr.execute("ANALYZE")
        env.cr.commit()
    return company


# ----------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------
class PeakRss:
    """The highest RSS of this process while in the block, sampled."""

    def __init__(self, interval=0.005):
        self.interval = interval
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.before = self.peak = 0
        self._stop = threading.Event()

    def rss(self):
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * self.page

    def _sample(self):
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.rss())

    def __enter__(self):
        self.before = self.peak = self.rss()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())

    @property
    def added_mb(self):
        return (self.peak - self.before) / 2**20


def month_end(start):
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def floor_query(db, company, start, path):
    """One SQL query: the month's register rows with the contractor's name,
    COPY'd into a CSV file. Returns (seconds, rows)."""
    import psycopg2

    conn = psycopg2.connect(dbname=db)
    try:
        with conn.cursor() as cr:
            query = cr.mogrify(
                "COPY (SELECT r.*, p.name AS partner_name "
                "FROM pl_vat_sales_register r "
                "LEFT JOIN res_partner p ON p.id = r.partner_id "
                "WHERE r.company_id = %s AND r.date BETWEEN %s AND %s "
                "ORDER BY r.date, r.invoice_date, r.name, r.id) "
                "TO STDOUT WITH (FORMAT csv, HEADER)",
                (company.id, start, month_end(start)),
            ).decode()
            begin = time.perf_counter()
            with open(path, "w", encoding="utf-8") as out:
                cr.copy_expert(query, out)
            elapsed = time.perf_counter() - begin
    finally:
        conn.close()
    with open(path, encoding="utf-8") as csv_file:
        rows = sum(1 for _line in csv_file) - 1
    return elapsed, rows


def export_jpk(env, company, start, created=None):
    """The wizard's JPK_V7M export of the month, committed; DataWytworzeniaJPK
    ``created`` when given, else now.

    Returns (seconds, peak RSS added in MB, the XML, queries)."""
    import contextlib
    from unittest.mock import patch

    import odoo.sql_db

    cenv = env(context={"allowed_company_ids": company.ids})
    env.cr.commit()
    env.invalidate_all()
    queries = odoo.sql_db.sql_counter
    fixed = (
        patch.object(
            type(cenv["pl.vat.register.export"]),
            "_pl_jpk_creation_time",
            return_value=created,
        )
        if created
        else contextlib.nullcontext()
    )
    with fixed, PeakRss() as memory:
        begin = time.perf_counter()
        wizard = cenv["pl.vat.register.export"].create(
            {
                "company_id": company.id,
                "period": "month",
                "date_from": start,
                "file_format": "jpk",
            }
        )
        wizard.action_export()
        env.cr.commit()
        elapsed = time.perf_counter() - begin
    queries = odoo.sql_db.sql_counter - queries
    return elapsed, memory.added_mb, base64.b64decode(wizard.data), queries


def check_xml(env, company, start, xml):
    """Schema problems of ``xml``, and its (rows, output tax) against the
    register's in SQL; raises BenchError when they differ."""
    from lxml import etree
    from odoo.addons.crm_invoicing_pl.tools import ksef_xsd
    from odoo.addons.crm_invoicing_pl_jpk.tools.jpk import NAMESPACES

    folder = next(d for d in SCHEMA_DIRS if (d / SCHEMA_FILE).is_file())
    schema = ksef_xsd.load_schema(str(folder / SCHEMA_FILE), str(folder))
    problems = ksef_xsd.validate(schema, xml)
    if problems:
        raise BenchError(
            f"the JPK file does not match the schema in {folder}: "
            + "; ".join(p.message for p in problems[:5])
        )
    ns = {"tns": NAMESPACES["M"]}
    root = etree.fromstring(xml)
    count = int(
        root.findtext(
            "tns:Ewidencja/tns:SprzedazCtrl/tns:LiczbaWierszySprzedazy", namespaces=ns
        )
    )
    tax = root.findtext(
        "tns:Ewidencja/tns:SprzedazCtrl/tns:PodatekNalezny", namespaces=ns
    )
    env.cr.execute(
        "SELECT count(*), COALESCE(SUM(output_tax), 0) FROM pl_vat_sales_register "
        "WHERE company_id = %s AND date BETWEEN %s AND %s",
        (company.id, start, month_end(start)),
    )
    sql_count, sql_tax = env.cr.fetchone()
    if count != sql_count or f"{sql_tax:.2f}" != tax:
        raise BenchError(
            f"the JPK file has {count} rows and output tax {tax}; the register "
            f"{sql_count} rows and {sql_tax:.2f}"
        )
    return folder, count, tax


def main(argv=None):
    args = parse_args(argv)
    path = addons_path()
    if not install_missing(args.db, MODULES, path) and args.update:
        upgrade(args.db, MODULES[1:], path)

    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    configure_odoo(args.db, path, "crm-jpk-bench")
    registry = Registry(args.db)
    rng = random.Random(args.seed)
    n = args.documents
    print(f"bench: JPK_V7M of {n} sales documents of {args.month} in {args.db}")
    csv_path = Path(tempfile.gettempdir()) / f"bench_jpk_{args.db}.csv"
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = build_data(env, args, rng)
        print("timing:", flush=True)
        floor_before, rows = floor_query(args.db, company, args.start, csv_path)
        print(
            f"(b) floor: one SQL query to CSV    {floor_before:8.2f} s  ({rows} rows)"
        )
        ours, peak_mb, xml, queries = export_jpk(env, company, args.start, args.created)
        print(
            f"(a) JPK_V7M export (wizard)        {ours:8.2f} s  "
            f"({len(xml) / 2**20:.1f} MB of XML, {queries} queries, "
            f"peak RSS +{peak_mb:.0f} MB)",
            flush=True,
        )
        floor_after, rows_after = floor_query(args.db, company, args.start, csv_path)
        print(
            f"(b) floor again                    {floor_after:8.2f} s  "
            f"({rows_after} rows)"
        )
        floor = min(floor_before, floor_after)
        folder, count, tax = check_xml(env, company, args.start, xml)
        print(
            f"the JPK file matches the schema ({folder}); {count} sales rows, "
            f"output tax {tax}, as the register in SQL",
            flush=True,
        )
        if args.keep_xml:
            Path(args.keep_xml).write_bytes(xml)
    csv_path.unlink(missing_ok=True)
    if count != n:
        raise BenchError(f"{count} sales rows in the JPK file, {n} documents made")
    print(f"export / floor: {ours / floor:.2f}x (target <= 3); peak +{peak_mb:.0f} MB")
    print(
        f"RESULT jpk documents={n} vs_floor={ours / floor:.2f} peak_mb={peak_mb:.0f}",
        flush=True,
    )


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"bench/jpk.py: {error}")
