"""One dunning communication: a customer, a level, their due instalments.

A run creates the communications as drafts (the preview); sending them
re-reads the residual of every instalment first, so a payment recorded after
the preview is respected: paid instalments are dropped and a communication
left without any is cancelled. The e-mail is queued as a ``mail.mail``
rendered from the level's template in the customer's language, the SMS as an
``sms.sms`` with its ``sms.tracker`` (Odoo's SMS queue and the company's SMS
provider send them; the HTTP gateway of sms_http_gateway_pl also retries them
and records their delivery report on the tracker); a letter is only
marked to print, for the payment demand to pick up.

A communication of a level marked *Payment Demand*, or sent by letter,
issues a payment demand (wezwanie do zapłaty) over its instalments on the
run's date (interest to that date, compensation when the level asks for it);
the e-mail carries its PDF and a letter waits for the next dispatch book as a
registered letter.
"""

import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.addons.sms_http_gateway_pl.tools.sms_gateway import odoo_sms_state
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount, format_date

from .crm_dunning_communication_line import LINE_STATES

_logger = logging.getLogger(__name__)

COMMUNICATION_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
LETTER_STATES = [("to_print", "To Print"), ("printed", "Printed")]

MAIL_STATES = [
    ("outgoing", "Outgoing"),
    ("sent", "Sent"),
    ("received", "Received"),
    ("exception", "Delivery Failed"),
    ("cancel", "Cancelled"),
]
SMS_STATES = [
    ("outgoing", "In Queue"),
    ("process", "Processing"),
    ("pending", "Sent"),
    ("sent", "Delivered"),
    ("error", "Error"),
    ("canceled", "Cancelled"),
]
assert {state for state, _label in LINE_STATES} <= {
    state for state, _label in COMMUNICATION_STATES
}


