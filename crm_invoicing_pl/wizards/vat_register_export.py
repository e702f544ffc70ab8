import base64

from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.jpk import sales_csv, sales_xlsx, sales_xml

FORMATS = [
    ("xlsx", "XLSX (spreadsheet)"),
    ("csv", "CSV"),
    ("jpk", "JPK_V7 sales part (XML)"),
]
EXTENSIONS = {"xlsx": "xlsx", "csv": "csv", "jpk": "xml"}


class PlVatRegisterExport(models.TransientModel):
    """Export the VAT sales register of a month or quarter."""

    _name = "pl.vat.register.export"
    _description = "VAT Sales Register Export"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    period = fields.Selection(
        [("month", "Month (JPK_V7M)"), ("quarter", "Quarter (JPK_V7K)")],
        required=True,
        default="month",
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        ),
    )
    date_to = fields.Date(string="To", compute="_compute_date_to", store=True)
    journal_ids = fields.Many2many(
        "account.journal",
        string="Journals",
        domain="[('company_id', '=', company_id)]",
        help="Empty: all journals.",
    )
    file_format = fields.Selection(
        FORMATS, string="Format", required=True, default="xlsx"
    )
    data = fields.Binary(string="File", readonly=True, attachment=False)
    filename = fields.Char(readonly=True)
    row_count = fields.Integer(string="Documents", readonly=True)

    @api.depends("period", "date_from")
    def _compute_date_to(self):
        for wizard in self:
            if not wizard.date_from:
                wizard.date_to = False
                continue
            start = wizard._period_start()
            months = 3 if wizard.period == "quarter" else 1
            wizard.date_to = start + relativedelta(months=months, days=-1)

    def _period_start(self):
        start = self.date_from.replace(day=1)
        if self.period == "quarter":
            start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
        return start

    def _register_domain(self):
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date", ">=", self._period_start()),
            ("date", "<=", self.date_to),
        ]
        if self.journal_ids:
            domain.append(("journal_id", "in", self.journal_ids.ids))
        return domain

    def action_export(self):
        self.ensure_one()
        register = self.env["pl.vat.sales.register"].search(self._register_domain())
        if not register:
            raise UserError(
                self.env._(
                    "The VAT sales register has no documents from %(start)s to "
                    "%(end)s.",
                    start=self._period_start(),
                    end=self.date_to,
                )
            )
        rows = register._pl_sales_rows()
        if self.file_format == "xlsx":
            content = sales_xlsx(rows)
        elif self.file_format == "csv":
            content = sales_csv(rows).encode("utf-8-sig")
        else:
            content = sales_xml(rows, variant="K" if self.period == "quarter" else "M")
        period = self._period_start().strftime("%Y-%m")
        if self.period == "quarter":
            period = "%s-Q%d" % (self.date_to.year, (self.date_to.month + 2) // 3)
        self.write(
            {
                "data": base64.b64encode(content),
                "filename": "rejestr_vat_sprzedazy_%s.%s"
                % (period, EXTENSIONS[self.file_format]),
                "row_count": len(rows),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_open_register(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_invoicing_pl.action_pl_vat_sales_register"
        )
        action["domain"] = self._register_domain()
        action["context"] = {}
        return action
