#!/usr/bin/env python3
"""Benchmark: a month of recurring invoices, three ways, same data, same run.

Builds N monthly contracts (1-5 lines each, Polish customers with a full
address and a valid NIP) and times how long it takes to produce and POST that
month's invoices:

(a) ``crm_recurring``'s cron ``crm.recurring.contract._cron_generate_invoices()``
    on two cron workers, as Odoo runs it by default (``max_cron_threads`` 2;
    the first worker triggers the module's second-worker cron): batches
    committed, invoices made side by side, numbered and posted one worker at
    a time, per-period exactly-once rows. ``--workers 1`` times one worker;
(b) OCA ``contract`` 19.0 with ``contract_invoice_auto_validate`` (the
    company's "Auto validate contract invoices" on): its cron
    ``contract.contract.cron_recurring_create_invoice()``, then a commit;
(c) the floor: the same invoices made with one bare
    ``account.move.create([...])`` and one ``action_post()``, then a commit.

Each method works in a company of its own (Polish chart, NIP, address, bank
account on the bank journal: everything art. 106e checks on posting) holding
the same customers, products, contracts and amounts, so each does the same
work. The invoice e-mail/SMS on issue is switched off in the three companies
(the document types' "Send by e-mail/SMS"), so the posting cost is measured,
not the rendering of PDFs. The script runs in-process through the Odoo
registry, like an Odoo worker runs a cron, and commits as a cron does.
Before each method the database gets ``VACUUM ANALYZE`` (not timed), as
autovacuum would keep it on a production server: this machine's PostgreSQL
runs without autovacuum, and the dead rows of the set-up and of the method
before would otherwise slow down the next one (``bench_common.vacuum_analyze``).

Install the OCA baseline (outside the repository; never commit OCA code)::

    pip download --no-deps -d /tmp/ocawheels \\
        'odoo-addon-contract==19.0.*' \\
        'odoo-addon-contract_invoice_auto_validate==19.0.*'
    pip install --no-deps --target /opt/oca-addons-pkg /tmp/ocawheels/*.whl
    mkdir -p /opt/oca-addons
    ln -sfn /opt/oca-addons-pkg/odoo/addons/contract /opt/oca-addons/contract
    ln -sfn /opt/oca-addons-pkg/odoo/addons/contract_invoice_auto_validate \\
        /opt/oca-addons/contract_invoice_auto_validate

(``contract`` depends only on base, account, product and portal;
``contract_invoice_auto_validate`` only on ``contract``.)

Run (a quick run first; the database is created when missing, several
minutes, and reused afterwards)::

    python3 bench/recurring.py --contracts 500 --db bench_recurring
    python3 bench/recurring.py --contracts 5000 --db bench_recurring
    python3 bench/recurring.py --contracts 500 --skip-oca   # without OCA

The last printed line is::

    RESULT recurring contracts=<n> vs_oca=<ratio> vs_floor=<ratio>

``vs_oca`` is our throughput divided by OCA's (the target is at least 3.5, issue 19),
``vs_floor`` our time per invoice divided by the floor's (at most 1.5).
OCA's cron and the floor run in one process: OCA ``contract`` has no lock
against a second worker invoicing the same contracts, so it cannot use one.
"""

from __future__ import annotations

import argparse
import calendar
import os
import random
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import odoo_env  # noqa: E402
from bench_common import (  # noqa: E402
    DEFAULT_OCA,
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
    oca_addons_path,
    setup_partners,
)

