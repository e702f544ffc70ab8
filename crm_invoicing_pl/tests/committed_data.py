"""Tests of code run in processes of their own, on committed data.

Such tests (e.g. a cron killed and restarted) cannot use the test
transaction: they commit what the workers must see, in a company of their
own, so that no other test is affected.
"""

import time

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.orm.environments import Transaction
from odoo.tests import BaseCase, get_db_name

COMPANY_BANK = "PL61109010140000071219812874"


class CommittedDataCase(BaseCase):
    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())

    def _env(self, cr):
        # Bind the transaction to the registry directly: building it from the
        # database name would wait for the registry lock the test runner holds.
        cr.transaction = Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def make_pl_company(self, env, name, **values):
        """A new Polish company (unique name) on the l10n_pl chart, with a bank."""
        company = env["res.company"].create(
            {
                "name": "%s %s" % (name, time.time_ns()),
                "vat": "PL5260250274",
                "street": "ul. Prosta 1",
                "zip": "00-001",
                "city": "Warszawa",
                "country_id": env.ref("base.pl").id,
                "currency_id": env.ref("base.PLN").id,
                **values,
            }
        )
        env = env(context={"allowed_company_ids": company.ids})
        env["account.chart.template"].try_loading("pl", company, install_demo=False)
        company.pl_documents_enabled = True
        bank = env["res.partner.bank"].create(
            {
                "acc_number": COMPANY_BANK,
                "partner_id": company.partner_id.id,
                "company_id": company.id,
                "allow_out_payment": True,
            }
        )
        env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
        ).bank_account_id = bank
        return company
