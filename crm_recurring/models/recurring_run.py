from datetime import timedelta

from odoo import fields, models

# A run still "running" after this long was killed (a run takes minutes).
STALE_RUN = timedelta(hours=6)


class CrmRecurringRun(models.Model):
    """Log of one run of the recurring invoicing cron."""

    _name = "crm.recurring.run"
    _description = "Recurring Invoicing Run"
    _order = "id desc"

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

    def _start(self, close_stale=True):
        """A new run; runs left 'running' by a killed process are closed.

        Only the first cron worker closes them, so that two workers starting
        together never write the same rows.
        """
        if close_stale:
            stale = fields.Datetime.now() - STALE_RUN
            self.search([("state", "=", "running"), ("date_start", "<", stale)]).write(
                {"state": "interrupted", "date_end": fields.Datetime.now()}
            )
        return self.create({})

    def _finish(self):
        self.write({"state": "done", "date_end": fields.Datetime.now()})

    def _log_success(self, contract, invoices):
        if not invoices:
            return
        self.write(
            {
                "invoice_count": self.invoice_count + len(invoices),
                "contract_count": self.contract_count + 1,
            }
        )

    def _log_batch_success(self, invoices_by_contract):
        """Count the invoices of ``{contract: invoices}`` in one write."""
        contracts = [c for c, invoices in invoices_by_contract.items() if invoices]
        if not contracts:
            return
        self.write(
            {
                "invoice_count": self.invoice_count
                + sum(len(invoices_by_contract[c]) for c in contracts),
                "contract_count": self.contract_count + len(contracts),
            }
        )

    def _log_failure(self, contract, message):
        line = self.env._(
            "%(contract)s (%(customer)s): %(error)s",
            contract=contract.name,
            customer=contract.partner_id.display_name,
            error=message,
        )
        self.write(
            {
                "failure_count": self.failure_count + 1,
                "log": "\n".join(filter(None, [self.log, line])),
            }
        )
