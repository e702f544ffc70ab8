# KSeF batch sessions are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models

DEFAULT_BATCH_THRESHOLD = 100


class ResCompany(models.Model):
    _inherit = "res.company"

    pl_ksef_batch_threshold = fields.Integer(
        string="KSeF Batch Sending From",
        default=DEFAULT_BATCH_THRESHOLD,
        help="A sending of at least this many invoices of the company (the "
        "invoice list's Send to KSeF, the sending in the background, the "
        "retries) goes to KSeF in one batch session (a ZIP package, up to "
        "10 000 invoices a session) instead of one invoice at a time; 0: "
        "always one at a time.",
    )
