"""The documents of an offer (sale order) on the invoice side.

The link to the offer (``pl_sale_order_id``) of pro formas, advance, final
and regular invoices and their corrections; the document chain of an offer
(smart buttons); advance and final invoices made from an order (art. 106f):
their checks and the order block, advances and settlement their printouts
show, filled from the order (crm_invoicing_pl's account_move.py
fills them from what is entered on the invoice otherwise); the pro forma of
an offer invoiced by the offer.
"""

from odoo import api, fields, models
from odoo.addons.crm_invoicing_pl.models.account_move import SPLIT_PAYMENT_THRESHOLD
from odoo.addons.crm_invoicing_pl.tools.advance import (
    AdvanceError,
    advance_tax,
    final_settlement,
)
from odoo.exceptions import UserError
from odoo.tools import float_compare


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_sale_order_id = fields.Many2one(
        "sale.order",
        string="Offer",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="Offer (quotation or order) this document was made from: pro "
        "formas, advance, final and regular invoices, their corrections. A pro "
        "forma is not linked to the order lines, so it never counts as invoiced.",
    )

    pl_related_count = fields.Integer(
        string="Related Documents", compute="_compute_pl_related_count"
    )
    pl_advance_invoice_ids = fields.Many2many(
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('pl_document_type_id.kind', '=', 'advance'), "
        "('pl_sale_order_id', '=', False), "
        "('commercial_partner_id', '=', commercial_partner_id), "
        "('currency_id', '=', currency_id), ('company_id', '=', company_id)]",
    )

    def _compute_pl_related_count(self):
        for move in self:
            if not move.pl_sale_order_id:
                move.pl_related_count = 0
                continue
            move.pl_related_count = len(move._pl_related_documents())

    def _pl_related_documents(self):
        """The other documents of the same offer: pro formas, advances,
        final invoices, corrections."""
        self.ensure_one()
        if not self.pl_sale_order_id:
            return self.browse()
        return self.search(
            [
                ("pl_sale_order_id", "=", self.pl_sale_order_id.id),
                ("id", "!=", self._origin.id or 0),
            ],
            order="invoice_date, id",
        )

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    @api.depends("pl_sale_order_id")
    def _compute_pl_is_manual(self):
        res = super()._compute_pl_is_manual()
        for move in self.filtered("pl_sale_order_id"):
            move.pl_is_manual_advance = move.pl_is_manual_final = False
        return res

    @api.depends("pl_sale_order_id")
    def _compute_pl_split_payment(self):
        # An advance (or final) invoice has no products: the goods of załącznik
        # 15 are the order's. The threshold is taken on the whole transaction
        # (the order), the safe reading for partial invoices of one supply.
        # The order is read, not depended on: a later change of the order
        # must not change an issued invoice.
        res = super()._compute_pl_split_payment()
        for move in self.filtered(
            lambda m: m.pl_document_kind in ("advance", "final") and m.pl_sale_order_id
        ):
            order = move.pl_sale_order_id
            goods = order.order_line.filtered(lambda line: not line.is_downpayment)
            amount = max(
                move._pl_amount_in_pln(abs(move.amount_total_signed)),
                move._pl_amount_in_pln(
                    order.currency_id._convert(
                        order.amount_total,
                        move.company_currency_id,
                        move.company_id,
                        move.invoice_date or fields.Date.context_today(move),
                    )
                ),
            )
            move.pl_split_payment = bool(
                move._pl_buyer_is_taxpayer()
                and any(goods.product_id.mapped("pl_annex_15"))
                and float_compare(amount, SPLIT_PAYMENT_THRESHOLD, precision_digits=2)
                > 0
            )
        return res

    def _post(self, soft=True):
        for move in self.filtered(
            lambda m: m.pl_document_kind == "advance" and m.pl_sale_order_id
        ):
            move._pl_check_advance()
        return super()._post(soft=soft)

    def _pl_made_from_order(self):
        """Whether this advance (or final) invoice was made from its order.

        An advance invoices a down payment line of ``pl_sale_order_id`` (the
        advance wizard); a final invoice deducts one (a line of quantity -1,
        ``sale.order._create_invoices(final=True)``). Only then does the suite
        have what art. 106f asks of them: the order and its values (ust. 1
        pkt 4) and the advances to deduct and list (ust. 3).
        """
        self.ensure_one()
        order = self.pl_sale_order_id
        if not order:
            return False
        sign = -1 if self.pl_document_kind == "final" else 1
        return any(
            line.quantity * sign > 0
            and line.sale_line_ids.filtered(
                lambda sale_line: (
                    sale_line.is_downpayment and sale_line.order_id == order
                )
            )
            for line in self.invoice_line_ids
            if line.display_type == "product"
        )

    def _pl_check_advance_content(self):
        """Refuse an advance or final invoice without what art. 106f asks
        (crm_invoicing_pl's account_move.py).

        An advance invoice (faktura zaliczkowa) shows the order: the ordered
        goods or services with their quantities, prices and rates, and the
        order's value (art. 106f ust. 1 pkt 4, ``Zamowienie`` in FA(3)); a
        final invoice deducts the advances per VAT rate and names the advance
        invoices (art. 106f ust. 3, ``FakturaZaliczkowa``). Made from a sale
        order, they take both from the order; made without one, from the
        ordered goods entered on the advance and the advance invoices chosen
        on the final invoice (crm_invoicing_pl). A document
        whose type was merely set to advance or final has neither: its lines
        are not an order, and a negative line is not a deduction of an
        advance. It is refused, with how to make it, before anything of the
        posting happens. So is one tied by hand to a sale order it does not
        invoice a down payment of.
        """
        with_order = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "draft"
                and m.pl_document_kind in ("advance", "final")
                and m.pl_sale_order_id
            )
        )
        for move in with_order:
            if move._pl_made_from_order():
                continue
            if move.pl_document_kind == "advance":
                raise UserError(
                    self.env._(
                        "%(document)s is an advance invoice that was not made "
                        "from a sale order. An advance invoice must show the "
                        "order: the ordered goods or services with their "
                        "quantities, prices and VAT rates, and the order's "
                        "value (art. 106f ust. 1 pkt 4 of the VAT Act, the "
                        "Zamowienie of the KSeF invoice).\n\n"
                        "Create the advance invoice from the sale order: open "
                        "the order in Sales, click Advance Invoice, enter the "
                        "amount received and its date, then confirm the "
                        "invoice it makes. An invoice for goods or services "
                        "already supplied is a Faktura VAT: choose that "
                        "document type instead.",
                        document=move.display_name,
                    )
                )
            raise UserError(
                self.env._(
                    "%(document)s is a final invoice that was not made from a "
                    "sale order. A final invoice deducts the advances per VAT "
                    "rate and names the advance invoices it settles (art. 106f "
                    "ust. 3 of the VAT Act, the FakturaZaliczkowa of the KSeF "
                    "invoice); a line with a negative price does not.\n\n"
                    "Create the final invoice from the sale order of its "
                    "advance invoices: open the order in Sales and click "
                    "Final Invoice, then confirm the invoice it makes.",
                    document=move.display_name,
                )
            )
        return super(AccountMove, self - with_order)._pl_check_advance_content()

    def _pl_check_advance(self):
        """An edited draft advance still follows art. 106f when posted.

        Per VAT rate its tax must be KP = ZB x SP / (100 + SP) of its gross,
        and the advances of the order must stay within the order.
        """
        self.ensure_one()
        order = self.pl_sale_order_id
        # From the journal items: a tax amount edited by hand counts.
        sign = self.direction_sign
        per_tax = {}
        for line in self.line_ids.filtered(lambda ml: ml.display_type == "product"):
            for tax in line.tax_ids:
                per_tax.setdefault(tax, [0.0, 0.0])[0] += line.amount_currency * sign
        for line in self.line_ids.filtered(lambda ml: ml.display_type == "tax"):
            per_tax.setdefault(line.tax_line_id, [0.0, 0.0])[1] += (
                line.amount_currency * sign
            )
        currency = self.currency_id
        for tax, (net, vat) in per_tax.items():
            gross = currency.round(net + vat)
            expected = float(
                advance_tax(gross, self.env["account.tax"]._pl_tax_rate(tax))
            )
            if currency.compare_amounts(vat, expected):
                raise UserError(
                    self.env._(
                        "The VAT of %(invoice)s at %(rate)s is %(tax)s; an advance "
                        "invoice must show KP = ZB × SP / (100 + SP) = %(expected)s "
                        "(art. 106f). Make the advance again from the order.",
                        invoice=self.display_name,
                        rate=self._pl_report_tax_label(tax),
                        tax=currency.format(vat),
                        expected=currency.format(expected),
                    )
                )
        try:
            final_settlement(
                order._pl_order_buckets()[0],
                [split for _move, split in order._pl_advances()],
            )
        except AdvanceError as error:
            raise UserError(order._pl_advance_error(error)) from error

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # A correction stays in the document chain of its offer.
        if not default_values_list:
            default_values_list = [{} for _move in self]
        for move, values in zip(self, default_values_list, strict=True):
            if move.pl_sale_order_id:
                values.setdefault("pl_sale_order_id", move.pl_sale_order_id.id)
        return super()._reverse_moves(
            default_values_list=default_values_list, cancel=cancel
        )

    # ------------------------------------------------------------------
    # Actions (smart buttons)
    # ------------------------------------------------------------------
    def action_pl_view_offer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Offer"),
            "res_model": "sale.order",
            "views": [(False, "form")],
            "res_id": self.pl_sale_order_id.id,
        }

    def action_pl_view_related(self):
        self.ensure_one()
        action = self.pl_sale_order_id._pl_documents_action(
            self._pl_related_documents(), self.env._("Related Documents")
        )
        return action

    def action_pl_advance_from_proforma(self):
        """Advance invoice for the offer of this pro forma."""
        self.ensure_one()
        if self.pl_document_kind != "proforma" or not self.pl_sale_order_id:
            raise UserError(
                self.env._("Only a pro forma made from an offer can get an advance.")
            )
        return self.pl_sale_order_id.action_pl_advance_invoice(proforma=self)

    # ------------------------------------------------------------------
    # Pro forma of an offer
    # ------------------------------------------------------------------
    def _pl_make_proforma_invoice(self):
        if not self.pl_sale_order_id:
            return super()._pl_make_proforma_invoice()
        return self._pl_invoice_proforma_offer()

    def _pl_invoice_proforma_offer(self):
        """The invoice of the pro forma's offer, by Odoo's order invoicing."""
        order = self.pl_sale_order_id
        if order.state in ("draft", "sent"):
            order.action_confirm()
            order.message_post(
                body=self.env._(
                    "Confirmed to invoice its pro forma %s.", self.display_name
                ),
                subtype_xmlid="mail.mt_note",
            )
        if order.state != "sale":
            raise UserError(
                self.env._(
                    "The offer %(order)s of the pro forma %(proforma)s is "
                    "cancelled: it cannot be invoiced.",
                    order=order.name,
                    proforma=self.display_name,
                )
            )
        if order.invoice_status != "to invoice":
            raise UserError(
                self.env._(
                    "The offer %(order)s of the pro forma %(proforma)s has nothing "
                    "left to invoice (its invoices: %(invoices)s).",
                    order=order.name,
                    proforma=self.display_name,
                    invoices=", ".join(order.invoice_ids.mapped("display_name")) or "-",
                )
            )
        return order._create_invoices(final=True)

    # ------------------------------------------------------------------
    # Printout data (crm_invoicing_pl's report/report_pl_invoice.xml)
    # ------------------------------------------------------------------
    def _pl_has_order_block(self):
        return bool(self.pl_sale_order_id) or super()._pl_has_order_block()

    def _pl_settles_advances(self):
        return (
            self.pl_document_kind == "final" and bool(self.pl_sale_order_id)
        ) or super()._pl_settles_advances()

    def _pl_report_order_block(self):
        block = super()._pl_report_order_block()
        if self.pl_sale_order_id:
            block["order"] = self.pl_sale_order_id
        return block

    def _pl_order_block_lines(self):
        """The sale order's lines (down payments left out)."""
        if not self.pl_sale_order_id:
            return super()._pl_order_block_lines()
        return self.pl_sale_order_id.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )

    def _pl_order_block_quantity(self, line):
        if line._name == "sale.order.line":
            return line.product_uom_qty
        return super()._pl_order_block_quantity(line)

    def _pl_order_block_buckets(self):
        if not self.pl_sale_order_id:
            return super()._pl_order_block_buckets()
        return self.pl_sale_order_id._pl_order_buckets()

    def _pl_order_block_values(self):
        block = super()._pl_order_block_values()
        order = self.pl_sale_order_id
        if order:
            block["order_name"] = order.name
            block["order_ref"] = order.client_order_ref or ""
        return block

    def _pl_report_advances(self):
        """On a final invoice of an order: every advance it deducts; on the
        advance that pays the rest of the order: the earlier advances (art.
        106f ust. 4)."""
        self.ensure_one()
        order = self.pl_sale_order_id
        if not order or self.pl_document_kind not in ("advance", "final"):
            return super()._pl_report_advances()
        advances = order._pl_advances()
        if self.pl_document_kind == "advance":
            moves = [move for move, _split in advances]
            if self._origin not in moves:
                return []
            position = moves.index(self._origin)
            buckets = order._pl_order_buckets()[0]
            settlement = final_settlement(
                buckets, [split for _move, split in advances[: position + 1]]
            )
            if not settlement.fully_covered:
                return []
            advances = advances[:position]
        return self._pl_advance_rows(advances)

    def _pl_report_settlement(self):
        self.ensure_one()
        order = self.pl_sale_order_id
        if self.pl_document_kind != "final" or not order:
            return super()._pl_report_settlement()
        buckets, taxes = order._pl_order_buckets()
        settlement = final_settlement(
            buckets, [split for _move, split in order._pl_advances()]
        )
        return self._pl_settlement_rows(settlement, taxes)
