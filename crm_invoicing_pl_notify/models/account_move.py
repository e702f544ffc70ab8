"""Customer notifications when a Polish document is issued.

Posting an invoice (or issuing a pro forma) e-mails the PDF and/or sends a
short SMS with a portal link, as the document type and the customer's
preference say. Nothing here may block the issue: each channel is prepared
in a savepoint, a problem (no e-mail address, invalid phone number, a
failing template) is written on the document (field and chatter note) and
the issue goes on. The e-mail goes through the mail queue (mail.mail), the
SMS through the SMS queue (sms.sms), whose crons send and retry them.

The e-mail (with its PDF) is prepared after every other step of posting:
this add-on depends on ``crm_invoicing_pl``, so Odoo puts its ``_post``
around all of ``crm_invoicing_pl``'s (the buyer's data and the advance's
order block frozen): the PDF shows the document as issued.
"""

import logging
import re

import phonenumbers
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.sms_text import sms_text_for_document

_logger = logging.getLogger(__name__)

# What a phone number may be written with. libphonenumber reads letters as a
# keypad's ("600 1OO 2OO" becomes +48 600 166 266, another subscriber) and
# drops an extension ("600 100 200 ext. 12"): both refused before parsing.
PHONE_CHARACTERS = re.compile(r"[\d\s+\-().\/]+")
MOBILE_NUMBER_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)

