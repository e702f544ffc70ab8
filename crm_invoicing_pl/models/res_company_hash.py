"""Odoo's inalterability check for the administrator of an Invoicing database.

Odoo runs the check (Settings, "Check Integrity"; the report
``account.report_hash_integrity``) only for ``account.group_account_user``
("Show Full Accounting Features"), a group Odoo Community's Invoicing never
gives anybody: its administrator (``account.group_account_manager``), who
switches the hash chain of the Polish documents on, was told to "contact
your accountant". The check only reads; for that administrator Odoo's own
check runs as the superuser, whom the suite puts in the accountant's group
(data/res_users_data.xml).
"""

# The integrity check is a concern of its own, kept apart from the settings.
# pylint: disable=consider-merging-classes-inherited
from odoo import SUPERUSER_ID, models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _check_hash_integrity(self):
        user = self.env.user
        if user.has_group("account.group_account_user") or not user.has_group(
            "account.group_account_manager"
        ):
            return super()._check_hash_integrity()
        return super(ResCompany, self.with_user(SUPERUSER_ID))._check_hash_integrity()
