"""SMS through the HTTP SMS gateway, inside Odoo's ``sms`` framework.

As Odoo's ``sms_twilio``: the company's SMS provider (Settings) chooses
between Odoo IAP (Odoo's default, untouched) and the REST gateway
(tools/sms_gateway.py); ``_split_by_api`` hands each gateway company's SMS to
a ``PlSmsGatewayApi`` bound to that company, the others to Odoo. Gateway SMS
are ``sms.sms`` records sent by Odoo's SMS queue; each send carries the SMS
uuid as the gateway's ``idx``, so a retry after a timeout the gateway did
process is refused as a duplicate (error 53) and counted as sent, never sent
twice. Transient failures (timeouts, server errors) stay in error with a
retry time; the gateway cron puts them back in the queue with a growing delay,
up to MAX_ATTEMPTS sends. Permanent failures (wrong number, account, credit)
are recorded on the SMS and its notification and never retried.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.sms.tools.sms_api import SmsApiBase
from odoo.exceptions import UserError

from ..tools.phone import without_old_trunk_prefix
from ..tools.sms_gateway import SmsGatewayClient, SmsGatewayError

_logger = logging.getLogger(__name__)

TIMEOUT_PARAM = "sms_http_gateway_pl.timeout"
# Its name while the gateway was part of crm_invoicing_pl: still read.
OLD_TIMEOUT_PARAM = "crm_invoicing_pl.sms_gateway_timeout"
DEFAULT_TIMEOUT = 10.0
# Delay before each retry of a transient failure; one send plus these retries.
RETRY_DELAYS = (
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

# SmsGatewayError.failure_type -> provider state understood by sms.sms._send.
GATEWAY_FAILURE_STATES = {
    "sms_server": "server_error",
    "sms_number_format": "wrong_number_format",
    "sms_acc": "unregistered",
    "sms_credit": "insufficient_credit",
}


def gateway_client(env, company):
    """The REST client configured on ``company``."""
    company = company.sudo()
    params = env["ir.config_parameter"].sudo()
    timeout = params.get_param(TIMEOUT_PARAM) or params.get_param(OLD_TIMEOUT_PARAM)
    try:
        timeout = float(timeout) if timeout else DEFAULT_TIMEOUT
    except ValueError:
        timeout = DEFAULT_TIMEOUT
    return SmsGatewayClient(
        company.pl_sms_gateway_url,
        company.pl_sms_gateway_token or "",
        company.pl_sms_gateway_sender or None,
        timeout=timeout,
    )


class PlSmsGatewayApi(SmsApiBase):
    """``sms`` provider API sending through the HTTP SMS gateway."""

    PROVIDER_TO_SMS_FAILURE_TYPE = SmsApiBase.PROVIDER_TO_SMS_FAILURE_TYPE | {
        "insufficient_credit": "sms_credit",
        "unregistered": "sms_acc",
    }

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        """Send each number of each message; never raises.

        Besides Odoo's ``uuid``/``state``/``failure_reason``, each result
        carries ``pl_gateway`` data for ``sms.sms._handle_call_result_hook``.
        """
        client = gateway_client(self.env, self.company)
        results = []
        for message in messages:
            for number in message.get("numbers") or []:
                results.append(
                    self._pl_send_one(
                        client, number["number"], message.get("content"), number["uuid"]
                    )
                )
        return results

    def _pl_send_one(self, client, number, content, uuid):
        env = self.env
        result = {"uuid": uuid, "pl_gateway": {}}
        if not number:
            result.update(state="sms_number_missing")
            result["pl_gateway"] = {"error": "sms_number_missing", "transient": False}
            return result
        try:
            to_e164 = self._pl_e164(number)
        except UserError as exc:
            result.update(
                state="wrong_number_format",
                failure_reason=env._("Invalid phone number: %s", exc),
            )
            result["pl_gateway"] = {"error": str(exc), "transient": False}
            return result
        try:
            sent = client.send(to_e164, content or "", idx=uuid)
        except SmsGatewayError as exc:
            if exc.duplicate:
                # An earlier try (e.g. timed out) was accepted: sent once.
                _logger.info("SMS %s already accepted by the gateway", uuid)
                result.update(state="success")
                result["pl_gateway"] = {"status": "ACCEPTED", "duplicate": True}
                return result
            _logger.info("SMS %s: gateway error %s", uuid, exc)
            result.update(
                state=GATEWAY_FAILURE_STATES.get(exc.failure_type, "gateway_error"),
                failure_reason=str(exc),
            )
            result["pl_gateway"] = {"error": str(exc), "transient": exc.transient}
            return result
        except ValueError as exc:  # e.g. an empty text
            result.update(state="gateway_error", failure_reason=str(exc))
            result["pl_gateway"] = {"error": str(exc), "transient": False}
            return result
        result.update(state="success")
        result["pl_gateway"] = {"message_id": sent.message_id, "status": sent.status}
        return result

    def _pl_e164(self, number):
        """``number`` in E.164 form, read in the company's country (Poland
        when it has none); raise UserError (phone_validation's message)."""
        country = self.company.country_id or self.env.ref("base.pl")
        partners = self.env["res.partner"]
        try:
            return partners._phone_format_number(
                number, country, force_format="E164", raise_exception=True
            )
        except UserError:
            # An old trunk "0" libphonenumber reads as a digit of the number
            # ("022 123 45 67", "+48 (0) 22 ..."): see tools/phone.py.
            old_form = without_old_trunk_prefix(number, country.code)
            if not old_form:
                raise
            return partners._phone_format_number(
                old_form, country, force_format="E164", raise_exception=True
            )

    def _get_sms_api_error_messages(self):
        errors = super()._get_sms_api_error_messages()
        errors.update(
            {
                "server_error": self.env._(
                    "The SMS gateway is unavailable; the SMS will be retried."
                ),
                "wrong_number_format": self.env._(
                    "The number you're trying to reach is not correctly formatted."
                ),
                "unregistered": self.env._(
                    "The SMS gateway refused the API token (check the settings)."
                ),
                "insufficient_credit": self.env._(
                    "The SMS gateway account has no credit left."
                ),
            }
        )
        return errors


class SmsSms(models.Model):
    _inherit = "sms.sms"

    pl_gateway_attempts = fields.Integer(
        string="Gateway Attempts", readonly=True, copy=False
    )
    pl_gateway_retry_at = fields.Datetime(
        string="Gateway Retry At",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set after a transient gateway failure: when the SMS goes back to "
        "the queue.",
    )
    pl_gateway_error = fields.Char(string="Gateway Error", readonly=True, copy=False)
    pl_gateway_message_id = fields.Char(
        string="Gateway Message ID", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # Provider selection
    # ------------------------------------------------------------------
    def _pl_gateway_company_groups(self):
        """Split into ({company: SMS} of gateway companies, other SMS)."""
        gateway, others = {}, self.browse()
        for sms in self:
            company = sms._get_sms_company()
            if company.pl_sms_provider == "http_gateway":
                gateway[company] = gateway.get(company, self.browse()) | sms
            else:
                others |= sms
        return gateway, others

    def _split_by_api(self):
        gateway, others = self._pl_gateway_company_groups()
        for company, company_sms in gateway.items():
            sms_api = PlSmsGatewayApi(self.env)
            sms_api._set_company(company)
            yield sms_api, company_sms
        if others:
            yield from super(SmsSms, others)._split_by_api()

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        # The queue (_process_queue) calls _send on a batch of any companies.
        if self.env.context.get("sms_api"):
            return super()._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        gateway, others = self._pl_gateway_company_groups()
        for company, company_sms in gateway.items():
            sms_api = PlSmsGatewayApi(self.env)
            sms_api._set_company(company)
            company_sms._send_with_api(
                sms_api,
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        if others:
            super(SmsSms, others)._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        return None

    # ------------------------------------------------------------------
    # Results, retries, delivery status
    # ------------------------------------------------------------------
    def _handle_call_result_hook(self, results):
        by_uuid = self.grouped("uuid")
        now = fields.Datetime.now()
        for result in results:
            gateway = result.get("pl_gateway")
            sms = by_uuid.get(result.get("uuid"))
            if gateway is None or not sms:
                continue
            attempts = sms.pl_gateway_attempts + 1
            vals = {"pl_gateway_attempts": attempts, "pl_gateway_retry_at": False}
            if "error" in gateway:
                error = gateway["error"]
                if gateway.get("transient") and attempts < MAX_ATTEMPTS:
                    vals["pl_gateway_retry_at"] = now + RETRY_DELAYS[attempts - 1]
                elif gateway.get("transient"):
                    error = self.env._(
                        "%(error)s Gave up after %(count)s attempts.",
                        error=error,
                        count=attempts,
                    )
                vals["pl_gateway_error"] = error
            else:
                vals.update(
                    pl_gateway_error=False,
                    pl_gateway_message_id=gateway.get("message_id") or False,
                )
                sms.sms_tracker_id.sudo().write(
                    {
                        "pl_gateway_message_id": gateway.get("message_id") or False,
                        "pl_gateway_status": gateway.get("status") or False,
                        "pl_company_id": sms._get_sms_company().id,
                    }
                )
            sms.write(vals)
        return super()._handle_call_result_hook(results)

    @api.model
    def _cron_pl_sms_gateway(self):
        """Requeue gateway SMS due for a retry, then poll delivery statuses.

        Safe with two workers: the SMS and trackers handled are locked
        (skipping the ones another worker holds).
        """
        due = self.search(
            [
                ("state", "=", "error"),
                ("pl_gateway_retry_at", "<=", fields.Datetime.now()),
                ("to_delete", "!=", True),
            ],
            limit=self._get_send_batch_size(),
            order="pl_gateway_retry_at, id",
        ).try_lock_for_update()
        if due:
            due.write({"pl_gateway_retry_at": False})
            due.action_set_outgoing()
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()
            _logger.info("%s SMS put back in the queue for a retry", len(due))
            # Kept whatever the status poll below meets (a time-out, a crash).
            self.env["ir.cron"]._commit_progress()
        self.env["sms.tracker"]._pl_poll_gateway_status()
