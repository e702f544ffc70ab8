from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmDunningLevel(models.Model):
    _name = "crm.dunning.level"
    _description = "Dunning Level"
    _order = "policy_id, offset_days, sequence, id"
    _check_company_auto = True

    policy_id = fields.Many2one(
        "crm.dunning.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(
        required=True,
        translate=True,
        help="Shown to the customer, e.g. Przypomnienie, Ponaglenie, Monit, "
        "Wezwanie do zapłaty.",
    )
    offset_days = fields.Integer(
        string="Days After Due Date",
        required=True,
        help="When the level is reached, in days after the due date of an "
        "instalment (negative: before it, e.g. -3 for a reminder three days "
        "before the due date).",
    )
    channel_email = fields.Boolean(string="E-mail", default=True)
    channel_sms = fields.Boolean(string="SMS")
    channel_letter = fields.Boolean(
        string="Letter", help="A letter is prepared to be printed and posted."
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain=[("model", "=", "crm.dunning.communication")],
        help="Written in the customer's language. Empty: the default "
        "reminder (before the due date), overdue or payment demand template.",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain=[("model", "=", "crm.dunning.communication")],
        help="Written in the customer's language. Empty: the default overdue SMS.",
    )
    attach_invoice = fields.Boolean(
        string="Attach Invoices", help="Attach the PDF of each invoice to the e-mail."
    )
    add_interest = fields.Boolean(
        string="Show Interest",
        help="Show the statutory late-payment interest to date of each invoice.",
    )
    demand_compensation = fields.Boolean(
        help="Claim the recovery compensation (40 / 70 / 100 EUR) from "
        "business customers.",
    )
    payment_demand = fields.Boolean(
        help="This level is a formal payment demand (wezwanie do zapłaty).",
    )

    @api.constrains("channel_email", "channel_sms", "channel_letter")
    def _check_channel(self):
        for level in self:
            if not (level.channel_email or level.channel_sms or level.channel_letter):
                raise ValidationError(
                    self.env._(
                        "The dunning level “%s” needs at least one channel "
                        "(e-mail, SMS or letter).",
                        level.name,
                    )
                )

    @api.constrains("offset_days", "policy_id")
    def _check_offset_unique(self):
        for level in self:
            twins = level.policy_id.level_ids.filtered(
                lambda other, level=level: (
                    other != level and other.offset_days == level.offset_days
                )
            )
            if twins:
                raise ValidationError(
                    self.env._(
                        "Two levels of the policy “%(policy)s” have the same "
                        "offset (%(days)s days).",
                        policy=level.policy_id.name,
                        days=level.offset_days,
                    )
                )

    def _crm_dunning_mail_template(self):
        self.ensure_one()
        if self.mail_template_id:
            return self.mail_template_id
        if self.offset_days < 0:
            return self.env.ref("crm_dunning.mail_template_dunning_reminder")
        if self.payment_demand:
            return self.env.ref("crm_dunning.mail_template_dunning_demand")
        return self.env.ref("crm_dunning.mail_template_dunning_overdue")

    def _crm_dunning_sms_template(self):
        self.ensure_one()
        return self.sms_template_id or self.env.ref(
            "crm_dunning.sms_template_dunning_overdue"
        )
