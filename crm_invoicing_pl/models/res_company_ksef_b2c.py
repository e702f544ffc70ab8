# KSeF for consumer invoices is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    pl_ksef_b2c = fields.Boolean(
        string="Send Consumer Invoices to KSeF",
        help="Invoices to consumers (buyers without a NIP who are not "
        "companies) may be issued in KSeF, but the consumer gets them outside "
        "KSeF (printed or by e-mail). Off (usual practice): they are issued "
        "outside KSeF (BFK in the JPK_V7) and not offered for KSeF sending.",
    )
