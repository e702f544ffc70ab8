"""Controls at posting of Polish customer documents that no user gets round.

Enforced in ``_post`` (the ORM and JSON-RPC reach the same code), before
anything of the posting happens; loaded last, so this ``_post`` runs first.

- **Exchange rate** (art. 31a ust. 1 of the VAT Act): a document in a foreign
  currency is converted at the NBP average rate of the last working day
  before the tax point. Without that rate Odoo would use whatever rate it
  finds (an older one, or 1.0 when there is none): refused, naming the
  currency and the day, with a button that fetches the rate from NBP and
  applies it. A correction that keeps the corrected invoice's rate is
  accepted (corrections-2026-12.md).
- **Advance and final invoices** (art. 106f ust. 1 pkt 4 and ust. 3): an
  advance shows its order, a final invoice deducts and names its advances,
  from the sale order or as entered on the invoice; one without them is
  refused, see ``_pl_check_advance_content`` in account_move_advance.py.
- **Date window** (a safety rule of the suite, not a legal one): no invoice
  dated after today (in the company's time zone) plus the company's "days
  ahead" (default 0), nor before the start of the company's books in Odoo
  (the first day of the fiscal year of its opening date or of its first
  posted entry), unless a consultant widens the window in Settings.
"""

# Posting controls are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
import math
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.tools.misc import format_date

