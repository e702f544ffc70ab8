"""Advance and final invoices without a sale order in Odoo (art. 106f).

Some advances are received on an order that lives outside Odoo: a contract
signed on paper, an order by e-mail. The advance invoice is then made by
hand, and the suite asks for what art. 106f requires instead of the order:

* an advance invoice (faktura zaliczkowa) gets the ordered goods or services
  (name, quantity, unit, net unit price, VAT rate) in ``pl_order_line_ids``
  and the gross payment received; *Compute Advance* splits the payment per
  VAT rate of the order with KP = ZB x SP / (100 + SP) (art. 106f ust. 1 pkt
  3, tools/advance.py) into one invoice line per rate. The order block of the
  printout and the ``Zamowienie`` of FA(3) come from those lines (ust. 1 pkt
  4), frozen at posting like those of an order;
* a final invoice (faktura końcowa) lists the goods or services of the whole
  order as lines and picks the posted advance invoices of the same customer
  it settles (``pl_advance_invoice_ids``, ust. 3); *Deduct Advances* adds, per
  advance and VAT rate, a deduction line of exactly what remains of that
  advance (its net and KP less its corrections), as the final invoice of an
  order deducts its down payments. The printout lists them with the
  settlement per rate, FA(3) in ``FakturaZaliczkowa`` (by KSeF number when
  they have one), the totals reduced by them.

Posting checks that the lines are still what the buttons made (an edited
line is refused with the button to press) and that the advances fit in the
order, rate by rate.
"""

# Advances without an order are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare
from odoo.tools.misc import format_date

from ..tools.advance import AdvanceError, advance_split, final_settlement
from .account_move import SPLIT_PAYMENT_THRESHOLD
from .account_tax_advance import pl_tax_key


