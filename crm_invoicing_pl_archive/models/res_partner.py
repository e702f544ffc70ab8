"""GDPR: anonymise a customer who is a natural person.

Only invoicing managers may do it, once no accounting record naming the
person (a document of any kind, a journal item, a payment) is still within
its retention period (tools/retention.py) and nothing is left to pay. The
posted documents keep the buyer's data required by law: crm_invoicing_pl
froze it on them at posting (models/account_move.py) and their printouts read
it from there. Every other copy of the personal data is erased: the contact
and its addresses, bank accounts, CRM leads, queued and sent e-mails and SMS,
the messages the person wrote, followers; what was erased is logged.
"""

import logging

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.retention import retention_until

_logger = logging.getLogger(__name__)

# Documents named in a refusal; the others are counted.
LISTED_DOCUMENTS = 10
GDPR_GROUP = "account.group_account_manager"
# Personal data on a contact (those the model has).
PARTNER_FIELDS = (
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "website",
    "comment",
    "function",
    "ref",
    "image_1920",
    "company_name",
    "title",
)
# Personal data copied on a CRM lead.
LEAD_FIELDS = (
    "contact_name",
    "partner_name",
    "email_from",
    "email_cc",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "website",
    "function",
    "description",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _pl_gdpr_partners(self):
        """The customer and its contacts/addresses, archived ones included."""
        self.ensure_one()
        return self.with_context(active_test=False).search(
            [("id", "child_of", self.id)]
        )

    def _pl_gdpr_blockers(self):
        """Why the customer cannot be anonymised now (translated sentences)."""
        self.ensure_one()
        if self.is_company:
            return [
                self.env._(
                    "%s is a company: only a customer who is a natural person "
                    "can be anonymised.",
                    self.name,
                )
            ]
        if self.vat:
            return [
                self.env._(
                    "%s has a tax identification number (NIP/VAT): the "
                    "customer is a business, not a private person.",
                    self.name,
                )
            ]
        reasons = []
        partners = self._pl_gdpr_partners()
        Move = self.env["account.move"].sudo().with_context(active_test=False)
        kept = self._pl_gdpr_records_within_retention(partners)
        if kept:
            reasons.append(
                self.env._(
                    "%(count)s document(s) must be kept until %(date)s "
                    "(retention period of the tax records): %(names)s",
                    count=len(kept),
                    date=fields.Date.to_string(kept[0][0]),
                    names=self._pl_gdpr_names([name for _until, name in kept]),
                )
            )
        unpaid = Move.search(
            [
                ("partner_id", "in", partners.ids),
                ("state", "=", "posted"),
                ("move_type", "in", Move.get_invoice_types(include_receipts=True)),
                ("payment_state", "not in", ("paid", "reversed", "in_payment")),
                ("amount_residual", "!=", 0.0),
            ],
            order="id",
        )
        if unpaid:
            reasons.append(
                self.env._(
                    "Amounts are still open on: %s",
                    self._pl_gdpr_names(unpaid.mapped("name")),
                )
            )
        if partners.user_ids:
            reasons.append(
                self.env._(
                    "The customer has a user account (portal access): remove it first."
                )
            )
        return reasons

    def _pl_gdpr_records_within_retention(self, partners):
        """(keep until, name) of every accounting record naming ``partners``
        that must still be kept today, latest first: posted documents and
        entries of any kind (sales documents by their tax point, the others
        by their date) and payments."""
        today = fields.Date.context_today(self)
        moves = (
            self.env["account.move"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("state", "=", "posted"),
                    "|",
                    ("partner_id", "in", partners.ids),
                    ("line_ids.partner_id", "in", partners.ids),
                ]
            )
        )
        records = [
            (move.pl_retention_until or retention_until(move.date), move.name)
            for move in moves
        ]
        payments = (
            self.env["account.payment"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("state", "not in", ("draft", "canceled")),
                    ("move_id", "not in", moves.ids),
                ]
            )
        )
        records += [
            (retention_until(payment.date), payment.name) for payment in payments
        ]
        return sorted(
            (record for record in records if record[0] >= today),
            key=lambda record: (record[0], record[1]),
            reverse=True,
        )

    def _pl_gdpr_names(self, names):
        text = ", ".join(names[:LISTED_DOCUMENTS])
        if len(names) > LISTED_DOCUMENTS:
            text += " " + self.env._("and %s more", len(names) - LISTED_DOCUMENTS)
        return text

    def action_pl_gdpr_anonymise(self):
        """Erase the personal data of the customers (GDPR art. 17)."""
        if not self.env.user.has_group(GDPR_GROUP):
            raise AccessError(
                self.env._(
                    "Only invoicing managers (Invoicing / Administrator) may "
                    "anonymise a customer."
                )
            )
        for partner in self:
            reasons = partner._pl_gdpr_blockers()
            if reasons:
                raise UserError(
                    self.env._("%s cannot be anonymised:", partner.name)
                    + "\n"
                    + "\n".join("- %s" % reason for reason in reasons)
                )
        for partner in self:
            partner._pl_gdpr_anonymise()
        return True

    def _pl_gdpr_anonymise(self):
        self.ensure_one()
        partners = self._pl_gdpr_partners().sudo()
        banks = (
            self.env["res.partner.bank"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids)])
        )
        for bank in banks:
            bank.write(
                {
                    "acc_number": "anonymised-%s" % bank.id,
                    "acc_holder_name": False,
                    "allow_out_payment": False,
                }
            )
        banks.filtered("active").unlink()  # Odoo archives them
        emails = {p.email.strip().lower() for p in partners if p.email}
        phones = {p.phone for p in partners if p.phone}
        for partner in partners:
            partner.with_context(tracking_disable=True).write(
                {
                    "name": self.env._("Anonymised customer %s", partner.id),
                    "active": False,
                    **dict.fromkeys(
                        (f for f in PARTNER_FIELDS if f in partner._fields), False
                    ),
                }
            )
        erased = self._pl_gdpr_erase_copies(partners, emails, phones)
        # The chatter of the customer (history of its data) and what it follows.
        self.env["mail.message"].sudo().search(
            [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        ).unlink()
        self.env["mail.followers"].sudo().search(
            [("partner_id", "in", partners.ids)]
        ).unlink()
        summary = ", ".join(f"{label}: {count}" for label, count in erased.items())
        self.sudo()._message_log(
            body=self.env._(
                "Personal data anonymised (GDPR) by %(user)s on %(date)s. "
                "Erased: %(summary)s.",
                user=self.env.user.name,
                date=fields.Date.to_string(fields.Date.context_today(self)),
                summary=summary,
            )
        )
        _logger.info(
            "GDPR: partner %s (and %s contacts) anonymised by user %s; erased %s",
            self.id,
            len(partners) - 1,
            self.env.uid,
            summary,
        )

    def _pl_gdpr_erase_copies(self, partners, emails, phones):
        """Erase the copies of the personal data outside the contact.

        Returns {translated label: number of records} for the log; add-ons
        holding more copies extend it.
        """
        env = self.env(su=True)
        leads = (
            env["crm.lead"]
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("partner_id", "in", partners.ids),
                    ("email_normalized", "in", list(emails)),
                ]
            )
        )
        leads.with_context(tracking_disable=True).write(
            dict.fromkeys((f for f in LEAD_FIELDS if f in leads._fields), False)
        )
        mails = env["mail.mail"].search(
            [
                "|",
                ("recipient_ids", "in", partners.ids),
                ("email_to", "in", list(emails)),
            ]
        )
        mails.unlink()
        # Odoo's SMS framework (``sms``, an auto-installed module) is not a
        # dependency of this add-on: no SMS to erase without it.
        sms = (
            env["sms.sms"].search(
                [
                    "|",
                    ("partner_id", "in", partners.ids),
                    ("number", "in", list(phones)),
                ]
            )
            if "sms.sms" in env
            else []
        )
        if sms:
            sms.unlink()
        messages = env["mail.message"].search([("author_id", "in", partners.ids)])
        messages.attachment_ids.unlink()
        messages.write(
            {
                "body": self.env._("Message removed (GDPR)."),
                "author_id": False,
                "email_from": False,
                "subject": False,
            }
        )
        env["mail.notification"].search(
            [("res_partner_id", "in", partners.ids)]
        ).unlink()
        return {
            self.env._("CRM leads"): len(leads),
            self.env._("e-mails"): len(mails),
            self.env._("SMS"): len(sms),
            self.env._("messages written by the customer"): len(messages),
        }