class CrmDunningCommunication(models.Model):
    _name = "crm.dunning.communication"
    _inherit = ["mail.thread"]
    _description = "Dunning Communication"
    _order = "date desc, id desc"
    _check_company_auto = True

    run_id = fields.Many2one(
        "crm.dunning.run", ondelete="set null", index=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    level_id = fields.Many2one(
        "crm.dunning.level", required=True, ondelete="restrict", readonly=True
    )
    policy_id = fields.Many2one(related="level_id.policy_id", store=True)
    date = fields.Date(required=True, readonly=True, index=True)
    state = fields.Selection(
        COMMUNICATION_STATES, default="draft", required=True, readonly=True, index=True
    )
    line_ids = fields.One2many(
        "crm.dunning.communication.line", "communication_id", readonly=True
    )
    open_line_ids = fields.One2many(
        "crm.dunning.communication.line",
        "communication_id",
        string="Instalments",
        domain=[("state", "!=", "cancelled")],
        readonly=True,
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        readonly=True,
        default=lambda self: self.env.company.currency_id,
        help="The currency of the invoices (one communication per currency).",
    )
    amount_residual = fields.Monetary(
        string="Amount Left", compute="_compute_amounts", store=True
    )
    interest_amount = fields.Monetary(
        string="Interest to Date", compute="_compute_amounts", store=True
    )
    max_days_overdue = fields.Integer(
        string="Days Overdue", compute="_compute_amounts", store=True
    )
    invoice_names = fields.Char(string="Invoices", compute="_compute_invoice_names")
    channel_email = fields.Boolean(string="E-mail", readonly=True)
    channel_sms = fields.Boolean(string="SMS", readonly=True)
    channel_letter = fields.Boolean(string="Letter", readonly=True)
    channels = fields.Char(compute="_compute_channels")
    mail_mail_id = fields.Many2one(
        "mail.mail",
        string="Queued E-mail",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    mail_state = fields.Selection(
        MAIL_STATES, string="E-mail Status", compute="_compute_delivery"
    )
    sms_id = fields.Many2one(
        "sms.sms",
        string="Queued SMS",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    sms_tracker_id = fields.Many2one(
        "sms.tracker", string="SMS Tracker", readonly=True, ondelete="set null"
    )
    sms_state = fields.Selection(
        SMS_STATES, string="SMS Status", compute="_compute_delivery"
    )
    letter_state = fields.Selection(LETTER_STATES, readonly=True)
    delivery_status = fields.Char(compute="_compute_delivery")
    # Plain fields for the templates: they render without evaluating code
    # (fast, and allowed to users who are not template editors).
    lines_html = fields.Html(
        string="Instalments Table", compute="_compute_mail_texts", sanitize=False
    )
    amount_residual_text = fields.Char(
        string="Amount Left (Text)", compute="_compute_mail_texts"
    )
    interest_amount_text = fields.Char(
        string="Interest to Date (Text)", compute="_compute_mail_texts"
    )
    bank_account = fields.Char(compute="_compute_mail_texts")
    payment_link = fields.Char(compute="_compute_mail_texts")
    error_message = fields.Text(string="Problems", readonly=True)
    sent_date = fields.Datetime(readonly=True)
    demand_id = fields.Many2one(
        "crm.dunning.demand",
        string="Payment Demand",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "line_ids.state",
        "line_ids.amount_residual",
        "line_ids.interest_amount",
        "line_ids.days_overdue",
    )
    def _compute_amounts(self):
        for comm in self:
            lines = comm.line_ids.filtered(lambda line: line.state != "cancelled")
            comm.amount_residual = sum(lines.mapped("amount_residual"))
            comm.interest_amount = sum(lines.mapped("interest_amount"))
            comm.max_days_overdue = max(lines.mapped("days_overdue") or [0])

    @api.depends("open_line_ids.move_id.name")
    def _compute_invoice_names(self):
        for comm in self:
            comm.invoice_names = ", ".join(
                dict.fromkeys(comm.open_line_ids.move_id.mapped("name"))
            )

    @api.depends("channel_email", "channel_sms", "channel_letter")
    def _compute_channels(self):
        labels = (
            ("channel_email", self.env._("E-mail")),
            ("channel_sms", self.env._("SMS")),
            ("channel_letter", self.env._("Letter")),
        )
        for comm in self:
            comm.channels = ", ".join(label for name, label in labels if comm[name])

    @api.depends(
        "mail_mail_id.state",
        "sms_id.state",
        "sms_tracker_id.pl_gateway_status",
        "letter_state",
    )
    def _compute_delivery(self):
        mail_states = dict(MAIL_STATES)
        sms_states = dict(SMS_STATES)
        for comm in self:
            comm.mail_state = comm.mail_mail_id.state or False
            sms_state = comm.sms_id.state
            if not sms_state and comm.sms_tracker_id:
                # Sent SMS are deleted by the queue; the tracker stays.
                status = comm.sms_tracker_id.sudo().pl_gateway_status
                sms_state = (odoo_sms_state(status) or ("pending",))[0]
            comm.sms_state = sms_state or False
            parts = []
            if comm.mail_state:
                parts.append(self.env._("E-mail: %s", mail_states[comm.mail_state]))
            if comm.sms_state:
                parts.append(self.env._("SMS: %s", sms_states[comm.sms_state]))
            if comm.letter_state:
                parts.append(
                    self.env._("Letter: %s", dict(LETTER_STATES)[comm.letter_state])
                )
            comm.delivery_status = "; ".join(parts)

    @api.depends("partner_id", "level_id", "date")
    def _compute_display_name(self):
        for comm in self:
            comm.display_name = "%s – %s (%s)" % (
                comm.level_id.name or "",
                comm.partner_id.name or "",
                comm.date or "",
            )

    # ------------------------------------------------------------------
    # Template helpers
    # ------------------------------------------------------------------
    @api.depends_context("lang")
    @api.depends(
        "open_line_ids.amount_residual",
        "open_line_ids.interest_amount",
        "open_line_ids.move_id.access_token",
        "level_id.add_interest",
    )
    def _compute_mail_texts(self):
        env = self.env
        lang = env.lang or "en_US"
        QWeb = env["ir.qweb"]
        for comm in self:
            currency = comm.currency_id
            rows = [
                {
                    "invoice": line.move_id.name,
                    "due_date": format_date(env, line.due_date, lang_code=lang),
                    "days": line.days_overdue,
                    "amount": format_amount(env, line.amount_residual, currency, lang),
                    "interest": format_amount(
                        env, line.interest_amount, currency, lang
                    ),
                    "link": line._crm_dunning_portal_link(),
                }
                for line in comm.open_line_ids
            ]
            comm.amount_residual_text = format_amount(
                env, comm.amount_residual, currency, lang
            )
            comm.interest_amount_text = format_amount(
                env, comm.interest_amount, currency, lang
            )
            comm.bank_account = comm._crm_dunning_bank_account()
            comm.payment_link = comm._crm_dunning_payment_link() if rows else False
            comm.lines_html = QWeb._render(
                "crm_dunning.dunning_communication_lines",
                {
                    "rows": rows,
                    "overdue": comm.level_id.offset_days >= 0,
                    "interest": comm.level_id.add_interest,
                    "total": comm.amount_residual_text,
                    "interest_total": comm.interest_amount_text,
                    "bank_account": comm.bank_account,
                },
            )

    @api.model
    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + (
            "object.company_id.name",
            "object.company_id.email_formatted",
            "object.partner_id.id",
            "object.partner_id.lang",
            "object.level_id.name",
            "object.invoice_names",
            "object.lines_html",
            "object.amount_residual_text",
            "object.interest_amount_text",
            "object.max_days_overdue",
            "object.bank_account",
            "object.payment_link",
        )

    def _crm_dunning_bank_account(self):
        """The account number the customer should pay to."""
        self.ensure_one()
        bank = self.open_line_ids.move_id.partner_bank_id[:1]
        if not bank:
            bank = self.company_id.partner_id.bank_ids[:1]
        return bank.acc_number or ""

    def _crm_dunning_payment_link(self):
        """The portal link to pay: the invoice's, or the list of invoices."""
        self.ensure_one()
        moves = self.open_line_ids.move_id
        if len(moves) == 1:
            return moves.get_base_url() + moves.get_portal_url()
        return self.get_base_url() + "/my/invoices"

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    def _crm_dunning_refresh_residuals(self):
        """Re-read the residuals; drop paid instalments, cancel empty ones.

        Returns the communications still to send.
        """
        lines = self.line_ids.filtered(lambda line: line.state == "draft")
        if not lines:
            self.filtered(lambda comm: comm.state == "draft").write(
                {"state": "cancelled"}
            )
            return self.browse()
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT id, CASE WHEN currency_id = company_currency_id "
                "THEN amount_residual ELSE amount_residual_currency END, "
                "reconciled, parent_state "
                "FROM account_move_line WHERE id = ANY(%s)",
                lines.move_line_id.ids,
            )
        )
        residuals = {
            row[0]: (row[1] if row[3] == "posted" and not row[2] else 0.0)
            for row in rows
        }
        paid = lines.filtered(
            lambda line: (
                residuals.get(line.move_line_id.id, 0.0) <= 0.0
                or line.currency_id.is_zero(residuals[line.move_line_id.id])
            )
        )
        if paid:
            paid.write(
                {
                    "state": "cancelled",
                    "cancel_reason": self.env._("Paid before sending"),
                }
            )
        for line in lines - paid:
            residual = residuals[line.move_line_id.id]
            if line.currency_id.compare_amounts(residual, line.amount_residual):
                line.amount_residual = residual
        self.invalidate_recordset(["open_line_ids"])
        empty = self.filtered(
            lambda comm: (
                comm.state == "draft"
                and not comm.line_ids.filtered(lambda line: line.state == "draft")
            )
        )
        empty.write({"state": "cancelled"})
        return self.filtered(lambda comm: comm.state == "draft")

    def _crm_dunning_send(self):
        """Send these draft communications (e-mail, SMS, letter); never raises.

        A channel that cannot be prepared (no e-mail address, invalid mobile
        number, a failing template) is written on the communication; it is
        failed when no channel could be prepared.
        """
        to_send = self.with_context(tracking_disable=True).filtered(
            lambda comm: comm.state == "draft"
        )
        to_send = to_send._crm_dunning_refresh_residuals()
        if not to_send:
            return to_send
        to_send._crm_dunning_ensure_tokens()
        problems = {comm.id: [] for comm in to_send}
        done = {comm.id: False for comm in to_send}
        to_send._crm_dunning_prepare_documents(problems)
        to_send.filtered("channel_email")._crm_dunning_send_mail(problems, done)
        to_send.filtered("channel_sms")._crm_dunning_send_sms(problems, done)
        letters = to_send.filtered("channel_letter")
        letters._crm_dunning_prepare_letters()
        # One write per outcome, not per communication.
        outcomes = defaultdict(list)
        for comm in to_send:
            ok = done[comm.id] or bool(comm.letter_state)
            error = "\n".join(problems[comm.id]) or False
            outcomes["sent" if ok else "failed", error].append(comm.id)
        now = fields.Datetime.now()
        for (state, error), ids in outcomes.items():
            self.browse(ids).write(
                {"state": state, "error_message": error, "sent_date": now}
            )
        sent_lines = to_send.filtered(lambda comm: comm.state == "sent").line_ids
        sent_lines.filtered(lambda line: line.state == "draft").write({"state": "sent"})
        # A failed communication frees its instalments for the next run.
        failed_lines = to_send.filtered(lambda comm: comm.state == "failed").line_ids
        failed_lines.filtered(lambda line: line.state == "draft").write(
            {
                "state": "cancelled",
                "cancel_reason": self.env._("Could not be sent"),
            }
        )
        return to_send

    def _crm_dunning_ensure_tokens(self):
        """Give the invoices a portal access token (one query)."""
        moves = self.open_line_ids.move_id
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET access_token = gen_random_uuid()::text "
                "WHERE id = ANY(%s) AND access_token IS NULL",
                moves.ids,
            )
        )
        moves.invalidate_recordset(["access_token"])

    def _crm_dunning_send_mail(self, problems, done):
        without_email = self.filtered(lambda comm: not comm.partner_id.email)
        for comm in without_email:
            problems[comm.id].append(
                self.env._(
                    "No e-mail sent, %s has no e-mail address.",
                    comm.partner_id.display_name,
                )
            )
        for level, comms in (self - without_email).grouped("level_id").items():
            template = level._crm_dunning_mail_template()
            try:
                with self.env.cr.savepoint():
                    mails = template.send_mail_batch(comms.ids)
            except Exception:  # noqa: BLE001 - retried one by one to find the culprit
                mails = self.env["mail.mail"]
                for comm in comms:
                    try:
                        with self.env.cr.savepoint():
                            mails |= template.send_mail_batch(comm.ids)
                    except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
                        _logger.warning(
                            "Dunning e-mail of %s failed: %s", comm.display_name, exc
                        )
                        problems[comm.id].append(
                            self.env._("The e-mail could not be prepared: %s", exc)
                        )
            by_comm = {mail.res_id: mail for mail in mails}
            for comm in comms:
                mail = by_comm.get(comm.id)
                if not mail:
                    continue
                comm.mail_mail_id = mail
                done[comm.id] = True
            if level.attach_invoice:
                comms._crm_dunning_attach(
                    problems, done, self.__class__._crm_dunning_attach_invoices
                )
        # The payment demand's PDF, once every e-mail is queued.
        self.filtered("demand_id")._crm_dunning_attach(
            problems, done, self.__class__._crm_dunning_attach_demand
        )

    def _crm_dunning_attach(self, problems, done, attach):
        """Run ``attach(comm)`` on each communication with a queued e-mail.

        One that fails (a PDF that cannot be rendered) loses its e-mail, gets
        the reason in ``problems`` and the others go on: one bad document never
        stops the batch.
        """
        for comm in self.filtered("mail_mail_id"):
            try:
                with self.env.cr.savepoint():
                    attach(comm)
            except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
                _logger.warning(
                    "Dunning attachment of %s failed: %s", comm.display_name, exc
                )
                problems[comm.id].append(
                    self.env._(
                        "The e-mail was not sent: its PDF could not be made (%s).", exc
                    )
                )
                comm.mail_mail_id.sudo().unlink()
                done[comm.id] = False

    def _crm_dunning_attach_invoices(self):
        """Attach the PDF of each invoice to the queued e-mail."""
        Report = self.env["ir.actions.report"].sudo()
        for comm in self:
            attachments = self.env["ir.attachment"]
            for move in comm.open_line_ids.move_id:
                attachment = move.invoice_pdf_report_id
                if not attachment:
                    content, _type = Report._render_qweb_pdf(
                        "account.account_invoices", move.ids
                    )
                    attachment = (
                        self.env["ir.attachment"]
                        .sudo()
                        .create(
                            {
                                "name": f"{move._get_invoice_report_filename()}",
                                "raw": content,
                                "res_model": "mail.message",
                                "res_id": comm.mail_mail_id.mail_message_id.id,
                                "mimetype": "application/pdf",
                            }
                        )
                    )
                attachments |= attachment
            comm.mail_mail_id.sudo().attachment_ids = [(4, a.id) for a in attachments]

    def _crm_dunning_attach_demand(self):
        """Attach the payment demand's PDF to the queued e-mail."""
        Report = self.env["ir.actions.report"].sudo()
        for comm in self:
            content, _type = Report._render_qweb_pdf(
                "crm_dunning.action_report_crm_dunning_demand", comm.demand_id.ids
            )
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": "%s.pdf" % comm.demand_id.name.replace("/", "_"),
                        "raw": content,
                        "res_model": "crm.dunning.demand",
                        "res_id": comm.demand_id.id,
                        "mimetype": "application/pdf",
                    }
                )
            )
            comm.mail_mail_id.sudo().attachment_ids = [(4, attachment.id)]

    def _crm_dunning_send_sms(self, problems, done):
        """Queue the SMS in one batch, each with a tracker for its status."""
        numbers = {}
        for comm in self:
            move = comm.open_line_ids.move_id[:1]
            number, problem = move._pl_notify_phone()
            if problem:
                problems[comm.id].append(problem)
            else:
                numbers[comm.id] = number
        comms = self.filtered(lambda comm: comm.id in numbers)
        vals_list = []
        for level, level_comms in comms.grouped("level_id").items():
            template = level._crm_dunning_sms_template()
            try:
                bodies = template._render_field(
                    "body", level_comms.ids, compute_lang=True
                )
            except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
                for comm in level_comms:
                    problems[comm.id].append(
                        self.env._("The SMS could not be prepared: %s", exc)
                    )
                continue
            vals_list += [
                {
                    "number": numbers[comm.id],
                    "body": bodies[comm.id],
                    "partner_id": comm.partner_id.id,
                    "crm_dunning_communication_id": comm.id,
                    "state": "outgoing",
                }
                for comm in level_comms
            ]
        sms_records = self.env["sms.sms"].sudo().create(vals_list)
        trackers = (
            self.env["sms.tracker"]
            .sudo()
            .create([{"sms_uuid": sms.uuid} for sms in sms_records])
        )
        for sms, tracker in zip(sms_records, trackers, strict=True):
            comm = sms.crm_dunning_communication_id
            comm.write({"sms_id": sms.id, "sms_tracker_id": tracker.id})
            done[comm.id] = True

    def _crm_dunning_prepare_documents(self, problems):
        """Create what the communications send (payment demands); never raises.

        A communication of a payment-demand level, or sent by letter, issues
        its payment demand. A document that cannot be made is written in
        ``problems``.
        """
        Demand = self.env["crm.dunning.demand"]
        for comm in self.filtered(
            lambda c: (
                not c.demand_id and (c.level_id.payment_demand or c.channel_letter)
            )
        ):
            try:
                with self.env.cr.savepoint():
                    demands = Demand._crm_dunning_create_demands(
                        comm.open_line_ids.move_line_id,
                        comm.date,
                        mode="collective",
                        claim_compensation=comm.level_id.demand_compensation,
                        registered_letter=comm.channel_letter,
                        raise_if_empty=False,
                    )
                    demands.action_issue()
            except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
                _logger.log(
                    logging.INFO if isinstance(exc, UserError) else logging.WARNING,
                    "No payment demand for %s: %s",
                    comm.display_name,
                    exc,
                    exc_info=not isinstance(exc, UserError),
                )
                problems[comm.id].append(
                    self.env._("The payment demand could not be issued: %s", exc)
                )
                continue
            comm.demand_id = demands[:1]

    def _crm_dunning_prepare_letters(self):
        """Mark the communications as needing a printed letter.

        The letter is the payment demand (wezwanie do zapłaty), sent in the
        next dispatch book: a communication without one has no letter.
        """
        self.filtered("demand_id").write({"letter_state": "to_print"})

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send(self):
        self.filtered(lambda comm: comm.state == "draft")._crm_dunning_send()
        return True

    def action_cancel(self):
        drafts = self.filtered(lambda comm: comm.state == "draft")
        drafts.line_ids.filtered(lambda line: line.state == "draft").write(
            {"state": "cancelled", "cancel_reason": self.env._("Cancelled")}
        )
        drafts.write({"state": "cancelled"})
        return True

    def action_mark_printed(self):
        self.filtered(lambda comm: comm.letter_state == "to_print").write(
            {"letter_state": "printed"}
        )
        return True

    def _mail_get_partner_fields(self, introspect_fields=False):
        return ["partner_id"]
