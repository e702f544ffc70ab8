#!/usr/bin/env python3
"""Benchmark: the daily dunning run against OCA account_credit_control, same data.

Builds N open (posted, unpaid) customer invoices of M Polish customers, due
1 to 60 days before the run date, and times how long the daily dunning run
takes to turn them into reminders queued as e-mails:

(a) ``crm_dunning``: ``crm.dunning.run`` for the company and the date,
    ``action_preview()`` (one ``crm.dunning.communication`` per customer and
    level grouping the due instalments) and ``action_send()`` (the e-mails
    queued as ``mail.mail``), then a commit, as the cron does;
(b) OCA ``account_credit_control`` 19.0: a ``credit.control.run`` for the
    same date and policy, ``generate_credit_lines()`` (one credit line per
    due instalment), ``set_to_ready_lines()`` (draft to "to be sent", what a
    user does after checking the lines) and ``run_channel_action()`` (one
    ``credit.control.communication`` per customer and level, its e-mail
    rendered from the level's template and queued), then a commit.

Same work on both sides:

- one database with both add-ons and a company per method (Polish chart,
  NIP, address, bank account). Both add-ons coexist (OCA depends only on
  base, account and mail), both select invoices by company, and one
  database means the same customers, the same PostgreSQL cache and the same
  Python process, so neither side is favoured by where its data lives;
- the same invoices in both companies: a few template invoices are made and
  posted through the ORM, then copied row by row at the SQL level (every
  stored column of ``account_move`` / ``account_move_line`` is copied from a
  real posted invoice, only number, customer and dates change), because
  posting 2 x 50 000 invoices through the ORM would take hours;
- the same policy shape: three levels at 1, 14 and 30 days after the due
  date, e-mail only, no PDF attached (OCA's stock template attaches its
  summary PDF; the bench uses a copy of that template without it, as ours
  attaches nothing here), the invoice list in the body on both sides;
- the same history: an invoice due d days ago has already had the levels
  below the one d reaches (sent on their dates), on both sides, so each
  invoice gets exactly its level today. OCA escalates one level per run and
  would otherwise put every invoice on level 1;
- due dates on working days only: crm_dunning moves a due date falling on a
  weekend or a Polish public holiday to the next working day (KC art. 115),
  OCA does not; with working-day due dates both count the same days overdue
  and put each invoice on the same level;
- no interest: OCA computes none, so our levels do not show it either
  (``--interest`` shows what adding it to the 2nd and 3rd level costs);
- e-mails are queued, not sent (``mail_notify_force_send`` off): sending is
  the mail queue's job on both sides. Ours commits batch by batch as its
  cron does; OCA's run is one transaction, committed at the end;
- fresh planner statistics (``ANALYZE``) after the bulk inserts, as
  autovacuum would have gathered them in production.

Each side's line prints its time, what it created (communications, queued
e-mails, OCA's credit lines) and the number of SQL queries; a warning is
printed when a side made another number of communications than expected.

Only the runs are timed, not the data. The data is built once in ``--db``
(kept and reused; its build date is the run date, so a reuse the next day
times the same run), and every bench run works in a fresh copy of it
(``CREATE DATABASE ... TEMPLATE``, dropped afterwards), so no earlier run's
reminders change the work.

Install the OCA baseline (outside the repository; never commit OCA code)::

    pip download 'odoo-addon-account_credit_control==19.0.*' --no-deps \\
        -d /tmp/ocacc
    pip install --no-deps --target /opt/oca-addons-pkg /tmp/ocacc/*.whl
    mkdir -p /opt/oca-addons
    ln -sfn /opt/oca-addons-pkg/odoo/addons/account_credit_control \\
        /opt/oca-addons/account_credit_control

(measured with 19.0.1.0.0.13; it depends only on base, account and mail.)

Run (the data database is created when missing, which takes several minutes,
and reused afterwards)::

    python3 bench/dunning.py --quick                 # 5 000 invoices, 500 customers
    python3 bench/dunning.py                         # 50 000 invoices, 5 000 customers
    python3 bench/dunning.py --quick --skip-oca      # ours only (profiling)
    python3 bench/dunning.py --quick --ours-addons /path/to/checkout
    py-spy record --idle --format raw -o /tmp/ours.raw -- \
        python3 bench/dunning.py --quick --skip-oca   # where ours spends time

After a change of our models, ``--update`` upgrades crm_invoicing_pl and
crm_dunning in the data database first (done automatically when the run's
table is missing).

The last printed line is::

    RESULT dunning invoices=<n> vs_oca=<ratio>

``vs_oca`` is OCA's time divided by ours (the target is at least 3).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import odoo_env  # noqa: E402
from bench_common import (  # noqa: E402
    DEFAULT_OCA,
    BenchError,
    addons_path,
    clone_invoices,
    committed_run,
    configure_odoo,
    copy_database,
    create_products,
    drop_database,
    enable_pl_documents,
    get_or_create_company,
    install_missing,
    oca_addons_path,
    setup_partners,
    upgrade,
)

OCA_MODULES = ("account_credit_control",)
OUR_MODULES = ("l10n_pl", "crm_dunning")
COMPANIES = {
    "ours": "Bench Windykacja crm_dunning Sp. z o.o.",
    "oca": "Bench Windykacja OCA Sp. z o.o.",
}
COMPANY_EMAIL = "windykacja@bench.invalid"
MARKER = "bench_dunning.built"
# (name, offset in days after the due date): the same on both sides
LEVELS = (("Ponaglenie", 1), ("Monit", 14), ("Wezwanie", 30))
MAX_OVERDUE = 60
TEMPLATES = 8


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--invoices", type=int, default=None, help="default 50000")
    p.add_argument("--customers", type=int, default=None, help="default 5000")
    p.add_argument(
        "--quick",
        action="store_true",
        help="5000 invoices of 500 customers (a few minutes once the data exists)",
    )
    p.add_argument(
        "--db",
        default=None,
        help="data database, kept and reused (default bench_dunning_<invoices>)",
    )
    p.add_argument("--skip-oca", action="store_true", help="do not time OCA")
    p.add_argument("--skip-ours", action="store_true", help="do not time ours")
    p.add_argument(
        "--oca-addons",
        default=os.environ.get("OCA_ADDONS", DEFAULT_OCA),
        help="add-ons path holding OCA account_credit_control (default %(default)s)",
    )
    p.add_argument(
        "--ours-addons",
        default=str(REPO_ROOT),
        help="checkout holding crm_dunning and crm_invoicing_pl "
        "(default: this repository)",
    )
    p.add_argument(
        "--update",
        action="store_true",
        help="upgrade crm_invoicing_pl and crm_dunning in the data database "
        "first (after code changes)",
    )
    p.add_argument(
        "--keep-run-db",
        action="store_true",
        help="keep the database the run worked in (<db>_run) for inspection",
    )
    p.add_argument(
        "--interest",
        action="store_true",
        help="our 2nd and 3rd level also show the interest to date (OCA has none)",
    )
    p.add_argument("--seed", type=int, default=6, help="random seed")
    args = p.parse_args(argv)
    quick = (5000, 500) if args.quick else (50000, 5000)
    args.invoices = args.invoices or quick[0]
    args.customers = args.customers or quick[1]
    if args.invoices < 1 or args.customers < 1:
        raise BenchError("--invoices and --customers must be at least 1")
    args.customers = min(args.customers, args.invoices)
    args.db = args.db or f"bench_dunning_{args.invoices}"
    return args


# ----------------------------------------------------------------------
# Databases
# ----------------------------------------------------------------------
def table_exists(db, table):
    if not odoo_env.database_exists(db):
        return False
    import psycopg2

    conn = psycopg2.connect(dbname=db)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT to_regclass(%s) IS NOT NULL", (table,))
            return cr.fetchone()[0]
    finally:
        conn.close()


def code_has_run(root):
    """Whether the checkout's crm_dunning defines the daily run model."""
    return any(
        '"crm.dunning.run"' in path.read_text(encoding="utf-8")
        for path in (Path(root) / "crm_dunning").rglob("*.py")
    )


