import { registry } from "@web/core/registry";

/**
 * Pro forma -> Faktura VAT on a phone (375 x 667, touch). The form's header
 * shows its first button; the others fold into the "More" dropdown, so the
 * tour opens it and takes "Create VAT Invoice" from wherever it is. Odoo's
 * Confirm is shown nowhere (a pro forma is never posted). The one2many of
 * lines is shown as cards on a phone.
 *
 * Data from crm_invoicing_pl/tests/test_proforma_invoice_mobile_tour.py
 * (TestProformaInvoiceMobileTour), which checks the invoice the tour made.
 */
const FORM = ".o_form_view";
const CREATE_VAT = "button[name=action_pl_invoice_from_proforma]";

registry.category("web_tour.tours").add("crm_invoicing_pl_proforma_invoice_mobile_tour", {
    steps: () => [
        {
            content: "The pro forma is open",
            trigger: `${FORM} .o_field_widget[name=name] input:value(/^PF/), ${FORM} .o_field_widget[name=name]:contains(PF/1/)`,
        },
        {
            content: "On a phone the header's other buttons fold into More",
            trigger: `${FORM} .o_statusbar_buttons button[title=More]`,
            run: "click",
        },
        {
            content: "A pro forma has no Confirm button, folded or not",
            trigger: `body:has(.o-dropdown--menu):not(:has(button[name=action_post]))`,
        },
        {
            content: "Create the VAT invoice, one tap",
            trigger: `.o-dropdown--menu ${CREATE_VAT}, ${FORM} .o_statusbar_buttons ${CREATE_VAT}`,
            run: "click",
        },
        {
            content: "The VAT invoice is open",
            trigger: `${FORM} .o_field_widget[name=pl_document_type_id] input:value(Faktura VAT), ${FORM} .o_field_widget[name=pl_document_type_id]:contains(Faktura VAT)`,
        },
        {
            content: "It names its pro forma",
            trigger: `${FORM} .o_field_widget[name=pl_proforma_id]:contains(PF/1/)`,
        },
        {
            content: "It can be confirmed (posted): the header's first button",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_post]`,
        },
        {
            content: "The invoice's lines are the pro forma's",
            trigger: `${FORM} div[name=invoice_line_ids]:contains(Kabel miedziany)`,
        },
    ],
});