OCA_MODULES = ("contract", "contract_invoice_auto_validate")
OUR_MODULES = ("l10n_pl", "crm_recurring")
COMPANIES = {
    "ours": "Bench Abonamenty crm_recurring Sp. z o.o.",
    "oca": "Bench Abonamenty OCA Sp. z o.o.",
    "floor": "Bench Abonamenty floor Sp. z o.o.",
}
# (name, list price, tax xml id of the l10n_pl chart)
PRODUCTS = (
    ("Abonament serwisowy", 199.0, "vs_kraj_23"),
    ("Hosting WWW", 49.0, "vs_kraj_23"),
    ("Licencja oprogramowania", 350.0, "vs_kraj_23"),
    ("Wsparcie techniczne (godzina)", 120.0, "vs_kraj_23"),
    ("Prenumerata czasopisma", 39.9, "vs_kraj_8"),
)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--contracts", type=int, default=5000, help="contracts (default 5000)"
    )
    p.add_argument(
        "--db", default="bench_recurring", help="database (default %(default)s)"
    )
    p.add_argument("--skip-oca", action="store_true", help="do not time OCA contract")
    p.add_argument(
        "--oca-addons",
        default=os.environ.get("OCA_ADDONS", DEFAULT_OCA),
        help="add-ons path holding OCA contract (default %(default)s)",
    )
    p.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="our cron's batch size (default: the cron's own)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        help="cron workers running our cron (default %(default)s, as Odoo's "
        "max_cron_threads)",
    )
    p.add_argument("--seed", type=int, default=19, help="random seed")
    return p.parse_args(argv)


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def contract_specs(count, partners, rng):
    """[(partner index, [(product index, quantity, price, discount)])]."""
    specs = []
    for index in range(count):
        lines = []
        for _line in range(rng.randint(1, 5)):
            product = rng.randrange(len(PRODUCTS))
            price = round(PRODUCTS[product][1] * rng.choice((1, 1, 0.9, 1.1)), 2)
            lines.append(
                (product, rng.choice((1, 1, 1, 2, 3)), price, rng.choice((0, 0, 5)))
            )
        specs.append((index % partners, lines))
    return specs


def setup_company(env, key, with_oca):
    """The company of one method, with the Polish chart and its products."""
    company, created = get_or_create_company(env, COMPANIES[key])
    if created:
        create_products(
            env,
            company,
            [
                {
                    "name": name,
                    "type": "service",
                    "lst_price": price,
                    "tax": tax,
                    "default_code": f"BENCH-{key}-{index}",
                }
                for index, (name, price, tax) in enumerate(PRODUCTS)
            ],
        )
    # The suite's documents, as in a Polish company using it (switched on per
    # company, Settings > Polish Sales Documents), in the three companies.
    enable_pl_documents(env, company)
    if key == "oca" and with_oca:
        company.auto_post_contract_invoice = True
    return company, company_products(env, company, "BENCH-")


def retire_previous(env, companies, with_oca):
    """Contracts of an earlier (possibly interrupted) run are not due any more."""
    ours = env["crm.recurring.contract"].search(
        [("company_id", "=", companies["ours"].id), ("state", "!=", "closed")]
    )
    ours.write({"state": "closed", "close_reason": "bench: earlier run"})
    if with_oca:
        env["contract.contract"].search(
            [("company_id", "=", companies["oca"].id)]
        ).write({"active": False})


def build_ours(env, company, products, partners, specs, first_day):
    from odoo import Command

    Contract = env["crm.recurring.contract"].with_company(company)
    vals = [
        {
            "partner_id": partners[partner].id,
            "company_id": company.id,
            "date_start": first_day,
            "line_ids": [
                Command.create(
                    {
                        "product_id": products[product].id,
                        "quantity": qty,
                        "price_unit": price,
                        "discount": discount,
                    }
                )
                for product, qty, price, discount in lines
            ],
        }
        for partner, lines in specs
    ]
    contracts = Contract.browse()
    for chunk in range(0, len(vals), 500):
        contracts |= Contract.create(vals[chunk : chunk + 500])
    return contracts


def build_oca(env, company, products, partners, specs, first_day):
    from odoo import Command

    Contract = env["contract.contract"].with_company(company)
    journal = env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
    )
    vals = [
        {
            "name": f"Bench {index + 1}",
            "partner_id": partners[partner].id,
            "company_id": company.id,
            "journal_id": journal.id,
            "contract_type": "sale",
            "line_recurrence": False,
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "recurring_invoicing_type": "pre-paid",
            "date_start": first_day,
            "contract_line_ids": [
                Command.create(
                    {
                        "product_id": products[product].id,
                        "name": f"{products[product].name}, period #START# - #END#",
                        "quantity": qty,
                        "price_unit": price,
                        "discount": discount,
                        "recurring_rule_type": "monthly",
                        "recurring_interval": 1,
                        "recurring_invoicing_type": "pre-paid",
                        "date_start": first_day,
                        "recurring_next_date": first_day,
                    }
                )
                for product, qty, price, discount in lines
            ],
        }
        for index, (partner, lines) in enumerate(specs)
    ]
    contracts = Contract.browse()
    for chunk in range(0, len(vals), 500):
        contracts |= Contract.create(vals[chunk : chunk + 500])
    return contracts


