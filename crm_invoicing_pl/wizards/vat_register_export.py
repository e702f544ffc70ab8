import base64

from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.jpk import (
    JPK_V7M_FIRST_PERIOD,
    JpkError,
    Taxpayer,
    declaration_values,
    is_nip,
    jpk_v7m_xml,
    sales_csv,
    sales_xlsx,
    schema_problems,
)

FORMATS = [
    ("xlsx", "XLSX (spreadsheet)"),
    ("csv", "CSV"),
    ("jpk", "JPK_V7M(3) file (XML)"),
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
    jpk_correction = fields.Boolean(
        string="Correction of the JPK",
        help="The file corrects a JPK_V7M already submitted for this month "
        "(CelZlozenia 2); unticked: the first submission (CelZlozenia 1).",
    )
    jpk_declaration = fields.Boolean(
        string="With the Declaration (VAT-7)",
        default=True,
        help="The file carries the declaration part (Deklaracja): its boxes "
        "P_10 ... P_62 are the totals of the sales and purchase registers in "
        "whole zloty. Untick it only for a correction of the records alone.",
    )
    jpk_carried_over = fields.Integer(
        string="Excess Carried Over (P_39)",
        help="The excess of input tax over output tax from the previous "
        "declaration (its P_62), in whole zloty. The whole excess of this "
        "month is carried over to the next one (P_62): no refund is asked for.",
    )
    purchase_count = fields.Integer(string="Purchase Documents", readonly=True)
    data = fields.Binary(string="File", readonly=True, attachment=False)
    filename = fields.Char(readonly=True)
    row_count = fields.Integer(string="Documents", readonly=True)
    warning = fields.Text(readonly=True)

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
        # A JPK covers the whole company: never some journals only.
        if self.journal_ids and self.file_format != "jpk":
            domain.append(("journal_id", "in", self.journal_ids.ids))
        return domain

    def action_export(self):
        self.ensure_one()
        if self.file_format == "jpk":
            self._pl_jpk_check_setup()
        # The register is a view: rows read earlier in this transaction
        # (e.g. before a payment changed the cash-accounting shares) are stale.
        self.env["pl.vat.sales.register"].invalidate_model()
        # Read with the search in one query: the register is an SQL view that
        # reading by ids (1 000 at a time) would evaluate again for each batch.
        register = self.env["pl.vat.sales.register"].search_fetch(
            self._register_domain()
        )
        # A month without sales still has its JPK_V7M (zero rows).
        if not register and self.file_format != "jpk":
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
            self.env["pl.vat.purchase.register"].invalidate_model()
            purchases = (
                self.env["pl.vat.purchase.register"]
                .search_fetch(self._register_domain())
                ._pl_purchase_rows()
            )
            content = self._pl_jpk_file(rows, purchases)
            self.purchase_count = len(purchases)
        period = self._period_start().strftime("%Y-%m")
        if self.period == "quarter":
            period = "%s-Q%d" % (self.date_to.year, (self.date_to.month + 2) // 3)
        if self.file_format == "jpk":
            filename = "JPK_V7M_%s%s.xml" % (
                period,
                "_korekta" if self.jpk_correction else "",
            )
        else:
            filename = "rejestr_vat_sprzedazy_%s.%s" % (
                period,
                EXTENSIONS[self.file_format],
            )
        self.write(
            {
                "data": base64.b64encode(content),
                "filename": filename,
                "row_count": len(rows),
                "warning": self._pl_register_warning(register),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _pl_register_warning(self, register):
        """What the file leaves out, in plain words ("" if nothing)."""
        sellers_k31 = register.filtered("seller_k31")
        if not sellers_k31:
            return False
        return self.env._(
            "Left out of K_31: %(documents)s. Their sale tax is tagged K_31 "
            "(l10n_pl's \"0%% Stal\"), but K_31 and K_32 are the buyer's boxes "
            "(art. 17 ust. 1 pkt 5 of the VAT act); the seller's box of the "
            "domestic reverse charge was repealed on 1 November 2019. Correct "
            "the tax of these documents.",
            documents=", ".join(sellers_k31.mapped("name")),
        )

    # ------------------------------------------------------------------
    # JPK_V7M(3)
    # ------------------------------------------------------------------
    def _pl_jpk_check_setup(self):
        """Refuse, before anything is built, a JPK the data cannot make:
        a quarter, a month before JPK_V7M(3), missing company data."""
        self.ensure_one()
        if self.period != "month":
            raise UserError(
                self.env._(
                    "The JPK file is made for one month (JPK_V7M(3)). JPK_V7K "
                    "is not offered: its official schema is not available to "
                    "check the file. Choose Month, or export the quarter as "
                    "XLSX or CSV."
                )
            )
        start = self._period_start()
        if (start.year, start.month) < JPK_V7M_FIRST_PERIOD:
            raise UserError(
                self.env._(
                    "JPK_V7M(3) covers the periods from February 2026; "
                    "%(period)s is earlier.",
                    period=start.strftime("%m/%Y"),
                )
            )
        if self.jpk_declaration and self.jpk_carried_over < 0:
            raise UserError(
                self.env._(
                    "The excess carried over from the previous declaration "
                    "(P_39) cannot be negative: it is the amount of P_62 there."
                )
            )
        company = self.company_id.sudo()
        missing = []
        if not company.l10n_pl_reports_tax_office_id.code:
            missing.append(
                self.env._(
                    "the tax office (Invoicing > Configuration > Settings > "
                    "Polish Localization > Tax Office)"
                )
            )
        if not is_nip(company.vat):
            missing.append(
                self.env._(
                    "a Polish Tax ID (NIP) of the company (Settings > Companies "
                    "> %(company)s > Tax ID)",
                    company=company.name,
                )
            )
        if "@" not in (company.email or ""):
            missing.append(
                self.env._(
                    "the company's e-mail address (Settings > Companies > "
                    "%(company)s > Email)",
                    company=company.name,
                )
            )
        if company.pl_jpk_natural_person and not (
            company.pl_jpk_first_name
            and company.pl_jpk_last_name
            and company.pl_jpk_birth_date
        ):
            missing.append(
                self.env._(
                    "the first name, surname and date of birth of the taxpayer, "
                    "a natural person (Invoicing > Configuration > Settings > "
                    "Polish Localization > Taxpayer Is a Natural Person)"
                )
            )
        if missing:
            raise UserError(
                self.env._(
                    "The JPK_V7M file of %(company)s cannot be made without:\n"
                    "%(missing)s\nFill them in and export again.",
                    company=company.name,
                    missing="\n".join("- " + item for item in missing),
                )
            )

    def _pl_jpk_creation_time(self):
        """DataWytworzeniaJPK: now (UTC)."""
        return fields.Datetime.now()

    def _pl_jpk_file(self, rows, purchases):
        """The JPK_V7M(3) file of the month (sales and purchase rows, the
        declaration unless left out), checked against the official schema:
        a file that does not match is refused in plain words."""
        self.ensure_one()
        company = self.company_id.sudo()
        start = self._period_start()
        try:
            declaration = None
            if self.jpk_declaration:
                declaration = declaration_values(
                    rows, purchases, carried_over=self.jpk_carried_over
                )
            content = jpk_v7m_xml(
                rows,
                purchases=purchases,
                declaration=declaration,
                year=start.year,
                month=start.month,
                created=self._pl_jpk_creation_time(),
                tax_office=company.l10n_pl_reports_tax_office_id.code,
                taxpayer=Taxpayer(
                    nip=company.vat,
                    name=company.name,
                    email=company.email,
                    phone=company.phone or None,
                    **company._pl_jpk_natural_person(),
                ),
                correction=self.jpk_correction,
            )
        except JpkError as exc:
            raise UserError(
                self.env._(
                    "The JPK_V7M file cannot be made: %(reason)s", reason=str(exc)
                )
            ) from exc
        problems = schema_problems(content)
        if problems:
            words = self.env["account.move"]._pl_ksef_problem_text
            raise UserError(
                self.env._(
                    "The JPK_V7M file for %(period)s does not match the official "
                    "schema, so it is not offered:",
                    period=start.strftime("%m/%Y"),
                )
                + "\n"
                + "\n".join("- " + words(problem) for problem in problems)
            )
        return content

    def action_open_register(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_invoicing_pl.action_pl_vat_sales_register"
        )
        action["domain"] = self._register_domain()
        action["context"] = {}
        return action