def ensure_database(args, path):
    modules = list(OUR_MODULES) + list(OCA_MODULES)
    if install_missing(args.db, modules, path):
        return
    if args.update or (
        code_has_run(args.ours_addons) and not table_exists(args.db, "crm_dunning_run")
    ):
        upgrade(args.db, ["crm_invoicing_pl", "crm_dunning"], path)


def open_registry(db):
    from odoo.modules.registry import Registry

    return Registry(db)


# ----------------------------------------------------------------------
# Data (built once in the data database)
# ----------------------------------------------------------------------
def due_date(index, run_date):
    """Due date of invoice ``index``: 1..60 days before ``run_date``.

    Always a working day (moved back over weekends and Polish public
    holidays), so the statutory shift of a due date to the next working day
    (KC art. 115, applied by crm_dunning, not by OCA) changes nothing and
    both sides see the same days overdue.
    """
    from odoo.addons.crm_invoicing_pl.tools.pl_calendar import (
        last_business_day_before,
    )

    due = run_date - timedelta(days=1 + (index * 37 + index // 60) % MAX_OVERDUE)
    # The last working day on or before it.
    return last_business_day_before(due + timedelta(days=1))


def target_level(days):
    """Index in LEVELS of the level an invoice ``days`` overdue reaches."""
    reached = [i for i, (_name, offset) in enumerate(LEVELS) if days >= offset]
    return reached[-1] if reached else None


def setup_company(env, key):
    """The company of one method: Polish chart, NIP, address, bank account."""
    company, created = get_or_create_company(env, COMPANIES[key], email=COMPANY_EMAIL)
    if not created:
        return company
    # The suite's documents, as in a Polish company using it (switched on per
    # company, Settings > Polish Sales Documents).
    enable_pl_documents(env, company)
    create_products(
        env,
        company,
        [
            {
                "name": "Usługa serwisowa",
                "type": "service",
                "lst_price": 100.0,
                "tax": "vs_kraj_23",
                "default_code": f"BENCH-DUN-{key}",
            }
        ],
    )
    return company


def template_invoices(env, key, company, partner, day, rng):
    """TEMPLATES posted invoices (1-3 lines, 23 % VAT) to copy rows from.

    Issued on ``day`` and due 30 days later: open but not due on the run
    date, so no method reminds them.
    """
    from odoo import Command

    cenv = env(context={"allowed_company_ids": company.ids})
    product = cenv["product.product"].search(
        [("default_code", "=", f"BENCH-DUN-{key}")], limit=1
    )
    vals = []
    for index in range(TEMPLATES):
        vals.append(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "company_id": company.id,
                "invoice_date": day,
                "taxable_supply_date": day,
                "invoice_date_due": day + timedelta(days=30),
                "ref": f"bench-dunning-template-{index}",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "name": f"Usługa serwisowa {index + 1}.{line + 1}",
                            "quantity": rng.choice((1, 1, 2, 3)),
                            "price_unit": round(rng.uniform(50, 5000), 2),
                        }
                    )
                    for line in range(1 + index % 3)
                ],
            }
        )
    moves = cenv["account.move"].create(vals)
    moves.action_post()
    return moves


