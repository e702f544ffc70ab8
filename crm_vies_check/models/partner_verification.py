from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.faults import fault_kind

DEFAULT_VIES_URL = "https://ec.europa.eu/taxation_customs/vies/services/checkVatService"
DEFAULT_WHITELIST_URL = "https://wl-api.mf.gov.pl"


class PartnerVerification(models.Model):
    """The answer of one VIES or white-list check, kept as proof.

    Records are created by ``res.partner.action_pl_verify`` and never
    modified afterwards (only the superuser may write).
    """

    _name = "partner.verification"
    _description = "Contractor Verification"
    _order = "checked_at desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Contractor",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    check_type = fields.Selection(
        [("vies", "VIES"), ("whitelist", "White List")],
        string="Register",
        required=True,
    )
    vat_number = fields.Char(string="Number Checked")
    checked_at = fields.Datetime(
        string="Checked On", required=True, default=fields.Datetime.now
    )
    status = fields.Selection(
        [
            ("valid", "Valid"),
            ("invalid", "Invalid"),
            ("pending", "Pending"),
            ("error", "Error"),
        ],
        required=True,
    )
    status_vat = fields.Selection(
        [
            ("active", "Active (Czynny)"),
            ("exempt", "Exempt (Zwolniony)"),
            ("not_registered", "Not Registered (Niezarejestrowany)"),
            ("not_found", "Not Found"),
        ],
        string="VAT Status",
        help="Status of the taxpayer on the Polish white list.",
    )
    trader_name = fields.Char(string="Name Returned")
    trader_address = fields.Char(string="Address Returned")
    request_identifier = fields.Char(
        help="VIES consultation number or white-list requestId: the proof of the "
        "check.",
    )
    raw_fault = fields.Char(string="Fault")
    fault_reason = fields.Char(
        string="Why No Answer",
        compute="_compute_fault_reason",
        help="The technical fault above, in words.",
    )
    bank_accounts = fields.Text(string="Bank Accounts Returned")

    @api.depends("partner_id", "check_type", "checked_at")
    def _compute_display_name(self):
        labels = dict(self._fields["check_type"]._description_selection(self.env))
        for record in self:
            record.display_name = " – ".join(
                part
                for part in (
                    record.partner_id.display_name,
                    labels.get(record.check_type),
                    record.checked_at and fields.Datetime.to_string(record.checked_at),
                )
                if part
            )

    @api.depends("raw_fault", "check_type")
    @api.depends_context("lang")
    def _compute_fault_reason(self):
        for record in self:
            record.fault_reason = record.raw_fault and record._pl_fault_words()

    def _pl_fault_words(self):
        """Why the registry gave no usable answer, in the user's language."""
        self.ensure_one()
        register = dict(self._fields["check_type"]._description_selection(self.env))[
            self.check_type
        ]
        words = {
            "timeout": self.env._("%s did not answer in time.", register),
            "unreachable": self.env._(
                "%s could not be reached (no connection to the service).", register
            ),
            "busy": self.env._("%s is busy with too many requests.", register),
            "register_down": self.env._(
                "The register of that EU country is unavailable in VIES at the moment."
            ),
            "service_down": self.env._("%s is unavailable at the moment.", register),
            "limit": self.env._(
                "The daily limit of white-list queries is used up; checks resume "
                "after midnight."
            ),
            "requester": self.env._(
                "VIES refused the company's own VAT number as the requester: "
                "check the company's VAT number."
            ),
            "bad_response": self.env._(
                "%s answered something that is not a valid answer.", register
            ),
            "other": self.env._("%s reported an error.", register),
        }
        return words[fault_kind(self.raw_fault)]

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Verification records are proof of a check and cannot be modified."
                )
            )
        return super().write(vals)
