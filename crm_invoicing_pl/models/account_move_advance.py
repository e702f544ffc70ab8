"""Advance and final invoices on the invoice side: the document chain of an
order (smart buttons), and the data the printouts show (art. 106f): the order
block of an advance, the advances a final invoice deducts."""

# The document chain of an order is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare
from odoo.tools.misc import format_date

from ..tools.advance import (
    AdvanceError,
    advance_issue_deadline,
    advance_tax,
    final_settlement,
)
from .account_move import SPLIT_PAYMENT_THRESHOLD


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_related_count = fields.Integer(
        string="Related Documents", compute="_compute_pl_related_count"
    )
    pl_order_snapshot = fields.Json(
        string="Order at Issue",
        copy=False,
        readonly=True,
        help="The order block of an advance invoice (ordered goods, values per "
        "VAT rate) as it was when the advance was posted: the printout shows it "
        "even if the order changes later.",
    )

    pl_advance_received_date = fields.Date(
        string="Advance Received On",
        copy=False,
        readonly=True,
        help="The advance invoice documents money already received on this "
        "day: it is printed and sent to KSeF as paid, with no amount due, and "
        "no reminder is sent about it.",
    )
    pl_advance_issue_warning = fields.Char(compute="_compute_pl_advance_issue_warning")

    @api.depends("pl_advance_received_date", "invoice_date")
    def _compute_pl_advance_issue_warning(self):
        for move in self:
            late = advance_issue_deadline(move.pl_advance_received_date)
            issued = move.invoice_date or fields.Date.context_today(move)
            move.pl_advance_issue_warning = (
                late
                and issued > late
                and self.env._(
                    "An advance invoice is issued by the 15th day of the month "
                    "after the month the payment was received (art. 106i ust. "
                    "2): %(late)s for a payment of %(received)s.",
                    late=format_date(self.env, late),
                    received=format_date(self.env, move.pl_advance_received_date),
                )
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
        posted = super()._post(soft=soft)
        # Freeze the order block of the issued advance (art. 106f ust. 1 pkt
        # 4): a reprint shows the order as it was at issue.
        for move in posted.filtered(
            lambda m: (
                m.pl_document_kind == "advance"
                and (m.pl_sale_order_id or m.pl_order_line_ids)
            )
        ):
            move.pl_order_snapshot = move._pl_order_block_values()
            if move.pl_advance_issue_warning:
                move.message_post(body=move.pl_advance_issue_warning)
        return posted

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
        """Refuse an advance or final invoice without what art. 106f asks.

        An advance invoice (faktura zaliczkowa) shows the order: the ordered
        goods or services with their quantities, prices and rates, and the
        order's value (art. 106f ust. 1 pkt 4, ``Zamowienie`` in FA(3)); a
        final invoice deducts the advances per VAT rate and names the advance
        invoices (art. 106f ust. 3, ``FakturaZaliczkowa``). Made from a sale
        order, they take both from the order; made without one, from the
        ordered goods entered on the advance and the advance invoices chosen
        on the final invoice (account_move_advance_manual.py). A document
        whose type was merely set to advance or final has neither: its lines
        are not an order, and a negative line is not a deduction of an
        advance. It is refused, with how to make it, before anything of the
        posting happens. So is one tied by hand to a sale order it does not
        invoice a down payment of.
        """
        for move in self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "draft"
                and m.pl_document_kind in ("advance", "final")
            )
        ):
            if move._pl_made_from_order():
                continue
            if not move.pl_sale_order_id:
                if move.pl_document_kind == "advance":
                    move._pl_check_manual_advance()
                else:
                    move._pl_check_manual_final()
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
            expected = float(advance_tax(gross, order._pl_tax_rate(tax)))
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
    # Printout data (report/report_pl_invoice.xml)
    # ------------------------------------------------------------------
    def _pl_report_order_block(self):
        """The order an advance invoice is for (art. 106f ust. 1 pkt 4).

        ``{"order": sale.order, "order_name": ..., "order_ref": ...,
        "lines": [...], "rates": [...], "total": {...}}``: ordered goods with
        quantities and values, and the net, tax and gross order value per VAT
        rate, in the order's currency. An issued advance shows the order as
        it was when posted (``pl_order_snapshot``); a draft, or an advance
        posted before the snapshot existed, shows the order as it is now.
        """
        self.ensure_one()
        order = self.pl_sale_order_id
        if not order and not (
            self.pl_document_kind == "advance" and self.pl_order_line_ids
        ):
            return {}
        snapshot = self.state != "draft" and self.pl_order_snapshot
        block = dict(snapshot) if snapshot else self._pl_order_block_values()
        block["order"] = order
        return block

    def _pl_order_block_lines(self):
        """The ordered lines of the order block: the sale order's (down
        payments left out), or those entered on an advance without one."""
        self.ensure_one()
        if not self.pl_sale_order_id:
            return self.pl_order_line_ids
        return self.pl_sale_order_id.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )

    def _pl_order_block_values(self):
        """The order block from the order as it is now, JSON-serializable."""
        self.ensure_one()
        order = self.pl_sale_order_id
        lines = []
        for line in self._pl_order_block_lines():
            lines.append(
                {
                    "name": line.name or line.product_id.display_name or "",
                    "uom": self._pl_unit(line.product_uom_id)
                    if line.product_uom_id
                    else "",
                    "quantity": line.product_uom_qty if order else line.quantity,
                    "net": line.price_subtotal,
                    "rate": self._pl_report_tax_label(line.tax_ids),
                    "vat": line.price_tax,
                    "gross": line.price_total,
                }
            )
        if order:
            buckets, taxes = order._pl_order_buckets()
        else:
            buckets, taxes = self._pl_manual_order_buckets()
        rates = [
            {
                "rate": self._pl_report_tax_label(taxes[bucket.key]),
                "net": float(bucket.net),
                "vat": float(bucket.tax),
                "gross": float(bucket.gross),
            }
            for bucket in buckets
        ]
        total = {key: sum(row[key] for row in rates) for key in ("net", "vat", "gross")}
        return {
            "order_name": order.name if order else self.pl_order_reference or "",
            "order_ref": order.client_order_ref or "" if order else "",
            "lines": lines,
            "rates": rates,
            "total": total,
        }

    def _pl_report_advances(self):
        """The advances to list on this printout, as dicts (``move``: the
        advance).

        On a final invoice: every advance it deducts. On the advance that pays
        the rest of the order: the earlier advances (art. 106f ust. 4).
        """
        self.ensure_one()
        order = self.pl_sale_order_id
        if self.pl_document_kind not in ("advance", "final"):
            return []
        if not order and self.pl_document_kind == "final":
            advances = self._pl_manual_advances()
        elif not order:
            return []
        else:
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
        rows = []
        for move, split in advances:
            rows.append(
                {
                    "name": move.name,
                    "date": move.invoice_date,
                    "payment_date": move.taxable_supply_date or move.invoice_date,
                    "net": float(sum(bucket.net for bucket in split)),
                    "vat": float(sum(bucket.tax for bucket in split)),
                    "gross": float(sum(bucket.gross for bucket in split)),
                    "move": move,
                }
            )
        return rows

    def _pl_report_settlement(self):
        """Per VAT rate: the order, the advances and the rest (final invoice)."""
        self.ensure_one()
        order = self.pl_sale_order_id
        if self.pl_document_kind != "final":
            return []
        if order:
            buckets, taxes = order._pl_order_buckets()
            settlement = final_settlement(
                buckets, [split for _move, split in order._pl_advances()]
            )
        elif self.pl_advance_invoice_ids:
            taxes = self._pl_goods_buckets()[1]
            settlement = self._pl_manual_settlement()
        else:
            return []
        rows = []
        for line in settlement.lines:
            rows.append(
                {
                    "rate": self._pl_report_tax_label(taxes[line.key]),
                    **{
                        part: {
                            "net": float(getattr(line, part).net),
                            "vat": float(getattr(line, part).tax),
                            "gross": float(getattr(line, part).gross),
                        }
                        for part in ("order", "advanced", "remainder")
                    },
                }
            )
        rows.append(
            {
                "rate": False,
                **{
                    part: {
                        "net": float(getattr(settlement, part).net),
                        "vat": float(getattr(settlement, part).tax),
                        "gross": float(getattr(settlement, part).gross),
                    }
                    for part in ("order", "advanced", "remainder")
                },
            }
        )
        return rows
