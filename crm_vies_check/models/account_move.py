from datetime import timedelta

from markupsafe import Markup
from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_datetime

from .res_partner import INCONCLUSIVE
from .res_partner_bank import WL_ACCOUNT_STATES

OVERRIDE_GROUP = "crm_vies_check.group_verification_override"
EU_GROUPS = ("base.europe", "account.europe_vat")
# Art. 15d ustawy o CIT / art. 22p ustawy o PIT and art. 117ba Ordynacji
# podatkowej: a payment above this (gross, PLN) to an account not on the
# white list is not a tax-deductible cost of the buyer and makes the buyer
# jointly liable for the seller's VAT.
WHITELIST_THRESHOLD = 15000


BANK_CHECK_FIELDS = frozenset(
    {
        "pl_bank_wl_state",
        "pl_bank_wl_checked_at",
        "pl_bank_wl_request_id",
        "pl_bank_wl_account",
    }
)


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        problems = {}
        for move in self:
            problem = move._pl_verification_problem()
            if problem:
                problems[move] = problem
        blocked = {
            move: problem
            for move, problem in problems.items()
            if move.company_id.pl_verification_policy == "block"
        }
        if blocked and not self.env.user.has_group(OVERRIDE_GROUP):
            raise UserError(
                self.env._(
                    "The invoice cannot be posted: the contractor did not pass "
                    "verification."
                )
                + "\n\n"
                + "\n".join(
                    "- %s: %s" % (move.display_name, problem)
                    for move, problem in blocked.items()
                )
                + "\n\n"
                + self.env._(
                    "Verify the contractor again (Verify contractor on the contact) or "
                    "ask a user allowed to post invoices for unverified contractors."
                )
            )
        posted = super()._post(soft=soft)
        for move in posted:
            outage = move._pl_outage_note()
            if outage:
                move.sudo().message_post(
                    author_id=self.env.user.partner_id.id,
                    body=Markup("<p>%s</p>")
                    % self.env._(
                        "Posted during a registry outage: %(note)s", note=outage
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            problem = problems.get(move)
            if not problem:
                continue
            if move in blocked:
                body = self.env._(
                    "Posted despite a failed contractor verification by %(user)s: "
                    "%(problem)s",
                    user=self.env.user.name,
                    problem=problem,
                )
            else:
                body = self.env._(
                    "Contractor verification warning: %(problem)s", problem=problem
                )
            move.sudo().message_post(
                author_id=self.env.user.partner_id.id,
                body=Markup("<p>%s</p>") % body,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return posted

    # ------------------------------------------------------------------
    # Contractor verification
    # ------------------------------------------------------------------

    def _pl_is_intra_community(self):
        """Whether the invoice is an intra-community supply (another EU country)."""
        self.ensure_one()
        company_country = (
            self.company_id.account_fiscal_country_id or self.company_id.country_id
        )
        groups = self.env["res.country.group"]
        for xmlid in EU_GROUPS:
            groups |= self.env.ref(xmlid, raise_if_not_found=False) or groups
        eu = self.env.ref("base.europe", raise_if_not_found=False)
        eu_countries = eu.country_ids if eu else self.env["res.country"]
        position = self.fiscal_position_id
        countries = position.country_id | self.commercial_partner_id.country_id
        if any(c in eu_countries and c != company_country for c in countries):
            return True
        return bool(
            position
            and not position.country_id
            and position.country_group_id
            and position.country_group_id <= groups
        )

    def _pl_verification_problem(self):
        """The failed checks (contractor, bank account), in words, or None."""
        problems = [self._pl_contractor_problem(), self._pl_bank_account_problem()]
        return " ".join(problem for problem in problems if problem) or None

    def _pl_contractor_checked(self):
        """Whether the contractor of this document is checked at posting:
        customer invoices and credit notes of companies with a policy, for
        contractors that are companies with a VAT number."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return bool(
            self.move_type in ("out_invoice", "out_refund")
            and self.company_id.pl_verification_policy not in (False, "none")
            and partner.is_company
            and partner.vat
        )

    def _pl_contractor_problem(self):
        """The failed check of the contractor, in words, or None."""
        self.ensure_one()
        if not self._pl_contractor_checked():
            return None
        partner = self.commercial_partner_id
        max_age = timedelta(days=self.company_id.pl_verification_max_age)
        # The company's own checks: its proof of due diligence.
        latest = partner._pl_latest_verifications(self.company_id)
        relied_on = self._pl_outage_grace(latest)
        latest.update(
            (check_type, valid) for check_type, (_, valid) in relied_on.items()
        )
        graced = {valid for _, valid in relied_on.values()}
        if self._pl_is_intra_community():
            vies = latest.get("vies", self.env["partner.verification"])
            state, last_check = self._pl_verification_outcome(vies, max_age, graced)
            if state != "valid":
                return self._pl_verification_message(
                    partner, state, last_check, vies=True
                )
        state, last_check = self._pl_verification_outcome(
            latest.values(), max_age, graced
        )
        if state != "valid":
            return self._pl_verification_message(partner, state, last_check)
        return None

    def _pl_outage_grace(self, latest):
        """{check type: (unanswered check, valid check relied on instead)}.

        A registry that does not answer (VIES or the white list down: the
        latest check is "pending" or "error") must not stop all posting: a
        valid check of the same registry made within the company's grace days
        (``pl_verification_outage_days``) stands in for it.
        """
        days = self.company_id.pl_verification_outage_days
        if days <= 0:
            return {}
        since = fields.Datetime.now() - timedelta(days=days)
        relied_on = {}
        for check_type, record in latest.items():
            if record.status not in INCONCLUSIVE:
                continue
            valid = (
                self.env["partner.verification"]
                .sudo()
                .search(
                    [
                        ("partner_id", "=", record.partner_id.id),
                        ("company_id", "in", [self.company_id.id, False]),
                        ("check_type", "=", check_type),
                        ("status", "=", "valid"),
                        ("checked_at", ">=", since),
                    ],
                    order="checked_at desc, id desc",
                    limit=1,
                )
            )
            if valid:
                relied_on[check_type] = (record, valid)
        return relied_on

    def _pl_outage_note(self):
        """The note recording the valid checks relied on during an outage."""
        self.ensure_one()
        if not self._pl_contractor_checked():
            return None
        relied_on = self._pl_outage_grace(
            self.commercial_partner_id._pl_latest_verifications(self.company_id)
        )
        labels = dict(
            self.env["partner.verification"]
            ._fields["check_type"]
            ._description_selection(self.env)
        )
        return (
            " ".join(
                self.env._(
                    "%(register)s did not answer the check of %(failed)s; the valid "
                    "check of %(valid)s (request %(request)s) was relied on.",
                    register=labels[check_type],
                    failed=format_datetime(self.env, failed.checked_at),
                    valid=format_datetime(self.env, valid.checked_at),
                    request=valid.request_identifier or "-",
                )
                for check_type, (failed, valid) in relied_on.items()
            )
            or None
        )

    def _pl_verification_outcome(self, records, max_age, graced=()):
        """(state, date of the last check) of the latest ``records``.

        The checks in ``graced`` (relied on during a registry outage) are not
        held to ``max_age``: the grace days decided they are recent enough.
        """
        if not records:
            return "not_verified", False
        statuses = {record.status for record in records}
        last_check = max(record.checked_at for record in records)
        if "invalid" in statuses:
            return "invalid", last_check
        if statuses & set(INCONCLUSIVE):
            return "pending", last_check
        held = [record.checked_at for record in records if record not in graced]
        oldest = min(held) if held else last_check
        if held and fields.Datetime.now() - oldest > max_age:
            return "stale", oldest
        return "valid", last_check

    def _pl_verification_message(self, partner, state, last_check, vies=False):
        labels = dict(
            partner._fields["pl_verification_state"]._description_selection(self.env)
        )
        values = {
            "partner": partner.display_name,
            "state": labels[state],
            "date": last_check and format_datetime(self.env, last_check),
        }
        if vies:
            if state == "not_verified":
                return self.env._(
                    "%(partner)s: no VIES check (required for an intra-community "
                    "supply).",
                    **values,
                )
            return self.env._(
                "%(partner)s: VIES check %(state)s, last check on %(date)s "
                "(required for an intra-community supply).",
                **values,
            )
        if state == "not_verified":
            return self.env._("%(partner)s: %(state)s, never checked.", **values)
        return self.env._(
            "%(partner)s: verification %(state)s, last check on %(date)s.", **values
        )

    # ------------------------------------------------------------------
    # White-list check of the invoice's bank account
    # ------------------------------------------------------------------

    pl_bank_wl_state = fields.Selection(
        WL_ACCOUNT_STATES,
        string="Bank Account on White List",
        readonly=True,
        copy=False,
        help="Whether the bank account printed on the invoice is registered on the "
        "white list for the company's NIP, as of the check below.",
    )
    pl_bank_wl_checked_at = fields.Datetime(
        string="Bank Account Checked On", readonly=True, copy=False
    )
    pl_bank_wl_request_id = fields.Char(
        string="Bank Account Check Request", readonly=True, copy=False
    )
    pl_bank_wl_account = fields.Char(
        string="Bank Account Checked", readonly=True, copy=False
    )

    def write(self, vals):
        # EXTENDS account: the white-list proof of the bank account is written
        # by the check alone (as superuser), never by a user or the API.
        if not self.env.su and not BANK_CHECK_FIELDS.isdisjoint(vals):
            raise AccessError(
                self.env._(
                    "The white-list check of the bank account is recorded by the "
                    "check itself (the Check button next to it on the invoice): it "
                    "cannot be written by hand."
                )
            )
        return super().write(vals)

    def action_pl_check_bank_account(self):
        """Check the invoice's bank account on the white list; keep the proof."""
        self.env["res.partner"]._pl_check_may_verify()
        for move in self.filtered("partner_bank_id"):
            move._pl_check_bank_account()
        return True

    def _pl_check_bank_account(self):
        self.ensure_one()
        bank = self.partner_bank_id
        state, request_id, checked_at, message = bank._pl_check_account()
        self.sudo().write(
            {
                "pl_bank_wl_state": state,
                "pl_bank_wl_request_id": request_id,
                "pl_bank_wl_checked_at": checked_at,
                "pl_bank_wl_account": bank.acc_number,
            }
        )
        return message

    def _pl_amount_pln(self):
        self.ensure_one()
        amount = abs(self.amount_total_signed)
        pln = self.env.ref("base.PLN", raise_if_not_found=False)
        currency = self.company_id.currency_id
        if pln and currency != pln:
            amount = currency._convert(
                amount,
                pln,
                self.company_id,
                self.invoice_date or fields.Date.context_today(self),
            )
        return amount

    def _pl_bank_account_problem(self):
        """Why the bank account of a large B2B invoice is not safe, or None.

        For a customer invoice of a company with a posting policy, to a company
        with a VAT number, above 15 000 zł, with a bank account: the account is
        checked on the white list (unless checked today) and must be listed.
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        bank = self.partner_bank_id
        if (
            self.move_type != "out_invoice"
            or self.company_id.pl_verification_policy in (False, "none")
            or not partner.is_company
            or not partner.vat
            or not bank
            or self._pl_amount_pln() <= WHITELIST_THRESHOLD
        ):
            return None
        today = fields.Date.context_today(self)
        message = None
        if not (
            self.pl_bank_wl_state == "listed"
            and self.pl_bank_wl_account == bank.acc_number
            and self.pl_bank_wl_checked_at
            and self.pl_bank_wl_checked_at.date() == today
        ):
            message = self._pl_check_bank_account()
        if self.pl_bank_wl_state == "listed":
            return None
        values = {
            "account": bank.acc_number,
            "date": format_datetime(self.env, self.pl_bank_wl_checked_at),
            "threshold": WHITELIST_THRESHOLD,
        }
        if self.pl_bank_wl_state == "not_listed":
            return self.env._(
                "The bank account %(account)s is not on the white list for the "
                "company's NIP (checked on %(date)s); a customer paying more than "
                "%(threshold)s PLN to it cannot count the cost for income tax and "
                "becomes jointly liable for the VAT.",
                **values,
            )
        return self.env._(
            "The bank account %(account)s could not be confirmed on the white list "
            "(%(reason)s).",
            reason=message or "-",
            **values,
        )
