from odoo import fields, models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    crm_dunning_communication_id = fields.Many2one(
        "crm.dunning.communication",
        string="Dunning Communication",
        ondelete="set null",
        index="btree_not_null",
    )

    def _get_sms_company(self):
        # Dunning SMS have no chatter message: their company is the run's.
        company = self.crm_dunning_communication_id.company_id
        return company[:1] or super()._get_sms_company()
