import logging
import random
import time
from collections import defaultdict

from odoo import api, fields, models, modules
from odoo.addons.crm_invoicing_pl_notify.models.res_partner import NOTIFY_PREFERENCES
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, split_every
from odoo.tools.misc import format_date

from ..tools.order_coverage import order_coverage
from ..tools.schedule import Schedule, ScheduleError

_logger = logging.getLogger(__name__)

PERIOD_UNITS = [
    ("day", "Days"),
    ("week", "Weeks"),
    ("month", "Months"),
    ("quarter", "Quarters"),
    ("year", "Years"),
]
# Advisory lock serialising the cron's posting steps between workers ("crmr").
BATCH_LOCK = 0x63726D72
BATCH_ATTEMPTS = 5
# A failed batch at least this big is split in two and each half retried in
# bulk; smaller ones go contract by contract.
SPLIT_MIN = 8
# Units whose periods can follow the calendar.
PERIOD_UNITS_CAL = ("month", "quarter", "year")
# Fields defining the schedule: changing them re-plans the next period.
SCHEDULE_FIELDS = (
    "date_start",
    "date_end",
    "period_unit",
    "period_interval",
    "calendar_periods",
    "invoicing_mode",
    "invoice_day",
)
# Who makes and changes contracts, confirms a long catch-up and gives a
# discount above the company's maximum.
INVOICING_GROUP = "account.group_account_invoice"
MANAGER_GROUP = "account.group_account_manager"