def clone_rows(templates, partners, count, run_date):
    """The copies of ``templates`` (``bench_common.clone_invoices``): invoice
    ``i`` goes to customer ``i % len(partners)``, is due on
    ``due_date(i, run_date)`` and was issued 14 days before that."""
    rows = []
    for index in range(count):
        due = due_date(index, run_date)
        partner = partners[index % len(partners)]
        rows.append(
            (
                index,
                templates[index % len(templates)].id,
                partner.id,
                partner.name,
                f"FV/{index + 1}/B/{run_date.year}",
                due - timedelta(days=14),
                due,
            )
        )
    return rows


def build_data(env, args, rng):
    from odoo import fields

    ICP = env["ir.config_parameter"].sudo()
    spec = f"{args.invoices}/{args.customers}/{args.seed}"
    marker = ICP.get_param(MARKER)
    if marker:
        built_spec, _sep, day = marker.rpartition("@")
        if built_spec != spec:
            raise BenchError(
                f"{args.db} holds another data set ({built_spec}); "
                f"pass --db for {spec} or drop {args.db}"
            )
        return fields.Date.to_date(day)
    run_date = fields.Date.context_today(env.user)
    print("setup (once, kept in the data database):", flush=True)
    companies = {key: setup_company(env, key) for key in COMPANIES}
    env.cr.commit()
    partners = setup_partners(
        env, args.customers, rng, "bench-dunning", with_email=True
    )
    env.cr.commit()
    quiet = env(context={"tracking_disable": True, "mail_create_nolog": True})
    for key, company in companies.items():
        print(f"  {args.invoices} open invoices for {company.name}", flush=True)
        templates = template_invoices(quiet, key, company, partners[0], run_date, rng)
        rows = clone_rows(templates, partners, args.invoices, run_date)
        clone_invoices(quiet, rows, "FV/")
        env.cr.commit()
    ICP.set_param(MARKER, f"{spec}@{run_date}")
    env.cr.commit()
    env.cr.execute("ANALYZE")
    env.cr.commit()
    return run_date


