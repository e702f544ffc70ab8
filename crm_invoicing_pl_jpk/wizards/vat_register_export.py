import tempfile
import uuid

from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.jpk import (
    JPK_V7M_FIRST_PERIOD,
    JpkError,
    Taxpayer,
    file_schema_problems,
    is_nip,
    sales_csv,
    sales_xlsx,
    write_jpk_v7m,
)

FORMATS = [
    ("xlsx", "XLSX (spreadsheet)"),
    ("csv", "CSV"),
    ("jpk", "JPK_V7M(3) file (XML)"),
]
EXTENSIONS = {"xlsx": "xlsx", "csv": "csv", "jpk": "xml"}
# Register rows read at a time (see _pl_register_pages).
PAGE_SIZE = 2000


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
    data = fields.Binary(string="File", readonly=True)
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
        # The registers are read by SQL: what this transaction changed (e.g.
        # a payment changing the cash-accounting shares) goes there first.
        self.env.flush_all()
        left_out = []
        sales = self._pl_sales_rows(left_out)
        if self.file_format == "jpk":
            content, totals = self._pl_jpk_file(sales, self._pl_purchase_rows())
            row_count = totals.sales_count
            self.purchase_count = totals.purchase_count
        else:
            rows = list(sales)
            # A month without sales still has its JPK_V7M (zero rows).
            if not rows:
                raise UserError(
                    self.env._(
                        "The VAT sales register has no documents from %(start)s "
                        "to %(end)s.",
                        start=self._period_start(),
                        end=self.date_to,
                    )
                )
            if self.file_format == "xlsx":
                content = sales_xlsx(rows)
            else:
                content = sales_csv(rows).encode("utf-8-sig")
            row_count = len(rows)
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
                "filename": filename,
                "row_count": row_count,
                "warning": self._pl_register_warning(left_out),
            }
        )
        self._pl_store_file(content)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _pl_store_file(self, content):
        """Store ``content`` (bytes) as the wizard's file (``data``) straight
        from its bytes, without a base64 copy (a JPK of 100 000 documents is
        40 MB), as a file to download, its text not indexed for search."""
        self.ensure_one()
        self.data = False
        self.env["ir.attachment"].sudo().with_context(pl_download_only=True).create(
            {
                "name": self.filename,
                "res_model": self._name,
                "res_id": self.id,
                "res_field": "data",
                "raw": content,
            }
        )
        self.invalidate_recordset(["data"])

    def _pl_register_pages(self, model_name, columns, page_size=PAGE_SIZE):
        """The rows of the register ``model_name`` (an SQL view) in the
        export's period, as dicts of ``columns``, ``page_size`` at a time.

        One SQL query, read through a cursor of the transaction: the view is
        computed once (reading it by ids would compute it again for each
        batch), and a month of 100 000 documents is never in memory at once
        (what the ORM read for a page leaves its cache before the next)."""
        register = self.env[model_name]
        query = register._search(self._register_domain(), order=register._order)
        cursor = SQL.identifier("pl_register_%s" % uuid.uuid4().hex)
        self.env.cr.execute(
            SQL(
                "DECLARE %s NO SCROLL CURSOR FOR %s",
                cursor,
                query.select(
                    *(SQL.identifier(query.table, column) for column in columns)
                ),
            )
        )
        while True:
            self.env.cr.execute(SQL("FETCH %s FROM %s", page_size, cursor))
            page = self.env.cr.dictfetchall()
            if not page:
                break
            yield page
            self.env.invalidate_all()
        self.env.cr.execute(SQL("CLOSE %s", cursor))

    def _pl_sales_rows(self, left_out):
        """The JPK ``SalesRow`` s of the sales register, read page by page;
        the numbers of the documents whose K_31 amount the file leaves out
        are added to ``left_out``."""
        register = self.env["pl.vat.sales.register"]
        for page in self._pl_register_pages(register._name, register._pl_jpk_columns()):
            left_out += [value["name"] for value in page if value["seller_k31"]]
            yield from register._pl_sales_rows(page)

    def _pl_purchase_rows(self):
        """The JPK ``PurchaseRow`` s of the purchase register, page by page."""
        register = self.env["pl.vat.purchase.register"]
        for page in self._pl_register_pages(register._name, register._pl_jpk_columns()):
            yield from register._pl_purchase_rows(page)

    def _pl_register_warning(self, left_out):
        """What the file leaves out (``left_out``: the numbers of the
        documents whose K_31 amount it leaves out), in plain words."""
        if not left_out:
            return False
        return self.env._(
            "Left out of K_31: %(documents)s. Their sale tax is tagged K_31 "
            "(l10n_pl's \"0%% Stal\"), but K_31 and K_32 are the buyer's boxes "
            "(art. 17 ust. 1 pkt 5 of the VAT act); the seller's box of the "
            "domestic reverse charge was repealed on 1 November 2019. Correct "
            "the tax of these documents.",
            documents=", ".join(left_out),
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
        """(The JPK_V7M(3) file of the month, its ``RegisterTotals``): the
        sales ``rows`` and ``purchases`` (iterables, read once), the
        declaration unless left out, written row by row to a temporary file
        and checked against the official schema as it is read back: a file
        that does not match is refused in plain words."""
        self.ensure_one()
        company = self.company_id.sudo()
        start = self._period_start()
        with tempfile.TemporaryFile() as out:
            try:
                totals = write_jpk_v7m(
                    out,
                    rows,
                    purchases=purchases,
                    carried_over=(
                        self.jpk_carried_over if self.jpk_declaration else None
                    ),
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
                        "The JPK_V7M file cannot be made: %(reason)s",
                        reason=str(exc),
                    )
                ) from exc
            out.seek(0)
            problems = file_schema_problems(out)
            if problems:
                words = self.env["account.move"]._pl_ksef_problem_text
                raise UserError(
                    self.env._(
                        "The JPK_V7M file for %(period)s does not match the "
                        "official schema, so it is not offered:",
                        period=start.strftime("%m/%Y"),
                    )
                    + "\n"
                    + "\n".join("- " + words(problem) for problem in problems)
                )
            out.seek(0)
            return out.read(), totals

    def action_open_register(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_invoicing_pl_jpk.action_pl_vat_sales_register"
        )
        action["domain"] = self._register_domain()
        action["context"] = {}
        return action
