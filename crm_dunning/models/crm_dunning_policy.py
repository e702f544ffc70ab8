from odoo import api, fields, models


class CrmDunningPolicy(models.Model):
    _name = "crm.dunning.policy"
    _description = "Dunning Policy"
    _order = "company_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)
    level_ids = fields.One2many(
        "crm.dunning.level", "policy_id", string="Levels", copy=True
    )
    level_count = fields.Integer(compute="_compute_level_count", string="Levels Count")
    note = fields.Text(string="Description", translate=True)
    note_compensation = fields.Boolean(
        string="Compensation on Interest Notes",
        default=True,
        help="Propose the recovery compensation (40 / 70 / 100 EUR) on the "
        "interest notes of the business customers of this policy.",
    )

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    def _crm_dunning_ranked_levels(self):
        """The levels from the first to the last sent (offset, sequence)."""
        self.ensure_one()
        return self.level_ids.sorted(
            lambda level: (level.offset_days, level.sequence, level.id)
        )
