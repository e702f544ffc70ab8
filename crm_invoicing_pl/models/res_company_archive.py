# Archive and compliance settings are a concern of their own, kept apart.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    pl_hash_sales_documents = fields.Boolean(
        string="Lock Posted Sales Documents with a Hash Chain",
        help="Every sales document posted in the company's sales journals is "
        "secured by a hash chained to the previous document of its series: "
        "a posted document can then only be changed by a correction, and the "
        "integrity report detects any change made behind Odoo's back. Once "
        "documents are secured, the setting cannot be turned off.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies.filtered("pl_hash_sales_documents")._pl_apply_hash_setting()
        return companies

    def write(self, vals):
        result = super().write(vals)
        if "pl_hash_sales_documents" in vals:
            self._pl_apply_hash_setting()
        return result

    def _pl_apply_hash_setting(self):
        """Secure (or stop securing) the sales journals at posting.

        Odoo hashes a move when it is posted in a journal with
        ``restrict_mode_hash_table`` (account.move ``_hash_moves``) and
        refuses to turn the option off once a journal has secured entries.
        """
        for company in self:
            journals = (
                self.env["account.journal"]
                .sudo()
                .search(
                    [
                        *self.env["account.journal"]._check_company_domain(company),
                        ("type", "=", "sale"),
                        (
                            "restrict_mode_hash_table",
                            "!=",
                            company.pl_hash_sales_documents,
                        ),
                    ]
                )
            )
            journals.restrict_mode_hash_table = company.pl_hash_sales_documents
