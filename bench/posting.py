#!/usr/bin/env python3
"""Benchmark: what the suite adds to posting Polish invoices, same drafts, same run.

Builds the same N draft customer invoices (1-5 lines each, VAT 23/8/5/0 %,
about one in seven in EUR, about one in ten above 15 000 zł gross with goods
of załącznik nr 15 so the suite marks it for split payment / MPP) in two
databases and times only their posting, ``account.move.action_post()`` in
batches committed one by one, as Odoo's auto-post cron does (100 a batch):

(a) ours: the suite, ``crm_invoicing_pl`` + ``crm_recurring`` +
    ``crm_dunning`` + ``crm_vies_check`` (and what they depend on:
    ``l10n_pl_edi``, ``sale_management``, ``crm``...). The company is set up
    as a Polish user's is: its Polish documents switched on
    (``res.company.pl_documents_enabled``, the setting that creates the
    document types and their number series; a company made after the
    install has them off and would post as plain Odoo), so every draft is a
    "Faktura VAT" of the suite and posting runs its art. 106e checks, buyer
    snapshot, NBP rate check, own number series, KSeF offline freeze, PDF
    archive trigger, etc. ``crm_invoicing_pl_approval`` is left out: its
    OCA tier validation holds back an invoice that needs a review until a
    reviewer validates it, which is not posting. The contractor
    verification policy stays at its default ("Do Nothing");
(b) plain: only ``l10n_pl`` + ``l10n_pl_edi``, the same company, customers,
    products, currency rates and drafts.

In both, the invoice e-mail/SMS is off (ours: the document types' "Send by
e-mail/SMS"; plain Odoo sends nothing at posting) and KSeF sending is off
(no KSeF certificate: nothing is sent). The PDF archive of the suite is a
cron triggered by posting, not run here. Each company has the Polish chart,
NIP, Warsaw address and a bank account on its bank journal
(``bench_common.create_pl_company``) and the NBP EUR rates of the last
working days (what art. 31a asks and the suite checks at posting).

The drafts are created first, untimed, in both databases (the same values
from the same seed). The posting user is ``--user`` (default ``admin``, as a
user pressing Post: access rights and record rules apply), with the company
as the only allowed company. The batches of the two databases alternate
(a batch of plain, a batch of ours, the order swapped every batch), so the
load of a shared machine falls on both alike; each side's time is the sum of
its batches, each batch ``action_post()`` plus its commit. The script runs
in-process through the Odoo registries, like an Odoo worker.

Run (each database is created when missing, a minute or two each, and
reused; every run adds N invoices to each)::

    python3 bench/posting.py --invoices 200                 # quick
    python3 bench/posting.py                                # 1 000 invoices
    py-spy record --idle --format raw -o /tmp/posting.raw -- \\
        python3 bench/posting.py --invoices 300 --skip-plain   # where ours spends time

On a shared machine the wall-clock times move by tens of per cent from
run to run (and the databases' own sequences differ: plain Odoo numbers an
invoice from the journal's last number, the suite from its series' counter),
so the line before the last also gives the overhead in this process's CPU
time, which the load moves less; run it two or three times.

The last printed line is::

    RESULT posting invoices=<n> overhead=<ours time / plain time - 1>

(the target is at most 0.10).
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import odoo_env  # noqa: E402
from bench_common import (  # noqa: E402
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
    upgrade,
)

OUR_MODULES = ("l10n_pl", "crm_invoicing_pl", "crm_recurring", "crm_dunning")
OUR_MODULES += ("crm_vies_check",)
PLAIN_MODULES = ("l10n_pl", "l10n_pl_edi")
COMPANY = "Bench Fakturowanie Sp. z o.o."
# (code, name, list price in PLN, tax xml id of the l10n_pl chart, type,
#  goods of załącznik nr 15 of the VAT Act)
PRODUCTS = (
    ("BENCH-0", "Laptop 15 cali", 5200.0, "vs_kraj_23", "consu", True),
    ("BENCH-1", "Telefon komórkowy", 3100.0, "vs_kraj_23", "consu", True),
    ("BENCH-2", "Usługa serwisowa (godzina)", 180.0, "vs_kraj_23", "service", False),
    ("BENCH-3", "Materiały biurowe", 42.5, "vs_kraj_23", "consu", False),
    ("BENCH-4", "Usługa cateringowa", 120.0, "vs_kraj_8", "service", False),
    ("BENCH-5", "Książka fachowa", 89.0, "vs_kraj_5", "consu", False),
    ("BENCH-6", "Części do statków morskich", 800.0, "vs_kraj_0", "consu", False),
)
EUR_RATE = 4.2537  # PLN for 1 EUR, the same every working day
RATE_DAYS = 40


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--invoices", type=int, default=1000, help="invoices (default %(default)s)"
    )
    p.add_argument(
        "--db", default="bench_posting_ours", help="suite database (%(default)s)"
    )
    p.add_argument(
        "--plain-db",
        default="bench_posting_plain",
        help="l10n_pl + l10n_pl_edi database (%(default)s)",
    )
    p.add_argument(
        "--batch-size",
        type=int,
        default=100,
        help="invoices a posting batch (default %(default)s, as Odoo's auto-post cron)",
    )
    p.add_argument(
        "--customers", type=int, default=300, help="customers (default %(default)s)"
    )
    p.add_argument("--user", default="admin", help="posting user's login (admin)")
    p.add_argument("--skip-plain", action="store_true", help="time ours only")
    p.add_argument(
        "--update",
        action="store_true",
        help="upgrade crm_invoicing_pl in the suite database first (after "
        "changes of its data or fields)",
    )
    p.add_argument("--seed", type=int, default=23, help="random seed")
    args = p.parse_args(argv)
    if args.invoices < 1 or args.batch_size < 1 or args.customers < 1:
        raise BenchError("--invoices, --batch-size and --customers must be >= 1")
    return args


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def invoice_specs(count, customers, rng):
    """[(customer index, in EUR, [(product index, quantity, price, discount)])]."""
    specs = []
    for index in range(count):
        lines = []
        if rng.random() < 0.1:  # goods of załącznik 15 above 15 000 zł gross
            lines.append((rng.choice((0, 1)), rng.randint(4, 6), 1, 0))
        for _line in range(rng.randint(1, 5) - len(lines)):
            lines.append(
                (
                    rng.randrange(len(PRODUCTS)),
                    rng.choice((1, 1, 1, 2, 3)),
                    rng.choice((1, 1, 0.9, 1.1)),
                    rng.choice((0, 0, 5)),
                )
            )
        specs.append((index % customers, rng.random() < 0.15, lines))
    return specs


def ensure_database(db, modules, path, update=False):
    if not install_missing(db, modules, path, "a few minutes") and update:
        upgrade(db, ["crm_invoicing_pl"], path)


def rate_days(today):
    """The NBP publication days (working days) of the last RATE_DAYS days."""
    from odoo.addons.crm_invoicing_pl.tools.pl_calendar import (
        last_business_day_before,
    )

    return sorted(
        {last_business_day_before(today - timedelta(days=n)) for n in range(RATE_DAYS)}
    )


def setup_company(env, ours, today):
    """The Polish company (created once), set up as a Polish user's is."""
    company, created = get_or_create_company(env, COMPANY)
    if created:
        create_products(
            env,
            company,
            [
                {
                    "name": name,
                    "default_code": code,
                    "type": kind,
                    "lst_price": price,
                    "tax": tax,
                    **({"pl_annex_15": annex} if ours else {}),
                }
                for code, name, price, tax, kind, annex in PRODUCTS
            ],
        )
    admin = env.ref("base.user_admin")
    admin.company_ids |= company
    if ours:
        # Settings, Invoicing, "Polish Sales Documents": the document types
        # and number series of the suite (what its install does for the
        # companies then on the Polish chart).
        doc_types = enable_pl_documents(env, company)
        if not doc_types.filtered(lambda t: t.kind == "vat"):
            raise BenchError("the suite made no VAT invoice document type")
    eur = env.ref("base.EUR")
    eur.active = True
    Rate = env["res.currency.rate"]
    have = set(
        Rate.search(
            [("currency_id", "=", eur.id), ("company_id", "=", company.id)]
        ).mapped("name")
    )
    Rate.create(
        [
            {
                "name": day,
                "currency_id": eur.id,
                "company_id": company.id,
                "rate": 1.0 / EUR_RATE,
            }
            for day in rate_days(today)
            if day not in have
        ]
    )
    products = company_products(env, company, "BENCH-")
    if len(products) != len(PRODUCTS):
        raise BenchError(f"expected {len(PRODUCTS)} bench products in {company.name}")
    return company, products


