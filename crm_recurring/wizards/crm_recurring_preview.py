from datetime import timedelta

from odoo import api, fields, models


def _next_month_start(today):
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


class CrmRecurringPreview(models.TransientModel):
    """What the cron will invoice up to a day: contracts, periods, amounts."""

    _name = "crm.recurring.preview"
    _description = "Recurring Invoices: Preview"

    date = fields.Date(
        string="Invoiced Up To",
        required=True,
        default=lambda self: _next_month_start(fields.Date.context_today(self)),
    )
    contract_ids = fields.Many2many(
        "crm.recurring.contract",
        string="Contracts",
        help="Leave empty for every running contract.",
    )
    line_ids = fields.One2many(
        "crm.recurring.preview.line",
        "preview_id",
        compute="_compute_line_ids",
        string="Invoices to Issue",
    )
    invoice_count = fields.Integer(compute="_compute_line_ids")

    @api.depends("date", "contract_ids")
    def _compute_line_ids(self):
        for preview in self:
            contracts = preview.contract_ids or self.env[
                "crm.recurring.contract"
            ].search([("state", "=", "running")])
            values = []
            for contract in contracts.filtered(lambda c: c.state == "running"):
                periods = contract._schedule().due_periods(
                    preview.date, after=contract.last_invoiced_date or None
                )
                if len(periods) > contract.company_id.crm_recurring_catch_up_limit:
                    continue  # the cron waits for the catch-up to be confirmed
                for period in periods:
                    amount = sum(
                        line.currency_id.round(
                            vals["quantity"]
                            * vals["price_unit"]
                            * (1 - vals["discount"] / 100.0)
                        )
                        for line in contract.line_ids
                        for vals in [line._prepare_invoice_line(period, "")]
                    )
                    values.append(
                        {
                            "contract_id": contract.id,
                            "date_start": period.start,
                            "date_end": period.end,
                            "invoice_date": period.invoice_date,
                            "amount_untaxed": amount,
                        }
                    )
            preview.line_ids = [fields.Command.clear()] + [
                fields.Command.create(vals) for vals in values
            ]
            preview.invoice_count = len(values)


class CrmRecurringPreviewLine(models.TransientModel):
    _name = "crm.recurring.preview.line"
    _description = "Recurring Invoices: Preview Line"
    _order = "invoice_date, contract_id, date_start"

    preview_id = fields.Many2one("crm.recurring.preview", ondelete="cascade")
    contract_id = fields.Many2one("crm.recurring.contract", readonly=True)
    partner_id = fields.Many2one(related="contract_id.partner_id")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    date_start = fields.Date(string="From", readonly=True)
    date_end = fields.Date(string="To", readonly=True)
    invoice_date = fields.Date(readonly=True)
    amount_untaxed = fields.Monetary(string="Untaxed Amount", readonly=True)
