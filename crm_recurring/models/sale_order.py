from odoo import Command, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    crm_recurring_contract_ids = fields.One2many(
        "crm.recurring.contract", "sale_order_id", string="Recurring Contracts"
    )
    crm_recurring_contract_count = fields.Integer(
        string="Recurring Contract Count", compute="_compute_crm_recurring_count"
    )

    def _compute_crm_recurring_count(self):
        for order in self:
            order.crm_recurring_contract_count = len(order.crm_recurring_contract_ids)

    def action_crm_recurring_create(self):
        """Make a recurring contract of the confirmed offer, then open it.

        The contract is a draft: nothing is invoiced until an invoicing user
        checks and starts it. It starts after what the offer's own invoices
        billed (tools/order_coverage.py: the period holding each invoice's
        date), never before today; its form warns about the periods the offer
        already invoiced.
        """
        self.ensure_one()
        if self.state != "sale":
            raise UserError(
                self.env._(
                    "Confirm %s before making a recurring contract of it.", self.name
                )
            )
        lines = self.order_line.filtered(
            lambda line: (
                line.product_id and not line.display_type and not line.is_downpayment
            )
        )
        if not lines:
            raise UserError(self.env._("%s has no products to invoice.", self.name))
        contract = self.env["crm.recurring.contract"].create(
            {
                "partner_id": self.partner_invoice_id.id,
                "company_id": self.company_id.id,
                "user_id": self.user_id.id,
                "pricelist_id": self.pricelist_id.id,
                "payment_term_id": self.payment_term_id.id,
                "description": self.client_order_ref or self.name,
                "sale_order_id": self.id,
                "state": "draft",
                "line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "name": line.name,
                            "quantity": line.product_uom_qty,
                            "price_unit": line.price_unit,
                            "discount": line.discount,
                        }
                    )
                    for line in lines
                ],
            }
        )
        coverage = contract._sale_order_coverage()
        if coverage and coverage.next_start > contract.date_start:
            contract.date_start = coverage.next_start
        return self._crm_recurring_action(contract)

    def action_crm_recurring_view(self):
        self.ensure_one()
        return self._crm_recurring_action(self.crm_recurring_contract_ids)

    def _crm_recurring_action(self, contracts):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_recurring.action_crm_recurring_contract"
        )
        action["domain"] = [("id", "in", contracts.ids)]
        action["context"] = {}
        if len(contracts) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = contracts.id
        return action
