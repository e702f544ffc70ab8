import logging
from datetime import timedelta

from odoo import api, fields, models

from ..tools.mail_retry import (
    MAIL_RETRY_DELAYS,
    is_temporary_mail_failure,
    next_mail_retry,
)

_logger = logging.getLogger(__name__)


class MailMail(models.Model):
    _inherit = "mail.mail"

    pl_retry_count = fields.Integer(
        string="Automatic Retries",
        readonly=True,
        copy=False,
        help="Times the e-mail was put back in the queue after a temporary "
        "SMTP failure.",
    )

    @api.model
    def _pl_retry_mail_models(self):
        """Models whose e-mails are retried after a temporary failure."""
        return ["account.move"]

    @api.model
    def _cron_pl_retry_document_mail(self, limit=500):
        """Put document e-mails that failed temporarily back in the queue.

        Odoo leaves a failed e-mail in exception; the e-mails of invoices (a
        notification on issue, Send & Print) that failed for a temporary
        reason (SMTP server unreachable, 4xx answer) are tried again after a
        growing delay, a bounded number of times. Locked rows are skipped, so
        two workers never requeue the same e-mail twice.
        """
        now = fields.Datetime.now()
        failed = self.search(
            [
                ("state", "=", "exception"),
                ("model", "in", self._pl_retry_mail_models()),
                ("pl_retry_count", "<", len(MAIL_RETRY_DELAYS)),
                ("write_date", ">=", now - timedelta(days=1)),
            ],
            limit=limit,
            order="id",
        )

        def is_due(mail):
            retry_at = next_mail_retry(mail.pl_retry_count, mail.write_date)
            return (
                retry_at is not None
                and retry_at <= now
                and is_temporary_mail_failure(mail.failure_type, mail.failure_reason)
            )

        due = failed.filtered(is_due).try_lock_for_update()
        for mail in due:
            mail.pl_retry_count += 1
        due.action_retry()
        if due:
            _logger.info("%s failed document e-mails put back in the queue", len(due))
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return due
