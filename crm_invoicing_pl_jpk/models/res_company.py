from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    pl_jpk_natural_person = fields.Boolean(
        string="Taxpayer Is a Natural Person",
        help="The company is a sole trader: the JPK_V7 names the taxpayer as "
        "a natural person (OsobaFizyczna: NIP, first name, surname, date of "
        "birth) instead of a company (full name).",
    )
    pl_jpk_first_name = fields.Char(string="Taxpayer's First Name")
    pl_jpk_last_name = fields.Char(string="Taxpayer's Surname")
    pl_jpk_birth_date = fields.Date(string="Taxpayer's Date of Birth")

    def _pl_jpk_natural_person(self):
        """The natural person's data of the JPK_V7 taxpayer (Podmiot1 /
        OsobaFizyczna), as keyword arguments of ``tools.jpk.Taxpayer``; empty
        for a company that is not a natural person."""
        self.ensure_one()
        if not self.pl_jpk_natural_person:
            return {}
        return {
            "first_name": self.pl_jpk_first_name,
            "last_name": self.pl_jpk_last_name,
            "birth_date": self.pl_jpk_birth_date,
        }
