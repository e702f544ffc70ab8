"""The hash chain of the company's sales documents, and its integrity check.

Odoo runs the integrity check (Settings, "Check Integrity"; the report
``account.report_hash_integrity``) only for ``account.group_account_user``
("Show Full Accounting Features"), a group Odoo Community's Invoicing never
gives anybody: its administrator (``account.group_account_manager``), who
switches the hash chain of the Polish documents on, was told to "contact
your accountant". The check only reads; for that administrator Odoo's own
check runs as the superuser, whom the add-on puts in the accountant's group
(data/res_users_data.xml).
"""

from odoo import SUPERUSER_ID, api, fields, models


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

    def _check_hash_integrity(self):
        user = self.env.user
        if user.has_group("account.group_account_user") or not user.has_group(
            "account.group_account_manager"
        ):
            return super()._check_hash_integrity()
        return super(ResCompany, self.with_user(SUPERUSER_ID))._check_hash_integrity()
