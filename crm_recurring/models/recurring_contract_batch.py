"""Batched invoicing of the cron: one create per batch."""

import logging
from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)

# A failed batch at least this big is split in two and each half retried in
# bulk; smaller ones go contract by contract.
SPLIT_MIN = 8


class CrmRecurringContract(models.Model):
    _inherit = "crm.recurring.contract"

    def _generate_batch_in_run(self, today, run):
        """Invoice every due period of these (locked, due) contracts.

        Fast path: all the batch's draft invoices are created in one
        ``create()`` and their period rows in one call, inside one savepoint
        (the posting step posts them afterwards). When anything in it fails,
        the savepoint undoes all of it and the batch is split in halves,
        retried in bulk,
        and finally contract by contract (``_generate_in_run``, a savepoint
        each): a failing contract is recorded on itself and in the run log
        exactly as before, the others are invoiced. Concurrency errors are
        raised for the caller to retry the whole batch.
        """
        # The others fail alone, with a reason: no lines, a catch-up waiting
        # for its confirmation, a company that cannot issue the documents.
        batch = self.filtered(lambda c: c._batchable(today))
        if len(batch) > 1 and batch._try_generate_batch(today, run):
            one_by_one = self - batch
        elif len(batch) >= SPLIT_MIN:
            half = len(batch) // 2
            batch[:half]._generate_batch_in_run(today, run)
            batch[half:]._generate_batch_in_run(today, run)
            one_by_one = self - batch
        else:
            one_by_one = self
        for contract in one_by_one:
            contract._generate_in_run(today, run)

    def _batchable(self, today):
        self.ensure_one()
        periods = self._due_periods(today)
        if (
            not self.line_ids
            or len(periods) > self.company_id.crm_recurring_catch_up_limit
        ):
            return False
        try:
            self._check_invoicing_setup()
        except UserError:
            return False
        return True

    def _try_generate_batch(self, today, run):
        try:
            with self.env.cr.savepoint():
                invoices = self._generate_due_batch(today)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # the whole batch is retried on a fresh snapshot
        except Exception as exc:  # noqa: BLE001 - retried in smaller pieces
            _logger.info(
                "Invoicing %s recurring contracts at once failed (%s): "
                "retrying in smaller batches",
                len(self),
                (str(exc).splitlines() or [type(exc).__name__])[0],
            )
            return False
        # Invoices waiting for posting are counted by the posting step.
        drafts = {c: moves for c, moves in invoices.items() if not c.auto_post}
        self.browse([c.id for c in drafts]).filtered("last_error").last_error = False
        run._log_batch_success(drafts)
        return True

    def _generate_due_batch(self, today):
        """Make the invoices of the due periods of all these contracts at once.

        Same result as ``_generate_due`` on each contract: one draft invoice
        and one ``crm.recurring.period`` row (the exactly-once key) per due
        period, oldest first, waiting for the posting step when the contract
        posts automatically. Returns ``{contract: invoices}``.
        """
        Move = self.env["account.move"]
        groups = defaultdict(list)
        last_end = {}
        for contract in self:
            periods = contract._schedule().due_periods(
                today, after=contract.last_invoiced_date or None
            )
            if periods:
                contract._check_invoicing_setup()
            contract._check_catch_up(periods)  # the cron never confirms
            groups[contract.company_id].extend((contract, p) for p in periods)
            if periods:
                last_end[contract] = periods[-1].end
        invoices = defaultdict(Move.browse)
        period_vals = []
        for company, items in groups.items():
            moves = items[0][0]._create_draft_invoices(
                [
                    contract.with_company(company)._prepare_invoice_values(
                        period, today
                    )
                    for contract, period in items
                ]
            )
            for (contract, period), move in zip(items, moves, strict=True):
                invoices[contract] |= move
                period_vals.append(
                    {
                        "contract_id": contract.id,
                        "date_start": period.start,
                        "date_end": period.end,
                        "invoice_id": move.id,
                        "post_pending": contract.auto_post,
                    }
                )
        self.env["crm.recurring.period"].sudo().create(period_vals)
        by_end = defaultdict(list)
        for contract, end in last_end.items():
            by_end[end].append(contract.id)
        for end, ids in by_end.items():
            self.browse(ids).last_invoiced_date = end
        return invoices
