from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    pl_ksef_jst = fields.Boolean(
        string="Local government unit (JST)",
        help="KSeF marker JST = 1: this customer is a subordinate unit of a local "
        "government unit (school, office...). Its KSeF invoices name the local "
        "government unit below as the buyer and this unit as a third party with "
        "the role 'JST subordinate unit' (8); otherwise JST = 2.",
    )
    pl_ksef_gv = fields.Boolean(
        string="VAT group member (GV)",
        help="KSeF marker GV = 1: this customer is a member of a VAT group. Its "
        "KSeF invoices name the VAT group below as the buyer and this member as "
        "a third party with the role 'VAT group member' (10); otherwise GV = 2.",
    )
    pl_ksef_buyer_id = fields.Many2one(
        "res.partner",
        string="Local Government Unit / VAT Group",
        domain="[('is_company', '=', True), ('id', '!=', id)]",
        help="The taxpayer (local government unit or VAT group) named as the buyer "
        "in the KSeF invoices of this unit or member.",
    )

    @api.constrains("pl_ksef_buyer_id")
    def _check_pl_ksef_buyer_id(self):
        for partner in self:
            if partner.pl_ksef_buyer_id == partner:
                raise ValidationError(
                    self.env._(
                        "A unit or VAT group member cannot be its own local "
                        "government unit or VAT group."
                    )
                )
