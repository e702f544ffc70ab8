from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    pl_verification_max_age = fields.Integer(
        string="Verification Validity (days)",
        default=30,
        help="A contractor whose last successful verification is older than this "
        "is shown as 'Stale' and should be verified again.",
    )

    pl_verification_policy = fields.Selection(
        [
            ("none", "Do Nothing"),
            ("warn", "Warn"),
            ("block", "Block"),
        ],
        string="Unverified Contractors",
        default="none",
        required=True,
        help="What happens when a customer invoice or credit note is posted for a "
        "contractor (a company with a VAT number) whose verification is invalid, "
        "missing, pending or stale, or, for an intra-community supply, without a "
        "recent valid VIES check: nothing, a warning in the chatter of the invoice, "
        "or posting is refused (except for users allowed to post invoices for "
        "unverified contractors).",
    )

    pl_verification_outage_days = fields.Integer(
        string="Registry Outage Grace (days)",
        default=30,
        help="When the last check of a contractor could not get an answer from the "
        "registry (VIES or the white list unavailable), a valid check of the same "
        "registry made within this many days still allows posting under the Block "
        "policy; the invoice records which check was relied on. 0: no grace.",
    )

    pl_recheck_days = fields.Integer(
        string="Re-check After (days)",
        default=7,
        help="The scheduled re-verification checks again the contractors with open "
        "documents (unpaid invoices, open quotations and orders) whose last check "
        "is older than this.",
    )
    pl_verification_accountant_id = fields.Many2one(
        "res.users",
        string="Verification Accountant",
        help="Notified (with a to-do activity) when the re-verification finds a "
        "change, besides the salesperson. Empty: the accounting managers are "
        "notified in the chatter.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "pl_verification_max_age" in vals:
            self.env["res.partner"]._pl_refresh_verification_state()
        return res
