import threading
from datetime import date

from odoo import Command
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import tagged

from .committed_data import CommittedDataCase


class CommittedTransactionsCase(CommittedDataCase):
    """Tests that race real, committed transactions in threads."""

    def setUp(self):
        super().setUp()
        self.attempts = {}

    def _retrying(self, work, cr, key=None):
        """Odoo's rule for a transaction hitting a concurrent one: roll back
        and run again, on a fresh snapshot, up to a few times. The number of
        attempts is kept in ``self.attempts[key]``."""
        for attempt in range(1, 31):
            self.attempts[key] = attempt
            try:
                result = work(self._env(cr))
                cr.commit()
                return result
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                cr.rollback()
                threading.Event().wait(0.1)
        raise AssertionError("no number after 30 attempts")


@tagged("post_install", "-at_install")
class TestNumberingConcurrency(CommittedTransactionsCase):
    """Two users take numbers of one series at once, on real transactions.

    The test commits in its own cursors (the test transaction would hide the
    race), on a series of its own, and removes it afterwards.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            doc_type = env["pl.document.type"].create(
                {
                    "name": "Concurrency probe",
                    "title": "Faktura VAT",
                    "number_prefix": "CONC%s" % threading.get_ident(),
                    "company_id": env.ref("base.main_company").id,
                }
            )
            self.type_id = doc_type.id
            self.prefix = doc_type.number_prefix
        self.addCleanup(self._drop_series)

    def _drop_series(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            doc_type = env["pl.document.type"].browse(self.type_id)
            sequence = doc_type.sequence_id
            doc_type.unlink()
            sequence.unlink()

    def _take_number(self, results, key, day=None, hold=None, fail=False, start=None):
        """Take a number in a transaction of its own; ``start`` runs once, on
        the first attempt, after the snapshot is taken; ``hold`` keeps the
        counter locked before committing."""
        starts = [start] if start else []
        with self.registry.cursor() as cr:

            def work(env):
                env.cr.execute("SELECT 1")  # the snapshot starts here
                if starts:
                    starts.pop()()
                number = (
                    env["pl.document.type"]
                    .browse(self.type_id)
                    ._next_number(day or date(2026, 11, 15))
                )
                if hold:
                    hold()
                if fail:
                    raise RuntimeError("posting failed after numbering")
                return number

            try:
                results[key] = self._retrying(work, cr)
            except RuntimeError:
                cr.rollback()
                results[key] = None
            except Exception as exc:  # noqa: BLE001 - reported by the assertion
                results[key] = repr(exc)

    def test_two_concurrent_takers_get_consecutive_numbers(self):
        results = {}
        first_has_number = threading.Event()
        second_started = threading.Event()

        def hold_first():
            first_has_number.set()
            second_started.wait(10)
            # Keep the counter locked a little while the second one tries.
            threading.Event().wait(0.5)

        first = threading.Thread(
            target=self._take_number,
            args=(results, "first"),
            kwargs={"hold": hold_first},
            daemon=True,
        )
        second = threading.Thread(
            target=self._take_number, args=(results, "second"), daemon=True
        )
        first.start()
        first_has_number.wait(10)
        second.start()
        second_started.set()
        first.join(60)
        second.join(60)
        self.assertEqual(
            sorted(results.values()),
            ["%s/1/11/2026" % self.prefix, "%s/2/11/2026" % self.prefix],
        )

    def test_rolled_back_number_is_given_again(self):
        results = {}
        self._take_number(results, "failed", fail=True)
        self._take_number(results, "next")
        self.assertIsNone(results["failed"])
        self.assertEqual(results["next"], "%s/1/11/2026" % self.prefix)

    def test_concurrent_first_use_of_a_month(self):
        """Both open the December period at once: one creates it, both number."""
        results = {}
        barrier = threading.Barrier(2, timeout=10)
        threads = [
            threading.Thread(
                target=self._take_number,
                args=(results, key),
                kwargs={"day": date(2026, 12, 2), "start": barrier.wait},
                daemon=True,
            )
            for key in ("a", "b")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(
            sorted(results.values()),
            ["%s/1/12/2026" % self.prefix, "%s/2/12/2026" % self.prefix],
        )


@tagged("post_install", "-at_install")
class TestConcurrentPosting(CommittedTransactionsCase):
    """Two users post invoices of one company at the same moment.

    The company, its l10n_pl chart and the invoices are committed (a posted
    invoice cannot be deleted), in a company of their own that no other test
    uses; the test database is thrown away after the run.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env["res.company"].create(
                {
                    "name": "Współbieżna Sp. z o.o. %s" % threading.get_ident(),
                    "country_id": env.ref("base.pl").id,
                    "currency_id": env.ref("base.PLN").id,
                    "vat": "PL5260250274",
                    "street": "ul. Równoległa 2",
                    "zip": "00-001",
                    "city": "Warszawa",
                }
            )
            env["account.chart.template"].try_loading(
                "pl", company=company, install_demo=False
            )
            company.pl_documents_enabled = True
            env = env(context={"allowed_company_ids": company.ids})
            # One new customer per invoice: a partner's first invoice raises
            # its customer rank in the transaction; later ones do it after the
            # commit in a new cursor, which would wait here for the registry
            # lock held by the test runner.
            customers = env["res.partner"].create(
                [
                    {
                        "name": name,
                        "is_company": True,
                        "vat": "PL1234567883",
                        "street": "ul. Łąkowa 3",
                        "zip": "30-001",
                        "city": "Kraków",
                        "country_id": env.ref("base.pl").id,
                    }
                    for name in ("Odbiorca A Sp. z o.o.", "Odbiorca B Sp. z o.o.")
                ]
            )
            tax = env["account.chart.template"].with_company(company).ref("vs_kraj_23")
            self.invoice_ids = []
            for customer in customers:
                invoice = env["account.move"].create(
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "partner_id": customer.id,
                        "invoice_date": date(2026, 11, 16),
                        "pl_payment_method": "cash",
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Usługa",
                                    "product_uom_id": env.ref(
                                        "uom.product_uom_unit"
                                    ).id,
                                    "quantity": 1,
                                    "price_unit": 100.0,
                                    "tax_ids": [Command.set(tax.ids)],
                                }
                            )
                        ],
                    }
                )
                self.invoice_ids.append(invoice.id)
            self.company_id = company.id

    def _post(self, results, invoice_id, hold=None):
        with self.registry.cursor() as cr:

            def work(env):
                env = env(context={"allowed_company_ids": [self.company_id]})
                invoice = env["account.move"].browse(invoice_id)
                invoice.action_post()
                if hold:
                    hold()
                return invoice.name

            try:
                results[invoice_id] = self._retrying(work, cr, key=invoice_id)
            except Exception as exc:  # noqa: BLE001 - reported by the assertion
                results[invoice_id] = repr(exc)

    def test_two_concurrent_posts(self):
        results = {}
        first_posted = threading.Event()
        second_started = threading.Event()

        def hold_first():
            first_posted.set()
            second_started.wait(10)
            threading.Event().wait(0.5)

        first_id, second_id = self.invoice_ids
        first = threading.Thread(
            target=self._post,
            args=(results, first_id),
            kwargs={"hold": hold_first},
            daemon=True,
        )
        second = threading.Thread(
            target=self._post, args=(results, second_id), daemon=True
        )
        first.start()
        first_posted.wait(30)
        second.start()
        second_started.set()
        first.join(60)
        second.join(60)
        self.assertEqual(
            [results.get(first_id), results.get(second_id)],
            ["FV/1/11/2026", "FV/2/11/2026"],
        )
        # The second posting really ran into the first one and waited.
        self.assertGreater(self.attempts[second_id], 1)