# ----------------------------------------------------------------------
# Policies and history (in the run database, not timed)
# ----------------------------------------------------------------------
def company_by_key(env, key):
    return env["res.company"].search([("name", "=", COMPANIES[key])], limit=1)


def receivable_lines(env, company):
    """[(move line id, move id, partner id, due, amount)] of the open invoices."""
    env.cr.execute(
        "SELECT l.id, l.move_id, l.partner_id, l.date_maturity, l.debit, "
        "l.account_id, l.currency_id, m.date "
        "FROM account_move_line l JOIN account_move m ON m.id = l.move_id "
        "WHERE l.company_id = %s AND l.display_type = 'payment_term' "
        "AND m.move_type = 'out_invoice' AND m.state = 'posted' "
        "AND NOT l.reconciled ORDER BY l.id",
        (company.id,),
    )
    return env.cr.fetchall()


def setup_oca(env, company):
    """OCA policy: the LEVELS at net days, e-mail, invoice list, no PDF."""
    base = env.ref("account_credit_control.email_template_credit_control_base")
    template = base.copy({"name": "Bench dunning (no PDF)"})
    template.report_template_ids = [(5, 0, 0)]
    receivable = env["account.account"].search(
        [
            ("company_ids", "in", company.id),
            ("account_type", "=", "asset_receivable"),
        ]
    )
    policy = env["credit.control.policy"].create(
        {
            "name": "Bench dunning",
            "company_id": company.id,
            "account_ids": [(6, 0, receivable.ids)],
            "level_ids": [
                (
                    0,
                    0,
                    {
                        "name": name,
                        "level": index + 1,
                        "computation_mode": "net_days",
                        "delay_days": offset,
                        "email_template_id": template.id,
                        "channel": "email",
                        "custom_text": f"{name}: prosimy o zapłatę.",
                        "custom_mail_text": f"<p>{name}: prosimy o zapłatę.</p>",
                        "mail_show_invoice_detail": True,
                    },
                )
                for index, (name, offset) in enumerate(LEVELS)
            ],
        }
    )
    company.credit_policy_id = policy
    return policy


def seed_oca_history(env, company, policy, run_date):
    """Sent credit lines for the levels each invoice has already passed."""
    from psycopg2.extras import execute_values

    levels = policy.level_ids.sorted("level")
    rows = []
    for (
        line_id,
        move_id,
        partner_id,
        due,
        debit,
        account,
        currency,
        entry,
    ) in receivable_lines(env, company):
        reached = target_level((run_date - due).days)
        for index in range(reached or 0):
            sent = due + timedelta(days=LEVELS[index][1])
            rows.append(
                (
                    sent,
                    due,
                    entry,
                    sent,
                    "sent",
                    "email",
                    move_id,
                    partner_id,
                    partner_id,
                    debit,
                    debit,
                    line_id,
                    account,
                    currency,
                    company.id,
                    levels[index].id,
                    policy.id,
                    levels[index].level,
                    False,
                    False,
                )
            )
    execute_values(
        env.cr,
        "INSERT INTO credit_control_line (date, date_due, date_entry, date_sent, "
        "state, channel, invoice_id, partner_id, commercial_partner_id, "
        "amount_due, balance_due, move_line_id, account_id, currency_id, "
        "company_id, policy_level_id, policy_id, level, manually_overridden, "
        "manual_followup, create_uid, write_uid, create_date, write_date) "
        "VALUES %s",
        rows,
        template="(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
        "%s, %s, %s, %s, %s, 1, 1, now() at time zone 'UTC', "
        "now() at time zone 'UTC')",
        page_size=5000,
    )
    env.invalidate_all()
    return len(rows)


