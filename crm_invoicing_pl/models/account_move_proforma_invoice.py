"""Pro forma -> Faktura VAT in one click.

A pro forma is no invoice (it is never posted, art. 106b lists no such
document): the sale it announces is invoiced by a Faktura VAT. From any pro
forma one button makes that invoice as a draft and opens it:

- a pro forma is copied into a Faktura VAT: its customer, lines, payment
  terms and currency;
- a pro forma of an offer (crm_invoicing_pl_sale) is invoiced by the offer
  itself.

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
            invoices = self._pl_make_proforma_invoice()
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

    def _pl_make_proforma_invoice(self):
        """The draft VAT invoice(s) of this pro forma (crm_invoicing_pl_sale:
        the offer's invoice for a pro forma of an offer)."""
        return self._pl_copy_proforma_to_invoice()

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