def floor_values(env, company, products, partners, specs, today, period_end):
    from odoo import Command

    doc_type = env["pl.document.type"]._default_for(company, "out_invoice")
    label = f"{today.replace(day=1):%d.%m.%Y} - {period_end:%d.%m.%Y}"
    return [
        {
            "move_type": "out_invoice",
            "partner_id": partners[partner].id,
            "company_id": company.id,
            "pl_document_type_id": doc_type.id,
            "invoice_date": today,
            "taxable_supply_date": period_end,
            "invoice_origin": f"Bench {index + 1}",
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": products[product].id,
                        "name": f"{products[product].name}, period {label}",
                        "quantity": qty,
                        "price_unit": price,
                        "discount": discount,
                    }
                )
                for product, qty, price, discount in lines
            ],
        }
        for index, (partner, lines) in enumerate(specs)
    ]


# ----------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------
# A second cron worker in a process of its own: it loads the registry, says
# "ready", and runs the helper cron when told "go".
HELPER = """
import sys
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

conf, db, addons_path, batch = sys.argv[1:5]
config.parse_config(
    [f"--config={conf}", "-d", db, "--addons-path", addons_path,
     "--log-level=warn", "--http-interface=127.0.0.1"]
)
registry = Registry(db)
kwargs = {"batch_size": int(batch)} if int(batch) else {}
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    print("ready", flush=True)
    sys.stdin.readline()
    env["crm.recurring.contract"]._cron_generate_invoices(helper=True, **kwargs)
"""


