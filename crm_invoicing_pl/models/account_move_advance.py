"""Advance and final invoices on the invoice side: the data the printouts
show (art. 106f): the order block of an advance, frozen when it is issued,
the advances a final invoice deducts.

Without a sale order the order is the one entered on the advance and the
advances are those chosen on the final invoice
(account_move_advance_manual.py); crm_invoicing_pl_sale fills the same
blocks from a sale order (the ``_pl_order_block_*`` and ``_pl_report_*``
methods below are its hooks).
"""

# The printout data of advances is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.tools.misc import format_date

from ..tools.advance import advance_issue_deadline


class AccountMove(models.Model):
    _inherit = "account.move"

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

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # Freeze the order block of the issued advance (art. 106f ust. 1 pkt
        # 4): a reprint shows the order as it was at issue.
        for move in posted.filtered(
            lambda m: m.pl_document_kind == "advance" and m._pl_has_order_block()
        ):
            move.pl_order_snapshot = move._pl_order_block_values()
            if move.pl_advance_issue_warning:
                move.message_post(body=move.pl_advance_issue_warning)
        return posted

    def _pl_check_advance_content(self):
        """Refuse an advance or final invoice without what art. 106f asks.

        An advance invoice (faktura zaliczkowa) shows the order: the ordered
        goods or services with their quantities, prices and rates, and the
        order's value (art. 106f ust. 1 pkt 4, ``Zamowienie`` in FA(3)); a
        final invoice deducts the advances per VAT rate and names the advance
        invoices (art. 106f ust. 3, ``FakturaZaliczkowa``). Made without a
        sale order, they take both from the ordered goods entered on the
        advance and the advance invoices chosen on the final invoice
        (account_move_advance_manual.py; crm_invoicing_pl_sale takes them
        from a sale order). A document whose type was merely set to advance
        or final has neither: its lines are not an order, and a negative line
        is not a deduction of an advance. It is refused, with how to make it,
        before anything of the posting happens.
        """
        for move in self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "draft"
                and m.pl_document_kind in ("advance", "final")
            )
        ):
            if move.pl_document_kind == "advance":
                move._pl_check_manual_advance()
            else:
                move._pl_check_manual_final()

    # ------------------------------------------------------------------
    # Printout data (report/report_pl_invoice.xml)
    # ------------------------------------------------------------------
    def _pl_has_order_block(self):
        """Whether the document shows an order block: an advance with the
        ordered goods entered on it."""
        self.ensure_one()
        return self.pl_document_kind == "advance" and bool(self.pl_order_line_ids)

    def _pl_settles_advances(self):
        """Whether the document is a final invoice settling advance invoices."""
        self.ensure_one()
        return self.pl_document_kind == "final" and bool(self.pl_advance_invoice_ids)

    def _pl_report_order_block(self):
        """The order an advance invoice is for (art. 106f ust. 1 pkt 4).

        ``{"order_name": ..., "order_ref": ..., "lines": [...], "rates":
        [...], "total": {...}}``: ordered goods with quantities and values,
        and the net, tax and gross order value per VAT rate, in the order's
        currency. An issued advance shows the order as it was when posted
        (``pl_order_snapshot``); a draft, or an advance posted before the
        snapshot existed, shows the order as it is now.
        """
        self.ensure_one()
        if not self._pl_has_order_block():
            return {}
        snapshot = self.state != "draft" and self.pl_order_snapshot
        return dict(snapshot) if snapshot else self._pl_order_block_values()

    def _pl_order_block_lines(self):
        """The ordered lines of the order block: those entered on the
        advance."""
        self.ensure_one()
        return self.pl_order_line_ids

    def _pl_order_block_quantity(self, line):
        """The ordered quantity of a line of the order block."""
        return line.quantity

    def _pl_order_block_buckets(self):
        """``(buckets, taxes)`` of the order per VAT rate (see
        account.tax._pl_buckets_of_base_lines)."""
        return self._pl_manual_order_buckets()

    def _pl_order_block_values(self):
        """The order block from the order as it is now, JSON-serializable."""
        self.ensure_one()
        lines = []
        for line in self._pl_order_block_lines():
            lines.append(
                {
                    "name": line.name or line.product_id.display_name or "",
                    "uom": self._pl_unit(line.product_uom_id)
                    if line.product_uom_id
                    else "",
                    "quantity": self._pl_order_block_quantity(line),
                    "net": line.price_subtotal,
                    "rate": self._pl_report_tax_label(line.tax_ids),
                    "vat": line.price_tax,
                    "gross": line.price_total,
                }
            )
        buckets, taxes = self._pl_order_block_buckets()
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
            "order_name": self.pl_order_reference or "",
            "order_ref": "",
            "lines": lines,
            "rates": rates,
            "total": total,
        }

    def _pl_report_advances(self):
        """The advances to list on this printout, as dicts (``move``: the
        advance).

        On a final invoice: every advance it deducts (on the advance that
        pays the rest of an order, crm_invoicing_pl_sale lists the earlier
        advances, art. 106f ust. 4).
        """
        self.ensure_one()
        if self.pl_document_kind != "final":
            return []
        return self._pl_advance_rows(self._pl_manual_advances())

    def _pl_advance_rows(self, advances):
        """``[(advance, [RateBucket])]`` as the rows of the printout."""
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
        if not self._pl_settles_advances():
            return []
        taxes = self._pl_goods_buckets()[1]
        return self._pl_settlement_rows(self._pl_manual_settlement(), taxes)

    def _pl_settlement_rows(self, settlement, taxes):
        """A tools.advance settlement as the rows of the printout."""
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
