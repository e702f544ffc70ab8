from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    pl_discount = fields.Float(
        string="Customer Discount (%)",
        digits="Discount",
        help="Percentage discount granted to this customer, applied automatically "
        "to new quotation and invoice lines (combined with the pricelist "
        "discount). Changing it does not affect existing documents.",
    )

    @api.model
    def _commercial_fields(self):
        # Managed on the commercial entity, copied to its contacts.
        return [*super()._commercial_fields(), "pl_discount"]

    @api.constrains("pl_discount")
    def _check_pl_discount(self):
        for partner in self:
            if not 0.0 <= partner.pl_discount <= 100.0:
                raise ValidationError(
                    self.env._("The customer discount must be between 0 and 100.")
                )

    def _pl_combined_discount(self, discount):
        """``discount`` (%) combined with the customer discount, multiplicatively.

        ``1 - (1 - discount) * (1 - customer discount)``, in percent.
        """
        customer = self.commercial_partner_id.pl_discount if self else 0.0
        if not customer:
            return discount
        return 100.0 - (100.0 - discount) * (100.0 - customer) / 100.0
