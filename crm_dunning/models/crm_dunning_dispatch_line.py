from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.dispatch_csv import DispatchError, normalize_registered_number


class CrmDunningDispatchLine(models.Model):
    """One registered letter of a dispatch book, with its proof of dispatch.

    The addressee and the address are a snapshot taken when the letter is
    added to the book: the book must show where the letter really went.
    """

    _name = "crm.dunning.dispatch.line"
    _description = "Registered Letter"
    _inherit = ["crm.dunning.evidence"]
    _order = "book_id, sequence, id"
    _rec_name = "addressee_name"
    _crm_dunning_document_field = "book_id"
    # Set by the dispatch of the book (the date of its post-office stamp).
    _crm_dunning_route_fields = frozenset({"dispatch_date"})
    # What comes back after the dispatch: the return receipt (zwrotka).
    _crm_dunning_free_fields = frozenset({"zpo_date", "delivery_note"})

    book_id = fields.Many2one(
        "crm.dunning.dispatch.book", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="book_id.company_id", store=True)
    currency_id = fields.Many2one(related="book_id.currency_id")
    book_state = fields.Selection(related="book_id.state", string="Book Status")
    sequence = fields.Integer(string="No.", default=0)
    demand_id = fields.Many2one(
        "crm.dunning.demand", string="Payment Demand", ondelete="restrict", index=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer")
    addressee_name = fields.Char(string="Addressee", required=True)
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char(string="Postcode")
    city = fields.Char()
    country_id = fields.Many2one(
        "res.country",
    )
    registered_number = fields.Char(
        copy=False,
        help="Numer nadania from the label: 10 to 20 letters or digits.",
    )
    return_receipt = fields.Boolean(string="Return Receipt (ZPO)", default=True)
    fee = fields.Monetary()
    weight = fields.Integer(string="Weight (g)")
    dispatch_date = fields.Date(copy=False)
    zpo_date = fields.Date(string="Return Receipt Date", copy=False)
    delivery_note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._crm_dunning_normalize(vals)
            if vals.get("demand_id") and not vals.get("addressee_name"):
                demand = self.env["crm.dunning.demand"].browse(vals["demand_id"])
                vals.update(self._crm_dunning_snapshot(demand.partner_id))
            if "fee" not in vals and vals.get("book_id"):
                book = self.env["crm.dunning.dispatch.book"].browse(vals["book_id"])
                vals["fee"] = book.company_id.dunning_letter_fee
        lines = super().create(vals_list)
        for line in lines.filtered(lambda line: not line.sequence):
            line.sequence = max(line.book_id.line_ids.mapped("sequence"), default=0) + 1
        return lines

    def write(self, vals):
        self._crm_dunning_normalize(vals)
        return super().write(vals)

    @api.model
    def _crm_dunning_normalize(self, vals):
        if vals.get("registered_number"):
            try:
                vals["registered_number"] = normalize_registered_number(
                    vals["registered_number"]
                )
            except DispatchError as error:
                raise ValidationError(
                    self.env._(
                        "“%s” is not a registered number (numer nadania): it has "
                        "10 to 20 letters or digits, as printed under the "
                        "label's bar code.",
                        vals["registered_number"],
                    )
                ) from error

    @api.model
    def _crm_dunning_snapshot(self, partner):
        """Addressee and address of ``partner``, as of now."""
        return {
            "partner_id": partner.id,
            "addressee_name": partner.name,
            "street": partner.street,
            "street2": partner.street2,
            "zip": partner.zip,
            "city": partner.city,
            "country_id": partner.country_id.id,
        }

    @api.constrains("registered_number", "company_id")
    def _check_registered_number_unique(self):
        for line in self.filtered("registered_number"):
            twin = self.search_count(
                [
                    ("id", "!=", line.id),
                    ("company_id", "=", line.company_id.id),
                    ("registered_number", "=", line.registered_number),
                ]
            )
            if twin:
                raise ValidationError(
                    self.env._(
                        "Registered number %s is already used by another letter.",
                        line.registered_number,
                    )
                )

    @api.constrains("dispatch_date", "zpo_date")
    def _check_zpo_date(self):
        for line in self:
            if line.zpo_date and not line.dispatch_date:
                raise ValidationError(
                    self.env._(
                        "A return receipt date needs the letter to be dispatched first."
                    )
                )
            if line.zpo_date and line.zpo_date < line.dispatch_date:
                raise ValidationError(
                    self.env._(
                        "The return receipt date cannot be before the dispatch date."
                    )
                )

    @api.constrains("fee", "weight")
    def _check_fee_weight(self):
        for line in self:
            if line.fee < 0 or line.weight < 0:
                raise ValidationError(
                    self.env._("The fee and the weight of a letter cannot be negative.")
                )
