#!/usr/bin/env python3
"""Benchmark: sending invoices to KSeF in a batch session vs one at a time.

Builds 2 x N posted Polish customer invoices (1-5 lines, 23/8/5 % VAT) in a
company of their own, registered in KSeF, and sends them to the local fake
KSeF (``crm_pl_testing.fake_ksef`` in testing/, the one the Odoo tests use)
answering each request after ``--latency`` seconds (default 0.05), as a
user does from the invoice list (``action_pl_ksef_send``), same run:

(a) one at a time (the company's batch threshold at 0): the first N
    invoices go through the online session, one request each; then
    l10n_pl_edi's status cron asks KSeF for each invoice's status and gets
    its UPO, until every invoice is accepted;
(b) in batch sessions (threshold 1): the other N invoices in one batch
    session (or more above 10 000): the package opened, its parts uploaded,
    the session closed and polled, the statuses read from the session's
    invoice list, a UPO fetched per invoice.

Both end with every invoice *Accepted* with its KSeF number and its UPO
attached (checked), and each invoice received by the fake exactly once.
Each side's time is the whole of it, rendering and schema check of the
FA(3) XML included (the same for both). Each side starts after a
``VACUUM ANALYZE`` (not timed; autovacuum is off on this machine, see
``bench_common.vacuum_analyze``).

Run (the database is created when missing, a few minutes, and reused; every
run adds 2 x N invoices)::

    python3 bench/ksef.py --invoices 200          # quick
    python3 bench/ksef.py                         # 5 000 invoices

The last printed line is::

    RESULT ksef invoices=<n> speedup=<one-at-a-time time / batch time>

(the target is at least 10).
"""

from __future__ import annotations

import argparse
import base64
import random
import re
import sys
import time
from pathlib import Path

from crm_pl_testing.fake_ksef import FakeKsef

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

from bench_common import (  # noqa: E402
    QUIET,
    BenchError,
    addons_path,
    company_products,
    configure_odoo,
    create_products,
    enable_pl_documents,
    get_or_create_company,
    install_missing,
    setup_partners,
    vacuum_analyze,
)

MODULES = ("l10n_pl", "l10n_pl_edi", "crm_invoicing_pl")
NIP_FA3 = re.compile(r"[1-9]((\d[1-9])|([1-9]\d))\d{7}")
COMPANY = "Bench KSeF Sp. z o.o."
REF = "bench-ksef"
KSEF_TOKEN = "20261207-EC-0123456789-ABCDEF0123-45|nip-5260250274|bench"
PRODUCTS = (
    ("Usługa projektowa", 1200.0, "vs_kraj_23"),
    ("Materiały biurowe", 89.9, "vs_kraj_23"),
    ("Catering", 450.0, "vs_kraj_8"),
    ("Książka fachowa", 79.0, "vs_kraj_5"),
    ("Szkolenie (godzina)", 250.0, "vs_kraj_23"),
)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--invoices", type=int, default=5000, help="per side (5000)")
    p.add_argument("--db", default="bench_ksef", help="database (%(default)s)")
    p.add_argument(
        "--latency", type=float, default=0.05, help="seconds per request (0.05)"
    )
    p.add_argument("--seed", type=int, default=19, help="random seed")
    p.add_argument(
        "--skip-online",
        action="store_true",
        help="time the batch sessions only (for profiling)",
    )
    return p.parse_args(argv)


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def setup_company(env):
    from odoo import tools

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
                    "default_code": f"BENCH-KSEF-{index}",
                }
                for index, (name, price, tax) in enumerate(PRODUCTS)
            ],
        )

        # l10n_pl_edi's test certificate registers the company in KSeF.
        def read(name):
            with tools.file_open(f"l10n_pl_edi/tests/certificate/{name}", "rb") as f:
                return base64.b64encode(f.read())

        key = env["certificate.key"].create(
            {
                "company_id": company.id,
                "name": "bench.key",
                "content": read("l10n_pl_edi_test.key"),
                "password": "Qwertyuiop@12345",
            }
        )
        company.l10n_pl_edi_certificate = env["certificate.certificate"].create(
            {
                "company_id": company.id,
                "name": "bench.pem",
                "content": read("l10n_pl_edi_test.pem"),
                "private_key_id": key.id,
            }
        )
    enable_pl_documents(env, company)
    if not company.l10n_pl_edi_register:
        raise BenchError(f"{COMPANY} is not registered in KSeF")
    return company, company_products(env, company, "BENCH-KSEF-")


