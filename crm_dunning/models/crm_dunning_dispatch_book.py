from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.dispatch_csv import DispatchError, Letter, build_csv

BOOK_STATES = [("draft", "Draft"), ("dispatched", "Dispatched")]
# Letters per printed page of the book (each page has its own total).
PAGE_SIZE = 15


class CrmDunningDispatchBook(models.Model):
    """Książka nadawcza: the registered letters handed in at the post office.

    The post office stamps the printed book: that stamp is the proof of
    dispatch (potwierdzenie nadania) of every letter listed.
    """

    _name = "crm.dunning.dispatch.book"
    _description = "Dispatch Book"
    _inherit = ["mail.thread", "crm.dunning.evidence"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _crm_dunning_route_fields = frozenset({"name", "state"})
    _crm_dunning_route_defaults = {"name": "/", "state": "draft"}

    name = fields.Char(string="Number", default="/", readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    post_office = fields.Char(help="The post office where the letters are handed in.")
    state = fields.Selection(
        BOOK_STATES, default="draft", required=True, copy=False, tracking=True
    )
    line_ids = fields.One2many(
        "crm.dunning.dispatch.line", "book_id", string="Letters", copy=False
    )
    letter_count = fields.Integer(compute="_compute_totals", string="Number of Letters")
    amount_fee = fields.Monetary(compute="_compute_totals", string="Total Fees")

    @api.depends("line_ids.fee")
    def _compute_totals(self):
        for book in self:
            book.letter_count = len(book.line_ids)
            book.amount_fee = sum(book.line_ids.mapped("fee"))

    @api.model_create_multi
    def create(self, vals_list):
        books = super().create(vals_list)
        for book in books:
            if book.name == "/":
                sequence = book.company_id._crm_dunning_sequence(
                    "crm.dunning.dispatch.book", "KN", self.env._("Dispatch Books")
                )
                book._crm_dunning_on_route().name = sequence.next_by_id(
                    sequence_date=book.date
                )
        return books

    def _crm_dunning_is_evidence(self):
        return self.state == "dispatched"

    def _crm_dunning_evidence_error(self):
        return UserError(
            self.env._(
                "The dispatch book %s cannot be changed: once dispatched, the "
                "book stamped by the post office is the proof of dispatch of its "
                "letters. Only their return receipts (date and delivery note) "
                "can still be recorded; put a letter that was not sent in a new "
                "dispatch book.",
                self.name,
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_dispatched(self):
        if self.filtered(lambda book: book.state != "draft"):
            raise UserError(self.env._("A dispatched book cannot be deleted."))

    # ------------------------------------------------------------------
    # Letters waiting
    # ------------------------------------------------------------------
    @api.model
    def _crm_dunning_waiting_domain(self, company):
        """Issued demands to send by registered letter and not in a book yet."""
        return [
            ("company_id", "=", company.id),
            ("state", "=", "issued"),
            ("registered_letter", "=", True),
            ("dispatch_line_ids", "=", False),
        ]

    def action_collect_letters(self):
        """Add every registered letter waiting to be sent to this draft book."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Letters can only be added to a draft book."))
        demands = self.env["crm.dunning.demand"].search(
            self._crm_dunning_waiting_domain(self.company_id), order="date, name"
        )
        if not demands:
            raise UserError(self.env._("No registered letter is waiting to be sent."))
        self.env["crm.dunning.dispatch.line"].create(
            [{"book_id": self.id, "demand_id": demand.id} for demand in demands]
        )
        return True

    def action_dispatch(self):
        """The letters were handed in: the book's date is their dispatch date."""
        for book in self:
            if book.state != "draft":
                raise UserError(
                    self.env._("Dispatch book %s is already dispatched.", book.name)
                )
            if not book.line_ids:
                raise UserError(
                    self.env._("Dispatch book %s has no letters.", book.name)
                )
            missing = book.line_ids.filtered(lambda line: not line.registered_number)
            if missing:
                raise UserError(
                    self.env._(
                        "Enter the registered number (numer nadania) of every "
                        "letter before dispatch; missing for: %s",
                        ", ".join(missing.mapped("addressee_name")),
                    )
                )
            book.line_ids.filtered(
                lambda line: not line.dispatch_date
            )._crm_dunning_on_route().write({"dispatch_date": book.date})
            book._crm_dunning_on_route().state = "dispatched"
            for demand in book.line_ids.demand_id:
                demand.message_post(
                    body=self.env._(
                        "Sent by registered letter %(number)s on %(date)s "
                        "(dispatch book %(book)s).",
                        number=demand.registered_number,
                        date=book.date,
                        book=book.name,
                    )
                )
        return True

    def action_draft(self):
        """A dispatched book is never reopened: it is the proof of dispatch."""
        dispatched = self.filtered(lambda book: book.state == "dispatched")
        if dispatched:
            raise UserError(
                self.env._(
                    "The dispatch book %s cannot go back to draft: the book "
                    "stamped by the post office is the proof of dispatch of its "
                    "letters. Put the letters that were not sent in a new "
                    "dispatch book.",
                    dispatched[0].name,
                )
            )
        return True

    def action_print(self):
        return self.env.ref(
            "crm_dunning.action_report_crm_dunning_dispatch_book"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Outputs
    # ------------------------------------------------------------------
    def _crm_dunning_letters(self):
        """The book's letters as the tools' ``Letter`` records."""
        self.ensure_one()
        return [
            Letter(
                sequence=line.sequence,
                registered_number=line.registered_number or "",
                name=line.addressee_name or "",
                street=" ".join(filter(None, [line.street, line.street2])),
                zip=line.zip or "",
                city=line.city or "",
                country=_country_name(line.country_id),
                weight=line.weight or None,
                return_receipt=line.return_receipt,
                fee=Decimal(str(line.fee)),
            )
            for line in self.line_ids.sorted("sequence")
        ]

    def _crm_dunning_csv(self):
        """The CSV text for the carrier's import (see tools/dispatch_csv.py)."""
        self.ensure_one()
        try:
            return build_csv(self._crm_dunning_letters())
        except DispatchError as error:
            raise UserError(
                self.env._("The dispatch book cannot be exported: %s", error)
            ) from error

    def action_export_csv(self):
        self.ensure_one()
        data = self._crm_dunning_csv().encode("utf-8")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "%s.csv" % self.name.replace("/", "_"),
                "raw": data,
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "self",
        }

    def _crm_dunning_pages(self, size=PAGE_SIZE):
        """[(letters of the page, the page's total fee)] for the printout."""
        self.ensure_one()
        lines = self.line_ids.sorted("sequence")
        pages = []
        for start in range(0, len(lines), size):
            page = lines[start : start + size]
            pages.append((page, sum(page.mapped("fee"))))
        return pages or [(lines, 0.0)]

    def _crm_dunning_fmt(self, amount):
        return self.env["account.move"]._pl_report_format_number(amount)


def _country_name(country):
    """Polska for Poland (e-Nadawca's default), else the country's name."""
    return country.name if country and country.code != "PL" else "Polska"
