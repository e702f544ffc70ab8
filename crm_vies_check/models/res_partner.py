import logging
from datetime import datetime, timedelta

import requests
from markupsafe import Markup
from odoo import api, fields, models, modules
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import format_datetime
from psycopg2 import errors as pg_errors

from ..tools.faults import fault_kind
from ..tools.gus import GusClient, GusError
from ..tools.recheck import Target, check_batch, compare, pause_until
from ..tools.vatnumber import (
    VIES_COUNTRIES,
    VatNumberError,
    check_eu_vat,
    check_nip,
)
from ..tools.vies import ViesClient, ViesError
from ..tools.whitelist import (
    LIMIT_CODE,
    STATUS_ACTIVE,
    STATUS_EXEMPT,
    STATUS_NOT_REGISTERED,
    WhiteListClient,
    WhiteListError,
    WhiteListLimitError,
    split_address,
)
from .partner_verification import DEFAULT_VIES_URL, DEFAULT_WHITELIST_URL

_logger = logging.getLogger(__name__)

# White list errors about the NIP itself: the number is wrong, not the service.
WHITELIST_NIP_CODES = frozenset({"WL-112", "WL-113", "WL-114", "WL-115"})
WHITELIST_STATUS = {
    STATUS_ACTIVE: "active",
    STATUS_EXEMPT: "exempt",
    STATUS_NOT_REGISTERED: "not_registered",
}
INCONCLUSIVE = ("pending", "error")
GUS_URL = "https://wyszukiwarkaregon.stat.gov.pl/wsBIR/UslugaBIRzewnPubl.svc"
PAUSE_PARAM = "crm_vies_check.whitelist_paused_until"
# A contractor whose check was attempted less than this ago (e.g. "pending")
# is not taken again: one run never asks twice, two runs do not overlap.
RETRY_AFTER = timedelta(hours=1)
# What a new contact gets from the registers when its NIP is typed.
FILLED = ("name", "street", "zip", "city", "pl_regon", "pl_krs")