def create_drafts(env, company, products, partners, specs, today):
    """The draft invoices of ``specs`` (not timed)."""
    from odoo import Command

    eur = env.ref("base.EUR")
    cenv = env(
        context={
            "allowed_company_ids": company.ids,
            "tracking_disable": True,
            "mail_create_nolog": True,
        }
    )
    vals = []
    for partner, in_eur, lines in specs:
        rate = EUR_RATE if in_eur else 1.0
        vals.append(
            {
                "move_type": "out_invoice",
                "partner_id": partners[partner].id,
                "company_id": company.id,
                "invoice_date": today,
                **({"currency_id": eur.id} if in_eur else {}),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": products[product].id,
                            "quantity": qty,
                            "price_unit": round(
                                products[product].lst_price * factor / rate, 2
                            ),
                            "discount": discount,
                        }
                    )
                    for product, qty, factor, discount in lines
                ],
            }
        )
    moves = cenv["account.move"].browse()
    for chunk in range(0, len(vals), 200):
        moves |= cenv["account.move"].create(vals[chunk : chunk + 200])
    return moves.ids


# ----------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------
class Side:
    """One database: its registry, cursor, company and drafts to post."""

    def __init__(self, label, registry, ours):
        self.label = label
        self.registry = registry
        self.ours = ours
        self.cr = registry.cursor()
        self.elapsed = 0.0
        self.cpu = 0.0
        self.move_ids = []
        self.company = None

    def env(self, uid=None, context=None):
        from odoo import SUPERUSER_ID, api

        return api.Environment(self.cr, uid or SUPERUSER_ID, context or {})

    def post_batch(self, ids, uid):
        env = self.env(uid, {"allowed_company_ids": self.company.ids})
        timing = committed_run(env, env["account.move"].browse(ids).action_post)
        self.elapsed += timing.elapsed
        self.cpu += timing.cpu

    def check(self, expected):
        self.cr.execute(
            "SELECT count(*) FILTER (WHERE state = 'posted'), count(*) "
            "FROM account_move WHERE id = ANY(%s)",
            (self.move_ids,),
        )
        posted, total = self.cr.fetchone()
        if posted != expected or total != expected:
            raise BenchError(
                f"{self.label}: expected {expected} posted invoices, got "
                f"{posted} posted of {total}"
            )
        if self.ours:
            self.cr.execute(
                "SELECT count(*) FILTER (WHERE pl_document_type_id IS NOT NULL), "
                "count(*) FILTER (WHERE pl_split_payment), "
                "count(*) FILTER (WHERE pl_buyer_name IS NOT NULL) "
                "FROM account_move WHERE id = ANY(%s)",
                (self.move_ids,),
            )
            typed, split, frozen = self.cr.fetchone()
            if typed != expected or frozen != expected:
                raise BenchError(
                    f"{self.label}: only {typed} of {expected} invoices are "
                    f"Polish documents of the suite ({frozen} with the buyer "
                    "frozen): the bench would measure nothing"
                )
            print(f"  ours: {typed} Polish documents, {split} marked MPP")

    def report(self, count):
        rate = count / self.elapsed if self.elapsed else 0.0
        print(
            f"{self.label:<44} {count:>6} invoices posted in {self.elapsed:8.2f} s "
            f"= {rate:7.1f} invoices/s (cpu {self.cpu:.2f} s)",
            flush=True,
        )


