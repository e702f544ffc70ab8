# Dunning policies are a concern of their own, kept apart from the interest.
# pylint: disable=consider-merging-classes-inherited
from odoo import Command, api, fields, models

# The seeded policy: (name, offset, e-mail, SMS, letter, interest,
# compensation, payment demand).
DEFAULT_LEVELS = (
    ("Przypomnienie", -3, True, False, False, False, False, False),
    ("Ponaglenie", 7, True, True, False, False, False, False),
    ("Monit", 14, True, False, False, True, False, False),
    ("Wezwanie do zapłaty", 30, True, False, True, True, True, True),
)


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_policy_id = fields.Many2one(
        "crm.dunning.policy",
        string="Default Dunning Policy",
        domain="[('company_id', '=', id)]",
        help="Applies to customers without a dunning policy of their own.",
    )
    dunning_auto_send = fields.Boolean(
        string="Automatic Dunning",
        help="Run the dunning every day and send the reminders, payment demands "
        "and letters without a preview. Off: runs are started by hand "
        "(Run Now), previewed and sent.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        for company in companies:
            company._crm_dunning_default_policy()
        return companies

    @api.model
    def _crm_dunning_seed_policies(self):
        """Give every company the standard policy (on install)."""
        for company in self.sudo().search([("dunning_policy_id", "=", False)]):
            company._crm_dunning_default_policy()

    def _crm_dunning_default_policy(self):
        """The company's default policy; seeded on first use.

        A company without one gets the standard policy: a reminder three
        days before the due date, ponaglenie (+7, e-mail and SMS), monit
        (+14, with interest) and wezwanie do zapłaty (+30, e-mail and letter,
        with interest and compensation).
        """
        self.ensure_one()
        if self.dunning_policy_id:
            return self.dunning_policy_id
        Policy = self.env["crm.dunning.policy"].sudo()
        policy = Policy.search([("company_id", "=", self.id)], limit=1)
        if not policy:
            policy = Policy.create(self._crm_dunning_default_policy_values())
        self.sudo().dunning_policy_id = policy
        return policy

    def _crm_dunning_default_policy_values(self):
        self.ensure_one()
        return {
            "name": self.env._("Standard dunning"),
            "company_id": self.id,
            "level_ids": [
                Command.create(
                    {
                        "sequence": index,
                        "name": name,
                        "offset_days": offset,
                        "channel_email": email,
                        "channel_sms": sms,
                        "channel_letter": letter,
                        "add_interest": interest,
                        "demand_compensation": compensation,
                        "payment_demand": demand,
                    }
                )
                for index, (
                    name,
                    offset,
                    email,
                    sms,
                    letter,
                    interest,
                    compensation,
                    demand,
                ) in enumerate(DEFAULT_LEVELS, start=1)
            ],
        }