class ResPartner(models.Model):
    _inherit = "res.partner"

    pl_verification_ids = fields.One2many(
        "partner.verification",
        "partner_id",
        string="Verifications",
        readonly=True,
    )
    pl_verification_state = fields.Selection(
        [
            ("not_verified", "Not Verified"),
            ("valid", "Valid"),
            ("invalid", "Invalid"),
            ("pending", "Pending"),
            ("stale", "Stale"),
        ],
        string="Verification",
        compute="_compute_pl_verification_state",
        store=True,
        help="Result of the last VIES / white list checks: 'Stale' when the last "
        "successful check is older than the validity set in the settings.",
    )
    pl_verified_at = fields.Datetime(
        string="Verified On",
        compute="_compute_pl_verification_state",
        store=True,
        help="Date of the last successful verification (of every register).",
    )

    # ------------------------------------------------------------------
    # Syntax check of NIP / EU VAT numbers: base_vat's, in plain words
    # ------------------------------------------------------------------

    def _build_vat_error_message(self, country_code, wrong_vat, record_label):
        # EXTENDS base_vat: its check (python-stdnum) refuses the number; say
        # what is wrong with a NIP or an EU VAT number: its check digit, its
        # length or format, its country prefix.
        code = (country_code or "").upper()
        shown = (wrong_vat or "").strip()
        if code not in ("", "PL") and not shown[:2].isalpha():
            # base_vat gives the number without its prefix: as it was typed
            shown = ("EL" if code == "GR" else code) + shown
        try:
            self._pl_vat_target(shown, code)
        except VatNumberError as error:
            return "\n" + self._pl_vat_error_message(error, shown, code)
        return super()._build_vat_error_message(country_code, wrong_vat, record_label)

    @api.model
    def _pl_vat_target(self, vat, country_code):
        """("pl", NIP), ("eu", prefixed VAT number) or (None, None).

        Polish partners are checked as NIP, partners of another EU country as
        EU VAT numbers (with the country prefix); others are not checked.
        Raise VatNumberError when the number is wrong.
        """
        compact = "".join(str(vat or "").split()).upper()
        prefix = compact[:2] if compact[:2].isalpha() else ""
        country_code = (country_code or "").upper()
        if country_code == "PL" or (not country_code and prefix == "PL"):
            return "pl", check_nip(vat)
        eu_country = "EL" if country_code == "GR" else country_code
        if eu_country in VIES_COUNTRIES:
            return "eu", check_eu_vat(compact if prefix else eu_country + compact)
        if not country_code and prefix in VIES_COUNTRIES | {"GR"}:
            return "eu", check_eu_vat(compact)
        return None, None

    @api.model
    def _pl_vat_error_message(self, error, vat, country_code):
        polish = (country_code or "").upper() == "PL"
        if error.code == "empty":
            return self.env._("The VAT number is empty.")
        if error.code == "checksum":
            if polish:
                return self.env._(
                    "The NIP %(vat)s has a wrong check digit.", vat=vat.strip()
                )
            return self.env._(
                "The VAT number %(vat)s has a wrong check digit.", vat=vat.strip()
            )
        if error.code == "country":
            return self.env._(
                "The VAT number %(vat)s does not start with the code of an EU "
                "country (for example DE, FR or PL).",
                vat=vat.strip(),
            )
        if polish:
            return self.env._(
                "The NIP %(vat)s must have 10 digits (an optional PL prefix, spaces "
                "and dashes are allowed).",
                vat=vat.strip(),
            )
        return self.env._(
            "The VAT number %(vat)s does not have the format of that country.",
            vat=vat.strip(),
        )

    # ------------------------------------------------------------------
    # Verification state
    # ------------------------------------------------------------------

    @api.depends(
        "pl_verification_ids.status",
        "pl_verification_ids.checked_at",
        "pl_verification_ids.check_type",
    )
    def _compute_pl_verification_state(self):
        now = fields.Datetime.now()
        for partner in self:
            latest = partner._pl_latest_verifications()
            statuses = {record.status for record in latest.values()}
            partner.pl_verified_at = False
            if not latest:
                partner.pl_verification_state = "not_verified"
            elif "invalid" in statuses:
                partner.pl_verification_state = "invalid"
            elif statuses & set(INCONCLUSIVE):
                partner.pl_verification_state = "pending"
            else:
                verified_at = min(record.checked_at for record in latest.values())
                company = partner.company_id or self.env.company
                max_age = timedelta(days=company.pl_verification_max_age)
                partner.pl_verified_at = verified_at
                partner.pl_verification_state = (
                    "stale" if now - verified_at > max_age else "valid"
                )

    def _pl_latest_verifications(self, company=None):
        """{check type: latest partner.verification record} of the contractor;
        with ``company``, only the checks that company made."""
        self.ensure_one()
        latest = {}
        records = self.sudo().pl_verification_ids
        if company is not None:
            records = records.filtered(
                lambda record: record.company_id in (company, company.browse())
            )
        for record in sorted(
            records,
            key=lambda r: (
                r.checked_at or datetime.min,
                r.id if isinstance(r.id, int) else 0,
            ),
            reverse=True,
        ):
            latest.setdefault(record.check_type, record)
        return latest

    @api.model
    def _pl_refresh_verification_state(self):
        """Recompute the state of every verified partner (e.g. to mark "stale")."""
        partners = (
            self.sudo()
            .with_context(active_test=False)
            .search([("pl_verification_ids", "!=", False)])
        )
        for name in ("pl_verification_state", "pl_verified_at"):
            self.env.add_to_compute(self._fields[name], partners)
        partners.flush_recordset(["pl_verification_state", "pl_verified_at"])

    # ------------------------------------------------------------------
    # Verification with VIES and the white list
    # ------------------------------------------------------------------

    def action_pl_verify(self):
        """Check the contractors with VIES and / or the white list.

        Every answer, even a service failure, is kept as a partner.verification
        record and summed up in the chatter; nothing is rolled back.
        """
        self._pl_check_may_verify()
        partners = self.commercial_partner_id
        if len(partners) > 1:
            # In a batch, skip contractors without a number instead of failing.
            partners = partners.filtered(lambda p: p._pl_has_checkable_vat())
        for partner in partners:
            partner._pl_verify()
        return True

    def _pl_check_may_verify(self):
        """Invoicing users run the checks: refused before any registry is
        called, so that nobody else spends the daily white-list quota."""
        if not self.env.su and not self.env.user.has_group(
            "account.group_account_invoice"
        ):
            raise AccessError(
                self.env._(
                    "Only invoicing users may verify contractors in the registries "
                    "(VIES, white list)."
                )
            )

    def _pl_has_checkable_vat(self):
        self.ensure_one()
        try:
            scope = self._pl_vat_target(self.vat, self.country_id.code)[0]
        except VatNumberError:
            return False
        return bool(self.vat and scope)

    def _pl_verify(self):
        self.ensure_one()
        try:
            scope, number = self._pl_vat_target(self.vat, self.country_id.code)
        except VatNumberError as exc:
            raise UserError(
                self._pl_vat_error_message(exc, self.vat or "", self.country_id.code)
            ) from exc
        if not self.vat or not scope:
            raise UserError(
                self.env._(
                    "%(partner)s has no Polish NIP or EU VAT number to verify.",
                    partner=self.display_name,
                )
            )
        records = self.env["partner.verification"]
        if scope == "pl":
            records |= self._pl_check_whitelist(number)
            # A PL prefix marks a number registered for intra-EU trade (VAT-EU).
            if "".join(self.vat.split()).upper().startswith("PL"):
                records |= self._pl_check_vies("PL" + number)
        else:
            records |= self._pl_check_vies(number)
        self._pl_post_verification(records)
        return records

    def _pl_service_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        return {
            "vies_url": params.get_param("crm_vies_check.vies_url") or DEFAULT_VIES_URL,
            "whitelist_url": params.get_param("crm_vies_check.whitelist_url")
            or DEFAULT_WHITELIST_URL,
            "timeout": float(params.get_param("crm_vies_check.timeout") or 10),
            "max_retries": int(
                params.get_param("crm_vies_check.vies_max_retries") or 3
            ),
            "backoff": float(params.get_param("crm_vies_check.vies_backoff") or 0.5),
        }

    def _pl_vies_requester(self):
        """The company's own VAT number, so that VIES returns a consultation number."""
        company = self.env.company
        try:
            scope, number = self._pl_vat_target(
                company.vat,
                company.account_fiscal_country_id.code or company.country_id.code,
            )
        except VatNumberError:
            return None
        if scope == "pl":
            return "PL" + number
        return number if scope == "eu" else None

    def _pl_verification_values(self, check_type, number):
        return {
            "partner_id": self.id,
            "company_id": self.env.company.id,
            "check_type": check_type,
            "vat_number": number,
            "checked_at": fields.Datetime.now(),
        }

    def _pl_vies_client(self, settings=None):
        settings = settings or self._pl_service_settings()
        return ViesClient(
            service_url=settings["vies_url"],
            timeout=settings["timeout"],
            max_retries=settings["max_retries"],
            backoff=settings["backoff"],
        )

    def _pl_whitelist_client(self, settings=None):
        settings = settings or self._pl_service_settings()
        return WhiteListClient(
            base_url=settings["whitelist_url"], timeout=settings["timeout"]
        )

    def _pl_check_vies(self, vat):
        """Check the prefixed EU VAT number ``vat``; return the record created."""
        try:
            result = self._pl_vies_client().check(
                vat[:2], vat[2:], requester=self._pl_vies_requester()
            )
        except (ViesError, requests.RequestException, ValueError) as exc:
            result = exc
        return (
            self.env["partner.verification"]
            .sudo()
            .create(self._pl_vies_values(vat, result))
        )

    def _pl_vies_values(self, vat, result):
        """Values of the record of a VIES answer (a ViesResult or an exception)."""
        values = self._pl_verification_values("vies", vat)
        if isinstance(result, Exception):
            _logger.warning("VIES check of %s failed: %s", vat, result)
            values.update(status="error", raw_fault=str(result))
            return values
        status = result.status
        if result.raw_fault == "INVALID_REQUESTER_INFO":
            # Our own VAT number was refused, not the contractor's.
            status = "error"
        values.update(
            status=status,
            trader_name=result.name,
            trader_address=result.address,
            request_identifier=result.request_identifier,
            raw_fault=result.raw_fault,
        )
        return values

    def _pl_check_whitelist(self, nip):
        """Search ``nip`` on the white list; return the record created.

        While the white list is paused (daily limit WL-191), nothing is asked
        and the record is "pending".
        """
        paused = self._pl_whitelist_paused_until()
        if paused:
            result = WhiteListLimitError(
                LIMIT_CODE,
                self.env._(
                    "Daily limit of the white list used up; paused until %(date)s.",
                    date=format_datetime(self.env, paused),
                ),
            )
        else:
            try:
                result = self._pl_whitelist_client().search_nip(nip)
            except WhiteListError as exc:
                result = exc
            except (requests.RequestException, ValueError) as exc:
                result = exc
            if isinstance(result, WhiteListLimitError):
                self._pl_pause_whitelist()
        record = (
            self.env["partner.verification"]
            .sudo()
            .create(self._pl_whitelist_values(nip, result))
        )
        if not isinstance(result, Exception):
            self._pl_update_bank_listing(result)
        return record

    def _pl_whitelist_values(self, nip, result):
        """Values of the record of a white-list answer (a subject or an error)."""
        values = self._pl_verification_values("whitelist", nip)
        if isinstance(result, WhiteListError):
            if result.transient:
                status = "pending"
            elif result.code in WHITELIST_NIP_CODES:
                status = "invalid"
            else:
                status = "error"
            values.update(status=status, raw_fault=f"{result.code}: {result}")
        elif isinstance(result, Exception):
            _logger.warning("White list check of %s failed: %s", nip, result)
            values.update(status="error", raw_fault=str(result))
        else:
            status_vat = WHITELIST_STATUS.get(result.status_vat, "not_found")
            values.update(
                status="valid" if status_vat in ("active", "exempt") else "invalid",
                status_vat=status_vat,
                trader_name=result.name,
                trader_address=result.working_address or result.residence_address,
                request_identifier=result.request_id,
                bank_accounts="\n".join(result.account_numbers) or False,
            )
        return values

    def _pl_post_verification(self, records):
        """Sum the checks up in the chatter, explaining failures."""
        lines = []
        for record in records:
            register = dict(
                record._fields["check_type"]._description_selection(self.env)
            )[record.check_type]
            status = dict(record._fields["status"]._description_selection(self.env))[
                record.status
            ]
            if record.status in INCONCLUSIVE:
                lines.append(
                    self.env._(
                        "%(register)s: %(status)s – %(reason)s Nothing was changed; "
                        "verify again later.",
                        register=register,
                        status=status,
                        reason=record._pl_fault_words(),
                    )
                )
            elif record.request_identifier:
                lines.append(
                    self.env._(
                        "%(register)s: %(status)s (request %(identifier)s).",
                        register=register,
                        status=status,
                        identifier=record.request_identifier,
                    )
                )
            else:
                lines.append(
                    self.env._(
                        "%(register)s: %(status)s.", register=register, status=status
                    )
                )
        body = Markup("%s<ul>%s</ul>") % (
            self.env._("Contractor verification:"),
            Markup().join(Markup("<li>%s</li>") % line for line in lines),
        )
        # Invoicing users may verify contractors they cannot edit: the note is
        # posted as superuser, authored by the user.
        self.sudo().message_post(
            author_id=self.env.user.partner_id.id,
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------
    # Scheduled re-verification and white-list pause
    # ------------------------------------------------------------------

    pl_regon = fields.Char(string="REGON", copy=False)
    pl_krs = fields.Char(string="KRS", copy=False)
    pl_rechecked_at = fields.Datetime(
        string="Last Automatic Check",
        readonly=True,
        copy=False,
        help="When the scheduled re-verification last checked this contractor.",
    )

    @api.model
    def _pl_whitelist_paused_until(self):
        """End of the white-list pause (naive UTC), or None when not paused."""
        raw = self.env["ir.config_parameter"].sudo().get_param(PAUSE_PARAM)
        until = fields.Datetime.to_datetime(raw) if raw else None
        if until and until > fields.Datetime.now():
            return until
        return None

    @api.model
    def _pl_pause_whitelist(self):
        """Stop asking the white list until the next midnight in Warsaw."""
        until = pause_until()
        self.env["ir.config_parameter"].sudo().set_param(
            PAUSE_PARAM, fields.Datetime.to_string(until)
        )
        _logger.warning("White list daily limit (WL-191): paused until %s UTC", until)
        return until

    # ------------------------------------------------------------------
    # Scheduled re-verification
    # ------------------------------------------------------------------

    @api.model
    def _cron_pl_recheck(self, companies=None, max_batches=None):
        """Re-check contractors with open documents whose last check is old.

        Works in batches (one white-list call of up to 30 NIPs, VIES calls in a
        small thread pool), committing after each batch: a killed run leaves
        the checked contractors done and the others due. Each batch locks its
        contractors (FOR NO KEY UPDATE SKIP LOCKED) so two workers never take
        the same ones. ``companies``: those of a Polish fiscal country by
        default; ``max_batches``: stop after that many batches. Return the
        number of contractors checked.
        """
        settings = self._pl_service_settings()
        params = self.env["ir.config_parameter"].sudo()
        batch_size = int(params.get_param("crm_vies_check.recheck_batch_size") or 30)
        workers = int(params.get_param("crm_vies_check.recheck_vies_workers") or 4)
        checked = batches = 0
        if companies is None:
            companies = (
                self.env["res.company"]
                .sudo()
                .search([("account_fiscal_country_id.code", "=", "PL")])
            )
        for company in companies:
            # A background job: its chatter lines in the company's language.
            partners_model = (
                self.with_company(company)
                .with_context(lang=company.partner_id.lang)
                .sudo()
            )
            while max_batches is None or batches < max_batches:
                ids = partners_model._pl_recheck_claim(company, batch_size)
                if not ids:
                    break
                partners = partners_model.browse(ids)
                done = partners._pl_recheck_batch(settings, workers)
                checked += done
                batches += 1
                if self._pl_recheck_commit(done) <= 0:
                    # The cron's time is up: ask to be run again soon.
                    self.env["ir.cron"]._commit_progress(remaining=1)
                    return checked
        return checked

    @api.model
    def _pl_recheck_commit(self, processed):
        """Commit a batch (not inside tests: they roll back at the end).

        Return the time left to the cron run, in seconds.
        """
        if modules.module.current_test:
            self.env.flush_all()
            return float("inf")
        return self.env["ir.cron"]._commit_progress(processed)

    @api.model
    def _pl_recheck_open_partner_sql(self, company):
        """SQL queries of commercial partner ids with open documents of ``company``.

        Unpaid posted customer invoices and credit notes, open quotations and
        not fully invoiced orders; recurring contracts when such a model is
        installed (override to add other sources).
        """
        queries = [
            SQL(
                """SELECT commercial_partner_id FROM account_move
                    WHERE company_id = %s AND state = 'posted'
                      AND move_type IN ('out_invoice', 'out_refund')
                      AND payment_state IN ('not_paid', 'partial')""",
                company.id,
            )
        ]
        if "sale.order" in self.env:
            queries.append(
                SQL(
                    """SELECT p.commercial_partner_id
                         FROM sale_order so
                         JOIN res_partner p ON p.id = so.partner_id
                        WHERE so.company_id = %s
                          AND so.state IN ('draft', 'sent', 'sale')
                          AND COALESCE(so.invoice_status, 'no') != 'invoiced'""",
                    company.id,
                )
            )
        # Recurring contracts (add-on crm_recurring, when installed) that
        # still invoice: running or paused.
        if "crm.recurring.contract" in self.env:
            queries.append(
                SQL(
                    """SELECT p.commercial_partner_id FROM crm_recurring_contract c
                         JOIN res_partner p ON p.id = c.partner_id
                        WHERE c.company_id = %s AND c.state != 'closed'""",
                    company.id,
                )
            )
        return queries

    @api.model
    def _pl_recheck_claim(self, company, limit):
        """Lock and return the ids of up to ``limit`` contractors due a check.

        Due: a company with a VAT number, with an open document of ``company``,
        without a conclusive check (valid / invalid) of ``company`` within its
        re-check interval, and not attempted within RETRY_AFTER. While the
        white list is paused, contractors needing it are left for later.
        """
        now = fields.Datetime.now()
        cutoff = now - timedelta(days=company.pl_recheck_days or 0)
        retry = now - RETRY_AFTER
        open_sql = SQL(" UNION ").join(self._pl_recheck_open_partner_sql(company))
        paused = SQL("")
        if self._pl_whitelist_paused_until():
            paused = SQL(
                """AND NOT (UPPER(p.vat) LIKE 'PL%%' OR p.country_id = %s)""",
                self.env.ref("base.pl").id,
            )
        query = SQL(
            """SELECT p.id FROM res_partner p
                WHERE p.id IN (%(open)s)
                  AND p.is_company AND p.active
                  AND COALESCE(p.vat, '') != ''
                  AND (p.pl_rechecked_at IS NULL OR p.pl_rechecked_at < %(retry)s)
                  AND NOT EXISTS (
                      SELECT 1 FROM partner_verification v
                       WHERE v.partner_id = p.id AND v.company_id = %(company)s
                         AND v.status IN ('valid', 'invalid')
                         AND v.checked_at >= %(cutoff)s)
                  %(paused)s
                ORDER BY p.id
                LIMIT %(limit)s
                FOR NO KEY UPDATE OF p SKIP LOCKED""",
            open=open_sql,
            retry=retry,
            company=company.id,
            cutoff=cutoff,
            paused=paused,
            limit=limit,
        )
        self.env.flush_all()
        for attempt in range(3):
            try:
                with self.env.cr.savepoint():
                    self.env.cr.execute(query)
                    return [row[0] for row in self.env.cr.fetchall()]
            except pg_errors.SerializationFailure:
                # Another worker committed one of these contractors after our
                # snapshot: start a new transaction (nothing is pending, the
                # previous batch was committed) and claim again.
                if modules.module.current_test or attempt == 2:
                    raise
                self.env.cr.rollback()
        return []

    def _pl_update_bank_listing(self, subject):
        """Mark the contractor's bank accounts listed / not listed from ``subject``."""
        self.ensure_one()
        banks = self.sudo().with_context(active_test=False).bank_ids
        self.env["res.partner.bank"]._pl_set_listing(banks, subject)

    def _pl_recheck_target(self):
        """Target of the contractor, or None when its number cannot be checked."""
        self.ensure_one()
        try:
            scope, number = self._pl_vat_target(self.vat, self.country_id.code)
        except VatNumberError:
            return None
        if scope == "pl":
            prefixed = "".join(self.vat.split()).upper().startswith("PL")
            return Target(self.id, nip=number, vies="PL" + number if prefixed else None)
        if scope == "eu":
            return Target(self.id, vies=number)
        return None

    def _pl_recheck_batch(self, settings, workers):
        """Check the locked contractors ``self``; record, compare, notify.

        Return how many were asked (not those left for after a WL-191 pause,
        nor those without a number to check, which are only stamped).
        """
        targets = {}
        for partner in self:
            target = partner._pl_recheck_target()
            if target:
                targets[partner.id] = target
        paused = self._pl_whitelist_paused_until()
        asked = [target for target in targets.values() if not (paused and target.nip)]
        result = check_batch(
            asked,
            self._pl_whitelist_client(settings),
            lambda: self._pl_vies_client(settings),
            requester=self._pl_vies_requester(),
            workers=workers,
        )
        if result.limit_error is not None:
            self._pl_pause_whitelist()
        now = fields.Datetime.now()
        checked = self.browse()
        asked = 0
        values, previous, subjects = [], {}, {}
        for partner in self:
            target = targets.get(partner.id)
            outcome = result.outcomes.get(partner.id)
            if target and target.nip and (paused or result.limit_error is not None):
                # WL-191: not an answer about the contractor, it stays due.
                continue
            checked |= partner
            if not outcome:
                continue  # no number to check: only stamped, not counted
            asked += 1
            previous[partner.id] = partner._pl_latest_verifications()
            if target.nip:
                values.append(
                    partner._pl_whitelist_values(target.nip, outcome.whitelist)
                )
                if not isinstance(outcome.whitelist, Exception):
                    subjects[partner.id] = outcome.whitelist
            if target.vies:
                values.append(partner._pl_vies_values(target.vies, outcome.vies))
        records = self.env["partner.verification"].sudo().create(values)
        checked.pl_rechecked_at = now
        for partner in checked:
            if partner.id in subjects:
                partner._pl_update_bank_listing(subjects[partner.id])
            changes = []
            mine = records.filtered(lambda r, p=partner: r.partner_id == p)
            for record in mine:
                old = previous[partner.id].get(record.check_type)
                changes += compare(_answer(old), _answer(record))
            if changes:
                partner._pl_notify_changes(mine, changes)
        return asked

    def _pl_notify_changes(self, records, changes):
        """Post the changes on the contractor; tell the salesperson and accountant."""
        self.ensure_one()
        lines = [self._pl_change_text(*change) for change in changes]
        body = Markup("%s<ul>%s</ul>") % (
            self.env._("The scheduled re-verification found a change:"),
            Markup().join(Markup("<li>%s</li>") % line for line in lines),
        )
        company = self.env.company
        users = self.user_id | company.pl_verification_accountant_id
        recipients = users.partner_id
        if not company.pl_verification_accountant_id:
            accountants = self.env.ref("account.group_account_manager").all_user_ids
            recipients |= accountants.filtered(
                lambda user: company in user.company_ids and not user.share
            ).partner_id
        self.message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=recipients.ids,
        )
        summary = self.env._("Contractor verification changed")
        for user in users:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=summary,
                note=body,
            )

    def _pl_change_text(self, what, old, new):
        verification = self.env["partner.verification"]
        if what == "accounts_removed":
            return self.env._(
                "White list: bank account(s) removed from the list: %(accounts)s.",
                accounts=", ".join(old),
            )
        if what == "status_vat":
            labels = dict(
                verification._fields["status_vat"]._description_selection(self.env)
            )
            return self.env._(
                "White list: VAT status changed from %(old)s to %(new)s.",
                old=labels.get(old, old or "-"),
                new=labels.get(new, new or "-"),
            )
        labels = dict(verification._fields["status"]._description_selection(self.env))
        return self.env._(
            "VIES: changed from %(old)s to %(new)s.",
            old=labels.get(old, old or "-"),
            new=labels.get(new, new or "-"),
        )

    # ------------------------------------------------------------------
    # GUS REGON lookup
    # ------------------------------------------------------------------

    def action_pl_gus_lookup(self):
        """Look the NIP up in GUS REGON; open the confirmation wizard.

        Nothing is written to the contact before the user applies the wizard.
        """
        self.ensure_one()
        try:
            scope, nip = self._pl_vat_target(self.vat, self.country_id.code or "PL")
        except VatNumberError as exc:
            raise UserError(
                self._pl_vat_error_message(exc, self.vat or "", "PL")
            ) from exc
        if scope != "pl":
            raise UserError(
                self.env._(
                    "%(partner)s has no Polish NIP to look up in GUS REGON.",
                    partner=self.display_name,
                )
            )
        subject = self._pl_gus_subject(nip)
        if not subject:
            raise UserError(
                self.env._("GUS REGON has no entity with the NIP %(nip)s.", nip=nip)
            )
        wizard = self.env["pl.gus.lookup"].create(
            {
                "partner_id": self.id,
                **self.env["pl.gus.lookup"]._values_of(subject, self._pl_krs_of(nip)),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Fill from GUS REGON"),
            "res_model": "pl.gus.lookup",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _pl_gus_subject(self, nip):
        """What GUS REGON has for ``nip`` (a GusSubject), None when nothing.

        A translated UserError when no GUS key is set or GUS cannot be asked.
        """
        params = self.env["ir.config_parameter"].sudo()
        key = params.get_param("crm_vies_check.gus_key")
        if not key:
            raise UserError(
                self.env._(
                    "Set the GUS REGON user key in the settings (Contractor "
                    "Verification) first."
                )
            )
        settings = self._pl_service_settings()
        try:
            client = GusClient(
                key,
                service_url=params.get_param("crm_vies_check.gus_url") or GUS_URL,
                timeout=settings["timeout"],
            )
            with client:
                subject = client.search_nip(nip)
        except GusError as exc:
            _logger.warning("GUS REGON lookup of %s failed: %s", nip, exc)
            raise UserError(self._pl_gus_error_words(exc)) from exc
        return subject

    def _pl_gus_error_words(self, error):
        """Why GUS REGON gave no answer, in the user's language (the technical
        fault goes to the log)."""
        if error.code == "login":
            return self.env._(
                "GUS REGON refused the user key: check the key in the settings "
                "(Contractor Verification)."
            )
        if error.code == "bad_response":
            return self.env._(
                "GUS REGON answered something that is not a valid answer; try "
                "again later."
            )
        if fault_kind(f"unreachable: {error}") == "timeout":
            return self.env._("GUS REGON did not answer in time; try again later.")
        return self.env._(
            "GUS REGON could not be reached (no connection to the service); try "
            "again later."
        )

    def _pl_krs_of(self, nip):
        """KRS number from the white list (GUS's search result has none), or None."""
        if self._pl_whitelist_paused_until():
            return None
        try:
            subject = self._pl_whitelist_client().search_nip(nip)
        except (WhiteListError, requests.RequestException, ValueError) as exc:
            _logger.info("No KRS from the white list for %s: %s", nip, exc)
            return None
        return subject.krs

    # ------------------------------------------------------------------
    # A new contact filled from the registers as soon as its NIP is typed:
    # its empty name, address, REGON and KRS from GUS REGON (from the VAT
    # white list when no GUS key is set), said in a notification; nothing
    # is saved before the user saves, and an unreachable register only says
    # why.
    # ------------------------------------------------------------------

    @api.onchange("vat")
    def _onchange_vat_pl_fill(self):
        if self._origin.id or not self.vat:
            return None
        try:
            scope, nip = self._pl_vat_target(self.vat, self.country_id.code or "PL")
        except VatNumberError:
            return None  # the VAT number check says what is wrong on saving
        if scope != "pl":
            return None
        title = self.env._("Contractor data")
        try:
            values, source = self._pl_register_data(nip)
        except UserError as error:
            return {"warning": {"title": title, "message": error.args[0]}}
        if not values:
            return {
                "warning": {
                    "title": title,
                    "message": self.env._(
                        "%(register)s has no entity with the NIP %(nip)s: fill "
                        "the name and address by hand.",
                        register=source,
                        nip=nip,
                    ),
                }
            }
        filled = [name for name in FILLED if values.get(name) and not self[name]]
        if not filled:
            return None
        for name in filled:
            self[name] = values[name]
        self.is_company = True
        self.country_id = self.env.ref("base.pl")
        return {
            "warning": {
                "title": title,
                "message": self.env._(
                    "Name and address filled from %(register)s: check them before "
                    "saving.",
                    register=source,
                ),
            }
        }

    def _pl_register_data(self, nip):
        """({field: value}, register name) of ``nip`` from GUS REGON, else the
        white list; empty values when the register does not know the NIP."""
        if self.env["ir.config_parameter"].sudo().get_param("crm_vies_check.gus_key"):
            subject = self._pl_gus_subject(nip)
            values = {}
            if subject:
                values = self.env["pl.gus.lookup"]._values_of(
                    subject, self._pl_krs_of(nip)
                )
            return values, "GUS REGON"
        register = self.env._("The VAT white list")
        if self._pl_whitelist_paused_until():
            raise UserError(
                self.env._(
                    "The daily limit of white-list queries is used up: fill the "
                    "name and address by hand."
                )
            )
        try:
            subject = self._pl_whitelist_client().search_nip(nip)
        except (WhiteListError, OSError, ValueError) as error:
            raw_fault = str(error)
            if isinstance(error, WhiteListError):
                raw_fault = f"{error.code}: {error}"
            reason = (
                self.env["partner.verification"]
                .new({"check_type": "whitelist", "raw_fault": raw_fault})
                ._pl_fault_words()
            )
            raise UserError(
                self.env._(
                    "%(reason)s Fill the name and address by hand or type the NIP "
                    "again later.",
                    reason=reason,
                )
            ) from error
        if not subject.found:
            return {}, register
        street, zip_code, city = split_address(
            subject.working_address or subject.residence_address
        )
        values = {
            "name": subject.name,
            "street": street,
            "zip": zip_code,
            "city": city,
            "pl_regon": subject.regon,
            "pl_krs": subject.krs,
        }
        return values, register


def _answer(record):
    """The stored answer of a verification record, for ``compare``."""
    if not record:
        return None
    accounts = None
    if record.check_type == "whitelist":
        accounts = set((record.bank_accounts or "").split())
    return {
        "status": record.status,
        "status_vat": record.status_vat,
        "accounts": accounts,
    }
