#!/usr/bin/env python3
"""Benchmark: the PDF archive of posted invoices, in batches vs one by one.

Builds N posted Polish customer invoices (1-5 lines, 23/8/5 % VAT) in a
company of their own and archives their PDFs twice, same documents, same run:

(a) one by one, as a document is archived on its own: for each invoice
    ``_pl_archive_pdf()`` (one wkhtmltopdf call per document), committed
    after each document;
(b) the suite's archive cron ``account.move._cron_pl_archive_pdf()``: a
    committed batch of documents at a time, each batch rendered by Odoo's
    report engine in one wkhtmltopdf call and split back per document.

With Debian's wkhtmltopdf (unpatched Qt) Odoo refuses to convert several
documents in one call; the archive then joins them into one HTML body, each
document on a new page (``crm_invoicing_pl_archive/tools/pdf_batch.py``).

Between the two the attachments of (a) are deleted. The words of every PDF
of (a) and (b) and where they stand (``pdftotext -bbox``) are compared
document by document: the same words on the same pages at the same places
(to 0.01 pt; one long wkhtmltopdf page moves them by about 0.00001 pt, which
``pdftotext -layout`` may read as another line): the batch must not change
what a stored PDF shows.

wkhtmltopdf fetches the report's CSS from a running Odoo server: the script
starts one (``odoo-bin``, HTTP only, no cron) on ``--port`` and points the
database's ``report.url`` at it for the run.

Run (a quick run first; the database is created when missing, a few
minutes, and reused afterwards)::

    python3 bench/archive.py --documents 100 --db bench_archive
    python3 bench/archive.py --documents 1000 --db bench_archive

The last printed line is::

    RESULT archive documents=<n> speedup=<one-by-one time / batch time>

The target is a speedup of at least 3.
"""

from __future__ import annotations

import argparse
import html
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import odoo_env  # noqa: E402
from bench_common import (  # noqa: E402
    QUIET,
    BenchError,
    addons_path,
    committed_run,
    company_products,
    configure_odoo,
    create_products,
    enable_pl_documents,
    get_or_create_company,
    install_missing,
    setup_partners,
)

MODULES = ("l10n_pl", "crm_invoicing_pl", "crm_invoicing_pl_archive")
WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)"[^>]*>([^<]*)</word>')
# Two renderings place a word at the same spot up to float noise (1e-5 pt).
TOLERANCE = 0.01
COMPANY = "Bench Archiwum PDF Sp. z o.o."
REF = "bench-archive"
# (name, list price, tax xml id of the l10n_pl chart)
PRODUCTS = (
    ("Usługa projektowa", 1200.0, "vs_kraj_23"),
    ("Materiały biurowe", 89.9, "vs_kraj_23"),
    ("Catering", 450.0, "vs_kraj_8"),
    ("Książka fachowa", 79.0, "vs_kraj_5"),
    ("Szkolenie (godzina)", 250.0, "vs_kraj_23"),
)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--documents", type=int, default=1000, help="invoices (default 1000)"
    )
    p.add_argument(
        "--db", default="bench_archive", help="database (default %(default)s)"
    )
    p.add_argument(
        "--port", type=int, default=8077, help="Odoo HTTP port (default 8077)"
    )
    p.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="the cron's batch size (default: the cron's own)",
    )
    p.add_argument("--seed", type=int, default=19, help="random seed")
    return p.parse_args(argv)


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def setup_company(env):

    company, created = get_or_create_company(env, COMPANY)
    if created:
        create_products(
            env,
            company,
            [
                {
                    "name": name,
                    "lst_price": price,
                    "tax": tax,
                    "default_code": f"BENCH-ARCH-{index}",
                }
                for index, (name, price, tax) in enumerate(PRODUCTS)
            ],
        )
    # The suite's documents, as in a Polish company using it.
    enable_pl_documents(env, company)
    return company, company_products(env, company, "BENCH-ARCH-")


def ensure_invoices(env, company, products, partners, count, rng):
    """``count`` posted invoices of the company (kept between runs)."""
    from odoo import Command

    Move = env["account.move"].with_company(company)
    domain = [
        ("company_id", "=", company.id),
        ("move_type", "=", "out_invoice"),
        ("state", "=", "posted"),
        ("invoice_origin", "=like", f"{REF}-%"),
    ]
    existing = Move.search_count(domain)
    if existing < count:
        print(f"  creating and posting {count - existing} invoices", flush=True)
    for chunk in range(existing, count, 200):
        vals = [
            {
                "move_type": "out_invoice",
                "partner_id": partners[index % len(partners)].id,
                "invoice_origin": f"{REF}-{index:06d}",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": rng.choice((1, 1, 2, 3, 10)),
                            "price_unit": product.lst_price,
                        }
                    )
                    for product in rng.sample(list(products), rng.randint(1, 5))
                ],
            }
            for index in range(chunk, min(chunk + 200, count))
        ]
        Move.create(vals).action_post()
        env.cr.commit()
    return Move.search(domain, order="id", limit=count)


