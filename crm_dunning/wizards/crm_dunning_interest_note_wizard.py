from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmDunningInterestNoteWizard(models.TransientModel):
    """Create interest notes: one per invoice, or one per customer (zbiorcza)."""

    _name = "crm.dunning.interest.note.wizard"
    _description = "Create Interest Notes"
    _inherit = ["crm.dunning.rates.warning"]

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        domain="[('parent_id', '=', False)]",
        help="Empty when invoices are chosen: their customers.",
    )
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('company_id', '=', company_id)]",
        help="Empty: every invoice of the customer.",
    )
    mode = fields.Selection(
        [
            ("single", "One note per invoice"),
            ("collective", "One note per customer (collective)"),
        ],
        required=True,
        default="collective",
    )
    date = fields.Date(
        string="Computed On",
        required=True,
        default=fields.Date.context_today,
        help="Interest of the amounts still unpaid is counted up to this date.",
    )
    period_from = fields.Date(
        string="Payments From", help="Late payments made on or after this date."
    )
    period_to = fields.Date(
        string="Payments To", help="Late payments made on or before this date."
    )
    include_unpaid = fields.Boolean(
        string="Unpaid Amounts",
        default=True,
        help="Also charge the interest of the amounts still unpaid on the date.",
    )
    include_compensation = fields.Boolean(
        string="Recovery Compensation",
        compute="_compute_include_compensation",
        store=True,
        readonly=False,
        help="Add the recovery compensation (40 / 70 / 100 EUR) of each "
        "invoice paid late; business customers only.",
    )
    skip_charged = fields.Boolean(
        string="Skip What Is Already Charged",
        default=True,
        help="Leave out the days of interest (and the compensations) already "
        "charged by a posted interest note; unticked, they are refused.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "account.move" and context.get("active_ids"):
            invoices = self.env["account.move"].browse(context["active_ids"])
            values["invoice_ids"] = [(6, 0, invoices.ids)]
            values["mode"] = "single" if len(invoices) == 1 else "collective"
            partners = invoices.commercial_partner_id
            if len(partners) == 1:
                values["partner_id"] = partners.id
            if invoices.company_id[:1]:
                values["company_id"] = invoices.company_id[:1].id
        return values

    @api.depends("partner_id", "invoice_ids", "company_id")
    def _compute_include_compensation(self):
        for wizard in self:
            partners = wizard.partner_id or wizard.invoice_ids.commercial_partner_id
            wizard.include_compensation = bool(partners) and all(
                partner._crm_dunning_is_business()
                and partner._crm_dunning_policy(wizard.company_id).note_compensation
                for partner in partners
            )

    def _invoices_by_partner(self):
        """{commercial partner: invoices} to charge."""
        self.ensure_one()
        invoices = self.invoice_ids
        if invoices.filtered(
            lambda move: move.move_type != "out_invoice" or move.state != "posted"
        ):
            raise UserError(
                self.env._("Interest notes charge posted customer invoices only.")
            )
        if not invoices:
            if not self.partner_id:
                raise UserError(
                    self.env._("Choose a customer or the invoices to charge.")
                )
            invoices = self.env["account.move"].search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("company_id", "=", self.company_id.id),
                    (
                        "commercial_partner_id",
                        "=",
                        self.partner_id.commercial_partner_id.id,
                    ),
                ]
            )
        elif self.partner_id:
            invoices = invoices.filtered(
                lambda move: (
                    move.commercial_partner_id == self.partner_id.commercial_partner_id
                )
            )
        if self.period_from and self.period_to and self.period_from > self.period_to:
            raise UserError(self.env._("The period of payments ends before it starts."))
        groups = {}
        for invoice in invoices:
            groups.setdefault(invoice.commercial_partner_id, self.env["account.move"])
            groups[invoice.commercial_partner_id] |= invoice
        return groups

    def action_create_notes(self):
        self.ensure_one()
        groups = self._invoices_by_partner()
        if self.mode == "single" and not self.invoice_ids:
            raise UserError(self.env._("Choose the invoice of a single interest note."))
        options = {
            "period_from": self.period_from,
            "period_to": self.period_to,
            "include_unpaid": self.include_unpaid,
            "include_compensation": self.include_compensation,
            "skip_charged": self.skip_charged,
        }
        Note = self.env["crm.dunning.interest.note"].with_company(self.company_id)
        notes = Note.browse()
        for partner, invoices in groups.items():
            batches = invoices if self.mode == "single" else [invoices]
            for batch in batches:
                notes |= Note._crm_dunning_create_note(
                    partner, batch, self.date, raise_if_empty=False, **options
                )
        if not notes:
            partner = self.partner_id or self.invoice_ids.commercial_partner_id[:1]
            raise UserError(
                self.env._(
                    "Nothing to charge for %(partner)s on %(date)s: no invoice "
                    "was paid late in the period or is overdue and unpaid on "
                    "that date, or its interest is already charged.",
                    partner=partner.display_name or "",
                    date=self.date,
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_interest_note"
        )
        if len(notes) == 1:
            action.update(
                {"view_mode": "form", "views": [(False, "form")], "res_id": notes.id}
            )
        else:
            action["domain"] = [("id", "in", notes.ids)]
        return action
