"""Exactly-once invoicing with real processes.

Contracts are committed in a company of their own; real ``odoo`` processes
run the cron against the database: one is killed (SIGKILL) in the middle of
its run, then two more run at the same time. Every contract must end up with
exactly one invoice for its period: none missing, none doubled. Another run
finds the posting step taken by someone else: it makes all its invoices, then
waits to post them.
"""

import os
import signal
import subprocess
import sys
import time

from odoo import Command, fields
from odoo.addons.crm_invoicing_pl.tests.committed_data import CommittedDataCase
from odoo.addons.crm_recurring.models.crm_recurring_contract import BATCH_LOCK
from odoo.tests import get_db_name, tagged
from odoo.tools import config

CONTRACTS = int(os.environ.get("CRM_RECURRING_EXACTLY_ONCE_CONTRACTS", "1000"))

# A cron run in a process of its own, as an Odoo worker runs it.
WORKER = """
import sys
import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

db, addons_path, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
config.parse_config(["-d", db, "--addons-path", addons_path, "--log-level", "warn"])
registry = Registry(db)
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.recurring.contract"]._cron_generate_invoices(batch_size=batch)
"""


@tagged("post_install", "-at_install")
class TestExactlyOnce(CommittedDataCase):
    def _make_contracts(self, count):
        with self.registry.cursor() as cr:
            self.company_id = self._make_company(self._env(cr), count)

    def _make_company(self, env, count):
        company = self.make_pl_company(env, "Abonamenty Exactly Once Sp. z o.o.")
        env = env(context={"allowed_company_ids": company.ids})
        tax = env["account.chart.template"].with_company(company).ref("vs_kraj_23")
        product = env["product.product"].create(
            {
                "name": "Abonament serwisowy",
                "type": "service",
                "lst_price": 100.0,
                "taxes_id": [Command.set(tax.ids)],
                "company_id": company.id,
            }
        )
        partner = env["res.partner"].create(
            {
                "name": "Klient Abonamentowy Sp. z o.o.",
                "is_company": True,
                "vat": "PL1234567883",
                "street": "ul. Łąkowa 3",
                "zip": "30-001",
                "city": "Kraków",
                "country_id": env.ref("base.pl").id,
                "company_id": company.id,
            }
        )
        first_day = fields.Date.context_today(env.user).replace(day=1)
        env["crm.recurring.contract"].with_company(company).create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "date_start": first_day,
                    "line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 100.0})
                    ],
                }
                for _index in range(count)
            ]
        )
        return company.id

    def _counts(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT count(p.id), count(DISTINCT p.contract_id),
                       count(DISTINCT p.invoice_id),
                       (SELECT count(*) FROM account_move m
                         WHERE m.company_id = %(company)s
                           AND m.move_type = 'out_invoice'),
                       (SELECT count(*) FROM account_move m
                         WHERE m.company_id = %(company)s
                           AND m.move_type = 'out_invoice'
                           AND m.state = 'posted')
                  FROM crm_recurring_period p
                  JOIN crm_recurring_contract c ON c.id = p.contract_id
                 WHERE c.company_id = %(company)s
                """,
                {"company": self.company_id},
            )
            return cr.fetchone()

    def _worker(self, batch=10):
        return subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                get_db_name(),
                config["addons_path"]
                if isinstance(config["addons_path"], str)
                else ",".join(config["addons_path"]),
                str(batch),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def _wait_for(self, worker, condition, message):
        deadline = time.monotonic() + 600
        while not condition(self._counts()):
            self.assertIsNone(worker.poll(), message)
            self.assertLess(time.monotonic(), deadline, "no progress")
            time.sleep(0.2)

    def test_killed_and_concurrent_runs_invoice_each_period_once(self):
        self._make_contracts(CONTRACTS)
        first = self._worker()
        self._wait_for(
            first,
            lambda counts: counts[0] >= min(50, CONTRACTS // 4),
            "the first run ended before it could be killed",
        )
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = self._counts()[0]
        self.assertLess(killed_at, CONTRACTS, "killed in the middle of the run")

        second, third = self._worker(batch=7), self._worker(batch=13)
        for worker in (second, third):
            _out, err = worker.communicate(timeout=900)
            self.assertEqual(worker.returncode, 0, err.decode()[-2000:])

        periods, contracts, invoices, moves, posted = self._counts()
        self.assertEqual(
            (periods, contracts, invoices, moves, posted),
            (CONTRACTS,) * 5,
            f"one posted invoice per contract and period: killed after {killed_at}",
        )

    def test_run_makes_its_batches_while_another_posts(self):
        """A worker finding the posting step taken does not wait for it.

        The posting lock is held here, as by another worker posting: the run
        makes the invoices of all its batches meanwhile, posts none, and waits
        at its end for the lock to post them; each is then posted once.
        """
        self._make_contracts(30)
        with self.registry.cursor() as lock_cr:
            lock_cr.execute("SELECT pg_advisory_lock(%s)", [BATCH_LOCK])
            worker = self._worker(batch=10)
            self._wait_for(
                worker,
                lambda counts: counts[0] == 30,
                "the run ended while the posting step was taken",
            )
            time.sleep(1)
            self.assertIsNone(worker.poll(), "the run waits to post its invoices")
            self.assertEqual(self._counts(), (30, 30, 30, 30, 0))
            lock_cr.execute("SELECT pg_advisory_unlock(%s)", [BATCH_LOCK])
        _out, err = worker.communicate(timeout=600)
        self.assertEqual(worker.returncode, 0, err.decode()[-2000:])
        self.assertEqual(self._counts(), (30,) * 5)
