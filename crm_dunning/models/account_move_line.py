from decimal import Decimal

from odoo import models
from odoo.addons.crm_invoicing_pl.tools.pl_calendar import payment_deadline


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _crm_dunning_due_date(self):
        """The instalment's due date, past weekends and holidays (KC art. 115)."""
        self.ensure_one()
        due = self.date_maturity or self.move_id.invoice_date_due or self.date
        return payment_deadline(due)

    def _crm_dunning_portions(self, on_date):
        """The late portions of these receivable lines, with their interest.

        A portion is an amount paid after the due date (``paid_date`` the
        payment's date), or still open on ``on_date`` (``paid_date`` None,
        interest counted up to ``on_date``); a payment recorded after
        ``on_date`` counts as open on ``on_date``. Amounts are in the
        company currency. Returns dicts with ``line``, ``due_date``,
        ``paid_date``, ``amount``, ``kind`` and ``result`` (the tools'
        ``InterestResult``); portions without a day of delay are left out.
        """
        portions = []
        rates_by_partner = {}
        Rate = self.env["crm.dunning.interest.rate"]
        for line in self:
            if line.balance <= 0 or line.display_type != "payment_term":
                continue
            due_date = line._crm_dunning_due_date()
            partner = line.partner_id.commercial_partner_id
            if partner not in rates_by_partner:
                rates_by_partner[partner] = partner.with_company(
                    line.company_id
                )._crm_dunning_rates()
            kind, rates = rates_by_partner[partner]
            denominator = line.company_id._crm_dunning_denominator()
            open_amount = Decimal(str(line.amount_residual))
            paid = []
            for partial in line.matched_credit_ids:
                amount = Decimal(str(partial.amount))
                if partial.max_date > on_date:
                    open_amount += amount
                else:
                    paid.append((partial.max_date, amount))
            parts = [(paid_date, amount) for paid_date, amount in sorted(paid)]
            if open_amount > 0:
                parts.append((None, open_amount))
            for paid_date, amount in parts:
                until = paid_date or on_date
                if until <= due_date:
                    continue
                result = Rate._pl_interest(
                    kind, amount, due_date, until, denominator, rates=rates
                )
                portions.append(
                    {
                        "line": line,
                        "due_date": due_date,
                        "paid_date": paid_date,
                        "amount": amount,
                        "kind": kind,
                        "result": result,
                    }
                )
        return portions
