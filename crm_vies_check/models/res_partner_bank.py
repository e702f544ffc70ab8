import logging
from datetime import UTC

import requests
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.vatnumber import VatNumberError
from ..tools.whitelist import WhiteListError, WhiteListLimitError

_logger = logging.getLogger(__name__)

WL_ACCOUNT_STATES = [
    ("listed", "On the White List"),
    ("not_listed", "Not on the White List"),
    ("error", "Not Confirmed"),
]


def to_utc(stamp):
    """A white-list requestDateTime (aware, Warsaw) as naive UTC, or now."""
    if not stamp:
        return fields.Datetime.now()
    return stamp.astimezone(UTC).replace(tzinfo=None)


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    pl_wl_state = fields.Selection(
        WL_ACCOUNT_STATES,
        string="White List",
        readonly=True,
        copy=False,
        help="Whether the account is registered on the Polish VAT-payer white list "
        "for the holder's NIP, as of the last check.",
    )
    pl_wl_checked_at = fields.Datetime(
        string="White List Checked On", readonly=True, copy=False
    )
    pl_wl_request_id = fields.Char(
        string="White List Request",
        readonly=True,
        copy=False,
        help="requestId of the white-list answer: the proof of the check.",
    )

    def _pl_nrb(self):
        """The 26-digit Polish account number (NRB) of the account, or None.

        Odoo's sanitized_acc_number (no separators, upper case) without the
        "PL" of an IBAN: the white list compares NRBs.
        """
        self.ensure_one()
        text = self.sanitized_acc_number or ""
        if text.startswith("PL"):
            text = text[2:]
        return text if len(text) == 26 and text.isascii() and text.isdigit() else None

    def _pl_holder_nip(self):
        """NIP of the account holder (our company or the contractor), or None."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        try:
            scope, number = partner._pl_vat_target(
                partner.vat, partner.country_id.code or "PL"
            )
        except VatNumberError:
            return None
        return number if scope == "pl" else None

    def _pl_check_account(self):
        """Ask the white list whether the account is assigned to its holder's NIP.

        Store and return (state, request id, checked at, message). A missing
        NIP or a service failure gives "error", never "not_listed".
        """
        self.ensure_one()
        partner_model = self.env["res.partner"]
        account, nip = self._pl_nrb(), self._pl_holder_nip()
        message = None
        state, request_id, checked_at = "error", None, fields.Datetime.now()
        if not account:
            message = self.env._(
                "%(account)s is not a Polish account number (NRB).",
                account=self.acc_number,
            )
        elif not nip:
            message = self.env._(
                "The account holder %(partner)s has no Polish NIP.",
                partner=self.partner_id.commercial_partner_id.display_name,
            )
        elif partner_model._pl_whitelist_paused_until():
            message = self.env._("The white list is paused (daily limit WL-191).")
        else:
            try:
                answer = partner_model._pl_whitelist_client().check_account(
                    nip, account
                )
            except WhiteListLimitError as exc:
                partner_model._pl_pause_whitelist()
                message = f"{exc.code}: {exc}"
            except WhiteListError as exc:
                message = f"{exc.code}: {exc}"
            except (requests.RequestException, ValueError) as exc:
                _logger.warning("White list account check failed: %s", exc)
                message = str(exc)
            else:
                state = "listed" if answer.assigned else "not_listed"
                request_id = answer.request_id
                checked_at = to_utc(answer.request_datetime)
        self.sudo().write(
            {
                "pl_wl_state": state,
                "pl_wl_request_id": request_id,
                "pl_wl_checked_at": checked_at,
            }
        )
        return state, request_id, checked_at, message

    def action_pl_check_whitelist(self):
        for bank in self:
            state, __, __, message = bank._pl_check_account()
            if state == "error" and len(self) == 1:
                raise UserError(message)
        return True

    @api.model
    def _pl_set_listing(self, banks, subject):
        """Mark ``banks`` from the accountNumbers of a white-list ``subject``."""
        listed = set(subject.account_numbers) if subject.status_vat else set()
        for bank in banks:
            account = bank._pl_nrb()
            if not account:
                continue
            bank.sudo().write(
                {
                    "pl_wl_state": "listed" if account in listed else "not_listed",
                    "pl_wl_request_id": subject.request_id,
                    "pl_wl_checked_at": to_utc(subject.request_datetime),
                }
            )