def post_invoices(env, company, products, partners, count, rng):
    """``count`` new posted invoices of the company (not sent to KSeF)."""
    from odoo import Command

    Move = env["account.move"].with_company(company)
    moves = Move.browse()
    for chunk in range(0, count, 200):
        vals = [
            {
                "move_type": "out_invoice",
                "partner_id": partners[index % len(partners)].id,
                "invoice_date": env.cr.now().date(),
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
        batch = Move.create(vals)
        batch.action_post()
        moves |= batch
        env.cr.commit()
    return moves


def login(env, company, nip):
    """KSeF token authentication with l10n_pl_edi's client, as the tests do."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    from odoo.addons.l10n_pl_edi.tools.ksef_api_service import KsefApiService

    service = KsefApiService(company)
    challenge = service.get_challenge()
    public_key = serialization.load_pem_public_key(
        service._get_public_keys()["token"].encode()
    )
    encrypted = public_key.encrypt(
        f"{KSEF_TOKEN}|{challenge['timestampMs']}".encode(),
        padding.OAEP(
            mgf=padding.MGF1(algorithm=hashes.SHA256()),
            algorithm=hashes.SHA256(),
            label=None,
        ),
    )
    init = service.authenticate_token(
        nip, challenge["challenge"], base64.b64encode(encrypted).decode()
    )
    temporary = init["authenticationToken"]["token"]
    service.check_auth_status(init["referenceNumber"], temporary)
    tokens = service.redeem_token(temporary)
    company.write(
        {
            "l10n_pl_edi_access_token": tokens["accessToken"]["token"],
            "l10n_pl_edi_refresh_token": tokens["refreshToken"]["token"],
            "l10n_pl_edi_session_id": False,
        }
    )
    env.cr.commit()


# ----------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------
def report(action):
    """The sending's summary, as the user sees it (shortened)."""
    message = action["params"]["message"]
    print("  " + (message if len(message) < 600 else message[:600] + "..."), flush=True)


def check_done(label, moves, fake):
    moves.invalidate_recordset()
    accepted = moves.filtered(
        lambda m: (
            m.l10n_pl_edi_status == "accepted"
            and m.l10n_pl_edi_number
            and m.l10n_pl_edi_upo_id
        )
    )
    received = [
        i["number"] for i in fake.invoices if i["number"] in moves.mapped("name")
    ]
    print(
        f"  {label}: {len(accepted)} of {len(moves)} accepted with a KSeF number and "
        f"a UPO; received by KSeF {len(received)} times ({len(set(received))} "
        "invoices)",
        flush=True,
    )
    if len(accepted) != len(moves) or len(received) != len(moves):
        raise BenchError(f"{label}: not every invoice accepted exactly once")


def main(argv=None):
    args = parse_args(argv)
    if args.invoices < 1:
        raise BenchError("--invoices must be at least 1")
    path = addons_path()
    install_missing(args.db, MODULES, path)

    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from stdnum.pl.nip import compact

    configure_odoo(args.db, path, "crm-ksef-bench")
    registry = Registry(args.db)
    rng = random.Random(args.seed)
    n = args.invoices
    print(
        f"bench: {n} + {n} invoices to the fake KSeF ({args.latency * 1000:.0f} ms "
        f"per request) in {args.db}",
        flush=True,
    )
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        params = env["ir.config_parameter"].sudo()
        saved = {
            key: params.get_param(key)
            for key in (
                "crm_invoicing_pl.ksef_api_url",
                "crm_invoicing_pl.ksef_timeout",
            )
        }
        print("setup:", flush=True)
        company, products = setup_company(env)
        cr.commit()
        partners = setup_partners(env, min(n, 500), rng, REF, batch=500)
        cr.commit()
        # FA(3)'s pattern of a NIP is narrower than its check digit.
        partners = partners.filtered(lambda p: NIP_FA3.fullmatch(p.vat[2:]))
        quiet = env(context={"allowed_company_ids": company.ids, **QUIET})
        print(f"  creating and posting {2 * n} invoices", flush=True)
        online = post_invoices(quiet, company, products, partners, n, rng)
        batch = post_invoices(quiet, company, products, partners, n, rng)
        fake = FakeKsef(nip=compact(company.vat), ksef_token=KSEF_TOKEN)
        try:
            with fake as api_url:
                params.set_param("crm_invoicing_pl.ksef_api_url", api_url)
                params.set_param("crm_invoicing_pl.ksef_timeout", "30")
                login(env, company, compact(company.vat))
                fake.latency = args.latency
                user_env = env(context={"allowed_company_ids": company.ids})
                Move = user_env["account.move"].with_company(company)

                company.pl_ksef_batch_threshold = 0
                cr.commit()
                one_at_a_time = None
                if not args.skip_online:
                    # Each side after VACUUM ANALYZE (autovacuum is off on
                    # this machine), not timed.
                    vacuum_analyze(args.db)
                    start = time.perf_counter()
                    report(online.with_env(user_env).action_pl_ksef_send())
                    cr.commit()
                    for _round in range(10):
                        Move._cron_l10n_pl_edi_check_invoice_status()
                        cr.commit()
                        if all(
                            s == "accepted" for s in online.mapped("l10n_pl_edi_status")
                        ):
                            break
                    one_at_a_time = time.perf_counter() - start
                    print(
                        f"(a) one at a time   {n:>6} invoices in "
                        f"{one_at_a_time:8.2f} s "
                        f"= {n / one_at_a_time:7.2f} invoices/s "
                        f"({len(fake.requests)} requests)",
                        flush=True,
                    )
                    check_done("(a)", online, fake)

                requests_before = len(fake.requests)
                company.pl_ksef_batch_threshold = 1
                cr.commit()
                vacuum_analyze(args.db)
                start = time.perf_counter()
                report(batch.with_env(user_env).action_pl_ksef_send())
                cr.commit()
                for _round in range(10):
                    if all(s == "accepted" for s in batch.mapped("l10n_pl_edi_status")):
                        break
                    Move._cron_l10n_pl_edi_check_invoice_status()
                    cr.commit()
                in_batch = time.perf_counter() - start
                print(
                    f"(b) batch sessions  {n:>6} invoices in {in_batch:8.2f} s "
                    f"= {n / in_batch:7.2f} invoices/s "
                    f"({len(fake.requests) - requests_before} requests)",
                    flush=True,
                )
                check_done("(b)", batch, fake)
        finally:
            for key, value in saved.items():
                params.set_param(key, value or False)
            cr.commit()
    if one_at_a_time is not None:
        print(
            f"RESULT ksef invoices={n} speedup={one_at_a_time / in_batch:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"bench/ksef.py: {error}")