def setup_ours(env, company, interest):
    """Our company default policy with the LEVELS: e-mail only, no PDF.

    The default e-mail template (the invoice list in the body); the interest
    to date only with ``--interest`` (on the 2nd and 3rd level, as in the
    seeded policy), as OCA computes none.
    """
    policy = company._crm_dunning_default_policy()
    policy.level_ids.unlink()
    policy.level_ids = [
        (
            0,
            0,
            {
                "sequence": index + 1,
                "name": name,
                "offset_days": offset,
                "channel_email": True,
                "channel_sms": False,
                "channel_letter": False,
                "attach_invoice": False,
                "add_interest": interest and index > 0,
                "demand_compensation": False,
                "payment_demand": False,
            },
        )
        for index, (name, offset) in enumerate(LEVELS)
    ]
    return policy


def seed_ours_history(env, company, policy, run_date):
    """Sent communications for the levels each invoice has already passed.

    One sent communication per customer and earlier level (dated on the
    level's day of the customer's oldest invoice), its instalments sent.
    """
    from psycopg2.extras import execute_values

    levels = policy.level_ids.sorted(lambda level: (level.offset_days, level.id))
    history = {}
    for (
        line_id,
        move_id,
        partner_id,
        due,
        debit,
        _acc,
        _cur,
        _entry,
    ) in receivable_lines(env, company):
        reached = target_level((run_date - due).days)
        for index in range(reached or 0):
            sent = due + timedelta(days=LEVELS[index][1])
            key = (partner_id, levels[index].id)
            comm = history.setdefault(key, {"date": sent, "lines": []})
            comm["date"] = min(comm["date"], sent)
            comm["lines"].append((line_id, move_id, due, (sent - due).days, debit))
    if not history:
        return 0
    rows = execute_values(
        env.cr,
        "INSERT INTO crm_dunning_communication (company_id, currency_id, "
        "partner_id, level_id, policy_id, date, state, amount_residual, "
        "interest_amount, "
        "max_days_overdue, channel_email, channel_sms, channel_letter, sent_date, "
        "create_uid, write_uid, create_date, write_date) VALUES %s "
        "RETURNING id, partner_id, level_id",
        [
            (
                company.id,
                company.currency_id.id,
                partner_id,
                level_id,
                policy.id,
                comm["date"],
                "sent",
                sum(line[4] for line in comm["lines"]),
                0.0,
                max(line[3] for line in comm["lines"]),
                True,
                False,
                False,
            )
            for (partner_id, level_id), comm in history.items()
        ],
        template="(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
        "now() at time zone 'UTC', 1, 1, now() at time zone 'UTC', "
        "now() at time zone 'UTC')",
        page_size=5000,
        fetch=True,
    )
    comm_ids = {(partner_id, level_id): id_ for id_, partner_id, level_id in rows}
    execute_values(
        env.cr,
        "INSERT INTO crm_dunning_communication_line (communication_id, company_id, "
        "currency_id, partner_id, date, move_line_id, move_id, level_id, state, "
        "due_date, "
        "days_overdue, amount_residual, interest_amount, create_uid, write_uid, "
        "create_date, write_date) VALUES %s",
        [
            (
                comm_ids[key],
                company.id,
                company.currency_id.id,
                key[0],
                comm["date"],
                line_id,
                move_id,
                key[1],
                "sent",
                due,
                days,
                amount,
                0.0,
            )
            for key, comm in history.items()
            for line_id, move_id, due, days, amount in comm["lines"]
        ],
        template="(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1, 1, "
        "now() at time zone 'UTC', now() at time zone 'UTC')",
        page_size=5000,
    )
    env.invalidate_all()
    return sum(len(comm["lines"]) for comm in history.values())


# ----------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------
def max_id(env, table):
    env.cr.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
    return env.cr.fetchone()[0]


def count_since(env, table, since, where="TRUE", params=()):
    env.cr.execute(
        f"SELECT count(*) FROM {table} WHERE id > %s AND {where}", (since, *params)
    )
    return env.cr.fetchone()[0]


def timed(label, env, run, counters):
    """Run ``run`` and commit; return (elapsed, {name: created rows})."""
    before = {name: max_id(env, table) for name, (table, *_rest) in counters.items()}
    timing = committed_run(env, run)
    counts = {
        name: count_since(env, table, before[name], *rest)
        for name, (table, *rest) in counters.items()
    }
    detail = ", ".join(f"{count} {name}" for name, count in counts.items())
    print(
        f"{label:<34} {timing.elapsed:8.2f} s  ({detail}, {timing.queries} queries)",
        flush=True,
    )
    return timing.elapsed, counts


