import logging
from datetime import timedelta

from odoo import api, fields, models

from ..tools.sms_gateway import SmsGatewayError, odoo_sms_state
from .sms_sms import gateway_client

_logger = logging.getLogger(__name__)

# Delivery reports are polled for this long after the send.
POLL_PERIOD = timedelta(days=3)
FINAL_STATES = ("sent", "error")
# Statuses committed every this many SMS.
POLL_BATCH = 20


class SmsTracker(models.Model):
    _inherit = "sms.tracker"

    pl_gateway_message_id = fields.Char(
        string="Gateway Message ID", index="btree_not_null"
    )
    pl_gateway_status = fields.Char(string="Gateway Status")
    pl_gateway_done = fields.Boolean(string="Gateway Final Status")
    pl_company_id = fields.Many2one("res.company", string="Gateway Company")

    @api.model
    def _pl_poll_gateway_status(self, limit=200):
        """Ask the gateway the delivery status of the SMS still on their way.

        At most ``limit`` SMS a run, committed every ``POLL_BATCH``: a time-out
        or a crash keeps the statuses already recorded. A gateway that does not
        answer (time-out, unreachable) is not asked again in the same run: its
        other SMS wait for the next run instead of one time-out each. Safe with
        two workers: a batch locks its trackers, skipping those another holds.
        """
        polled = self.browse()
        unreachable = set()
        while len(polled) < limit:
            # Technical records, as in Odoo's own SMS status updates.
            batch = (
                self.sudo()
                .search(
                    [
                        ("id", "not in", polled.ids),
                        ("pl_gateway_message_id", "!=", False),
                        ("pl_gateway_done", "=", False),
                        ("create_date", ">=", fields.Datetime.now() - POLL_PERIOD),
                        ("pl_company_id.pl_sms_provider", "=", "http_gateway"),
                        ("pl_company_id", "not in", list(unreachable)),
                    ],
                    limit=min(POLL_BATCH, limit - len(polled)),
                    order="id",
                )
                .try_lock_for_update()
            )
            if not batch:
                break
            unreachable |= batch._pl_poll_batch()
            polled |= batch
            if self.env["ir.cron"]._commit_progress(len(batch)) <= 0:
                break
        return polled

    def _pl_poll_batch(self):
        """Poll these trackers; return the ids of companies whose gateway did
        not answer."""
        clients, unreachable = {}, set()
        for tracker in self:
            company = tracker.pl_company_id
            if company.id in unreachable:
                continue
            if company not in clients:
                clients[company] = gateway_client(self.env, company)
            try:
                status = clients[company].status(tracker.pl_gateway_message_id)
            except SmsGatewayError as exc:
                _logger.info(
                    "SMS %s: no delivery status (%s)",
                    tracker.pl_gateway_message_id,
                    exc,
                )
                if exc.code in ("timeout", "unreachable"):
                    unreachable.add(company.id)
                continue
            tracker._pl_apply_gateway_status(status)
        return unreachable

    def _pl_apply_gateway_status(self, status):
        """Record a gateway delivery status on the SMS and its notification."""
        self.ensure_one()
        mapped = odoo_sms_state(status)
        vals = {"pl_gateway_status": status}
        if mapped:
            state, failure_type = mapped
            vals["pl_gateway_done"] = state in FINAL_STATES
            self._action_update_from_sms_state(state, failure_type=failure_type)
            sms = (
                self.env["sms.sms"]
                .sudo()
                .search([("uuid", "=", self.sms_uuid), ("state", "!=", state)])
            )
            sms_failures = dict(sms._fields["failure_type"].selection)
            sms.write(
                {
                    "state": state,
                    "failure_type": failure_type
                    if not failure_type or failure_type in sms_failures
                    else "unknown",
                }
            )
        self.write(vals)
