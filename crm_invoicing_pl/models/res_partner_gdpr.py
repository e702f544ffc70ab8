"""GDPR: anonymise a customer who is a natural person.

Allowed once no document of the customer is still within its retention
period (tools/retention.py) and nothing is left to pay. The posted
documents keep the buyer's data required by law: it was frozen on them at
posting (account_move_buyer.py) and their printouts read it from there.
"""

# GDPR anonymisation is a concern of its own, kept apart.
# pylint: disable=consider-merging-classes-inherited
import logging

from odoo import fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# Documents named in a refusal; the others are counted.
LISTED_DOCUMENTS = 10


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
        kept = Move.search(
            [
                ("partner_id", "in", partners.ids),
                ("state", "=", "posted"),
                ("pl_retention_until", ">=", fields.Date.context_today(self)),
            ],
            order="pl_retention_until desc, id",
        )
        if kept:
            reasons.append(
                self.env._(
                    "%(count)s document(s) must be kept until %(date)s "
                    "(retention period of the tax records): %(names)s",
                    count=len(kept),
                    date=fields.Date.to_string(kept[0].pl_retention_until),
                    names=self._pl_gdpr_names(kept),
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
                    self._pl_gdpr_names(unpaid),
                )
            )
        if partners.user_ids:
            reasons.append(
                self.env._(
                    "The customer has a user account (portal access): remove it first."
                )
            )
        return reasons

    def _pl_gdpr_names(self, moves):
        names = ", ".join(moves[:LISTED_DOCUMENTS].mapped("name"))
        if len(moves) > LISTED_DOCUMENTS:
            names += " " + self.env._("and %s more", len(moves) - LISTED_DOCUMENTS)
        return names

    def action_pl_gdpr_anonymise(self):
        """Erase the personal data of the customers (GDPR art. 17)."""
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
        for partner in partners:
            partner.with_context(tracking_disable=True).write(
                {
                    "name": self.env._("Anonymised customer %s", partner.id),
                    "email": False,
                    "phone": False,
                    "street": False,
                    "street2": False,
                    "zip": False,
                    "city": False,
                    "state_id": False,
                    "website": False,
                    "comment": False,
                    "function": False,
                    "ref": False,
                    "image_1920": False,
                    "active": False,
                }
            )
        # The chatter of the customer (history of its data) and what it follows.
        self.env["mail.message"].sudo().search(
            [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        ).unlink()
        self.env["mail.followers"].sudo().search(
            [("partner_id", "in", partners.ids)]
        ).unlink()
        self.sudo()._message_log(
            body=self.env._(
                "Personal data anonymised (GDPR) by %(user)s on %(date)s.",
                user=self.env.user.name,
                date=fields.Date.to_string(fields.Date.context_today(self)),
            )
        )
        _logger.info(
            "GDPR: partner %s (and %s contacts) anonymised by user %s",
            self.id,
            len(partners) - 1,
            self.env.uid,
        )
