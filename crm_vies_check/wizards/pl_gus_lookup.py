from markupsafe import Markup
from odoo import api, fields, models

FILLED = ("name", "street", "zip", "city", "pl_regon", "pl_krs")


class PlGusLookup(models.TransientModel):
    """What GUS REGON has for a NIP, shown before the contact is overwritten."""

    _name = "pl.gus.lookup"
    _description = "Fill a Contact from GUS REGON"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    nip = fields.Char(string="NIP", readonly=True)
    name = fields.Char(readonly=True)
    street = fields.Char(readonly=True)
    zip = fields.Char(readonly=True)
    city = fields.Char(readonly=True)
    pl_regon = fields.Char(string="REGON", readonly=True)
    pl_krs = fields.Char(string="KRS", readonly=True)
    current_name = fields.Char(related="partner_id.name", string="Current Name")
    current_street = fields.Char(related="partner_id.street", string="Current Street")
    current_zip = fields.Char(related="partner_id.zip", string="Current ZIP")
    current_city = fields.Char(related="partner_id.city", string="Current City")
    current_regon = fields.Char(related="partner_id.pl_regon", string="Current REGON")
    current_krs = fields.Char(related="partner_id.pl_krs", string="Current KRS")

    @api.model
    def _values_of(self, subject, krs=None):
        return {
            "nip": subject.nip,
            "name": subject.name,
            "street": subject.street,
            "zip": subject.zip,
            "city": subject.city,
            "pl_regon": subject.regon,
            "pl_krs": krs,
        }

    def action_apply(self):
        """Overwrite the contact with the data from GUS (confirmed by the user)."""
        self.ensure_one()
        partner = self.partner_id
        values = {name: self[name] for name in FILLED if self[name]}
        values["country_id"] = self.env.ref("base.pl").id
        partner.write(values)
        partner.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Name and address filled from GUS REGON (REGON %(regon)s).",
                regon=self.pl_regon,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
