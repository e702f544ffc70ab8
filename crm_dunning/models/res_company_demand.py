# A concern of its own, kept apart from the other extensions of the model.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_demand_deadline_days = fields.Integer(
        string="Payment Demand Deadline (days)",
        default=7,
        help="Days from the date of a payment demand to its payment deadline.",
    )
    dunning_letter_fee = fields.Monetary(
        string="Registered Letter Fee",
        currency_field="currency_id",
        help="Default postage of a registered letter in the dispatch book.",
    )

    @api.constrains("dunning_demand_deadline_days")
    def _check_dunning_demand_deadline_days(self):
        for company in self:
            if company.dunning_demand_deadline_days < 0:
                raise ValidationError(
                    self.env._("The payment deadline of a demand cannot be negative.")
                )

    def _crm_dunning_sequence(self, code, prefix, name):
        """This company's own ir.sequence ``code`` ("WZ/2026/0001"), made once."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", code), ("company_id", "=", self.id)], limit=1
        )
        # The year of the document's date (its date range), not of the day the
        # number is taken: a demand dated 31 December issued on 2 January is
        # WZ/<that year>/…
        year_prefix = prefix + "/%(range_year)s/"
        if not sequence:
            sequence = Sequence.create(
                {
                    "name": "%s (%s)" % (name, self.name),
                    "code": code,
                    "company_id": self.id,
                    "prefix": year_prefix,
                    "padding": 4,
                    "use_date_range": True,
                }
            )
        elif sequence.prefix == prefix + "/%(year)s/":  # made by an earlier version
            sequence.prefix = year_prefix
        return sequence
