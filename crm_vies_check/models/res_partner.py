import logging
from datetime import datetime, timedelta

import requests
from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.vatnumber import (
    VIES_COUNTRIES,
    VatNumberError,
    check_eu_vat,
    check_nip,
)
from ..tools.vies import ViesClient, ViesError
from ..tools.whitelist import (
    STATUS_ACTIVE,
    STATUS_EXEMPT,
    STATUS_NOT_REGISTERED,
    WhiteListClient,
    WhiteListError,
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
    # Syntax check of NIP / EU VAT numbers
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("vat"):
                is_company = vals.get("is_company") or (
                    vals.get("company_type") == "company"
                )
                country = self.env["res.country"].browse(vals.get("country_id"))
                self._pl_check_vat_syntax(vals["vat"], country.code, is_company)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("vat"):
            for partner in self:
                is_company = vals.get("is_company", partner.is_company)
                if "company_type" in vals:
                    is_company = vals["company_type"] == "company"
                country = (
                    self.env["res.country"].browse(vals["country_id"])
                    if "country_id" in vals
                    else partner.country_id
                )
                self._pl_check_vat_syntax(vals["vat"], country.code, is_company)
        return super().write(vals)

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
    def _pl_check_vat_syntax(self, vat, country_code, is_company):
        """Raise a ValidationError if the NIP / EU VAT number ``vat`` is wrong."""
        if not is_company or self.env.context.get("no_vat_validation"):
            return
        try:
            self._pl_vat_target(vat, country_code)
        except VatNumberError as exc:
            raise ValidationError(
                self._pl_vat_error_message(exc, vat, country_code)
            ) from exc

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

    def _pl_latest_verifications(self):
        """{check type: latest partner.verification record} of the contractor."""
        self.ensure_one()
        latest = {}
        for record in sorted(
            self.sudo().pl_verification_ids,
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
        partners = self.commercial_partner_id
        if len(partners) > 1:
            # In a batch, skip contractors without a number instead of failing.
            partners = partners.filtered(lambda p: p._pl_has_checkable_vat())
        for partner in partners:
            partner._pl_verify()
        return True

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

    def _pl_check_vies(self, vat):
        """Check the prefixed EU VAT number ``vat``; return the record created."""
        settings = self._pl_service_settings()
        values = self._pl_verification_values("vies", vat)
        try:
            client = ViesClient(
                service_url=settings["vies_url"],
                timeout=settings["timeout"],
                max_retries=settings["max_retries"],
                backoff=settings["backoff"],
            )
            result = client.check(vat[:2], vat[2:], requester=self._pl_vies_requester())
        except (ViesError, requests.RequestException, ValueError) as exc:
            _logger.warning("VIES check of %s failed: %s", vat, exc)
            values.update(status="error", raw_fault=str(exc))
        else:
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
        return self.env["partner.verification"].create(values)

    def _pl_check_whitelist(self, nip):
        """Search ``nip`` on the white list; return the record created."""
        settings = self._pl_service_settings()
        values = self._pl_verification_values("whitelist", nip)
        client = WhiteListClient(
            base_url=settings["whitelist_url"], timeout=settings["timeout"]
        )
        try:
            subject = client.search_nip(nip)
        except WhiteListError as exc:
            if exc.transient:
                status = "pending"
            elif exc.code in WHITELIST_NIP_CODES:
                status = "invalid"
            else:
                status = "error"
            values.update(status=status, raw_fault=f"{exc.code}: {exc}")
        except (requests.RequestException, ValueError) as exc:
            _logger.warning("White list check of %s failed: %s", nip, exc)
            values.update(status="error", raw_fault=str(exc))
        else:
            status_vat = WHITELIST_STATUS.get(subject.status_vat, "not_found")
            values.update(
                status="valid" if status_vat in ("active", "exempt") else "invalid",
                status_vat=status_vat,
                trader_name=subject.name,
                trader_address=subject.working_address or subject.residence_address,
                request_identifier=subject.request_id,
                bank_accounts="\n".join(subject.account_numbers) or False,
            )
        return self.env["partner.verification"].create(values)

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
                        "%(register)s: %(status)s – the service did not answer "
                        "(%(fault)s). Nothing was changed; verify again later.",
                        register=register,
                        status=status,
                        fault=record.raw_fault or "-",
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