# ----------------------------------------------------------------------
# The Odoo server wkhtmltopdf reads the CSS from
# ----------------------------------------------------------------------
def start_server(db, addons_path, port):
    cmd = [
        sys.executable,
        str(odoo_env.odoo_bin()),
        f"--addons-path={addons_path}",
        f"--database={db}",
        f"--db-filter=^{db}$",
        f"--http-port={port}",
        "--http-interface=127.0.0.1",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    server = subprocess.Popen(cmd, cwd="/tmp")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError("the Odoo server did not start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise BenchError(f"the Odoo server did not answer on port {port}")


# ----------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------
def archived(env, moves):
    """{move id: attachment} of the moves' archived PDFs."""
    attachments = (
        env["ir.attachment"]
        .sudo()
        .search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "in", moves.ids),
                ("res_field", "=", "invoice_pdf_report_file"),
            ]
        )
    )
    return {attachment.res_id: attachment for attachment in attachments}


def drop_archive(env, moves):
    """Forget the moves' archived PDFs (the suite refuses to delete them:
    bypassed in SQL, for the benchmark's own documents only)."""
    if ids := [attachment.id for attachment in archived(env, moves).values()]:
        env.cr.execute(
            "UPDATE account_move SET message_main_attachment_id = NULL "
            "WHERE message_main_attachment_id = ANY(%s)",
            (ids,),
        )
        env.cr.execute("DELETE FROM ir_attachment WHERE id = ANY(%s)", (ids,))
    env.invalidate_all()
    env.cr.commit()


def page_words(raw):
    """[(page, word, x, y)] of a PDF, read by ``pdftotext -bbox``."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(raw)
        pdf.flush()
        result = subprocess.run(
            ["pdftotext", "-bbox", pdf.name, "-"],
            capture_output=True,
            check=True,
        )
    words, page = [], 0
    for line in result.stdout.decode().splitlines():
        if "<page " in line:
            page += 1
        elif match := WORD.search(line):
            x, y, word = match.groups()
            words.append((page, html.unescape(word), float(x), float(y)))
    return words


def deviation(first, second):
    """How far apart (in points) the same words of two PDFs are; None when
    their words differ."""
    if [w[:2] for w in first] != [w[:2] for w in second]:
        return None
    return max(
        (
            max(abs(a[2] - b[2]), abs(a[3] - b[3]))
            for a, b in zip(first, second, strict=True)
        ),
        default=0.0,
    )


def texts(env, moves):
    return {
        move_id: page_words(attachment.raw)
        for move_id, attachment in archived(env, moves).items()
    }


def timed(label, env, moves, run):
    elapsed = committed_run(env, run).elapsed
    done = len(archived(env, moves))
    print(
        f"{label:<34} {done:>6} PDFs in {elapsed:8.2f} s "
        f"= {done / elapsed:6.2f} documents/s",
        flush=True,
    )
    if done != len(moves):
        raise BenchError(f"{label}: {done} of {len(moves)} documents archived")
    return elapsed


def main(argv=None):
    args = parse_args(argv)
    if args.documents < 1:
        raise BenchError("--documents must be at least 1")
    path = addons_path()
    install_missing(args.db, MODULES, path)

    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    configure_odoo(args.db, path, "crm-archive-bench")
    registry = Registry(args.db)
    rng = random.Random(args.seed)
    n = args.documents
    print(f"bench: the PDF archive of {n} posted invoices in {args.db}", flush=True)
    server = None
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        params = env["ir.config_parameter"].sudo()
        report_url = params.get_param("report.url")
        try:
            print("setup:", flush=True)
            company, products = setup_company(env)
            cr.commit()
            partners = setup_partners(env, min(n, 500), rng, REF, batch=500)
            cr.commit()
            quiet = env(context={"allowed_company_ids": company.ids, **QUIET})
            moves = ensure_invoices(quiet, company, products, partners, n, rng)
            # Only this run's documents wait for the archive.
            others = env["account.move"].browse(
                env["account.move"]._pl_lock_unarchived(10**9)
            )
            others -= moves
            if others:
                raise BenchError(
                    f"{len(others)} other documents of {args.db} wait for their "
                    "PDF: use a database of this benchmark only"
                )
            server = start_server(args.db, path, args.port)
            params.set_param("report.url", f"http://127.0.0.1:{args.port}")
            drop_archive(env, moves)

            def one_by_one():
                for move in moves:
                    move._pl_archive_pdf()
                    env.cr.commit()

            single = timed("(a) one by one", env, moves, one_by_one)
            single_texts = texts(env, moves)
            drop_archive(env, moves)
            kwargs = {"batch_size": args.batch_size} if args.batch_size else {}
            batch = timed(
                "(b) batches (archive cron)",
                env,
                moves,
                lambda: env["account.move"]._cron_pl_archive_pdf(**kwargs),
            )
            batch_texts = texts(env, moves)
        finally:
            params.set_param("report.url", report_url or False)
            cr.commit()
            if server:
                server.terminate()
                server.wait()
    deviations = {
        i: deviation(single_texts[i], batch_texts.get(i, [])) for i in single_texts
    }
    differing = [i for i, dev in deviations.items() if dev is None or dev > TOLERANCE]
    largest = max((d for d in deviations.values() if d is not None), default=0)
    print(
        f"same words at the same places per document: {n - len(differing)} of {n} "
        f"(largest shift {largest:.6f} pt)"
        + (f"; differing ids: {differing[:10]}" if differing else ""),
        flush=True,
    )
    if differing:
        raise BenchError("the batch changed what a stored PDF shows")
    print(f"RESULT archive documents={n} speedup={single / batch:.2f}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"bench/archive.py: {error}")
