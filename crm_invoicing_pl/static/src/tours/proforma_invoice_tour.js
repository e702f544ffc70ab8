import { registry } from "@web/core/registry";

/**
 * Pro forma -> Faktura VAT in one click. On an issued pro forma made by hand
 * (2 x "Kabel miedziany" at 100,00 + 23 %), Odoo's Confirm is not shown (a
 * pro forma is never posted); "Create VAT Invoice" makes the draft VAT
 * invoice and opens it, linked to the pro forma.
 *
 * Data from crm_invoicing_pl/tests/test_proforma_invoice_tour.py
 * (TestProformaInvoiceTour), which checks the invoice the tour made.
 */
const FORM = ".o_form_view";

registry.category("web_tour.tours").add("crm_invoicing_pl_proforma_invoice_tour", {
    steps: () => [
        {
            content: "The pro forma is open",
            trigger: `${FORM} .o_field_widget[name=name] input:value(/^PF/), ${FORM} .o_field_widget[name=name]:contains(PF/1/)`,
        },
        {
            content: "A pro forma has no Confirm button",
            trigger: `${FORM} .o_form_statusbar:has(button[name=action_pl_invoice_from_proforma]):not(:has(button[name=action_post]))`,
        },
        {
            content: "Create the VAT invoice, one click",
            trigger: `${FORM} .o_form_statusbar button[name=action_pl_invoice_from_proforma]`,
            run: "click",
        },
        {
            content: "The VAT invoice is open",
            trigger: `${FORM} .o_field_widget[name=pl_document_type_id] input:value(Faktura VAT)`,
        },
        {
            content: "It names its pro forma",
            trigger: `${FORM} .o_field_widget[name=pl_proforma_id]:contains(PF/1/)`,
        },
        {
            content: "It can be confirmed (posted)",
            trigger: `${FORM} .o_form_statusbar button[name=action_post]`,
        },
        {
            content: "The invoice's lines are the pro forma's",
            trigger: `${FORM} div[name=invoice_line_ids] .o_data_row:contains(Kabel miedziany)`,
        },
    ],
});