class CrmRecurringContract(models.Model):
    """A recurring contract (subscription) invoiced on a schedule."""

    _name = "crm.recurring.contract"
    _description = "Recurring Contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "next_invoice_date, id"
    _check_company_auto = True
    # Salespeople read their contracts and may discuss them in the chatter.
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
    )
    description = fields.Char(tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        check_company=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Price Group",
        compute="_compute_pricelist_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        tracking=True,
        help="Prices of lines with 'Automatic Price' come from this price group "
        "(the customer's pricelist) on each invoicing date.",
    )
    pl_document_type_id = fields.Many2one(
        "pl.document.type",
        string="Document Type",
        required=True,
        check_company=True,
        domain="[('company_id', '=', company_id), ('kind', 'in', ('vat', 'proforma'))]",
        default=lambda self: self._default_document_type(),
        tracking=True,
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        compute="_compute_payment_term_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        tracking=True,
    )
    line_ids = fields.One2many(
        "crm.recurring.contract.line", "contract_id", string="Lines", copy=True
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Offer",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The confirmed offer this contract was made from.",
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(string="End Date", tracking=True)
    period_unit = fields.Selection(
        PERIOD_UNITS, string="Every", required=True, default="month", tracking=True
    )
    period_interval = fields.Integer(
        string="Interval", required=True, default=1, tracking=True
    )
    calendar_periods = fields.Boolean(
        default=True,
        tracking=True,
        help="Periods follow the calendar (whole months up to the last day of "
        "the month, quarters, years); a contract starting or ending inside a "
        "period pays for its days only. Otherwise periods repeat from the "
        "start date.",
    )
    invoicing_mode = fields.Selection(
        [("advance", "In advance"), ("arrears", "In arrears")],
        required=True,
        default="advance",
        tracking=True,
        help="In advance: invoiced on the first day of the period; in arrears: "
        "on the day after it ends.",
    )
    invoice_day = fields.Integer(
        string="Invoicing Day",
        tracking=True,
        help="Day of the month the invoice is issued (1-31, the last day in "
        "shorter months); empty: the period's first day (in advance) or the "
        "day after it (in arrears).",
    )
    auto_post = fields.Boolean(
        string="Post Automatically",
        default=True,
        help="Post the invoices (issue the pro formas) as soon as they are "
        "generated; otherwise they wait as drafts.",
    )
    notify_preference = fields.Selection(
        NOTIFY_PREFERENCES,
        string="Send Invoices",
        default="doc_type",
        required=True,
        tracking=True,
        help="How the customer gets the posted invoices: as the customer's "
        "preference and the document type say, or by e-mail, SMS, both, or not "
        "at all.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("paused", "Paused"),
            ("closed", "Closed"),
        ],
        default="running",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    close_reason = fields.Char(tracking=True, copy=False)
    last_invoiced_date = fields.Date(
        string="Invoiced Up To",
        readonly=True,
        copy=False,
        help="Last day of the last invoiced period.",
    )
    next_invoice_date = fields.Date(
        compute="_compute_next_period",
        store=True,
        index=True,
        help="Issue date of the next invoice; empty when the contract ended.",
    )
    next_period_start = fields.Date(compute="_compute_next_period", store=True)
    next_period_end = fields.Date(compute="_compute_next_period", store=True)
    period_ids = fields.One2many(
        "crm.recurring.period", "contract_id", string="Invoiced Periods"
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    last_error = fields.Text(
        readonly=True,
        copy=False,
        help="Why the last invoicing attempt failed; cleared by the next success.",
    )
    amount_untaxed = fields.Monetary(
        string="Untaxed Amount per Period", compute="_compute_amount_untaxed"
    )
    catch_up_count = fields.Integer(
        string="Periods Due",
        compute="_compute_catch_up",
        help="Periods due today and not yet invoiced.",
    )
    catch_up_held = fields.Boolean(
        string="Catch-up to Confirm",
        compute="_compute_catch_up",
        help="More periods are due than the company's catch-up limit: the "
        "cron does not invoice this contract until an invoicing user "
        "confirms the catch-up.",
    )
    catch_up_message = fields.Char(compute="_compute_catch_up")
    sale_order_warning = fields.Char(
        string="Already Invoiced by the Offer",
        compute="_compute_sale_order_warning",
        help="The periods the offer's own invoices billed, and whether the "
        "contract would bill them again.",
    )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------
    @api.model
    def _default_document_type(self):
        return self.env["pl.document.type"]._default_for(
            self.env.company, "out_invoice"
        )

    @api.depends("pricelist_id", "company_id")
    def _compute_currency_id(self):
        for contract in self:
            contract.currency_id = (
                contract.pricelist_id.currency_id or contract.company_id.currency_id
            )

    @api.depends("partner_id", "company_id")
    def _compute_pricelist_id(self):
        for contract in self:
            contract.pricelist_id = contract.partner_id.with_company(
                contract.company_id
            ).property_product_pricelist

    @api.depends("partner_id", "company_id")
    def _compute_payment_term_id(self):
        for contract in self:
            contract.payment_term_id = contract.partner_id.with_company(
                contract.company_id
            ).property_payment_term_id

    @api.depends(*SCHEDULE_FIELDS, "last_invoiced_date", "state")
    def _compute_next_period(self):
        for contract in self:
            period = None
            if contract.state != "closed" and contract.date_start:
                try:
                    period = contract._schedule().next_period(
                        after=contract.last_invoiced_date or None
                    )
                except ScheduleError:
                    period = None  # the constraint reports it
            contract.next_invoice_date = period.invoice_date if period else False
            contract.next_period_start = period.start if period else False
            contract.next_period_end = period.end if period else False

    def _compute_invoice_count(self):
        for contract in self:
            contract.invoice_count = len(contract.period_ids.invoice_id)

    @api.depends(*SCHEDULE_FIELDS, "last_invoiced_date", "state", "company_id")
    def _compute_catch_up(self):
        today = fields.Date.context_today(self)
        for contract in self:
            periods = contract._due_periods(today)
            limit = contract.company_id.crm_recurring_catch_up_limit
            contract.catch_up_count = len(periods)
            contract.catch_up_held = len(periods) > limit
            contract.catch_up_message = (
                contract._catch_up_message(periods) if contract.catch_up_held else False
            )

    @api.depends(
        *SCHEDULE_FIELDS,
        "last_invoiced_date",
        "state",
        "sale_order_id.invoice_ids.state",
    )
    def _compute_sale_order_warning(self):
        for contract in self:
            contract.sale_order_warning = contract._sale_order_warning()

    def _sale_order_invoices(self):
        """The posted invoices of the contract's offer (pro formas are never
        posted; corrections are no billing of a period)."""
        self.ensure_one()
        return self.sale_order_id.invoice_ids.filtered(
            lambda move: move.state == "posted" and move.move_type == "out_invoice"
        )

    def _sale_order_coverage(self):
        """What the offer's invoices billed, in this contract's periods
        (tools/order_coverage.py); None when they billed nothing."""
        self.ensure_one()
        return order_coverage(
            [
                move.taxable_supply_date or move.invoice_date
                for move in self._sale_order_invoices()
            ],
            unit=self.period_unit,
            interval=self.period_interval or 1,
            calendar=self.calendar_periods,
        )

    def _sale_order_warning(self):
        self.ensure_one()
        if not self.sale_order_id or self.state == "closed" or not self.date_start:
            return False
        try:
            coverage = self._sale_order_coverage()
        except ScheduleError:
            return False
        if not coverage:
            return False
        values = {
            "order": self.sale_order_id.name,
            "period": coverage.label(),
            "invoices": ", ".join(self._sale_order_invoices().mapped("name")),
            "start": format_date(self.env, self.date_start),
            "next": format_date(self.env, coverage.next_start),
            "first": format_date(self.env, self.next_invoice_date)
            if self.next_invoice_date
            else "-",
        }
        first_day = self.next_period_start or self.date_start
        if not self.last_invoiced_date and first_day <= coverage.end:
            return self.env._(
                "The offer %(order)s already invoiced the period %(period)s "
                "(%(invoices)s), and this contract starts on %(start)s: it "
                "would invoice these days again. Start it on %(next)s or later.",
                **values,
            )
        return self.env._(
            "The offer %(order)s already invoiced the period %(period)s "
            "(%(invoices)s): this contract bills from the next period, its "
            "first invoice is issued on %(first)s.",
            **values,
        )

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_untaxed(self):
        for contract in self:
            contract.amount_untaxed = sum(contract.line_ids.mapped("price_subtotal"))

    # ------------------------------------------------------------------
    # Schedule and constraints
    # ------------------------------------------------------------------
    def _schedule(self):
        self.ensure_one()
        return Schedule(
            start=self.date_start,
            unit=self.period_unit,
            interval=self.period_interval,
            end=self.date_end or None,
            calendar=self.calendar_periods and self.period_unit in PERIOD_UNITS_CAL,
            mode=self.invoicing_mode,
            invoice_day=self.invoice_day or None,
        )

    def _due_periods(self, today):
        """The periods due on ``today`` and not invoiced; none when the
        contract is not running or its schedule is invalid."""
        self.ensure_one()
        if self.state != "running" or not self.date_start:
            return []
        try:
            return self._schedule().due_periods(
                today, after=self.last_invoiced_date or None
            )
        except ScheduleError:
            return []

    def _catch_up_message(self, periods):
        self.ensure_one()
        return self.env._(
            "%(count)s periods are due (%(first)s to %(last)s), more than the "
            "catch-up limit of %(limit)s: the cron does not invoice them. An "
            "invoicing user checks the contract (start date, lines, discounts) "
            "and confirms with 'Invoice All Due Periods', or corrects the "
            "contract.",
            count=len(periods),
            first=periods[0].start,
            last=periods[-1].end,
            limit=self.company_id.crm_recurring_catch_up_limit,
        )

    def _check_catch_up(self, periods):
        """Refuse to invoice more periods at once than the company's limit.

        A contract entered with a start date years back would otherwise have
        every missed period invoiced, posted and sent by one cron run. The
        periods are invoiced in order (the invoiced-up-to date is the
        exactly-once watermark), so the whole backlog waits for one
        confirmation (``action_confirm_catch_up``) instead of being cut.
        """
        self.ensure_one()
        if len(periods) > self.company_id.crm_recurring_catch_up_limit:
            raise UserError(self._catch_up_message(periods))

    def _check_invoicing_setup(self):
        """A clear message instead of a database error when the contract's
        company cannot issue Polish documents (no document type of the
        Polish chart, an archived type, no sales journal)."""
        for contract in self:
            company = contract.company_id
            doc_type = contract.pl_document_type_id
            if not doc_type:
                raise UserError(contract._no_document_type_message(company))
            if not doc_type.active or doc_type.company_id != company:
                raise UserError(
                    self.env._(
                        "%(contract)s: the document type %(type)s is archived "
                        "or belongs to another company. Choose an active "
                        "document type of %(company)s on the contract.",
                        contract=contract.display_name,
                        type=doc_type.display_name,
                        company=company.display_name,
                    )
                )
            journal = doc_type.journal_id or self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(company),
                    ("type", "=", "sale"),
                ],
                limit=1,
            )
            if not journal:
                raise UserError(
                    self.env._(
                        "%(contract)s: %(company)s has no sales journal to "
                        "issue the invoices in (Accounting > Configuration > "
                        "Journals).",
                        contract=contract.display_name,
                        company=company.display_name,
                    )
                )

    def _no_document_type_message(self, company):
        return self.env._(
            "%(company)s has no Polish sales document type (Faktura VAT or pro "
            "forma): recurring contracts issue Polish documents, which a "
            "company gets with the Polish chart of accounts. Set the company "
            "up on the Polish chart, or add a document type in Invoicing > "
            "Configuration > Document Types.",
            company=company.display_name,
        )

    @api.constrains(*SCHEDULE_FIELDS)
    def _check_schedule(self):
        messages = {
            "dates": self.env._("The end date cannot be before the start date."),
            "interval": self.env._("The interval must be a positive number."),
            "invoice_day": self.env._("The invoicing day must be between 1 and 31."),
        }
        for contract in self:
            try:
                contract._schedule()
            except ScheduleError as exc:
                raise ValidationError(
                    self.env._(
                        "%(contract)s: %(problem)s",
                        contract=contract.display_name,
                        problem=messages.get(exc.code, str(exc)),
                    )
                ) from exc
            if (
                contract.last_invoiced_date
                and contract.date_end
                and contract.date_end < contract.last_invoiced_date
            ):
                raise ValidationError(
                    self.env._(
                        "%(contract)s is invoiced up to %(date)s: the end date "
                        "cannot be earlier. Issue a correction of the last "
                        "invoice instead.",
                        contract=contract.display_name,
                        date=contract.last_invoiced_date,
                    )
                )

    @api.constrains("pricelist_id", "currency_id")
    def _check_pricelist_currency(self):
        for contract in self:
            if (
                contract.pricelist_id
                and contract.pricelist_id.currency_id != contract.currency_id
            ):
                raise ValidationError(
                    self.env._(
                        "The price group %(group)s is in %(group_currency)s but "
                        "the contract %(contract)s is in %(currency)s.",
                        group=contract.pricelist_id.display_name,
                        group_currency=contract.pricelist_id.currency_id.name,
                        contract=contract.display_name,
                        currency=contract.currency_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _check_invoicing_user(self):
        """Contracts are made, changed and run by invoicing users only.

        A contract issues, posts and sends invoices on its own: whoever
        makes it issues invoices. Salespeople (who have no invoicing rights)
        read their contracts (record rules) but cannot create, change,
        delete or invoice them; the access rights say the same, this gives
        the reason and who may.
        """
        if self.env.su or self.env.user.has_group(INVOICING_GROUP):
            return
        raise AccessError(
            self.env._(
                "Recurring contracts issue invoices: only invoicing users "
                "(%(group)s) may create, change, invoice or delete them. Ask "
                "an invoicing user to do it.",
                group=self.env.ref(INVOICING_GROUP).sudo().full_name,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_invoicing_user()
        for vals in vals_list:
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            if not vals.get("pl_document_type_id"):
                doc_type = self.env["pl.document.type"]._default_for(
                    company, "out_invoice"
                )
                if not doc_type:
                    raise UserError(self._no_document_type_message(company))
                vals["pl_document_type_id"] = doc_type.id
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("crm.recurring.contract") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        self._check_invoicing_user()
        if "date_start" in vals:
            invoiced = self.filtered("last_invoiced_date")
            if invoiced:
                raise UserError(
                    self.env._(
                        "The start date of %s cannot change: periods are already "
                        "invoiced. Close the contract and start a new one.",
                        ", ".join(invoiced.mapped("display_name")),
                    )
                )
        return super().write(vals)

    def unlink(self):
        self._check_invoicing_user()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        invoiced = self.filtered("period_ids")
        if invoiced:
            raise UserError(
                self.env._(
                    "%s already has invoices: close it (with a reason) instead of "
                    "deleting it.",
                    ", ".join(invoiced.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_start(self):
        """Start a draft contract: from now on the cron invoices it."""
        self._check_invoicing_user()
        for contract in self.filtered(lambda c: c.state == "draft"):
            if not contract.line_ids:
                raise UserError(
                    self.env._("%s has no lines to invoice.", contract.display_name)
                )
            contract.state = "running"

    def action_pause(self):
        self._check_invoicing_user()
        self.filtered(lambda c: c.state == "running").state = "paused"

    def action_resume(self):
        self._check_invoicing_user()
        self.filtered(lambda c: c.state == "paused").state = "running"

    def action_close(self):
        self._check_invoicing_user()
        for contract in self:
            if not contract.close_reason:
                raise UserError(
                    self.env._("Give the reason for closing %s.", contract.display_name)
                )
        self.state = "closed"

    def action_reopen(self):
        self._check_invoicing_user()
        self.filtered(lambda c: c.state == "closed").write(
            {"state": "running", "close_reason": False}
        )

    def action_generate_now(self):
        """Invoice every due period of these contracts now (up to the
        company's catch-up limit; beyond it ``action_confirm_catch_up``)."""
        return self._generate_now(confirmed=False)

    def action_confirm_catch_up(self):
        """Invoice all due periods, beyond the catch-up limit: the
        invoicing user's confirmation that the backlog is to be invoiced
        (logged in the chatter)."""
        self._check_invoicing_user()
        today = fields.Date.context_today(self)
        for contract in self:
            periods = contract._due_periods(today)
            if periods:
                contract.message_post(
                    body=self.env._(
                        "Catch-up of %(count)s periods (%(first)s to %(last)s) "
                        "confirmed by %(user)s.",
                        count=len(periods),
                        first=periods[0].start,
                        last=periods[-1].end,
                        user=self.env.user.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return self._generate_now(confirmed=True)

    def _generate_now(self, confirmed):
        self._check_invoicing_user()
        today = fields.Date.context_today(self)
        invoices = self.env["account.move"]
        for contract in self:
            if contract.state != "running":
                raise UserError(self.env._("%s is not running.", contract.display_name))
            invoices |= contract._generate_due(today, confirmed=confirmed)
        if not invoices:
            raise UserError(self.env._("Nothing is due for invoicing yet."))
        self.period_ids.filtered("post_pending")._post_invoices()
        return self._invoice_action(invoices)

    def action_view_invoices(self):
        self.ensure_one()
        return self._invoice_action(self.period_ids.invoice_id)

    def _invoice_action(self, invoices):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        if len(invoices) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = invoices.id
        return action

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------
    def _generate_due(self, today, confirmed=False):
        """Make the invoice of every period due on ``today`` (catch-up).

        More periods than the company's catch-up limit are refused unless
        ``confirmed`` (``action_confirm_catch_up``): the cron never confirms.

        Each period gets one ``crm.recurring.period`` row, unique per contract
        and start date in the database: a period can never be invoiced twice,
        whatever runs concurrently. The invoices are drafts; those of a
        contract posting automatically wait for the posting step
        (``post_pending``), which numbers them in order.
        """
        self.ensure_one()
        contract = self.with_company(self.company_id)
        periods = contract._schedule().due_periods(
            today, after=contract.last_invoiced_date or None
        )
        if periods and not self.line_ids:
            raise UserError(
                self.env._("%s has no lines to invoice.", self.display_name)
            )
        if periods:
            self._check_invoicing_setup()
        if not confirmed:
            self._check_catch_up(periods)
        invoices = contract._create_draft_invoices(
            [contract._prepare_invoice_values(period, today) for period in periods]
        )
        self.env["crm.recurring.period"].sudo().create(
            [
                {
                    "contract_id": contract.id,
                    "date_start": period.start,
                    "date_end": period.end,
                    "invoice_id": invoice.id,
                    "post_pending": contract.auto_post,
                }
                for period, invoice in zip(periods, invoices, strict=True)
            ]
        )
        if periods:
            contract.last_invoiced_date = periods[-1].end
        return invoices

    def _create_draft_invoices(self, vals_list):
        """Create the draft invoices of ``vals_list`` for this contract."""
        company = self.company_id
        return (
            self.env["account.move"]
            .with_company(company)
            .with_context(
                default_move_type="out_invoice",
                **self._invoice_mail_context(company),
            )
            .create(vals_list)
        )

    @api.model
    def _invoice_mail_context(self, company):
        """Context making and posting the invoices of contracts.

        Invoices made by contracts get no "created" message, no tracking and
        no follower for the user running the cron: the contract and the run
        log say where they come from, and the chatter costs about a third of
        the time of making an invoice. A company keeping Odoo's restrictive
        audit trail keeps all of it.
        """
        if company.restrictive_audit_trail:
            return {}
        return {
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "mail_notrack": True,
        }

    def _prepare_invoice_values(self, period, today):
        self.ensure_one()
        partner = self.partner_id
        lang = partner.lang or self.env.lang
        label = period.label()
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "pl_document_type_id": self.pl_document_type_id.id,
            "invoice_date": today,
            "taxable_supply_date": period.end,
            "invoice_payment_term_id": self.payment_term_id.id,
            "invoice_user_id": self.user_id.id,
            "invoice_origin": self.name,
            "invoice_line_ids": [
                fields.Command.create(
                    line.with_context(lang=lang)._prepare_invoice_line(period, label)
                )
                for line in self.line_ids
            ],
        }

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_generate_invoices(self, batch_size=50, helper=False):
        """Invoice every running contract whose next date has come.

        Work goes in batches, each in two committed steps. First the batch's
        contracts are locked (``SKIP LOCKED``: another worker takes other
        contracts) and re-checked, and their draft invoices and period rows
        (the exactly-once key) are made; workers do this side by side. Then
        the posting step numbers and posts every invoice waiting for posting,
        one worker at a time under a database lock (numbers are given in
        sequence anyway), on a fresh snapshot; a worker that finds the other
        one posting makes its next batch instead of waiting, and every run
        ends by posting what is still waiting. A killed run resumes: the next
        run invoices the contracts that were not committed and posts the
        invoices left waiting. One failing contract is recorded on the
        contract and in the run log; the others go on.

        When more than one batch is due, the helper cron
        (``ir_cron_recurring_invoices_helper``) is triggered so that a second
        cron worker takes batches too; ``helper`` marks its own runs.
        """
        today = fields.Date.context_today(self)
        due = self.search(
            [("state", "=", "running"), ("next_invoice_date", "<=", today)]
        )
        ids = due.ids
        run = (
            self.env["crm.recurring.run"]
            .sudo()
            ._start(close_stale=not helper, contracts=due)
        )
        self._commit_batch(0, remaining=len(ids))
        if not helper and len(ids) > batch_size:
            self._trigger_helper()
        self._post_pending(run, wait=False)  # what a killed run left waiting
        for batch in split_every(batch_size, ids):
            self._run_batch(batch, today, run)
        self._post_pending(run)  # what waited while the other worker posted
        run._finish()
        self._commit_batch(0)
        return run

    def _trigger_helper(self):
        helper = self.env.ref(
            "crm_recurring.ir_cron_recurring_invoices_helper", raise_if_not_found=False
        )
        if helper and helper.active:
            helper.sudo()._trigger()

    def _run_batch(self, ids, today, run):
        if modules.module.current_test:  # one transaction, rolled back
            self.browse(self._lock_due(ids, today))._generate_batch_in_run(today, run)
        else:
            self._retry_concurrent(
                lambda: self.browse(self._lock_due(ids, today))._generate_batch_in_run(
                    today, run
                )
            )
            self._commit_batch(len(ids))
        self._post_pending(run, wait=False)

    def _post_pending(self, run, wait=True):
        """The posting step: post what waits, one worker at a time.

        With ``wait=False`` the step is skipped while another worker holds
        the posting lock: that worker posts what is committed when it takes
        its snapshot, and the rest waits for the next posting step.
        """

        def post():
            self.env["crm.recurring.period"].search(
                [("post_pending", "=", True)]
            )._post_pending_in_run(run)

        if modules.module.current_test:  # one transaction, rolled back
            post()
            self.env.flush_all()
            return
        cr = self.env.cr
        if wait:
            cr.execute(SQL("SELECT pg_advisory_lock(%s)", BATCH_LOCK))
        else:
            cr.execute(SQL("SELECT pg_try_advisory_lock(%s)", BATCH_LOCK))
            if not cr.fetchone()[0]:
                return
        cr.commit()  # the posting's snapshot starts after the lock is ours
        try:
            self._retry_concurrent(post)
            self._commit_batch(0)
        finally:
            cr.execute(SQL("SELECT pg_advisory_unlock(%s)", BATCH_LOCK))
            cr.commit()

    def _retry_concurrent(self, work):
        """Run ``work`` and commit; on a concurrency error, again from scratch."""
        cr = self.env.cr
        for attempt in range(1, BATCH_ATTEMPTS + 1):
            try:
                work()
                self.env.flush_all()
                cr.commit()
                return
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                cr.rollback()
                self.env.invalidate_all()
                if attempt == BATCH_ATTEMPTS:
                    raise
                time.sleep(random.uniform(0.1, 0.5) * attempt)

    def _lock_due(self, ids, today):
        """Lock the contracts still due; skip those another worker holds."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM crm_recurring_contract WHERE id = ANY(%s) "
                "AND state = 'running' AND next_invoice_date <= %s "
                "ORDER BY id FOR UPDATE SKIP LOCKED",
                list(ids),
                today,
            )
        )
        self.env.invalidate_all()
        return [row[0] for row in rows]

    def _generate_in_run(self, today, run):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                invoices = self._generate_due(today)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # the whole batch is retried on a fresh snapshot
        except Exception as exc:  # noqa: BLE001 - one contract never stops the run
            _logger.warning("Recurring contract %s failed: %s", self.name, exc)
            message = str(exc.args[0]) if exc.args else str(exc)
            self.last_error = message
            run._log_failure(self, message)
            return
        if self.auto_post:
            return  # counted by the posting step
        if self.last_error:
            self.last_error = False
        run._log_success(self, invoices)

    def _commit_batch(self, processed, remaining=None):
        """Commit the work done so far (not inside tests: they roll back)."""
        if modules.module.current_test:
            self.env.flush_all()
            return
        self.env["ir.cron"]._commit_progress(processed, remaining=remaining)

    # ------------------------------------------------------------------
    # Batched invoicing of the cron: one create per batch.
    # ------------------------------------------------------------------
    def _generate_batch_in_run(self, today, run):
        """Invoice every due period of these (locked, due) contracts.

        Fast path: all the batch's draft invoices are created in one
        ``create()`` and their period rows in one call, inside one savepoint
        (the posting step posts them afterwards). When anything in it fails,
        the savepoint undoes all of it and the batch is split in halves,
        retried in bulk,
        and finally contract by contract (``_generate_in_run``, a savepoint
        each): a failing contract is recorded on itself and in the run log
        exactly as before, the others are invoiced. Concurrency errors are
        raised for the caller to retry the whole batch.
        """
        # The others fail alone, with a reason: no lines, a catch-up waiting
        # for its confirmation, a company that cannot issue the documents.
        batch = self.filtered(lambda c: c._batchable(today))
        if len(batch) > 1 and batch._try_generate_batch(today, run):
            one_by_one = self - batch
        elif len(batch) >= SPLIT_MIN:
            half = len(batch) // 2
            batch[:half]._generate_batch_in_run(today, run)
            batch[half:]._generate_batch_in_run(today, run)
            one_by_one = self - batch
        else:
            one_by_one = self
        for contract in one_by_one:
            contract._generate_in_run(today, run)

    def _batchable(self, today):
        self.ensure_one()
        periods = self._due_periods(today)
        if (
            not self.line_ids
            or len(periods) > self.company_id.crm_recurring_catch_up_limit
        ):
            return False
        try:
            self._check_invoicing_setup()
        except UserError:
            return False
        return True

    def _try_generate_batch(self, today, run):
        try:
            with self.env.cr.savepoint():
                invoices = self._generate_due_batch(today)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # the whole batch is retried on a fresh snapshot
        except Exception as exc:  # noqa: BLE001 - retried in smaller pieces
            _logger.info(
                "Invoicing %s recurring contracts at once failed (%s): "
                "retrying in smaller batches",
                len(self),
                (str(exc).splitlines() or [type(exc).__name__])[0],
            )
            return False
        # Invoices waiting for posting are counted by the posting step.
        drafts = {c: moves for c, moves in invoices.items() if not c.auto_post}
        self.browse([c.id for c in drafts]).filtered("last_error").last_error = False
        run._log_batch_success(drafts)
        return True

    def _generate_due_batch(self, today):
        """Make the invoices of the due periods of all these contracts at once.

        Same result as ``_generate_due`` on each contract: one draft invoice
        and one ``crm.recurring.period`` row (the exactly-once key) per due
        period, oldest first, waiting for the posting step when the contract
        posts automatically. Returns ``{contract: invoices}``.
        """
        Move = self.env["account.move"]
        groups = defaultdict(list)
        last_end = {}
        for contract in self:
            periods = contract._schedule().due_periods(
                today, after=contract.last_invoiced_date or None
            )
            if periods:
                contract._check_invoicing_setup()
            contract._check_catch_up(periods)  # the cron never confirms
            groups[contract.company_id].extend((contract, p) for p in periods)
            if periods:
                last_end[contract] = periods[-1].end
        invoices = defaultdict(Move.browse)
        period_vals = []
        for company, items in groups.items():
            moves = items[0][0]._create_draft_invoices(
                [
                    contract.with_company(company)._prepare_invoice_values(
                        period, today
                    )
                    for contract, period in items
                ]
            )
            for (contract, period), move in zip(items, moves, strict=True):
                invoices[contract] |= move
                period_vals.append(
                    {
                        "contract_id": contract.id,
                        "date_start": period.start,
                        "date_end": period.end,
                        "invoice_id": move.id,
                        "post_pending": contract.auto_post,
                    }
                )
        self.env["crm.recurring.period"].sudo().create(period_vals)
        by_end = defaultdict(list)
        for contract, end in last_end.items():
            by_end[end].append(contract.id)
        for end, ids in by_end.items():
            self.browse(ids).last_invoiced_date = end
        return invoices
