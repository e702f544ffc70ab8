"""Pro forma -> Faktura VAT in one click.

A pro forma is no invoice (it is never posted, art. 106b lists no such
document): the sale it announces is invoiced by a Faktura VAT. From any pro
forma one button makes that invoice as a draft and opens it:

- a pro forma of an offer is invoiced by the offer itself (Odoo's invoicing of
  the order, as the offer -> pro forma -> advance -> final chain does): the
  order counts its lines as invoiced, deducts its advances (the invoice is
  then the final invoice, art. 106f ust. 3) and is never invoiced twice; an
  offer not confirmed yet is confirmed first (the customer accepted the pro
  forma), through the same checks as the Confirm button (approvals);
- any other pro forma is copied into a Faktura VAT: its customer, lines,
  payment terms and currency.

The invoice keeps the link to its pro forma, and a pro forma gets one VAT
invoice (one not cancelled).
"""

# The pro forma's VAT invoice is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_proforma_id = fields.Many2one(
        "account.move",
        string="Pro Forma",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The pro forma this VAT invoice was made from.",
    )
    pl_proforma_invoice_ids = fields.One2many(
        "account.move", "pl_proforma_id", string="VAT Invoices of the Pro Forma"
    )
    pl_proforma_invoice_id = fields.Many2one(
        "account.move",
        string="VAT Invoice",
        compute="_compute_pl_proforma_invoice_id",
        help="The VAT invoice made from this pro forma (not cancelled).",
    )

    @api.depends("pl_proforma_invoice_ids.state")
    def _compute_pl_proforma_invoice_id(self):
        for move in self:
            move.pl_proforma_invoice_id = move.pl_proforma_invoice_ids.filtered(
                lambda invoice: invoice.state != "cancel"
            )[:1]

    @api.depends("pl_document_type_id")
    def _compute_hide_post_button(self):
        # EXTENDS account: a pro forma is never posted (see _post), so Odoo's
        # Confirm button, which could only fail, is not shown on it.
        res = super()._compute_hide_post_button()
        for move in self.filtered(lambda m: m.pl_document_kind == "proforma"):
            move.hide_post_button = True
        return res

    def _get_copy_message_content(self, default):
        if default.get("pl_proforma_id"):
            return self.env._(
                "VAT invoice made from the pro forma %s.", self._get_html_link()
            )
        return super()._get_copy_message_content(default)

    # ------------------------------------------------------------------
    # Action
    # ------------------------------------------------------------------
    def action_pl_invoice_from_proforma(self):
        """Make the draft Faktura VAT of this pro forma and open it."""
        self.ensure_one()
        self._pl_check_invoice_from_proforma()
        with self.env.cr.savepoint():
            if self.pl_sale_order_id:
                invoices = self._pl_invoice_proforma_offer()
            else:
                invoices = self._pl_copy_proforma_to_invoice()
            invoices.pl_proforma_id = self
            self.message_post(
                body=Markup("%s %s")
                % (
                    self.env._("VAT invoice made from this pro forma:"),
                    Markup(", ").join(inv._get_html_link() for inv in invoices),
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.invalidate_recordset(["pl_proforma_invoice_ids", "pl_proforma_invoice_id"])
        return self._pl_invoice_form_action(invoices)

    def action_pl_view_proforma_invoice(self):
        self.ensure_one()
        return self._pl_invoice_form_action(self.pl_proforma_invoice_id)

    def action_pl_view_proforma(self):
        self.ensure_one()
        return self._pl_invoice_form_action(self.pl_proforma_id)

    def _pl_check_invoice_from_proforma(self):
        """Refuse what is no pro forma, or a pro forma already invoiced."""
        self.ensure_one()
        if self.pl_document_kind != "proforma":
            raise UserError(
                self.env._(
                    "%s is not a pro forma: only a pro forma is turned into a VAT "
                    "invoice this way.",
                    self.display_name,
                )
            )
        if self.pl_proforma_invoice_id:
            raise UserError(
                self.env._(
                    "The pro forma %(proforma)s already has its VAT invoice "
                    "%(invoice)s: a pro forma is invoiced once. Open the invoice "
                    "from the pro forma's VAT Invoice button (cancel it first to "
                    "make a new one).",
                    proforma=self.display_name,
                    invoice=self.pl_proforma_invoice_id.display_name,
                )
            )

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

    def _pl_copy_proforma_to_invoice(self):
        """A Faktura VAT with the pro forma's customer, lines and terms."""
        vat_type = self.env["pl.document.type"]._default_for(
            self.company_id, "out_invoice"
        )
        if not vat_type:
            raise UserError(
                self.env._(
                    "No Faktura VAT document type is set up for %s.",
                    self.company_id.name,
                )
            )
        return self.copy(
            {
                "pl_document_type_id": vat_type.id,
                "journal_id": (vat_type.journal_id or self.journal_id).id,
                "pl_proforma_id": self.id,
                "invoice_origin": self.name if self.name != "/" else False,
            }
        )

    def _pl_invoice_form_action(self, moves):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", moves.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        if len(moves) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = moves.id
        return action