def start_helpers(count, db, addons_path, batch_size):
    """Cron workers waiting for "go" (their start-up is not timed)."""
    import tempfile

    conf = Path(tempfile.gettempdir()) / "crm-recurring-bench.conf"
    helpers = []
    for _index in range(count):
        helper = subprocess.Popen(
            [
                sys.executable,
                "-c",
                HELPER,
                str(conf),
                db,
                addons_path,
                str(batch_size or 0),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if helper.stdout.readline().strip() != "ready":
            raise BenchError("a cron worker process did not start")
        helpers.append(helper)
    return helpers


def run_with_helpers(helpers, run):
    for helper in helpers:
        helper.stdin.write("go\n")
        helper.stdin.flush()
    run()
    for helper in helpers:
        helper.stdin.close()
        if helper.wait() != 0:
            raise BenchError("a cron worker process failed")


def posted_since(env, company, since_id):
    env.cr.execute(
        "SELECT count(*) FILTER (WHERE state = 'posted'), count(*) "
        "FROM account_move WHERE company_id = %s AND move_type = 'out_invoice' "
        "AND id > %s",
        (company.id, since_id),
    )
    return env.cr.fetchone()


def max_move_id(env):
    env.cr.execute("SELECT coalesce(max(id), 0) FROM account_move")
    return env.cr.fetchone()[0]


def timed(label, env, company, expected, run):
    since = max_move_id(env)
    # Each method after VACUUM ANALYZE (autovacuum is off on this machine):
    # no method pays for the dead rows of the set-up or of the one before.
    elapsed, cpu, _queries = committed_run(env, run, vacuum=True)
    posted, total = posted_since(env, company, since)
    rate = posted / elapsed if elapsed else 0.0
    print(
        f"{label:<38} {posted:>6} posted invoices in {elapsed:8.2f} s "
        f"= {rate:8.1f} invoices/s (cpu {cpu:.2f} s)",
        flush=True,
    )
    if posted != expected or total != expected:
        print(
            f"  WARNING: {label}: expected {expected} posted invoices, "
            f"got {posted} posted of {total}",
            flush=True,
        )
    return posted, elapsed


def main(argv=None):
    args = parse_args(argv)
    if args.contracts < 1:
        raise BenchError("--contracts must be at least 1")
    if args.workers < 1:
        raise BenchError("--workers must be at least 1")
    modules, oca = list(OUR_MODULES), []
    if not args.skip_oca:
        modules += OCA_MODULES
        oca.append(
            oca_addons_path(
                args.oca_addons, OCA_MODULES, "recurring.py", ", or run with --skip-oca"
            )
        )
    path = addons_path(*oca)
    install_missing(args.db, modules, path)

    from odoo import SUPERUSER_ID, api, fields
    from odoo.modules.registry import Registry

    configure_odoo(args.db, path, "crm-recurring-bench")
    registry = Registry(args.db)
    rng = random.Random(args.seed)
    n = args.contracts
    with_oca = not args.skip_oca
    print(f"bench: {n} monthly contracts in {args.db}", flush=True)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if with_oca and "contract.contract" not in env.registry:
            raise BenchError(f"OCA contract is not installed in {args.db}")
        today = fields.Date.context_today(env.user)
        first_day = today.replace(day=1)
        period_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        print("setup:", flush=True)
        companies, products = {}, {}
        for key in ("ours", "oca", "floor") if with_oca else ("ours", "floor"):
            companies[key], products[key] = setup_company(env, key, with_oca)
            cr.commit()
        partners = setup_partners(env, min(n, 2000), rng, "bench-recurring", batch=500)
        cr.commit()
        retire_previous(env, companies, with_oca)
        specs = contract_specs(n, len(partners), rng)
        quiet = env(context=QUIET)
        print(f"  creating {n} contracts per method", flush=True)
        build_ours(
            quiet, companies["ours"], products["ours"], partners, specs, first_day
        )
        if with_oca:
            build_oca(
                quiet, companies["oca"], products["oca"], partners, specs, first_day
            )
        floor_vals = floor_values(
            env,
            companies["floor"],
            products["floor"],
            partners,
            specs,
            today,
            period_end,
        )
        cr.commit()
        lines = sum(len(lines) for _p, lines in specs)
        print(f"  {n} contracts, {lines} lines per method", flush=True)

        print("timing:", flush=True)
        Contract = env["crm.recurring.contract"]
        kwargs = {"batch_size": args.batch_size} if args.batch_size else {}
        helpers = start_helpers(args.workers - 1, args.db, path, args.batch_size)
        ours = timed(
            f"(a) crm_recurring cron, {args.workers} worker(s)",
            env,
            companies["ours"],
            n,
            lambda: run_with_helpers(
                helpers, lambda: Contract._cron_generate_invoices(**kwargs)
            ),
        )
        oca = None
        if with_oca:
            oca = timed(
                "(b) OCA contract + auto validate",
                env,
                companies["oca"],
                n,
                lambda: env["contract.contract"].cron_recurring_create_invoice(),
            )
        floor_env = env(context={"allowed_company_ids": companies["floor"].ids})

        def floor():
            floor_env["account.move"].create(floor_vals).action_post()

        base = timed("(c) floor: bulk create + post", env, companies["floor"], n, floor)

    def per_invoice(result):
        posted, elapsed = result
        return elapsed / posted if posted else float("inf")

    vs_floor = per_invoice(ours) / per_invoice(base)
    vs_oca = per_invoice(oca) / per_invoice(ours) if oca else float("nan")
    print(
        f"ours / OCA throughput: {vs_oca:.2f}x (target >= 3.5)   "
        f"ours / floor time: {vs_floor:.2f}x (target <= 1.5)"
    )
    print(
        f"RESULT recurring contracts={n} "
        f"vs_oca={'skipped' if not oca else f'{vs_oca:.2f}'} vs_floor={vs_floor:.2f}"
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, odoo_env.PreflightError) as exc:
        print(f"bench/recurring.py: {exc}", file=sys.stderr)
        sys.exit(2)
