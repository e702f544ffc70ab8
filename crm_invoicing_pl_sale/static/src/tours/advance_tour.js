import { registry } from "@web/core/registry";

/**
 * The document chain of art. 106f, each document by one click: opportunity
 * -> New Quotation (one product line) -> Pro Forma -> Advance Invoice from
 * the pro forma (amount received and its date) -> Confirm the advance ->
 * back to the Offer -> Confirm the order -> Final Invoice -> Confirm it.
 *
 * Data (opportunity "Dostawa kabla" of "Hurtownia Żółw", product "Kabel
 * miedziany" at 100,00 + 23 %) comes from crm_invoicing_pl/tests/test_tour.py
 * (TestAdvanceTour), which checks the documents the tour made.
 */
const FORM = ".o_form_view";
const DIALOG = ".modal .o_form_view";

registry.category("web_tour.tours").add("crm_invoicing_pl_advance_tour", {
    steps: () => [
        {
            content: "The opportunity is open",
            trigger: `${FORM} .o_field_widget[name=name] textarea:value(Dostawa kabla), ${FORM} .o_field_widget[name=name] input:value(Dostawa kabla)`,
        },
        {
            content: "New quotation from the opportunity",
            trigger: `${FORM} button[name=action_sale_quotations_new]`,
            run: "click",
        },
        {
            content: "The quotation is for the opportunity's customer",
            trigger: `${FORM} .o_field_widget[name=partner_id] input:value(/Hurtownia Żółw/)`,
        },
        {
            content: "Add a product",
            trigger: `${FORM} div[name=order_line] a:contains(Add a product)`,
            run: "click",
        },
        {
            content: "Type the product",
            trigger: `${FORM} div[name=order_line] .o_selected_row div[name=product_template_id] input`,
            run: "edit Kabel",
        },
        {
            content: "Pick the product",
            trigger: ".o-autocomplete--dropdown-item a:contains(Kabel miedziany)",
            run: "click",
        },
        {
            content: "The line got its price",
            trigger: `${FORM} div[name=order_line] .o_selected_row div[name=price_unit] input:value(/100/)`,
        },
        {
            content: "Pro forma of the offer, one click",
            trigger: `${FORM} .o_form_statusbar button[name=action_pl_create_proforma]`,
            run: "click",
        },
        {
            content: "Advance invoice from the issued pro forma, one click",
            trigger: `${FORM} .o_form_statusbar button[name=action_pl_advance_from_proforma]`,
            run: "click",
        },
        {
            content: "The wizard proposes the amount received",
            trigger: `${DIALOG} .o_field_widget[name=advance_payment_method] input[data-value=pl_received]:checked`,
        },
        {
            content: "Amount received",
            trigger: `${DIALOG} .o_field_widget[name=fixed_amount] input`,
            run: "edit 61.50",
        },
        {
            content: "Date received",
            trigger: `${DIALOG} .o_field_widget[name=pl_payment_date] input`,
            run: "edit 11/10/2026",
        },
        {
            content: "Create the advance invoice",
            trigger: `.modal footer button[name=create_invoices]`,
            run: "click",
        },
        {
            content: "The advance invoice is open",
            trigger: `${FORM} .o_field_widget[name=pl_document_type_id] input:value(Faktura zaliczkowa)`,
        },
        {
            content: "Confirm the advance invoice",
            trigger: `${FORM} .o_form_statusbar button[name=action_post]:contains(Confirm)`,
            run: "click",
        },
        {
            content: "The advance invoice is posted",
            trigger: `${FORM} .o_statusbar_status .o_arrow_button_current[data-value=posted]`,
        },
        {
            content: "The advance has its number",
            trigger: `${FORM} .oe_title .o_field_widget[name=name]:contains(FZ/1/)`,
        },
        {
            content: "Back to the offer",
            trigger: ".o-form-buttonbox button[name=action_pl_view_offer]",
            run: "click",
        },
        {
            content: "The order lists its advance",
            trigger: ".o-form-buttonbox button[name=action_pl_view_advances]:contains(1)",
        },
        {
            content: "Confirm the order",
            trigger: `${FORM} .o_form_statusbar button[name=action_confirm]:not(.btn-primary), ${FORM} .o_form_statusbar button#action_confirm`,
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: `${FORM} .o_statusbar_status .o_arrow_button_current[data-value=sale]`,
        },
        {
            content: "Final invoice, one click",
            trigger: `${FORM} .o_form_statusbar button[name=action_pl_final_invoice]`,
            run: "click",
        },
        {
            content: "The final invoice is open",
            trigger: `${FORM} .o_field_widget[name=pl_document_type_id] input:value(Faktura końcowa)`,
        },
        {
            content: "Confirm the final invoice",
            trigger: `${FORM} .o_form_statusbar button[name=action_post]:contains(Confirm)`,
            run: "click",
        },
        {
            content: "The final invoice has its number",
            trigger: `${FORM} .oe_title .o_field_widget[name=name]:contains(FK/1/)`,
        },
    ],
});
