"""The daily dunning run with real processes: killed, restarted, twice.

Customers with an overdue invoice are committed in a company of their own;
real ``odoo`` processes run the cron against the database, committing one
communication at a time: the first is killed (SIGKILL) in the middle of its
sending, then two more run at the same time. Every customer must end up with
exactly one communication, one queued e-mail and one queued SMS: none
missing, none doubled.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.crm_invoicing_pl.tests.committed_data import CommittedDataCase
from odoo.tests import get_db_name, tagged
from odoo.tools import config

CUSTOMERS = int(os.environ.get("CRM_DUNNING_EXACTLY_ONCE_CUSTOMERS", "60"))

# The cron in a process of its own, as an Odoo worker runs it.
WORKER = """
import sys
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

db, addons_path, company_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
config.parse_config(["-d", db, "--addons-path", addons_path, "--log-level", "warn"])
registry = Registry(db)
with registry.cursor() as cr:
    env = api.Environment(
        cr,
        SUPERUSER_ID,
        {"crm_dunning_preview_batch": 5, "crm_dunning_send_batch": 1},
    )
    env["crm.dunning.run"]._cron_run(company_ids=[company_id])
"""


@tagged("post_install", "-at_install")
class TestDunningExactlyOnce(CommittedDataCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            self.company_id = self._make_company(self._env(cr))
        self.addCleanup(self._drop_queued)

    def _drop_queued(self):
        # The company stays (committed); its queued e-mails and SMS must not
        # reach the queues of the tests that follow.
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM sms_sms WHERE crm_dunning_communication_id IN "
                "(SELECT id FROM crm_dunning_communication WHERE company_id = %s)",
                [self.company_id],
            )
            cr.execute(
                """
                UPDATE mail_mail SET state = 'cancel'
                 WHERE mail_message_id IN (
                       SELECT m.id FROM mail_message m
                         JOIN crm_dunning_communication c
                           ON m.model = 'crm.dunning.communication'
                          AND c.id = m.res_id
                        WHERE c.company_id = %s)
                """,
                [self.company_id],
            )

    def _make_company(self, env):
        company = self.make_pl_company(
            env,
            "Windykacja Exactly Once Sp. z o.o.",
            email="windykacja@exactly-once.example.com",
            dunning_auto_send=True,
        )
        env = env(context={"allowed_company_ids": company.ids})
        tax = env["account.chart.template"].with_company(company).ref("vs_kraj_23")
        product = env["product.product"].create(
            {
                "name": "Kabel miedziany",
                "lst_price": 100.0,
                "taxes_id": [Command.set(tax.ids)],
                "company_id": company.id,
            }
        )
        doc_type = env["pl.document.type"].search(
            [("company_id", "=", company.id), ("kind", "=", "vat")], limit=1
        )
        partners = env["res.partner"].create(
            [
                {
                    "name": f"Jan Klient {index}",
                    "email": f"klient{index}@exactly-once.example.com",
                    "phone": f"600 100 {index:03d}",
                    "street": "ul. Łąkowa 3",
                    "zip": "30-001",
                    "city": "Kraków",
                    "country_id": env.ref("base.pl").id,
                    "company_id": company.id,
                }
                for index in range(CUSTOMERS)
            ]
        )
        # Ten days overdue (at most three less past a weekend): ponaglenie.
        due = fields.Date.context_today(env["crm.dunning.run"]) - timedelta(days=10)
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "pl_document_type_id": doc_type.id,
                    "invoice_date": due - timedelta(days=14),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 100.0})
                    ],
                }
                for partner in partners
            ]
        )
        moves.with_context(pl_skip_issue_notify=True).action_post()
        return company.id

    def _counts(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT count(*) FILTER (WHERE c.state = 'sent'),
                       count(*) FILTER (WHERE c.state = 'draft'),
                       count(*) FILTER (WHERE c.state != 'cancelled'),
                       count(DISTINCT c.partner_id)
                           FILTER (WHERE c.state != 'cancelled'),
                       (SELECT count(*) FROM crm_dunning_communication_line l
                         WHERE l.company_id = %(company)s AND l.state != 'cancelled'),
                       (SELECT count(*) FROM mail_mail mm
                          JOIN mail_message msg ON msg.id = mm.mail_message_id
                          JOIN crm_dunning_communication cc
                            ON msg.model = 'crm.dunning.communication'
                           AND cc.id = msg.res_id
                         WHERE cc.company_id = %(company)s),
                       (SELECT count(*) FROM crm_dunning_run r
                         WHERE r.company_id = %(company)s)
                  FROM crm_dunning_communication c
                 WHERE c.company_id = %(company)s
                """,
                {"company": self.company_id},
            )
            row = cr.fetchone()
            cr.execute(
                """
                SELECT count(*) FROM sms_sms s
                  JOIN crm_dunning_communication c
                    ON c.id = s.crm_dunning_communication_id
                 WHERE c.company_id = %s
                """,
                [self.company_id],
            )
            sms = cr.fetchone()[0]
        sent, draft, comms, partners, lines, mails, runs = row
        return {
            "sent": sent,
            "draft": draft,
            "communications": comms,
            "customers": partners,
            "instalments": lines,
            "mails": mails,
            "sms": sms,
            "runs": runs,
        }

    def _worker(self):
        addons_path = config["addons_path"]
        if not isinstance(addons_path, str):
            addons_path = ",".join(addons_path)
        return subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                get_db_name(),
                addons_path,
                str(self.company_id),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def test_killed_and_concurrent_runs_send_each_level_once(self):
        first = self._worker()
        deadline = time.monotonic() + 600
        while self._counts()["sent"] < min(10, CUSTOMERS // 4):
            self.assertIsNone(
                first.poll(), "the first run ended before it could be killed"
            )
            self.assertLess(time.monotonic(), deadline, "no progress")
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed = self._counts()
        self.assertLess(killed["sent"], CUSTOMERS, "killed in the middle of the run")
        self.assertGreater(killed["draft"], 0, "drafts left to send")

        second, third = self._worker(), self._worker()
        for worker in (second, third):
            _out, err = worker.communicate(timeout=900)
            self.assertEqual(worker.returncode, 0, err.decode()[-2000:])

        self.assertEqual(
            self._counts(),
            {
                "sent": CUSTOMERS,
                "draft": 0,
                "communications": CUSTOMERS,
                "customers": CUSTOMERS,
                "instalments": CUSTOMERS,
                "mails": CUSTOMERS,
                "sms": CUSTOMERS,
                "runs": 1,
            },
            f"one e-mail and one SMS per customer: killed after {killed}",
        )
        # Another cron the same day sends nothing more.
        third = self._worker()
        _out, err = third.communicate(timeout=900)
        self.assertEqual(third.returncode, 0, err.decode()[-2000:])
        self.assertEqual(self._counts()["mails"], CUSTOMERS)