DEFAULT_MAIL_TEMPLATES = {
    "proforma": "crm_invoicing_pl.mail_template_pl_proforma",
}
DEFAULT_MAIL_TEMPLATE = "crm_invoicing_pl_notify.mail_template_pl_invoice"
DEFAULT_SMS_TEMPLATE = "crm_invoicing_pl_notify.sms_template_pl_document"


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_notify_warning = fields.Text(
        string="Notification Problem",
        readonly=True,
        copy=False,
        help="Why the customer could not be notified of the issued document.",
    )
    pl_issue_notified = fields.Boolean(
        string="Customer Notified",
        readonly=True,
        copy=False,
        help="The customer was notified when the document was issued; posting it "
        "again after a reset to draft does not notify again.",
    )
    pl_sms_text = fields.Char(
        string="SMS Text",
        compute="_compute_pl_sms_text",
        help="Short SMS announcing the document, with its portal link.",
    )

    @api.depends(
        "name", "amount_total", "currency_id", "access_token", "pl_document_type_id"
    )
    def _compute_pl_sms_text(self):
        for move in self:
            if not move.pl_document_type_id or not move.name or move.name == "/":
                move.pl_sms_text = False
                continue
            # The link carries the access token once the notification made one.
            url = move.access_url
            if move.access_token:
                url = move.get_portal_url()
            currency = move.currency_id
            amount = move._pl_report_format_number(
                move.amount_total, currency.decimal_places
            )
            move.pl_sms_text = sms_text_for_document(
                move.pl_document_type_id.title,
                move.name,
                f"{amount} {currency.symbol or currency.name}",
                move.get_base_url() + url,
            )

    # ------------------------------------------------------------------
    # Triggers
    # ------------------------------------------------------------------
    def _post(self, soft=True):
        # The last step of posting: every override of the add-ons this one
        # depends on has run when super() returns.
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda m: (
                m.state == "posted"
                and m.pl_document_type_id
                and not m.pl_issue_notified
            )
        )._pl_notify_issue()
        return posted

    def action_pl_issue_proforma(self):
        to_issue = self.filtered(
            lambda m: m.pl_document_kind == "proforma" and (not m.name or m.name == "/")
        )
        res = super().action_pl_issue_proforma()
        to_issue._pl_notify_issue()
        return res

    # ------------------------------------------------------------------
    # Notification
    # ------------------------------------------------------------------
    def _pl_notify_channels(self):
        """The channels ("email", "sms") to notify this document by."""
        self.ensure_one()
        # A caller issuing on behalf of a contract may impose its own choice.
        preference = self.env.context.get("pl_notify_preference") or "doc_type"
        if preference == "doc_type":
            preference = self.commercial_partner_id.pl_invoice_notify or "doc_type"
        if preference == "doc_type":
            doc_type = self.pl_document_type_id
            return {
                channel
                for channel, wanted in (
                    ("email", doc_type.pl_notify_email),
                    ("sms", doc_type.pl_notify_sms),
                )
                if wanted
            }
        return {
            "none": set(),
            "email": {"email"},
            "sms": {"sms"},
            "both": {"email", "sms"},
        }[preference]

    def _pl_notify_issue(self):
        """Queue the e-mail and/or SMS of the issued documents; never raises."""
        if self.env.context.get("pl_skip_issue_notify"):
            return
        for move in self:
            channels = move._pl_notify_channels()
            if not channels and not move.pl_notify_warning:
                continue
            problems = []
            for channel in sorted(channels):
                try:
                    with self.env.cr.savepoint():
                        if channel == "email":
                            problem = move._pl_notify_by_email()
                        else:
                            problem = move._pl_notify_by_sms()
                except Exception as exc:  # pylint: disable=broad-except
                    # Never let a notification roll back the issue.
                    _logger.warning(
                        "Notification of %s failed: %s", move.display_name, exc
                    )
                    problem = self.env._(
                        "The %(channel)s could not be prepared: %(error)s",
                        channel=self.env._("e-mail")
                        if channel == "email"
                        else self.env._("SMS"),
                        error=exc,
                    )
                if problem:
                    problems.append(problem)
            move._pl_notify_record_problems(problems)
            if channels:
                move.pl_issue_notified = True

    def _pl_notify_record_problems(self, problems):
        self.ensure_one()
        self.pl_notify_warning = "\n".join(problems) or False
        if problems:
            self.message_post(
                body=self.env._("Customer not notified:") + " " + " ".join(problems),
                subtype_xmlid="mail.mt_note",
            )

    def _pl_notify_mail_template(self):
        self.ensure_one()
        doc_type = self.pl_document_type_id
        if doc_type.pl_mail_template_id:
            return doc_type.pl_mail_template_id
        return self.env.ref(
            DEFAULT_MAIL_TEMPLATES.get(doc_type.kind, DEFAULT_MAIL_TEMPLATE)
        )

    def _pl_notify_sms_template(self):
        self.ensure_one()
        return self.pl_document_type_id.pl_sms_template_id or self.env.ref(
            DEFAULT_SMS_TEMPLATE
        )

    def _pl_notify_by_email(self):
        """Queue the e-mail with the PDF; return a problem text or None."""
        self.ensure_one()
        partner = self.partner_id
        if not partner.email:
            return self.env._(
                "no e-mail sent, %s has no e-mail address.", partner.display_name
            )
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_model=self._name,
                default_res_ids=self.ids,
                default_composition_mode="comment",
                default_template_id=self._pl_notify_mail_template().id,
                # Our own PDF, not a document to import into the invoice.
                disable_attachment_import=True,
            )
            .create({"force_send": False})
        )
        composer.with_context(mail_notify_force_send=False)._action_send_mail()
        if self.state == "posted":
            self.is_move_sent = True
        return None

    def _pl_notify_phone(self):
        """(E.164 number, None) of the customer's mobile, or (None, problem).

        The number is read by Odoo's ``phone_validation``, as for every SMS
        Odoo sends: without a country code, as a number of the company's
        country (Poland when it has none). A number written with the old
        Polish trunk "0" ("0 600 100 200", "+48 (0) 22 ...") is therefore not
        a valid phone number, as Odoo's IAP would refuse it too; the HTTP
        gateway of ``sms_http_gateway_pl`` reading it is that gateway's own
        tolerance, not the notification's. Mobiles of any country are
        accepted (including the ranges libphonenumber cannot tell from
        landlines, as in the US).
        """
        self.ensure_one()
        partner = self.partner_id
        raw = partner.phone or self.commercial_partner_id.phone
        if not raw:
            return None, self.env._(
                "no SMS sent, %s has no phone number.", partner.display_name
            )
        if not PHONE_CHARACTERS.fullmatch(raw.strip()):
            return None, self.env._(
                "no SMS sent, “%(number)s” (%(partner)s) is not a phone number.",
                number=raw,
                partner=partner.display_name,
            )
        country = self.company_id.country_id or self.env.ref("base.pl")
        try:
            number = partner._phone_format_number(
                raw, country, force_format="E164", raise_exception=True
            )
        except UserError:
            return None, self.env._(
                "no SMS sent, “%(number)s” (%(partner)s) is not a valid phone number.",
                number=raw,
                partner=partner.display_name,
            )
        number_type = phonenumbers.number_type(phonenumbers.parse(number))
        if number_type not in MOBILE_NUMBER_TYPES:
            return None, self.env._(
                "no SMS sent, “%(number)s” (%(partner)s) is not a mobile number.",
                number=raw,
                partner=partner.display_name,
            )
        return number, None

    def _pl_notify_by_sms(self):
        """Queue the SMS with the portal link; return a problem text or None."""
        self.ensure_one()
        number, problem = self._pl_notify_phone()
        if problem:
            return problem
        self._portal_ensure_token()
        partner = self.partner_id
        self._message_sms_with_template(
            template=self._pl_notify_sms_template(),
            partner_ids=partner.ids,
            sms_pid_to_number={partner.id: number},
            put_in_queue=True,
        )
        return None
