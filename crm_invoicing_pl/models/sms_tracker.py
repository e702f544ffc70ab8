import logging
from datetime import timedelta

from odoo import api, fields, models

from ..tools.sms_gateway import SmsGatewayError, odoo_sms_state
from .sms_sms import gateway_client

_logger = logging.getLogger(__name__)

# Delivery reports are polled for this long after the send.
POLL_PERIOD = timedelta(days=3)
FINAL_STATES = ("sent", "error")


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
        """Ask the gateway the delivery status of the SMS still on their way."""
        # Technical records, as in Odoo's own SMS status updates.
        trackers = (
            self.sudo()
            .search(
                [
                    ("pl_gateway_message_id", "!=", False),
                    ("pl_gateway_done", "=", False),
                    ("create_date", ">=", fields.Datetime.now() - POLL_PERIOD),
                ],
                limit=limit,
                order="id",
            )
            .try_lock_for_update()
        )
        clients = {}
        for tracker in trackers:
            company = tracker.pl_company_id
            if company.pl_sms_provider != "http_gateway":
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
                continue
            tracker._pl_apply_gateway_status(status)
        return trackers

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
