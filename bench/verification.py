"""Benchmark of the scheduled contractor re-verification (crm_vies_check).

Run manually, not part of the test suite. It builds a data set in an Odoo
database where crm_vies_check is installed (with demo data: the Polish demo
company "Demo Polska" issues the invoices): N contractors, 90 % Polish (NIP;
one in ten with the PL prefix, so asked in VIES too) and 10 % German (VIES),
each with an unpaid posted invoice. The white list and VIES are the local
fakes of the tests (``crm_pl_testing.fake_whitelist`` and ``fake_vies``,
testing/) on 127.0.0.1, each answer delayed by --latency seconds.

Two ways of checking everyone are timed:

- baseline: one request per contractor, one after the other, as a naive
  implementation (or base_vat's per-partner VIES check) does: the add-on's
  manual ``action_pl_verify`` for each contractor;
- ours: the scheduled re-check ``res.partner._cron_pl_recheck`` (30 NIPs per
  white-list call, VIES calls in a pool of --workers threads, a commit per
  batch).

The last line is ``RESULT verification partners=<n> speedup=<x>``.

The database is modified (contractors, invoices, checks are committed): run
it on a throw-away copy, e.g.::

    createdb -T h_vies h_vies_bench
    python3 bench/verification.py -d h_vies_bench --partners 1000 --latency 0.2
    dropdb h_vies_bench

Options: --addons-path (default: Odoo's add-ons, this repository and its
OCA add-ons, as the other benchmarks), --workers (VIES threads, default 4),
--batch-size (default 30).
"""

import argparse
import pathlib
import sys
import time

from crm_pl_testing.fake_vies import FakeVies
from crm_pl_testing.fake_whitelist import FakeWhiteList, made_up_nips, nrb

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import odoo_env  # noqa: E402
from bench_common import addons_path, configure_odoo  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=30)
    return parser.parse_args(argv)


def build(env, count, fake_whitelist, fake_vies):
    """Create ``count`` contractors with an unpaid invoice; register them."""
    company = env.ref("crm_invoicing_pl.demo_company")
    company.pl_verification_policy = "none"
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    poland, germany = env.ref("base.pl"), env.ref("base.de")
    from stdnum.iso7064 import mod_11_10  # noqa: PLC0415

    stamp = int(time.time()) % 100000
    polish_count = count * 9 // 10
    nips = made_up_nips(polish_count, start=stamp * 10000)
    values = []
    for index, nip in enumerate(nips):
        vat = ("PL" + nip) if index % 10 == 0 else nip
        values.append(
            {
                "name": f"Bench {nip}",
                "is_company": True,
                "vat": vat,
                "country_id": poland.id,
                "street": "ul. Prosta 1",
                "zip": "00-001",
                "city": "Warszawa",
            }
        )
        fake_whitelist.add(nip, f"BENCH {nip}", accounts=[nrb(f"{index:024d}")])
        if index % 10 == 0:
            fake_vies.add("PL", nip, f"BENCH {nip}", "WARSZAWA")
    for index in range(count - polish_count):
        body = f"{stamp:05d}{index:03d}"
        number = body + mod_11_10.calc_check_digit(body)
        values.append(
            {
                "name": f"Bench GmbH {number}",
                "is_company": True,
                "vat": "DE" + number,
                "country_id": germany.id,
                "street": "Musterstr. 1",
                "zip": "10115",
                "city": "Berlin",
            }
        )
        fake_vies.add("DE", number, f"Bench GmbH {number}", "Berlin")
    partners = env["res.partner"].with_context(no_vat_validation=True).create(values)
    product = env["product.product"].create(
        {"name": "Bench service", "type": "service"}
    )
    journal = env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
    )
    for start in range(0, len(partners), 200):
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "journal_id": journal.id,
                    "partner_id": partner.id,
                    "invoice_line_ids": [
                        (0, 0, {"product_id": product.id, "price_unit": 100.0})
                    ],
                }
                for partner in partners[start : start + 200]
            ]
        )
        moves.action_post()
    return company, partners


