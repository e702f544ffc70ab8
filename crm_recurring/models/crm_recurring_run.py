from datetime import timedelta

from odoo import fields, models

# A run still "running" after this long was killed (a run takes minutes).
STALE_RUN = timedelta(hours=6)


class CrmRecurringRun(models.Model):
    """Log of one run of the recurring invoicing cron, for one company.

    A cron run invoices the contracts of every company; it keeps one log
    per company (the recordset the cron passes around), so that a company's
    users read only their own customers and failures (multi-company record
    rule; only invoicing users read the logs).
    """

    _name = "crm.recurring.run"
    _description = "Recurring Invoicing Run"
    _order = "id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )

    date_start = fields.Datetime(
        string="Started", required=True, default=fields.Datetime.now, readonly=True
    )
    date_end = fields.Datetime(string="Finished", readonly=True)
    state = fields.Selection(
        [
            ("running", "Running"),
            ("done", "Done"),
            ("interrupted", "Interrupted"),
        ],
        default="running",
        required=True,
        readonly=True,
    )
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    contract_count = fields.Integer(string="Contracts Invoiced", readonly=True)
    failure_count = fields.Integer(string="Failures", readonly=True)
    log = fields.Text(readonly=True)

    def _start(self, close_stale=True, contracts=None):
        """New runs, one per company with work: the company of each of the
        due ``contracts`` and of each invoice waiting for posting (the
        cron's company when there is none). Runs left 'running' by a killed
        process are closed.

        Only the first cron worker closes them, so that two workers starting
        together never write the same rows.
        """
        if close_stale:
            stale = fields.Datetime.now() - STALE_RUN
            self.search([("state", "=", "running"), ("date_start", "<", stale)]).write(
                {"state": "interrupted", "date_end": fields.Datetime.now()}
            )
        companies = self.env["res.company"]
        if contracts:
            for (company,) in contracts.sudo()._read_group(
                [("id", "in", contracts.ids)], ["company_id"]
            ):
                companies |= company
        for (company,) in (
            self.env["crm.recurring.period"]
            .sudo()
            ._read_group([("post_pending", "=", True)], ["company_id"])
        ):
            companies |= company
        companies = companies or self.env.company
        return self.create([{"company_id": company.id} for company in companies])

    def _finish(self):
        self.write({"state": "done", "date_end": fields.Datetime.now()})

    def _for_company(self, company):
        """This run's log of ``company``.

        A company none of the logs was started for (contracts made by
        another worker since the start) gets a log of its own, closed at
        once: nothing of one company is written in another's log.
        """
        run = self.filtered(lambda r: r.company_id == company)[:1]
        if not run:
            run = self.create(
                {
                    "company_id": company.id,
                    "state": "done",
                    "date_end": fields.Datetime.now(),
                }
            )
        return run

    def _log_success(self, contract, invoices):
        if invoices:
            self._log_batch_success({contract: invoices})

    def _log_batch_success(self, invoices_by_contract):
        """Count the invoices of ``{contract: invoices}``, one write per
        company."""
        by_company = {}
        for contract, invoices in invoices_by_contract.items():
            if invoices:
                by_company.setdefault(contract.company_id, []).append(len(invoices))
        for company, counts in by_company.items():
            run = self._for_company(company)
            run.write(
                {
                    "invoice_count": run.invoice_count + sum(counts),
                    "contract_count": run.contract_count + len(counts),
                }
            )

    def _log_failure(self, contract, message):
        run = self._for_company(contract.company_id)
        line = self.env._(
            "%(contract)s (%(customer)s): %(error)s",
            contract=contract.name,
            customer=contract.partner_id.display_name,
            error=message,
        )
        run.write(
            {
                "failure_count": run.failure_count + 1,
                "log": "\n".join(filter(None, [run.log, line])),
            }
        )