from ..tools.pl_calendar import last_business_day_before


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        self._pl_check_advance_content()
        # Users who may not post at all get Odoo's own refusal.
        if self.env.su or self.env.user.has_group("account.group_account_invoice"):
            documents = self.filtered(
                lambda m: (
                    m.pl_document_type_id
                    and m.is_sale_document()
                    and m.pl_document_kind != "proforma"
                    and m.state == "draft"
                )
            )
            if soft:
                # Odoo only schedules these (auto-post at their date).
                today = fields.Date.context_today(self)
                documents = documents.filtered(lambda m: m.date <= today)
            documents._pl_check_invoice_dates()
            # The lines may decide the tax point after the dates were set.
            documents._pl_sync_tax_point()
            documents._pl_check_nbp_rates()
        return super()._post(soft=soft)

    # ------------------------------------------------------------------
    # Date window
    # ------------------------------------------------------------------
    def _pl_check_invoice_dates(self):
        """Refuse documents dated in the future or before the company's books.

        A safety rule, not art. 106e: widened in Settings (Invoicing, Invoice
        Date Window) by the number of days ahead and the earliest date.
        """
        problems = []
        windows = {}
        for move in self.filtered("invoice_date"):
            company = move.company_id
            if company not in windows:
                windows[company] = company._pl_invoice_date_window()
            earliest, latest, earliest_is_set = windows[company]
            day = format_date(self.env, move.invoice_date)
            if move.invoice_date > latest:
                problems.append(
                    self.env._(
                        "%(document)s is dated %(date)s, after %(latest)s: an "
                        "invoice is dated the day it is issued, not in the future "
                        "(a supply still to come goes in its Sale Date).",
                        document=move.display_name,
                        date=day,
                        latest=format_date(self.env, latest),
                    )
                )
            elif earliest and move.invoice_date < earliest:
                if earliest_is_set:
                    message = self.env._(
                        "%(document)s is dated %(date)s, before %(earliest)s, the "
                        "earliest invoice date set for %(company)s.",
                        document=move.display_name,
                        date=day,
                        earliest=format_date(self.env, earliest),
                        company=company.name,
                    )
                else:
                    message = self.env._(
                        "%(document)s is dated %(date)s, before %(earliest)s, the "
                        "start of the first fiscal year of %(company)s in Odoo.",
                        document=move.display_name,
                        date=day,
                        earliest=format_date(self.env, earliest),
                        company=company.name,
                    )
                problems.append(message)
        if problems:
            raise UserError(
                "\n".join(problems)
                + "\n\n"
                + self.env._(
                    "This is a safety rule against mistyped dates. If the date is "
                    "right, a consultant can widen the window in Settings "
                    "(Invoicing, Invoice Date Window)."
                )
            )

    # ------------------------------------------------------------------
    # NBP rate (art. 31a)
    # ------------------------------------------------------------------
    def _pl_rate_day(self):
        """The day whose NBP rate converts the document (art. 31a ust. 1):
        the last working day before the tax point."""
        self.ensure_one()
        return last_business_day_before(
            self._get_invoice_currency_rate_date() + timedelta(days=1)
        )

    def _pl_needs_nbp_rate(self):
        self.ensure_one()
        return bool(
            self.pl_document_type_id
            and self.is_sale_document()
            and self.country_code == "PL"
            and self.company_currency_id.name == "PLN"
            and self.currency_id
            and self.currency_id != self.company_currency_id
        )

    def _pl_rate_used(self):
        """The rate record Odoo converts the document with (res.currency's
        ``_get_rates``: the company's rates first, then the shared ones)."""
        self.ensure_one()
        return self.env["res.currency.rate"].search(
            [
                ("currency_id", "=", self.currency_id.id),
                ("company_id", "in", (False, self.company_id.root_id.id)),
                ("name", "<=", self._get_invoice_currency_rate_date()),
            ],
            order="company_id.id, name desc",
            limit=1,
        )

    def _pl_keeps_corrected_rate(self):
        """A correction, downward or upward, converted at the rate of the
        invoice it corrects."""
        self.ensure_one()
        origin = self._pl_corrected_invoice()
        return bool(
            origin
            and origin.currency_id == self.currency_id
            and math.isclose(
                origin.invoice_currency_rate,
                self.invoice_currency_rate,
                rel_tol=1e-9,
            )
        )

    def _pl_nbp_rate_problem(self):
        """Why the document's rate is not that of art. 31a ("" if it is)."""
        self.ensure_one()
        if not self._pl_needs_nbp_rate() or self._pl_keeps_corrected_rate():
            return ""
        rate_day = self._pl_rate_day()
        used = self._pl_rate_used()
        values = {
            "document": self.display_name,
            "currency": self.currency_id.name,
            "day": format_date(self.env, rate_day),
            "tax_point": format_date(self.env, self._pl_tax_point()),
        }
        if used.name != rate_day:
            message = self.env._(
                "%(document)s is in %(currency)s, but there is no NBP rate of "
                "%(currency)s of %(day)s, the last working day before its tax "
                "point (%(tax_point)s).",
                **values,
            )
            if used:
                message += " " + self.env._(
                    "The latest rate recorded is of %(used)s: a stale rate is "
                    "not the rate of art. 31a.",
                    used=format_date(self.env, used.name),
                )
            return message
        if not self.invoice_date:
            # Odoo dates it today at posting and converts it again then.
            return ""
        expected = self._get_expected_currency_rate_at(
            self._get_invoice_currency_rate_date()
        )
        if not math.isclose(expected, self.invoice_currency_rate, rel_tol=1e-6):
            return self.env._(
                "%(document)s is converted at another rate than the NBP rate of "
                "%(currency)s of %(day)s, the last working day before its tax "
                "point (%(tax_point)s).",
                **values,
            )
        return ""

    def _pl_check_nbp_rates(self):
        """Refuse documents without the NBP rate of their rate day (art. 31a)."""
        problems = self.filtered(lambda m: m._pl_nbp_rate_problem())
        if not problems:
            return
        message = (
            "\n".join(move._pl_nbp_rate_problem() for move in problems)
            + "\n\n"
            + self.env._(
                "Art. 31a of the VAT Act converts amounts in a foreign currency "
                "at the average NBP rate of the last working day before the tax "
                'point. Press "Fetch the NBP Rate": it records the rate from NBP '
                "and applies it to the document; then post again."
            )
        )
        action = self.env.ref(
            "crm_invoicing_pl.action_server_pl_fetch_nbp_rate", raise_if_not_found=False
        )
        if not action:
            raise UserError(message)
        raise RedirectWarning(
            message,
            action.id,
            self.env._("Fetch the NBP Rate"),
            {
                "active_model": "account.move",
                "active_id": problems[0].id,
                "active_ids": problems.ids,
            },
        )

    def action_pl_fetch_nbp_rate(self):
        """Record the NBP rates of the documents' rate days and apply them.

        For invoicing users: the rates come from NBP, not from the user, so
        they are written with superuser rights (billing users may not edit
        currency rates by hand).
        """
        if not (
            self.env.su or self.env.user.has_group("account.group_account_invoice")
        ):
            raise AccessError(
                self.env._("Only invoicing users can fetch NBP rates for documents.")
            )
        self.check_access("write")
        moves = self.filtered(lambda m: m.state == "draft" and m._pl_needs_nbp_rate())
        Currency = self.env["res.currency"].sudo()
        fetched = set()
        for move in moves:
            key = (move.company_id.root_id, move._pl_rate_day())
            if key not in fetched and move._pl_rate_used().name != key[1]:
                Currency._pl_update_nbp_rates(key[0], on_date=key[1])
            fetched.add(key)
        moves.invalidate_recordset(["expected_currency_rate"])
        for move in moves.filtered(lambda m: not m._pl_keeps_corrected_rate()):
            if move._pl_rate_used().name == move._pl_rate_day():
                move.refresh_invoice_currency_rate()
        still = moves.filtered(lambda m: m._pl_nbp_rate_problem())
        if still:
            raise UserError(
                self.env._(
                    "NBP published no rate of %(currencies)s for %(days)s in "
                    "table A: record it by hand (Accounting, Currencies) from the "
                    "NBP table that lists it.",
                    currencies=", ".join(sorted(set(still.currency_id.mapped("name")))),
                    days=", ".join(
                        sorted({format_date(self.env, m._pl_rate_day()) for m in still})
                    ),
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The NBP rate is recorded and applied to %s: post it again.",
                    ", ".join(moves.mapped("display_name")),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
