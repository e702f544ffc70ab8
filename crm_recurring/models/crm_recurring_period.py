import logging
from collections import defaultdict

from odoo import fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)

# A failed posting of at least this many invoices is split in two and each
# half retried in bulk; smaller ones go invoice by invoice.
SPLIT_MIN = 8


class CrmRecurringPeriod(models.Model):
    """One invoiced period of a contract: the exactly-once key."""

    _name = "crm.recurring.period"
    _description = "Invoiced Recurring Period"
    _order = "contract_id, date_start"

    contract_id = fields.Many2one(
        "crm.recurring.contract", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    partner_id = fields.Many2one(related="contract_id.partner_id")
    date_start = fields.Date(string="From", required=True)
    date_end = fields.Date(string="To", required=True)
    invoice_id = fields.Many2one("account.move", ondelete="set null", index=True)
    invoice_state = fields.Selection(related="invoice_id.state", string="Status")
    amount_total = fields.Monetary(related="invoice_id.amount_total")
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    post_pending = fields.Boolean(
        string="Waiting for Posting",
        readonly=True,
        copy=False,
        index=True,
        help="The invoice is made and waits for the cron's posting step, "
        "which gives the numbers one batch at a time.",
    )

    _contract_period_unique = models.Constraint(
        "UNIQUE(contract_id, date_start)",
        "This period of the contract is already invoiced.",
    )

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------
    def _post_invoices(self):
        """Post (or issue, for pro formas) the invoices of these periods.

        Odoo numbers the invoices posted together by their accounting date
        (in l10n_pl the supply date, the period's end), then by id: within
        a contract the numbers follow its periods; the periods of several
        contracts interleave by their ends. Raises on the first invoice that cannot be
        posted; nothing is then posted (the caller's savepoint undoes it).
        """
        groups = defaultdict(lambda: self.browse())
        for period in self:
            contract = period.contract_id
            groups[(contract.company_id, contract.notify_preference)] |= period
        for (company, preference), periods in groups.items():
            invoices = (
                periods.invoice_id.filtered(lambda m: m.state == "draft")
                .with_company(company)
                .with_context(
                    pl_notify_preference=preference,
                    **self.env["crm.recurring.contract"]._invoice_mail_context(company),
                )
            )
            proformas = invoices.filtered(lambda m: m.pl_document_kind == "proforma")
            if invoices - proformas:
                (invoices - proformas).action_post()
            if proformas:
                proformas.action_pl_issue_proforma()
        self.sudo().post_pending = False

    def _post_pending_in_run(self, run):
        """Post what waits for posting; a failing invoice never stops the rest.

        ``self`` are pending periods ordered by contract and date. When the
        bulk posting fails it is split in halves, then invoice by invoice; an
        invoice that cannot be posted is deleted with its period and the later
        periods of its contract in ``self``, so the contract is due again, and
        the reason is recorded on the contract and in the run log (as when
        making the invoice failed).
        """
        periods = self.exists().filtered("post_pending")
        if not periods:
            return
        try:
            with self.env.cr.savepoint():
                periods._post_invoices()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # the caller retries on a fresh snapshot
        except Exception as exc:  # noqa: BLE001 - one invoice never stops the run
            if len(periods) >= SPLIT_MIN:
                half = len(periods) // 2
                periods[:half]._post_pending_in_run(run)
                periods[half:]._post_pending_in_run(run)
            elif len(periods) > 1:
                for period in periods:
                    period._post_pending_in_run(run)
            else:
                periods._undo_failed(run, exc)
            return
        invoices = defaultdict(lambda: self.env["account.move"])
        for period in periods:
            invoices[period.contract_id] |= period.invoice_id
        periods.contract_id.filtered("last_error").last_error = False
        run._log_batch_success(invoices)

    def _undo_failed(self, run, exc):
        """Delete the unpostable invoice of this period and what follows it."""
        self.ensure_one()
        contract = self.contract_id
        message = str(exc.args[0]) if exc.args else str(exc)
        _logger.warning(
            "Recurring contract %s: invoice not posted: %s", contract.name, message
        )
        undone = contract.period_ids.filtered(
            lambda p: (
                p.post_pending
                and p.date_start >= self.date_start
                and p.invoice_id.state in (False, "draft")
            )
        )
        invoices = undone.invoice_id.filtered(lambda m: m.state == "draft")
        undone.sudo().unlink()
        invoices.unlink()
        kept = contract.period_ids
        contract.write(
            {
                "last_invoiced_date": max(kept.mapped("date_end"), default=False),
                "last_error": message,
            }
        )
        run._log_failure(contract, message)
