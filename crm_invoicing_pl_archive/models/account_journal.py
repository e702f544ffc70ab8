from odoo import api, models


class AccountJournal(models.Model):
    _inherit = "account.journal"

    @api.model_create_multi
    def create(self, vals_list):
        # A sales journal added later is secured like the others.
        journals = super().create(vals_list)
        journals.filtered(
            lambda j: (
                j.type == "sale"
                and j.company_id.pl_hash_sales_documents
                and not j.restrict_mode_hash_table
            )
        ).restrict_mode_hash_table = True
        return journals
