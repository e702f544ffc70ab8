"""Advance (faktura zaliczkowa) and final invoices of an order (art. 106f).

Odoo's down payments do the work: an advance is a down payment invoice whose
order lines (``is_downpayment``) carry, per VAT rate, the exact net and tax of
the split of tools/advance.py; the final invoice is Odoo's final invoice,
which deducts those lines per tax (what remains of each advance after its
corrections, see models/sale_order_line.py). This file adds the Polish
rules around them: which advances count, the refusals, and the document
kinds; and the pro forma of an offer.
"""

from datetime import datetime, time
from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.addons.crm_invoicing_pl.models.account_tax import pl_tax_key
from odoo.addons.crm_invoicing_pl.tools.advance import (
    AdvanceError,
    RateBucket,
    advance_split,
    final_settlement,
)
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    pl_proforma_ids = fields.One2many(
        "account.move",
        string="Pro Formas",
        compute="_compute_pl_proforma_ids",
    )
    pl_proforma_count = fields.Integer(
        string="Pro Forma Count", compute="_compute_pl_proforma_ids"
    )

    @api.model
    def _pl_enable_proformas(self):
        """Turn on Odoo's "Pro-Forma Invoice" setting, which shows our Pro
        Forma button: as the setting does, internal users imply its group.
        Run once, when the add-on is installed (the setting may turn it off
        afterwards)."""
        self.env.ref("base.group_user").sudo()._apply_group(
            self.env.ref("sale.group_proforma_sales")
        )

    def _compute_pl_proforma_ids(self):
        proformas = self.env["account.move"].search(
            [
                ("pl_sale_order_id", "in", self.ids),
                ("pl_document_type_id.kind", "=", "proforma"),
            ]
        )
        for order in self:
            order.pl_proforma_ids = proformas.filtered(
                lambda move, order=order: move.pl_sale_order_id == order
            )
            order.pl_proforma_count = len(order.pl_proforma_ids)

    def _pl_proforma_type(self):
        self.ensure_one()
        doc_type = self.env["pl.document.type"].search(
            [("company_id", "=", self.company_id.id), ("kind", "=", "proforma")],
            order="is_default desc, sequence, id",
            limit=1,
        )
        if not doc_type:
            raise UserError(
                self.env._(
                    "No pro forma document type is set up for %s.",
                    self.company_id.name,
                )
            )
        return doc_type

    def _pl_prepare_proforma(self):
        """Values of a pro forma of the whole offer.

        Odoo's own invoice preparation is reused, but the lines are NOT linked
        to the order lines: a pro forma is no invoice and must not count as
        invoiced quantities.
        """
        self.ensure_one()
        order = self.with_company(self.company_id)
        if order.partner_invoice_id.lang:
            order = order.with_context(lang=order.partner_invoice_id.lang)
        values = order._prepare_invoice()
        values.pop("transaction_ids", None)
        line_values = []
        for line in order.order_line:
            if line.is_downpayment or not (line.display_type or line.product_id):
                continue
            if line.display_type:
                vals = line._prepare_invoice_line()
            else:
                vals = line._prepare_invoice_line(quantity=line.product_uom_qty)
            vals.pop("sale_line_ids", None)
            line_values.append(Command.create(vals))
        values.update(
            {
                "invoice_line_ids": line_values,
                "pl_document_type_id": self._pl_proforma_type().id,
                "pl_sale_order_id": self.id,
            }
        )
        return values

    def action_pl_create_proforma(self):
        """Create and number a pro forma of the offer, then open it."""
        self.ensure_one()
        if self.state == "cancel":
            raise UserError(
                self.env._("A cancelled order cannot get a pro forma (%s).", self.name)
            )
        if not self.order_line.filtered(
            lambda line: (
                line.product_id and not line.display_type and not line.is_downpayment
            )
        ):
            raise UserError(
                self.env._("Add products to %s before making its pro forma.", self.name)
            )
        # Created like Odoo's invoices from orders: a salesperson without
        # billing rights may make it. A missing element raises in the issue
        # step, and the savepoint takes the half-made pro forma back.
        with self.env.cr.savepoint():
            proforma = (
                self.env["account.move"]
                .sudo()
                .with_context(default_move_type="out_invoice")
                .create(self._pl_prepare_proforma())
            )
            proforma.action_pl_issue_proforma()
            proforma.message_post_with_source(
                "mail.message_origin_link",
                render_values={"self": proforma, "origin": self},
                subtype_xmlid="mail.mt_note",
            )
        self.invalidate_recordset(["pl_proforma_ids", "pl_proforma_count"])
        return self._pl_proforma_action(proforma.with_env(self.env))

    def action_pl_view_proformas(self):
        self.ensure_one()
        return self._pl_proforma_action(self.pl_proforma_ids)

    def _pl_proforma_action(self, proformas):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["name"] = self.env._("Pro Formas")
        action["domain"] = [("id", "in", proformas.ids)]
        action["context"] = {
            "default_move_type": "out_invoice",
            "default_partner_id": self.partner_invoice_id.id,
        }
        if len(proformas) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = proformas.id
        return action

    pl_advance_ids = fields.One2many(
        "account.move", string="Advance Invoices", compute="_compute_pl_advance_ids"
    )
    pl_advance_count = fields.Integer(
        string="Advance Count", compute="_compute_pl_advance_ids"
    )
    pl_final_ids = fields.One2many(
        "account.move", string="Final Invoices", compute="_compute_pl_advance_ids"
    )
    pl_final_count = fields.Integer(
        string="Final Invoice Count", compute="_compute_pl_advance_ids"
    )
    pl_is_polish = fields.Boolean(
        string="Polish Documents", compute="_compute_pl_is_polish"
    )

    def _compute_pl_advance_ids(self):
        moves = self.env["account.move"].search(
            [
                ("pl_sale_order_id", "in", self.ids),
                ("pl_document_type_id.kind", "in", ("advance", "final")),
            ]
        )
        for order in self:
            own = moves.filtered(lambda m, order=order: m.pl_sale_order_id == order)
            order.pl_advance_ids = own.filtered(
                lambda m: m.pl_document_kind == "advance"
            )
            order.pl_final_ids = own.filtered(lambda m: m.pl_document_kind == "final")
            order.pl_advance_count = len(order.pl_advance_ids)
            order.pl_final_count = len(order.pl_final_ids)

    @api.depends("company_id")
    def _compute_pl_is_polish(self):
        for order in self:
            order.pl_is_polish = order._pl_uses_polish_documents()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _pl_uses_polish_documents(self):
        """Whether the order's company issues Polish documents."""
        self.ensure_one()
        return bool(
            self.env["pl.document.type"]
            .sudo()
            .search_count([("company_id", "=", self.company_id.id)], limit=1)
        )

    def _pl_document_type_of(self, kind):
        self.ensure_one()
        doc_type = self.env["pl.document.type"].search(
            [("company_id", "=", self.company_id.id), ("kind", "=", kind)],
            order="is_default desc, sequence, id",
            limit=1,
        )
        if not doc_type:
            raise UserError(
                self.env._(
                    "No document type of kind %(kind)s is set up for %(company)s.",
                    kind=kind,
                    company=self.company_id.name,
                )
            )
        return doc_type

    def _pl_order_buckets(self):
        """The order's values per VAT rate, as Odoo computes its totals.

        Returns ``(buckets, taxes)``: a list of tools.advance.RateBucket, one
        per tax combination of the ordered lines (down payments excluded), in
        the order of the lines, and a dict key -> account.tax recordset.
        """
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        lines = self.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )
        base_lines = [line._prepare_base_line_for_taxes_computation() for line in lines]
        AccountTax._add_tax_details_in_base_lines(base_lines, self.company_id)
        AccountTax._round_base_lines_tax_details(base_lines, self.company_id)
        return AccountTax._pl_buckets_of_base_lines(base_lines, self.currency_id)

    def _pl_advance_lines(self):
        """Invoice lines of the order's down payments, cancelled ones left out."""
        self.ensure_one()
        return self.order_line.filtered(
            lambda line: line.is_downpayment and not line.display_type
        ).invoice_lines.filtered(lambda aml: aml.move_id.state != "cancel")

    def _pl_advance_moves(self):
        """The advance invoices of the order (not cancelled), oldest first."""
        self.ensure_one()
        return (
            self._pl_advance_lines()
            .filtered(
                lambda aml: aml.move_id.move_type == "out_invoice" and aml.quantity > 0
            )
            .move_id.sorted(lambda m: (m.invoice_date or fields.Date.today(), m.id))
        )

    def _pl_advance_line_amounts(self):
        """What remains of each down payment line of the order's advances.

        Returns ``{down payment sale line: (advance, taxes, net, tax)}``: the
        net and tax of the line's advance invoice line(s) less those of its
        corrections (credit note lines linked to the same down payment line,
        full or partial), in the order's currency, unrounded sums. Cancelled
        documents are left out; deductions of final invoices (negative down
        payment lines) are not advances. Lines without an advance invoice are
        not in the result.
        """
        self.ensure_one()
        result = {}
        for dp_line in self.order_line.filtered(
            lambda line: line.is_downpayment and not line.display_type
        ):
            aml = dp_line._get_invoice_lines().filtered(
                lambda aml: aml.move_id.state != "cancel"
            )
            advance_lines = aml.filtered(
                lambda aml: aml.move_id.move_type == "out_invoice" and aml.quantity > 0
            )
            if not advance_lines:
                continue
            # Credit notes of the advance; those of a final invoice's deduction
            # (negative quantity) give nothing back to the advance.
            corrections = aml.filtered(
                lambda aml: aml.move_id.move_type == "out_refund" and aml.quantity > 0
            )
            net = tax = 0.0
            for line, sign in [(line, 1) for line in advance_lines] + [
                (line, -1) for line in corrections
            ]:
                net += sign * line.price_subtotal
                tax += sign * (line.price_total - line.price_subtotal)
            result[dp_line] = (
                advance_lines.move_id[:1],
                advance_lines[:1].tax_ids,
                net,
                tax,
            )
        return result

    def _pl_advances(self):
        """The advances that count, with their amounts per VAT rate.

        Returns a list of ``(advance invoice, [RateBucket])``, oldest first.
        An advance counts with its own lines less its corrections (credit
        notes of its down payment lines, see _pl_advance_line_amounts); a
        cancelled advance, or one corrected to zero, does not count.
        """
        self.ensure_one()
        rates = {bucket.key: bucket.rate for bucket in self._pl_order_buckets()[0]}
        amounts = {}
        rate_of = {}
        for advance, taxes, net, tax in self._pl_advance_line_amounts().values():
            key = pl_tax_key(taxes)
            if key not in rates and key not in rate_of:
                rate_of[key] = self.env["account.tax"]._pl_tax_rate(taxes)
            values = amounts.setdefault(advance, {}).setdefault(key, [0.0, 0.0])
            values[0] += net
            values[1] += tax
        currency = self.currency_id
        result = []
        for advance in self._pl_advance_moves():
            per_key = amounts.get(advance, {})
            buckets = []
            for key, (net, tax) in per_key.items():
                net, tax = currency.round(net), currency.round(tax)
                rate = rates[key] if key in rates else rate_of[key]
                buckets.append(RateBucket(key, rate, net, tax, net + tax))
            if any(not currency.is_zero(float(b.gross)) for b in buckets):
                result.append((advance, buckets))
        return result

    def _pl_check_advance_currency(self, proforma=None):
        """Refuse advances or a pro forma in another currency than the order."""
        self.ensure_one()
        for move in self._pl_advance_moves() | (proforma or self.env["account.move"]):
            if move.currency_id != self.currency_id:
                raise UserError(
                    self.env._(
                        "%(document)s is in %(currency)s but the order %(order)s "
                        "is in %(order_currency)s: advances and the final invoice "
                        "must use the currency of the order.",
                        document=move.display_name,
                        currency=move.currency_id.name,
                        order=self.name,
                        order_currency=self.currency_id.name,
                    )
                )

    def _pl_advance_error(self, error, payment=None):
        """A clear, translated message for a tools.advance.AdvanceError."""
        self.ensure_one()
        fmt = self.currency_id.format
        if error.code == "not_positive":
            return self.env._("The advance must be an amount above zero.")
        if error.code == "exceeds_order":
            advanced = sum(
                float(bucket.gross)
                for _advance, buckets in self._pl_advances()
                for bucket in buckets
            )
            return self.env._(
                "The advance %(amount)s exceeds the unpaid value of the order "
                "%(order)s: %(unpaid)s (order %(total)s, advances %(advanced)s).",
                amount=fmt(float(payment or 0.0)),
                order=self.name,
                unpaid=fmt(self.amount_total - advanced),
                total=fmt(self.amount_total),
                advanced=fmt(advanced),
            )
        if error.code == "empty_order":
            return self.env._("The order %s has no value to pay in advance.", self.name)
        if error.code == "advances_exceed_order":
            return self.env._(
                "The advances of %(order)s exceed the order value (the order was "
                "reduced after an advance?): correct the advance invoice with a "
                "credit note first.",
                order=self.name,
            )
        if error.code == "rate_mismatch":
            return self.env._(
                "An advance of %s has a VAT rate the order no longer has: correct "
                "the advance invoice with a credit note first.",
                self.name,
            )
        return self.env._("The advance cannot be computed: %s", error)

    def _pl_advance_split(self, mode, value):
        """The gross payment and its split per VAT rate (art. 106f).

        ``mode`` is "percent" (of the order's gross) or "fixed" (a gross
        amount). Refuses a cancelled order, advances in another currency, an
        amount <= 0 or above the unpaid value of the order.
        """
        self.ensure_one()
        if self.state == "cancel":
            raise UserError(
                self.env._(
                    "The order %s is cancelled: it cannot get an advance invoice.",
                    self.name,
                )
            )
        self._pl_check_advance_currency()
        buckets, taxes = self._pl_order_buckets()
        earlier = [split for _advance, split in self._pl_advances()]
        order_gross = sum(bucket.gross for bucket in buckets)
        payment = value
        try:
            if mode == "percent":
                payment = order_gross * Decimal(str(value)) / 100
            split = advance_split(buckets, payment, already_advanced=earlier)
        except AdvanceError as error:
            raise UserError(self._pl_advance_error(error, payment)) from error
        return split, taxes

    # ------------------------------------------------------------------
    # Final invoice
    # ------------------------------------------------------------------
    def _pl_check_final(self):
        """Refuse a final invoice that art. 106f does not allow."""
        self.ensure_one()
        drafts = self._pl_advance_lines().move_id.filtered(lambda m: m.state == "draft")
        if drafts:
            raise UserError(
                self.env._(
                    "%(documents)s of the order %(order)s is still a draft: post "
                    "or cancel it before the final invoice.",
                    documents=", ".join(drafts.mapped("display_name")),
                    order=self.name,
                )
            )
        self._pl_check_advance_currency()
        advances = self._pl_advances()
        if not advances:
            return
        buckets = self._pl_order_buckets()[0]
        try:
            settlement = final_settlement(buckets, [split for _a, split in advances])
        except AdvanceError as error:
            raise UserError(self._pl_advance_error(error)) from error
        if settlement.remainder.gross < 0:
            raise UserError(
                self._pl_advance_error(AdvanceError("advances_exceed_order"))
            )
        if settlement.fully_covered:
            last = advances[-1][0]
            raise UserError(
                self.env._(
                    "The advances already cover the whole order %(order)s: no final "
                    "invoice is issued, the last advance invoice %(advance)s "
                    "settles it.",
                    order=self.name,
                    advance=last.name,
                )
            )

    def _create_invoices(self, grouped=False, final=False, date=None):
        for order in self:
            if not order._pl_uses_polish_documents():
                continue
            if final and order._pl_advance_lines():
                order._pl_check_final()
        return super()._create_invoices(grouped=grouped, final=final, date=date)

    def _create_account_invoices(self, invoice_vals_list, final):
        # Give the invoices of Polish orders their kind and their offer: an
        # invoice deducting down payments is the final invoice (art. 106f).
        for vals in invoice_vals_list:
            line_vals = [
                command[2]
                for command in vals.get("invoice_line_ids", [])
                if command[0] == 0 and command[2]
            ]
            sale_line_ids = {
                command[1]
                for line in line_vals
                for command in line.get("sale_line_ids", [])
                if command[0] == 4
            }
            orders = self.env["sale.order.line"].browse(sale_line_ids).order_id
            if len(orders) != 1 or not orders._pl_uses_polish_documents():
                continue
            vals["pl_sale_order_id"] = orders.id
            if vals.get("pl_document_type_id"):
                continue
            if any(
                line.get("is_downpayment") and (line.get("quantity") or 0.0) < 0
                for line in line_vals
            ):
                vals["pl_document_type_id"] = orders._pl_document_type_of("final").id
        return super()._create_account_invoices(invoice_vals_list, final)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_pl_advance_invoice(self, proforma=None):
        """Open Odoo's down payment wizard for an advance invoice."""
        self.ensure_one()
        if self.state == "cancel":
            raise UserError(
                self.env._(
                    "The order %s is cancelled: it cannot get an advance invoice.",
                    self.name,
                )
            )
        self._pl_check_advance_currency(proforma)
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sale.action_view_sale_advance_payment_inv"
        )
        action["name"] = self.env._("Advance Invoice")
        action["context"] = {
            "active_model": "sale.order",
            "active_id": self.id,
            "active_ids": self.ids,
            "default_advance_payment_method": "pl_received",
            "default_pl_proforma_id": proforma.id if proforma else False,
        }
        return action

    def action_pl_final_invoice(self):
        """Create the final invoice of the order in one click and open it."""
        self.ensure_one()
        if self.state != "sale":
            raise UserError(
                self.env._("Confirm the order %s before its final invoice.", self.name)
            )
        if not self._pl_advances():
            raise UserError(
                self.env._(
                    "The order %s has no advance invoice: create a regular invoice "
                    "instead.",
                    self.name,
                )
            )
        invoices = self._create_invoices(final=True)
        return self.action_view_invoice(invoices=invoices)

    def action_pl_view_advances(self):
        self.ensure_one()
        return self._pl_documents_action(
            self.pl_advance_ids, self.env._("Advance Invoices")
        )

    def action_pl_view_finals(self):
        self.ensure_one()
        return self._pl_documents_action(self.pl_final_ids, self.env._("Final Invoice"))

    def _pl_documents_action(self, moves, name):
        action = self._pl_proforma_action(moves)
        action["name"] = name
        return action

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    def _pl_demo_advance_and_final(self):
        """Demo data (demo/demo_documents.xml): 20 chairs ordered on the 1st
        of the month, 30 % received that day (an advance invoice made with the
        wizard), then the final invoice, both posted.

        Only an order without lines gets them: in a database upgraded from the
        one-add-on layout the order already holds its lines and invoices (the
        pre_init_hook took it over), and loading the demo again must neither
        add a line nor a second advance.
        """
        first = fields.Date.context_today(self).replace(day=1)
        chair = self.env.ref("crm_invoicing_pl.demo_product_chair")
        for order in self.filtered(lambda o: o.state == "draft" and not o.order_line):
            order.order_line = [
                Command.create(
                    {"product_id": chair.id, "product_uom_qty": 20, "price_unit": 650.0}
                )
            ]
            order.action_confirm()
            order.date_order = datetime.combine(first, time(8))
            wizard = (
                self.env["sale.advance.payment.inv"]
                .with_context(active_model="sale.order", active_ids=order.ids)
                .create(
                    {
                        "advance_payment_method": "pl_received",
                        "fixed_amount": 4797.0,
                        "pl_payment_date": first,
                    }
                )
            )
            wizard.create_invoices()
            advance = order.invoice_ids
            advance.invoice_date = first
            advance.action_post()
            order.action_pl_final_invoice()
            (order.invoice_ids - advance).action_post()
