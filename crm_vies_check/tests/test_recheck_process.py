import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from crm_pl_testing.fake_whitelist import FakeWhiteList, made_up_nips
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import config

_logger = logging.getLogger(__name__)
WORKER = Path(__file__).resolve().parent / "recheck_worker.py"
PARAMS = ("whitelist_url", "recheck_batch_size", "whitelist_paused_until")
COUNT = 60


@tagged("post_install", "-at_install")
class TestRecheckProcess(TransactionCase):
    """The re-check run as real processes against the database: one is killed
    with SIGKILL mid-run, two more then run at the same time; every contractor
    must end up checked exactly once.

    The data is committed through a separate cursor (the processes cannot see
    the test's transaction) and removed at the end.
    """

    def _cursor_env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _setup_committed(self, whitelist_url):
        with self.registry.cursor() as cr:
            env = self._cursor_env(cr)
            company = env.ref("base.main_company")
            params = env["ir.config_parameter"]
            saved = {
                key: params.get_param(f"crm_vies_check.{key}") or "" for key in PARAMS
            }
            for key, value in {
                "whitelist_url": whitelist_url,
                "recheck_batch_size": "10",
                "whitelist_paused_until": "",
            }.items():
                params.set_param(f"crm_vies_check.{key}", value)
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Kill test {nip}",
                        "is_company": True,
                        "vat": nip,
                        "country_id": env.ref("base.pl").id,
                    }
                    for nip in self.nips
                ]
            )
            # An open (posted, unpaid) invoice each: the contractors are due.
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "invoice_line_ids": [
                            Command.create({"name": "Kill test", "price_unit": 10})
                        ],
                    }
                    for partner in partners
                ]
            )
            invoices.action_post()
            cr.commit()
            return company.id, partners.ids, invoices.ids, saved

    def _cleanup(self, partner_ids, invoice_ids, saved, started):
        with self.registry.cursor() as cr:
            env = self._cursor_env(cr)
            # Other contractors with open documents may have been checked too.
            env["partner.verification"].search(
                [("create_date", ">=", started)]
            ).unlink()
            stamped = env["res.partner"].search([("pl_rechecked_at", ">=", started)])
            stamped.write({"pl_rechecked_at": False})
            invoices = env["account.move"].browse(invoice_ids)
            invoices.button_draft()
            invoices.with_context(force_delete=True).unlink()
            env["res.partner"].browse(partner_ids).unlink()
            for key, value in saved.items():
                env["ir.config_parameter"].set_param(f"crm_vies_check.{key}", value)
            cr.commit()

    def _records_per_partner(self, partner_ids):
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT p.id, count(v.id) FROM res_partner p
                   LEFT JOIN partner_verification v ON v.partner_id = p.id
                  WHERE p.id = ANY(%s) GROUP BY p.id""",
                [partner_ids],
            )
            return dict(cr.fetchall())

    def _worker(self, company_id):
        addons = config["addons_path"]
        if not isinstance(addons, str):
            addons = ",".join(addons)
        return subprocess.Popen(
            [sys.executable, str(WORKER), self.env.cr.dbname, str(company_id), addons],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def test_killed_run_resumes_without_double_work(self):
        self.nips = made_up_nips(COUNT, start=987650)
        whitelist = FakeWhiteList()
        whitelist.latency = 0.3
        for nip in self.nips:
            whitelist.add(nip, f"FIRMA {nip}")
        url = self.enterContext(whitelist)
        started = fields.Datetime.now()
        company_id, partner_ids, invoice_ids, saved = self._setup_committed(url)
        self.addCleanup(self._cleanup, partner_ids, invoice_ids, saved, started)

        first = self._worker(company_id)
        deadline = time.monotonic() + 240
        done = 0
        while time.monotonic() < deadline and first.poll() is None:
            done = sum(self._records_per_partner(partner_ids).values())
            if done >= 20:
                break
            time.sleep(0.05)
        if first.poll() is not None:
            __, err = first.communicate()
            self.fail(f"the first run ended before it was killed:\n{err[-2000:]}")
        os.kill(first.pid, signal.SIGKILL)
        first.communicate(timeout=30)
        counts = self._records_per_partner(partner_ids)
        done = sum(counts.values())
        self.assertTrue(20 <= done < COUNT, done)
        self.assertEqual(max(counts.values()), 1)

        second, third = self._worker(company_id), self._worker(company_id)
        outputs = [worker.communicate(timeout=300) for worker in (second, third)]
        for worker, (__, err) in zip((second, third), outputs, strict=True):
            self.assertEqual(worker.returncode, 0, err[-2000:])
        checked = [int(out.split("CHECKED ")[1]) for out, __ in outputs]
        counts = self._records_per_partner(partner_ids)
        self.assertEqual(set(counts.values()), {1}, "every contractor exactly once")
        self.assertEqual(sum(checked), COUNT - done)
        _logger.info(
            "killed after %s contractors; resumed by two workers at once: %s",
            done,
            checked,
        )
        # The killed run's committed batches are not asked again: at most its
        # batch in flight (10 NIPs) is asked twice.
        asked = [
            path.split("?")[0].rsplit("/", 1)[1].split(",")
            for path in whitelist.paths
            if "/search/nips/" in path
        ]
        self.assertLessEqual(sum(len(nips) for nips in asked), COUNT + 10)
        self.assertEqual({nip for nips in asked for nip in nips}, set(self.nips))
