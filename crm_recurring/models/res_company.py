from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_recurring_catch_up_limit = fields.Integer(
        string="Catch-up Limit",
        default=12,
        help="At most this many due periods of one recurring contract are "
        "invoiced by the cron in one go. A contract with more (e.g. started "
        "years back) waits until an invoicing user confirms its catch-up.",
    )
    crm_recurring_max_discount = fields.Float(
        string="Maximum Contract Discount (%)",
        digits="Discount",
        default=50.0,
        help="Invoicing users give recurring-contract lines discounts up to "
        "this; a higher discount is set only by an invoicing manager. A "
        "discount of 100 % is never accepted.",
    )

    @api.constrains("crm_recurring_catch_up_limit", "crm_recurring_max_discount")
    def _check_crm_recurring_limits(self):
        for company in self:
            if company.crm_recurring_catch_up_limit < 1:
                raise ValidationError(
                    self.env._("The catch-up limit must be at least one period.")
                )
            if not 0.0 <= company.crm_recurring_max_discount < 100.0:
                raise ValidationError(
                    self.env._(
                        "The maximum contract discount must be at least 0 % "
                        "and below 100 %."
                    )
                )
