"""One dunning communication: a customer, a level, their due instalments.

A run creates the communications as drafts (the preview); sending them
re-reads the residual of every instalment first, so a payment recorded after
the preview is respected: paid instalments are dropped and a communication
left without any is cancelled. The e-mail is queued as a ``mail.mail``
rendered from the level's template in the customer's language, the SMS as an
``sms.sms`` posted on the communication (Odoo's SMS queue and the HTTP
gateway of crm_invoicing_pl send, retry and track them); a letter is only
marked to print, for the payment demand to pick up.
"""

import logging

from odoo import api, fields, models
from odoo.tools import SQL

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
    currency_id = fields.Many2one(related="company_id.currency_id")
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
    sms_message_id = fields.Many2one("mail.message", readonly=True, ondelete="set null")
    sms_state = fields.Selection(
        SMS_STATES, string="SMS Status", compute="_compute_delivery"
    )
    letter_state = fields.Selection(LETTER_STATES, readonly=True)
    delivery_status = fields.Char(compute="_compute_delivery")
    error_message = fields.Text(string="Problems", readonly=True)
    sent_date = fields.Datetime(readonly=True)

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

    @api.depends("mail_mail_id.state", "sms_id.state", "sms_message_id", "state")
    def _compute_delivery(self):
        mail_states = dict(MAIL_STATES)
        sms_states = dict(SMS_STATES)
        for comm in self:
            comm.mail_state = comm.mail_mail_id.state or False
            sms_state = comm.sms_id.state
            if not sms_state and comm.sms_message_id:
                # Sent SMS are deleted by the queue; the notification stays.
                notification = comm.sms_message_id.sudo().notification_ids[:1]
                sms_state = {
                    "ready": "outgoing",
                    "process": "process",
                    "pending": "pending",
                    "sent": "sent",
                    "exception": "error",
                    "bounce": "error",
                    "canceled": "canceled",
                }.get(notification.notification_status)
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
                "SELECT id, amount_residual, reconciled, parent_state "
                "FROM account_move_line WHERE id = ANY(%s)",
                lines.move_line_id.ids,
            )
        )
        residuals = {
            row[0]: (row[1] if row[3] == "posted" and not row[2] else 0.0)
            for row in rows
        }
        currency = lines.currency_id[:1]
        paid = lines.filtered(
            lambda line: (
                residuals.get(line.move_line_id.id, 0.0) <= 0.0
                or currency.is_zero(residuals[line.move_line_id.id])
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
        to_send = self.filtered(lambda comm: comm.state == "draft")
        to_send = to_send._crm_dunning_refresh_residuals()
        if not to_send:
            return to_send
        to_send._crm_dunning_ensure_tokens()
        problems = {comm.id: [] for comm in to_send}
        done = {comm.id: False for comm in to_send}
        to_send.filtered("channel_email")._crm_dunning_send_mail(problems, done)
        to_send.filtered("channel_sms")._crm_dunning_send_sms(problems, done)
        letters = to_send.filtered("channel_letter")
        letters._crm_dunning_prepare_letters()
        now = fields.Datetime.now()
        for comm in to_send:
            ok = done[comm.id] or comm.channel_letter
            comm.write(
                {
                    "state": "sent" if ok else "failed",
                    "error_message": "\n".join(problems[comm.id]) or False,
                    "sent_date": now,
                }
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
                comms.filtered("mail_mail_id")._crm_dunning_attach_invoices()

    def _crm_dunning_attach_invoices(self):
        """Attach the PDF of each invoice to the queued e-mails."""
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

    def _crm_dunning_send_sms(self, problems, done):
        numbers = {}
        for comm in self:
            move = comm.open_line_ids.move_id[:1]
            number, problem = move.with_context(
                lang=comm.partner_id.lang
            )._pl_notify_phone()
            if problem:
                problems[comm.id].append(problem)
            else:
                numbers[comm.id] = number
        comms = self.filtered(lambda comm: comm.id in numbers)
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
            for comm in level_comms:
                partner = comm.partner_id
                message = comm.with_context(mail_notify_force_send=False)._message_sms(
                    bodies[comm.id],
                    partner_ids=partner.ids,
                    sms_pid_to_number={partner.id: numbers[comm.id]},
                    put_in_queue=True,
                )
                sms = (
                    self.env["sms.sms"]
                    .sudo()
                    .search([("mail_message_id", "=", message.id)], limit=1)
                )
                comm.write({"sms_message_id": message.id, "sms_id": sms.id})
                done[comm.id] = True

    def _crm_dunning_prepare_letters(self):
        """Mark the communications as needing a printed letter.

        Hook for the payment demand (wezwanie do zapłaty): it creates the
        letter from these communications.
        """
        self.write({"letter_state": "to_print"})

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
