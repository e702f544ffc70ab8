"""Exactly-once invoicing with real processes.

Contracts are committed in a company of their own; real ``odoo`` processes
run the cron against the database: one is killed (SIGKILL) in the middle of
its run, then two more run at the same time. Every contract must end up with
exactly one invoice for its period: none missing, none doubled.
"""

import os
import signal
import subprocess
import sys
import time

from odoo import Command, fields
from odoo.addons.crm_invoicing_pl.tests.committed_data import CommittedDataCase
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
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            self.company_id = self._make_company(env)

    def _make_company(self, env):
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
                for _index in range(CONTRACTS)
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

    def test_killed_and_concurrent_runs_invoice_each_period_once(self):
        first = self._worker()
        deadline = time.monotonic() + 600
        while self._counts()[0] < min(50, CONTRACTS // 4):
            self.assertIsNone(
                first.poll(), "the first run ended before it could be killed"
            )
            self.assertLess(time.monotonic(), deadline, "no progress")
            time.sleep(0.2)
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