def main(argv=None):
    args = parse_args(argv)
    path = addons_path()
    ensure_database(args.db, OUR_MODULES, path, args.update)
    if not args.skip_plain:
        ensure_database(args.plain_db, PLAIN_MODULES, path)

    from odoo import fields
    from odoo.modules.registry import Registry

    configure_odoo(args.db, path, "crm-posting-bench")
    n = args.invoices
    sides = [Side("(a) ours: the suite", Registry(args.db), True)]
    if not args.skip_plain:
        sides.append(
            Side("(b) plain: l10n_pl + l10n_pl_edi", Registry(args.plain_db), False)
        )
    print(f"bench: posting {n} invoices in {args.db} and {args.plain_db}", flush=True)
    try:
        specs = None
        for side in sides:
            rng = random.Random(args.seed)
            env = side.env()
            # Today in Warsaw: the suite refuses invoices dated after it.
            today = fields.Date.context_today(env.user.with_context(tz="Europe/Warsaw"))
            print(f"setup {side.label}:", flush=True)
            side.company, products = setup_company(env, side.ours, today)
            partners = setup_partners(
                env, min(args.customers, n), rng, "bench-posting", batch=500
            )
            side.cr.commit()
            specs = invoice_specs(n, len(partners), random.Random(args.seed + 1))
            print(f"  creating {n} draft invoices", flush=True)
            side.move_ids = create_drafts(
                env, side.company, products, partners, specs, today
            )
            side.cr.commit()
            login = side.env()["res.users"].search([("login", "=", args.user)])
            if not login:
                raise BenchError(f"no user {args.user!r} in {side.registry.db_name}")
            side.uid = login.id
        lines = sum(len(lines) for _c, _e, lines in specs)
        in_eur = sum(1 for _c, eur, _l in specs if eur)
        print(f"  {n} invoices, {lines} lines, {in_eur} in EUR", flush=True)

        print(f"timing (batches of {args.batch_size}, alternating):", flush=True)
        for number, start in enumerate(range(0, n, args.batch_size)):
            order = sides if number % 2 else sides[::-1]
            for side in order:
                side.post_batch(
                    side.move_ids[start : start + args.batch_size], side.uid
                )
        for side in sides:
            side.check(n)
            side.report(n)
    finally:
        for side in sides:
            side.cr.close()

    ours = sides[0].elapsed
    if args.skip_plain:
        print(f"RESULT posting invoices={n} overhead=skipped")
        return 0
    overhead = ours / sides[1].elapsed - 1
    cpu = sides[0].cpu / sides[1].cpu - 1 if sides[1].cpu else float("nan")
    print(
        f"ours / plain time - 1: {overhead:+.3f} (target <= 0.10); "
        f"Python CPU time of this process: {cpu:+.3f}"
    )
    print(f"RESULT posting invoices={n} overhead={overhead:.2f}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, odoo_env.PreflightError) as exc:
        print(f"bench/posting.py: {exc}", file=sys.stderr)
        sys.exit(2)
