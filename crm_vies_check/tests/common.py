from datetime import timedelta

from odoo import fields
from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon


class VerificationCommon(PlInvoicingCommon):
    """The Polish test company, with a way to record past checks."""

    def _verification(self, partner, check_type, status, days_ago=0):
        """A proof record of a check made ``days_ago`` days ago."""
        return (
            self.env["partner.verification"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "check_type": check_type,
                    "status": status,
                    "checked_at": fields.Datetime.now() - timedelta(days=days_ago),
                }
            )
        )