def run_oca(env, company, policy, run_date):
    cenv = env(
        context={"allowed_company_ids": company.ids, "mail_notify_force_send": False}
    )

    def run():
        run = cenv["credit.control.run"].create(
            {
                "date": run_date,
                "company_id": company.id,
                "policy_ids": [(6, 0, policy.ids)],
            }
        )
        run.generate_credit_lines()
        run.set_to_ready_lines()
        run.run_channel_action()

    return timed(
        "(b) OCA account_credit_control",
        env,
        run,
        {
            "credit lines": ("credit_control_line",),
            "communications": ("credit_control_communication",),
            "queued e-mails": ("mail_mail",),
        },
    )


def run_ours(env, company, run_date):
    cenv = env(
        context={
            "allowed_company_ids": company.ids,
            "mail_notify_force_send": False,
            "crm_dunning_commit": True,  # commits batch by batch, as the cron
        }
    )

    def run():
        run = cenv["crm.dunning.run"].create(
            {"company_id": company.id, "date": run_date}
        )
        run.action_preview()
        run.action_send()

    return timed(
        "(a) crm_dunning preview + send",
        env,
        run,
        {
            "communications": ("crm_dunning_communication",),
            "queued e-mails": ("mail_mail",),
        },
    )


def expected_groups(invoices, customers, run_date):
    groups = set()
    for index in range(invoices):
        level = target_level((run_date - due_date(index, run_date)).days)
        if level is not None:
            groups.add((index % customers, level))
    return len(groups)


def main(argv=None):
    args = parse_args(argv)
    path = addons_path(
        oca_addons_path(args.oca_addons, OCA_MODULES, "dunning.py"),
        root=args.ours_addons,
    )
    ensure_database(args, path)

    from odoo import SUPERUSER_ID, api

    configure_odoo(args.db, path, "crm-dunning-bench")
    rng = random.Random(args.seed)
    n, m = args.invoices, args.customers
    print(f"bench: {n} open invoices of {m} customers in {args.db}", flush=True)
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        run_date = build_data(env, args, rng)
    del registry
    run_db = f"{args.db}_run"
    print(f"run date {run_date}; fresh copy {run_db}", flush=True)
    copy_database(args.db, run_db)
    groups = expected_groups(n, m, run_date)
    try:
        registry = open_registry(run_db)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ours_company = company_by_key(env, "ours")
            oca_company = company_by_key(env, "oca")
            print("policies and history (not timed):", flush=True)
            policy = setup_oca(env, oca_company)
            seeded = seed_oca_history(env, oca_company, policy, run_date)
            print(f"  OCA: {seeded} earlier reminders", flush=True)
            if not args.skip_ours:
                our_policy = setup_ours(env, ours_company, args.interest)
                seeded = seed_ours_history(env, ours_company, our_policy, run_date)
                print(f"  ours: {seeded} earlier reminders", flush=True)
            cr.commit()
            # Planner statistics of the bulk-inserted rows, as autovacuum
            # would gather them in production (not timed, both sides).
            cr.execute("ANALYZE")
            cr.commit()
            print(
                f"timing ({n} invoices, expected {groups} customer x level "
                "communications):",
                flush=True,
            )
            ours = oca = None
            if not args.skip_ours:
                ours = run_ours(env, ours_company, run_date)
            if not args.skip_oca:
                oca = run_oca(env, oca_company, policy, run_date)
            for label, result in (("ours", ours), ("OCA", oca)):
                if result and result[1]["communications"] != groups:
                    print(
                        f"  WARNING: {label} made {result[1]['communications']} "
                        f"communications, expected {groups}",
                        flush=True,
                    )
        del registry
    finally:
        if not args.keep_run_db:
            drop_database(run_db)

    for label, result in (("ours", ours), ("OCA", oca)):
        if result:
            print(
                f"{label:<5} {result[0]:8.2f} s = {n / result[0]:8.1f} invoices/s",
                flush=True,
            )
    if ours and oca:
        ratio = f"{oca[0] / ours[0]:.2f}"
        print(f"OCA time / our time: {ratio}x (target >= 3)")
    else:
        ratio = "skipped"
    print(f"RESULT dunning invoices={n} vs_oca={ratio}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, odoo_env.PreflightError) as exc:
        print(f"bench/dunning.py: {exc}", file=sys.stderr)
        sys.exit(2)
