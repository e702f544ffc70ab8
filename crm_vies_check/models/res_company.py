from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    pl_verification_max_age = fields.Integer(
        string="Verification Validity (days)",
        default=30,
        help="A contractor whose last successful verification is older than this "
        "is shown as 'Stale' and should be verified again.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "pl_verification_max_age" in vals:
            self.env["res.partner"]._pl_refresh_verification_state()
        return res
