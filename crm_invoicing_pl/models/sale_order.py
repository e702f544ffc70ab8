from odoo import Command, api, fields, models
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