class PlAdvanceOrderLine(models.Model):
    _name = "pl.advance.order.line"
    _description = "Ordered Goods of an Advance Invoice"
    _order = "move_id, sequence, id"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="move_id.company_id", store=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        domain="[('sale_ok', '=', True)]",
    )
    name = fields.Char(
        string="Description",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit", required=True)
    price_unit = fields.Float(
        string="Unit Price (Net)",
        digits="Product Price",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
    )
    tax_ids = fields.Many2many(
        "account.tax",
        string="VAT",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('type_tax_use', '=', 'sale')]",
    )
    price_subtotal = fields.Monetary(
        string="Net", compute="_compute_amounts", store=True
    )
    price_tax = fields.Monetary(
        string="VAT Amount", compute="_compute_amounts", store=True
    )
    price_total = fields.Monetary(
        string="Gross", compute="_compute_amounts", store=True
    )

    @api.depends("product_id")
    def _compute_from_product(self):
        for line in self:
            product = line.product_id
            if not product:
                if not line.product_uom_id:
                    line.product_uom_id = self.env.ref("uom.product_uom_unit")
                continue
            move = line.move_id
            line.name = product.with_context(
                lang=move.partner_id.lang or self.env.lang
            ).display_name
            line.product_uom_id = product.uom_id
            line.price_unit = product.lst_price
            taxes = product.taxes_id._filter_taxes_by_company(move.company_id)
            line.tax_ids = move.fiscal_position_id.map_tax(taxes)

    def _pl_base_line(self):
        self.ensure_one()
        return self.env["account.tax"]._prepare_base_line_for_taxes_computation(
            self,
            currency_id=self.move_id.currency_id,
            product_id=self.product_id,
            product_uom_id=self.product_uom_id,
            tax_ids=self.tax_ids,
            price_unit=self.price_unit,
            quantity=self.quantity,
        )

    @api.depends("quantity", "price_unit", "tax_ids", "move_id.currency_id")
    def _compute_amounts(self):
        AccountTax = self.env["account.tax"]
        for line in self:
            base_line = line._pl_base_line()
            company = line.move_id.company_id or self.env.company
            AccountTax._add_tax_details_in_base_lines([base_line], company)
            AccountTax._round_base_lines_tax_details([base_line], company)
            details = base_line["tax_details"]
            net = (
                details["total_excluded_currency"]
                + details["delta_total_excluded_currency"]
            )
            tax = sum(data["tax_amount_currency"] for data in details["taxes_data"])
            line.price_subtotal = net
            line.price_tax = tax
            line.price_total = net + tax

    # An issued advance keeps its order (art. 106e: an issued invoice is
    # corrected, not changed).
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.move_id._pl_check_order_lines_editable()
        return lines

    def write(self, vals):
        self.move_id._pl_check_order_lines_editable()
        result = super().write(vals)
        self.move_id._pl_check_order_lines_editable()
        return result

    def unlink(self):
        self.move_id._pl_check_order_lines_editable()
        return super().unlink()


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_order_line_ids = fields.One2many(
        "pl.advance.order.line",
        "move_id",
        string="Ordered Goods and Services",
        copy=True,
        help="The order an advance invoice made without a sale order is for "
        "(art. 106f ust. 1 pkt 4): the goods or services ordered, with their "
        "quantities, net prices and VAT rates.",
    )
    pl_order_reference = fields.Char(
        string="Order Reference",
        copy=False,
        help="The order or contract the advance is paid on, e.g. its number "
        "and date: printed on the advance invoice.",
    )
    pl_advance_amount = fields.Monetary(
        string="Advance Received (Gross)",
        copy=False,
        help="The gross payment received: Compute Advance splits it per VAT "
        "rate of the order (art. 106f ust. 1 pkt 3).",
    )
    pl_advance_invoice_ids = fields.Many2many(
        "account.move",
        "pl_final_advance_rel",
        "final_id",
        "advance_id",
        string="Advance Invoices Settled",
        copy=False,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('pl_document_type_id.kind', '=', 'advance'), "
        "('commercial_partner_id', '=', commercial_partner_id), "
        "('currency_id', '=', currency_id), ('company_id', '=', company_id)]",
        help="The posted advance invoices of this customer that this final "
        "invoice settles (art. 106f ust. 3): Deduct Advances deducts them per "
        "VAT rate.",
    )
    pl_is_manual_advance = fields.Boolean(
        string="Advance Without Sale Order", compute="_compute_pl_is_manual"
    )
    pl_is_manual_final = fields.Boolean(
        string="Final Invoice Without Sale Order", compute="_compute_pl_is_manual"
    )

    @api.depends("pl_document_type_id", "move_type")
    def _compute_pl_is_manual(self):
        # crm_invoicing_pl_sale: not those made from a sale order.
        for move in self:
            manual = move.move_type == "out_invoice"
            move.pl_is_manual_advance = manual and move.pl_document_kind == "advance"
            move.pl_is_manual_final = manual and move.pl_document_kind == "final"

    @api.depends(
        "pl_order_line_ids.price_total",
        "pl_order_line_ids.product_id",
        "pl_advance_invoice_ids",
    )
    def _compute_pl_split_payment(self):
        # Without a sale order the goods of załącznik 15 and the value of the
        # transaction are those entered on the advance, or the goods of the
        # final invoice (before the deductions), as for an order.
        res = super()._compute_pl_split_payment()
        for move in self.filtered(
            lambda m: m.pl_is_manual_advance or m.pl_is_manual_final
        ):
            if move.pl_is_manual_advance:
                goods = move.pl_order_line_ids
            else:
                goods = move._pl_product_lines(deductions=False)
            order_total = move.currency_id._convert(
                sum(goods.mapped("price_total")),
                move.company_currency_id,
                move.company_id,
                move.invoice_date or fields.Date.context_today(move),
            )
            amount = max(
                move._pl_amount_in_pln(abs(move.amount_total_signed)),
                move._pl_amount_in_pln(order_total),
            )
            move.pl_split_payment = bool(
                move._pl_buyer_is_taxpayer()
                and any(goods.product_id.mapped("pl_annex_15"))
                and float_compare(amount, SPLIT_PAYMENT_THRESHOLD, precision_digits=2)
                > 0
            )
        return res

    def write(self, vals):
        # An issued invoice keeps its order and the advances it settles (art.
        # 106e: it is corrected, not changed).
        frozen = {"pl_order_reference", "pl_advance_amount", "pl_advance_invoice_ids"}
        if frozen & set(vals):
            issued = self.filtered(lambda m: m.state != "draft")
            if issued:
                raise UserError(
                    self.env._(
                        "%s is issued: its order and the advances it settles "
                        "cannot be changed. Correct it with a correction invoice.",
                        ", ".join(issued.mapped("display_name")),
                    )
                )
        return super().write(vals)

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # The correction of a hand-made advance corrects the payment: the
        # order stays on the advance, where KOR_ZAL reads it.
        if not default_values_list:
            default_values_list = [{} for _move in self]
        for values in default_values_list:
            values.setdefault("pl_order_line_ids", [])
        return super()._reverse_moves(
            default_values_list=default_values_list, cancel=cancel
        )

    def _pl_check_order_lines_editable(self):
        posted = self.filtered(lambda m: m.state != "draft")
        if posted:
            raise UserError(
                self.env._(
                    "The ordered goods of %s cannot be changed: the advance "
                    "invoice is issued. Correct it with a correction invoice.",
                    ", ".join(posted.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Values
    # ------------------------------------------------------------------
    def _pl_manual_order_buckets(self):
        """The values of ``pl_order_line_ids`` per VAT rate: ``(buckets,
        taxes)`` as sale.order._pl_order_buckets gives them for an order."""
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        lines = self.pl_order_line_ids
        base_lines = [line._pl_base_line() for line in lines]
        AccountTax._add_tax_details_in_base_lines(base_lines, self.company_id)
        AccountTax._round_base_lines_tax_details(base_lines, self.company_id)
        return self.env["account.tax"]._pl_buckets_of_base_lines(
            base_lines, self.currency_id
        )

    def _pl_product_lines(self, deductions=None):
        """The product lines; only the deductions of advances (down payment
        lines) or only the others when ``deductions`` is True or False."""
        self.ensure_one()
        return self.invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product"
                and (deductions is None or line.is_downpayment == deductions)
            )
        )

    def _pl_lines_buckets(self, signed_lines):
        """``[(invoice lines, sign)]`` summed per tax combination, in the
        order of the lines: ``(RateBuckets, {key: taxes})``."""
        amounts, taxes_by_key = {}, {}
        for lines, sign in signed_lines:
            for line in lines:
                key = pl_tax_key(line.tax_ids)
                taxes_by_key.setdefault(key, line.tax_ids)
                total = amounts.setdefault(key, [0.0, 0.0])
                total[0] += sign * line.price_subtotal
                total[1] += sign * (line.price_total - line.price_subtotal)
        buckets = self.env["account.tax"]._pl_rate_buckets(
            amounts, taxes_by_key, self.currency_id
        )
        return buckets, taxes_by_key

    def _pl_advance_buckets(self):
        """What counts of this posted advance, per VAT rate: its lines less
        its posted corrections. ``(buckets, taxes)``."""
        self.ensure_one()
        corrections = self.reversal_move_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_refund"
        )
        return self._pl_lines_buckets(
            [(self._pl_product_lines(), 1)]
            + [(move._pl_product_lines(), -1) for move in corrections]
        )

    def _pl_manual_advances(self):
        """The advances a final invoice without an order settles, as
        sale.order._pl_advances gives them: ``[(advance, [RateBucket])]``,
        oldest first, those corrected to zero left out."""
        self.ensure_one()
        result = []
        for advance in self.pl_advance_invoice_ids.sorted(
            lambda m: (m.invoice_date or m.date, m.id)
        ):
            buckets = advance._pl_advance_buckets()[0]
            if any(not advance.currency_id.is_zero(float(b.gross)) for b in buckets):
                result.append((advance, buckets))
        return result

    def _pl_goods_buckets(self):
        """The goods of a final invoice without an order (its lines less the
        deductions), per VAT rate: the order it settles."""
        self.ensure_one()
        return self._pl_lines_buckets([(self._pl_product_lines(deductions=False), 1)])

    def _pl_manual_amount_lines(self, buckets, taxes, name, quantity, **values):
        """Invoice line commands carrying exactly the net and tax of each
        bucket (manual tax amounts, as the down payments of an order)."""
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        currency = self.currency_id
        commands = []
        for bucket in buckets:
            if currency.is_zero(float(bucket.gross)):
                continue
            net, tax = float(bucket.net), float(bucket.tax)
            line_taxes = taxes[bucket.key]
            extra = {
                "currency_id": currency.id,
                "price_unit": net,
                "discount": 0.0,
                "quantity": 1.0,
                "rate": self.invoice_currency_rate or 1.0,
                "manual_total_excluded_currency": net,
                "manual_tax_amounts": AccountTax._pl_spread_tax(
                    line_taxes.flatten_taxes_hierarchy(), currency, net, tax
                ),
            }
            if quantity < 0:
                extra = AccountTax._reverse_quantity_base_line_extra_tax_data(extra)
            commands.append(
                Command.create(
                    {
                        "name": name,
                        "quantity": quantity,
                        "price_unit": net,
                        "discount": 0.0,
                        "tax_ids": [Command.set(line_taxes.ids)],
                        "extra_tax_data": extra,
                        **values,
                    }
                )
            )
        return commands

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_pl_compute_advance(self):
        """Split the payment received per VAT rate of the order (art. 106f
        ust. 1 pkt 3) into the lines of this advance invoice."""
        for move in self:
            move._pl_check_manual_draft("advance")
            buckets, taxes = move._pl_manual_split()
            name = (
                self.with_context(lang=move.partner_id.lang or self.env.lang)
                .env._("Advance payment for order %s", move.pl_order_reference or "")
                .strip()
            )
            product_lines = move._pl_product_lines()
            move.invoice_line_ids = [
                Command.unlink(line.id) for line in product_lines
            ] + move._pl_manual_amount_lines(
                buckets, taxes, name, 1.0, is_downpayment=True
            )
        return True

    def action_pl_deduct_advances(self):
        """Deduct the chosen advance invoices, per VAT rate (art. 106f ust. 3)."""
        for move in self:
            move._pl_check_manual_draft("final")
            move._pl_check_manual_advances()
            deductions = move._pl_product_lines(deductions=True)
            commands = [Command.unlink(line.id) for line in deductions]
            for advance, buckets in move._pl_manual_advances():
                name = self.with_context(
                    lang=move.partner_id.lang or self.env.lang
                ).env._(
                    "Advance invoice %(number)s of %(date)s",
                    number=advance.name,
                    date=format_date(self.env, advance.invoice_date),
                )
                commands += move._pl_manual_amount_lines(
                    buckets,
                    advance._pl_advance_buckets()[1],
                    name,
                    -1.0,
                    is_downpayment=True,
                )
            move.invoice_line_ids = commands
        return True

    def _pl_check_manual_draft(self, kind):
        self.ensure_one()
        if (
            self.state != "draft"
            or self.pl_document_kind != kind
            or not (self.pl_is_manual_advance or self.pl_is_manual_final)
        ):
            raise UserError(
                self.env._(
                    "Only a draft advance or final invoice made without a sale "
                    "order is computed here: %s.",
                    self.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _pl_manual_split(self):
        """The split of ``pl_advance_amount`` over the order's rates."""
        self.ensure_one()
        if not self.pl_order_line_ids:
            raise UserError(
                self.env._(
                    "Enter the ordered goods or services of %s (Order tab): an "
                    "advance invoice shows the order it is paid on (art. 106f "
                    "ust. 1 pkt 4).",
                    self.display_name,
                )
            )
        buckets, taxes = self._pl_manual_order_buckets()
        try:
            split = advance_split(buckets, self.pl_advance_amount)
        except AdvanceError as error:
            raise UserError(self._pl_manual_advance_error(error)) from error
        return split, taxes

    def _pl_manual_advance_error(self, error):
        self.ensure_one()
        fmt = self.currency_id.format
        if error.code == "not_positive":
            return self.env._(
                "Enter the advance received of %s: an amount above zero.",
                self.display_name,
            )
        if error.code in ("exceeds_order", "advances_exceed_order"):
            order = sum(line.price_total for line in self.pl_order_line_ids)
            return self.env._(
                "The advance of %(invoice)s, %(amount)s, exceeds the value of "
                "its order, %(order)s.",
                invoice=self.display_name,
                amount=fmt(self.amount_total or self.pl_advance_amount),
                order=fmt(order),
            )
        if error.code == "empty_order":
            return self.env._(
                "The order of %s has no value to pay in advance.", self.display_name
            )
        if error.code == "rate_mismatch":
            return self.env._(
                "A line of the advance invoice %s has a VAT rate its order does "
                "not have: compute the advance again.",
                self.display_name,
            )
        return self.env._("The advance cannot be computed: %s", error)

    def _pl_check_manual_advance(self):
        """A hand-made advance posts with its order and, as its lines, the
        split of the payment received over the order's VAT rates with KP =
        ZB x SP / (100 + SP) per rate (art. 106f ust. 1 pkt 3-4), as Compute
        Advance made it."""
        self.ensure_one()
        if not self.pl_order_line_ids:
            raise UserError(
                self.env._(
                    "%(document)s is an advance invoice without its order. An "
                    "advance invoice must show the order: the ordered goods or "
                    "services with their quantities, prices and VAT rates, and "
                    "the order's value (art. 106f ust. 1 pkt 4 of the VAT Act, "
                    "the Zamowienie of the KSeF invoice).\n\n"
                    "Enter the ordered goods or services on the Order tab, the "
                    "advance received, and click Compute Advance; or create "
                    "the advance invoice from the sale order (Advance Invoice "
                    "on the order). An invoice for goods or services already "
                    "supplied is a Faktura VAT: choose that document type "
                    "instead.",
                    document=self.display_name,
                )
            )
        split = {
            bucket.key: (bucket.net, bucket.tax)
            for bucket in self._pl_manual_split()[0]
            if bucket.gross
        }
        lines = {
            bucket.key: (bucket.net, bucket.tax)
            for bucket in self._pl_lines_buckets([(self._pl_product_lines(), 1)])[0]
            if bucket.gross
        }
        if split != lines:
            raise UserError(
                self.env._(
                    "The lines of %(invoice)s are not the advance received, "
                    "%(amount)s, split over the VAT rates of its order with KP "
                    "= ZB × SP / (100 + SP) per rate (art. 106f ust. 1 pkt 3): "
                    "click Compute Advance to split it again.",
                    invoice=self.display_name,
                    amount=self.currency_id.format(self.pl_advance_amount),
                )
            )

    def _pl_check_manual_advances(self):
        """The advances a hand-made final invoice settles: posted advance
        invoices made without an order, of its customer, company and
        currency, not settled by another final invoice."""
        self.ensure_one()
        if not self.pl_advance_invoice_ids:
            raise UserError(
                self.env._(
                    "%(document)s is a final invoice that settles no advance "
                    "invoice. A final invoice deducts the advances per VAT "
                    "rate and names the advance invoices it settles (art. "
                    "106f ust. 3 of the VAT Act, the FakturaZaliczkowa of the "
                    "KSeF invoice); a line with a negative price does not.\n\n"
                    "Choose the advance invoices on the Advances tab and click "
                    "Deduct Advances; or create the final invoice from the "
                    "sale order of its advance invoices (Final Invoice on the "
                    "order).",
                    document=self.display_name,
                )
            )
        for advance in self.pl_advance_invoice_ids:
            wrong = (
                advance.move_type != "out_invoice"
                or advance.state != "posted"
                or not advance.pl_is_manual_advance
                or advance.commercial_partner_id != self.commercial_partner_id
                or advance.company_id != self.company_id
                or advance.currency_id != self.currency_id
            )
            if wrong:
                raise UserError(
                    self.env._(
                        "%(final)s cannot settle %(advance)s: a final invoice "
                        "settles posted advance invoices of its customer, in "
                        "its currency, made without a sale order (those of an "
                        "order are settled by the order's final invoice).",
                        final=self.display_name,
                        advance=advance.display_name,
                    )
                )
        others = self.search(
            [
                ("id", "!=", self._origin.id or 0),
                ("state", "=", "posted"),
                ("pl_advance_invoice_ids", "in", self.pl_advance_invoice_ids.ids),
            ]
        )
        for other in others:
            settled = other.pl_advance_invoice_ids & self.pl_advance_invoice_ids
            raise UserError(
                self.env._(
                    "%(advance)s is already settled by the final invoice %(final)s.",
                    advance=", ".join(settled.mapped("display_name")),
                    final=other.display_name,
                )
            )

    def _pl_check_manual_final(self):
        """A hand-made final invoice posts with its advances deducted exactly
        as Deduct Advances computes them, within its goods rate by rate."""
        self.ensure_one()
        self._pl_check_manual_advances()
        expected = {}
        for _advance, buckets in self._pl_manual_advances():
            for bucket in buckets:
                values = expected.setdefault(bucket.key, [0.0, 0.0])
                values[0] += float(bucket.net)
                values[1] += float(bucket.tax)
        deducted = {
            bucket.key: [float(bucket.net), float(bucket.tax)]
            for bucket in self._pl_lines_buckets(
                [(self._pl_product_lines(deductions=True), -1)]
            )[0]
        }
        compare = self.currency_id.compare_amounts
        if set(expected) != set(deducted) or any(
            compare(expected[key][index], deducted[key][index])
            for key in expected
            for index in (0, 1)
        ):
            raise UserError(
                self.env._(
                    "The deductions of %(document)s are not those of its advance "
                    "invoices %(advances)s (art. 106f ust. 3): click Deduct "
                    "Advances to compute them again.",
                    document=self.display_name,
                    advances=", ".join(self.pl_advance_invoice_ids.mapped("name")),
                )
            )
        settlement = self._pl_manual_settlement()
        if any(line.remainder.gross < 0 for line in settlement.lines):
            raise UserError(
                self.env._(
                    "The advances settled by %s exceed the goods it invoices on "
                    "a VAT rate: a final invoice lists the whole order.",
                    self.display_name,
                )
            )

    def _pl_manual_settlement(self):
        """tools.advance.final_settlement of a final invoice without an
        order: its goods against the advances it settles."""
        self.ensure_one()
        buckets = self._pl_goods_buckets()[0]
        try:
            return final_settlement(
                buckets, [split for _advance, split in self._pl_manual_advances()]
            )
        except AdvanceError as error:
            if error.code == "rate_mismatch":
                raise UserError(
                    self.env._(
                        "An advance settled by %s has a VAT rate none of its "
                        "goods has: a final invoice lists the whole order.",
                        self.display_name,
                    )
                ) from error
            if error.code == "empty_order":
                raise UserError(
                    self.env._(
                        "%s lists no goods or services: a final invoice lists "
                        "the whole order.",
                        self.display_name,
                    )
                ) from error
            raise UserError(
                self.env._(
                    "The advances settled by %s exceed the goods it invoices on "
                    "a VAT rate: a final invoice lists the whole order.",
                    self.display_name,
                )
            ) from error
