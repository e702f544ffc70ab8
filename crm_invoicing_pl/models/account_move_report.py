"""Print helpers of the Polish invoice printouts (report/report_pl_invoice.xml).

The printed labels are Polish legal text and live in the QWeb templates; the
helpers here only select the template and compute plain data (amounts per VAT
rate, correction rows, formatted numbers) so that the templates stay simple
and the computations can be unit tested.
"""

# Print helpers are a concern of their own, kept apart from the document rules.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.tools import float_is_zero, float_round

from ..tools.units import polish_unit

# Printed VAT "rates" of the supplies that carry no percentage (art. 106e).
VAT_KIND_LABELS = {
    "exempt": "zw",
    "reverse_charge": "oo",
    "not_subject": "np",
}
# Order of the labels without a percentage, after the percentages.
VAT_KIND_ORDER = ("zw", "oo", "np")

REPORT_GOODS = "crm_invoicing_pl.report_pl_invoice_goods"
REPORT_SERVICES = "crm_invoicing_pl.report_pl_invoice_services"


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Template selection
    # ------------------------------------------------------------------
    def _get_name_invoice_report(self):
        self.ensure_one()
        if self.pl_document_type_id and self.move_type in ("out_invoice", "out_refund"):
            if self.pl_document_type_id.report_template == "services":
                return REPORT_SERVICES
            return REPORT_GOODS
        return super()._get_name_invoice_report()

    # ------------------------------------------------------------------
    # Formatting
    # ------------------------------------------------------------------
    @api.model
    def _pl_report_format_number(self, value, digits=2):
        """Polish number format, independent of the active languages.

        1234.5 -> "1 234,50"; the thousands separator is a plain space (the
        template keeps amounts on one line with CSS).
        """
        value = float_round(value or 0.0, precision_digits=digits)
        if float_is_zero(value, precision_digits=digits):
            value = 0.0
        text = "{:,.{digits}f}".format(value, digits=digits)
        return text.replace(",", " ").replace(".", ",")

    def _pl_report_format_amount(self, amount, currency=None, with_code=False):
        currency = currency or self.currency_id
        digits = currency.decimal_places if currency else 2
        text = self._pl_report_format_number(amount, digits)
        return "%s %s" % (text, currency.name) if with_code and currency else text

    @api.model
    def _pl_report_format_quantity(self, quantity):
        """2.0 -> "2", 1.5 -> "1,5", 1234.25 -> "1 234,25"."""
        text = self._pl_report_format_number(quantity, 3)
        if "," in text:
            text = text.rstrip("0").rstrip(",")
        return text

    @api.model
    def _pl_report_format_date(self, date):
        """ISO dates (2026-11-15): unambiguous in Polish and in English."""
        return fields.Date.to_string(date) if date else ""

    # ------------------------------------------------------------------
    # Title
    # ------------------------------------------------------------------
    def _pl_report_title(self):
        """The printed title of the document type, in Polish when available."""
        self.ensure_one()
        doc_type = self.pl_document_type_id
        if self.env["res.lang"]._lang_get("pl_PL"):
            doc_type = doc_type.with_context(lang="pl_PL")
        return doc_type.title or ""

    # ------------------------------------------------------------------
    # Parties
    # ------------------------------------------------------------------
    @api.model
    def _pl_report_nip(self, partner):
        """The Polish NIP (10 digits) of a Polish partner, else its VAT id."""
        vat = (partner.vat or "").replace(" ", "").replace("-", "")
        if vat[:2].upper() == "PL" and (partner.country_code in (False, "PL")):
            return vat[2:]
        return vat

    @api.model
    def _pl_report_is_eu_partner(self, partner):
        """Whether ``partner`` is in another EU member state (VAT-EU ids)."""
        europe = self.env.ref("base.europe", raise_if_not_found=False)
        return bool(
            partner.country_id
            and partner.country_code != "PL"
            and europe
            and partner.country_id in europe.country_ids
        )

    def _pl_report_show_eu_vat(self):
        """Print the VAT-EU ids of both parties (intra-community supplies)."""
        self.ensure_one()
        return self._pl_report_is_eu_partner(self.commercial_partner_id)

    def _pl_report_is_triangular(self):
        """Whether the invoice is the second taxpayer's in a simplified
        triangular transaction (l10n_pl's "Triangular Sale" tax; art. 136
        ust. 1: its annotation and both EU VAT numbers are printed)."""
        self.ensure_one()
        taxes = self.invoice_line_ids.tax_ids
        tags = taxes.invoice_repartition_line_ids.tag_ids.with_context(lang="en_US")
        return "Triangular Sale" in tags.mapped("name")

    def _pl_report_seller_eu_vat(self):
        self.ensure_one()
        vat = (self.company_id.vat or "").replace(" ", "").replace("-", "")
        if vat and not vat[:2].isalpha():
            vat = "PL" + vat
        return vat

    # ------------------------------------------------------------------
    # Dates
    # ------------------------------------------------------------------
    def _pl_report_sale_date(self):
        """The sale (supply) date to print, or False (company policy)."""
        self.ensure_one()
        issue_date = self.invoice_date
        sale_date = self.taxable_supply_date
        if self.company_id.pl_sale_date_policy == "always":
            return sale_date or issue_date
        if sale_date and sale_date != issue_date:
            return sale_date
        return False

    # ------------------------------------------------------------------
    # Lines and amounts per VAT rate
    # ------------------------------------------------------------------
    @api.model
    def _pl_unit(self, uom):
        """The unit's Polish abbreviation ("szt.", "godz.", "kg", ...), as the
        printouts and the KSeF invoice (P_8A) write it."""
        names = [uom.with_context(lang="en_US").name]
        if self.env["res.lang"]._lang_get("pl_PL"):
            names.append(uom.with_context(lang="pl_PL").name)
        return polish_unit(*names)

    @api.model
    def _pl_report_tax_label(self, taxes):
        """Printed VAT rate of ``taxes``: "23%", "0%", "zw", "oo" or "np"."""
        labels = []
        for tax in taxes.flatten_taxes_hierarchy():
            label = VAT_KIND_LABELS.get(tax.pl_vat_kind)
            if not label:
                if tax.amount_type == "percent":
                    label = "%s%%" % self._pl_report_format_quantity(tax.amount)
                else:
                    label = tax.invoice_label or tax.name
            if label not in labels:
                labels.append(label)
        return ", ".join(labels)

    @api.model
    def _pl_report_rate_sort_key(self, label):
        try:
            return (0, -float(label.rstrip("%").replace(",", ".")), label)
        except ValueError:
            if label in VAT_KIND_ORDER:
                return (1, VAT_KIND_ORDER.index(label), label)
            return (2, 0, label)

    def _pl_report_lines(self):
        """Rows of the lines table, as plain dicts in the document currency."""
        self.ensure_one()
        rows = []
        number = 0
        for line in self.invoice_line_ids.sorted("sequence"):
            if line.display_type in ("line_section", "line_subsection", "line_note"):
                rows.append({"type": line.display_type, "name": line.name or ""})
                continue
            if line.display_type != "product":
                continue
            number += 1
            price_unit = line.price_unit
            if any(line.tax_ids.mapped("price_include")) and line.quantity:
                # Polish invoices show net unit prices.
                factor = line.quantity * (1.0 - (line.discount or 0.0) / 100.0)
                if factor:
                    price_unit = line.currency_id.round(line.price_subtotal / factor)
            rows.append(
                {
                    "type": "product",
                    "number": number,
                    "name": line.name or line.product_id.display_name or "",
                    "uom": self._pl_unit(line.product_uom_id)
                    if line.product_uom_id
                    else "",
                    "quantity": line.quantity,
                    "price_unit": price_unit,
                    "discount": line.discount,
                    "net": line.price_subtotal,
                    "vat": line.price_total - line.price_subtotal,
                    "gross": line.price_total,
                    "rate": self._pl_report_tax_label(line.tax_ids),
                }
            )
        return rows

    def _pl_report_vat_summary(self):
        """Amounts per VAT rate, from the journal items of the move.

        Returns ``{"rows": [...], "total": {...}}``; each row has ``rate``
        (printed label), ``net``, ``vat``, ``gross`` in the document currency
        and ``net_company``, ``vat_company``, ``gross_company`` in the company
        currency (PLN), taken from the ``balance`` of the product and tax
        lines, never re-multiplied by the rate. Amounts have the sign of the
        document (positive on an invoice and on a credit note).
        """
        self.ensure_one()
        sign = self.direction_sign
        keys = ("net", "vat", "gross", "net_company", "vat_company", "gross_company")
        by_rate = {}
        tax_rate = {}

        def row(rate):
            return by_rate.setdefault(rate, dict.fromkeys(keys, 0.0) | {"rate": rate})

        for line in self.line_ids.filtered(lambda ml: ml.display_type == "product"):
            rate = self._pl_report_tax_label(line.tax_ids)
            for tax in line.tax_ids.flatten_taxes_hierarchy():
                tax_rate.setdefault(tax.id, rate)
            values = row(rate)
            values["net"] += line.amount_currency * sign
            values["net_company"] += line.balance * sign
        for line in self.line_ids.filtered(lambda ml: ml.display_type == "tax"):
            rate = tax_rate.get(line.tax_line_id.id) or self._pl_report_tax_label(
                line.tax_line_id
            )
            values = row(rate)
            values["vat"] += line.amount_currency * sign
            values["vat_company"] += line.balance * sign
        currency, company_currency = self.currency_id, self.company_currency_id
        total = dict.fromkeys(keys, 0.0) | {"rate": False}
        rows = []
        for rate in sorted(by_rate, key=self._pl_report_rate_sort_key):
            values = by_rate[rate]
            for key in ("net", "vat"):
                values[key] = currency.round(values[key])
                values[key + "_company"] = company_currency.round(
                    values[key + "_company"]
                )
            values["gross"] = values["net"] + values["vat"]
            values["gross_company"] = values["net_company"] + values["vat_company"]
            rows.append(values)
            for key in keys:
                total[key] += values[key]
        return {"rows": rows, "total": total}

    def _pl_report_is_foreign_currency(self):
        self.ensure_one()
        return self.currency_id != self.company_currency_id

    # ------------------------------------------------------------------
    # Corrections
    # ------------------------------------------------------------------
    def _pl_report_correction_rows(self):
        """Per VAT rate: the corrected invoice before and after this correction.

        Returns a list of ``{"rate", "before", "difference", "after"}``, each
        of the three being ``{"net", "vat", "gross"}`` in the document
        currency, sorted by rate, with a last entry of rate False for the
        totals. ``before`` is the corrected invoice (after the corrections
        posted before this one, down or up), ``difference`` is minus this
        credit note or plus this upward correction, ``after`` is ``before +
        difference`` (art. 106j ust. 2 pkt 5).
        """
        self.ensure_one()
        origin = self._pl_corrected_invoice()
        if not origin:
            return []
        amounts = ("net", "vat", "gross")
        before = {}

        def add(target, summary, factor):
            for values in summary["rows"]:
                current = target.setdefault(values["rate"], dict.fromkeys(amounts, 0.0))
                for key in amounts:
                    current[key] += factor * values[key]

        add(before, origin._pl_report_vat_summary(), 1)
        for correction in self._pl_earlier_corrections():
            add(
                before,
                correction._pl_report_vat_summary(),
                correction._pl_correction_sign(),
            )
        difference = {}
        add(difference, self._pl_report_vat_summary(), self._pl_correction_sign())

        currency = self.currency_id
        zero = dict.fromkeys(amounts, 0.0)
        rows = []
        totals = {part: dict(zero) for part in ("before", "difference", "after")}
        for rate in sorted(
            set(before) | set(difference), key=self._pl_report_rate_sort_key
        ):
            entry = {"rate": rate}
            entry["before"] = {
                k: currency.round(v) for k, v in before.get(rate, zero).items()
            }
            entry["difference"] = {
                k: currency.round(v) for k, v in difference.get(rate, zero).items()
            }
            entry["after"] = {
                k: currency.round(entry["before"][k] + entry["difference"][k])
                for k in amounts
            }
            rows.append(entry)
            for part in totals:
                for key in amounts:
                    totals[part][key] += entry[part][key]
        rows.append({"rate": False, **totals})
        return rows
