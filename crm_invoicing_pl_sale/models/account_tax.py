from odoo import api, models
from odoo.addons.crm_invoicing_pl.models.account_tax import pl_tax_key
from odoo.exceptions import UserError


class AccountTax(models.Model):
    _inherit = "account.tax"

    @api.model
    def _prepare_down_payment_lines(
        self,
        base_lines,
        company,
        amount_type,
        amount,
        computation_key="down_payment",
        grouping_function=None,
    ):
        """Give Odoo's down payment lines the amounts of the art. 106f split.

        The advance wizard of a Polish order passes, in the context key
        ``pl_advance_split``, the split of tools/advance.py as ``(key, net,
        tax)`` per tax combination. Odoo makes one down payment line per tax
        combination; each gets exactly that net (price) and that tax
        (KP = ZB x SP / (100 + SP)) as manual tax amounts, which the order
        keeps in ``extra_tax_data`` and the final invoice deducts per tax.
        Amounts are in the document currency: the company-currency amounts
        follow the rate of the invoice.
        """
        lines = super()._prepare_down_payment_lines(
            base_lines,
            company,
            amount_type,
            amount,
            computation_key=computation_key,
            grouping_function=grouping_function,
        )
        split = self.env.context.get("pl_advance_split")
        if split is None:
            return lines
        targets = {key: (net, tax) for key, net, tax in split}
        by_key = {pl_tax_key(line["tax_ids"]): line for line in lines}
        if set(targets) - set(by_key):
            raise UserError(
                self.env._(
                    "The advance cannot be split: a VAT rate of the order has no "
                    "down payment line."
                )
            )
        result = []
        for key, line in by_key.items():
            if key not in targets:
                continue
            net, tax = targets[key]
            taxes = [
                data["tax"]
                for data in line["tax_details"]["taxes_data"]
                if not data["is_reverse_charge"]
            ]
            line["price_unit"] = net
            line["quantity"] = 1.0
            line["discount"] = 0.0
            line["manual_total_excluded_currency"] = net
            line["manual_total_excluded"] = None
            line["manual_tax_amounts"] = self._pl_spread_tax(
                taxes, line["currency_id"], net, tax
            )
            result.append(line)
        return result