def main(argv=None):
    args = parse_args(argv)
    odoo_env.import_odoo()
    configure_odoo(
        args.database, args.addons_path or addons_path(), "crm-verification-bench"
    )
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    fake_whitelist, fake_vies = FakeWhiteList(), FakeVies()
    fake_whitelist.latency = fake_vies.latency = args.latency
    registry = Registry(args.database)
    with fake_whitelist as wl_url, fake_vies as vies_url:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            params = env["ir.config_parameter"]
            company_vat = env.ref("crm_invoicing_pl.demo_company").vat
            fake_vies.add("PL", company_vat[2:], "DEMO POLSKA", "WARSZAWA")
            for key, value in {
                "vies_url": vies_url,
                "whitelist_url": wl_url,
                "vies_max_retries": "0",
                "recheck_vies_workers": str(args.workers),
                "recheck_batch_size": str(args.batch_size),
                "whitelist_paused_until": "",
            }.items():
                params.set_param(f"crm_vies_check.{key}", value)
            started = time.monotonic()
            company, partners = build(env, args.partners, fake_whitelist, fake_vies)
            cr.commit()
            print(
                f"built {len(partners)} contractors with unpaid invoices "
                f"in {time.monotonic() - started:.1f} s"
            )
            partner_ids = partners.ids

        # Baseline: one contractor at a time, one request per register.
        with registry.cursor() as cr:
            env = api.Environment(
                cr, SUPERUSER_ID, {"allowed_company_ids": [company.id]}
            )
            requests_before = fake_whitelist.request_count + fake_vies.request_count
            started = time.monotonic()
            for partner in env["res.partner"].browse(partner_ids):
                partner.action_pl_verify()
            env.flush_all()
            baseline = time.monotonic() - started
            baseline_requests = (
                fake_whitelist.request_count + fake_vies.request_count - requests_before
            )
            cr.commit()

        # Ours: the scheduled re-check (everyone due again: pretend the
        # baseline's checks are old).
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cr.execute(
                """UPDATE partner_verification
                      SET checked_at = checked_at - interval '60 days'
                    WHERE partner_id = ANY(%s)""",
                [partner_ids],
            )
            # Only the benchmark's contractors are due (not the demo ones).
            cr.execute(
                """UPDATE res_partner
                      SET pl_rechecked_at = CASE WHEN id = ANY(%s) THEN NULL
                                                 ELSE now() at time zone 'UTC' END""",
                [partner_ids],
            )
            cr.commit()
            env.invalidate_all()
            requests_before = fake_whitelist.request_count + fake_vies.request_count
            started = time.monotonic()
            checked = env["res.partner"]._cron_pl_recheck(
                companies=env["res.company"].browse(company.id)
            )
            ours = time.monotonic() - started
            ours_requests = (
                fake_whitelist.request_count + fake_vies.request_count - requests_before
            )
            cr.commit()

        # A second run right away: every result is fresh, nothing is fetched.
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            requests_before = fake_whitelist.request_count + fake_vies.request_count
            rechecked = env["res.partner"]._cron_pl_recheck(
                companies=env["res.company"].browse(company.id)
            )
            fresh_requests = (
                fake_whitelist.request_count + fake_vies.request_count - requests_before
            )
            cr.commit()
    count = len(partner_ids)
    print(
        f"baseline: {count} contractors in {baseline:.1f} s, {baseline_requests} "
        f"requests, {count / baseline:.1f} contractors/s"
    )
    print(
        f"re-check: {checked} contractors in {ours:.1f} s, {ours_requests} requests, "
        f"{checked / ours:.1f} contractors/s (batch {args.batch_size}, "
        f"{args.workers} VIES workers, latency {args.latency * 1000:.0f} ms)"
    )
    print(
        f"second run with fresh results: {rechecked} contractors re-checked, "
        f"{fresh_requests} requests"
    )
    if checked != count:
        print(f"WARNING: {count - checked} contractors not re-checked")
    if rechecked or fresh_requests:
        print("WARNING: fresh results were fetched again")
    print(f"RESULT verification partners={count} speedup={baseline / ours:.1f}")
    return 0 if checked == count and not (rechecked or fresh_requests) else 1


if __name__ == "__main__":
    sys.exit(main())
