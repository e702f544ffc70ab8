import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";
import { stepUtils } from "@web_tour/tour_utils";
import { showProductColumn } from "@account/js/tours/tour_utils";

/**
 * A Faktura VAT from the customer invoice list: new invoice, customer,
 * default document type, one product line, Confirm, number FV/1/MM/YYYY in
 * the title, Print.
 *
 * Data (customer "Hurtownia Żółw", product "Kabel miedziany", the company
 * on the l10n_pl chart) comes from crm_invoicing_pl/tests/test_tour.py.
 *
 * Print: in tests Odoo renders the report as HTML served as the PDF
 * download, and Chrome is told to deny downloads, so nothing can be looked
 * at on the page. The step before the click wraps download._download (the
 * hook Odoo keeps for tests): the wrapper lets the real request go to
 * /report/download and, only once the server answered with the file (an
 * error would reject the promise and open an error dialog, which fails the
 * tour), marks <body> with the report URL that was requested. The next step
 * waits for that mark.
 */
const FORM = ".o_form_view";
const LINES = `${FORM} div[name=invoice_line_ids]`;

registry.category("web_tour.tours").add("crm_invoicing_pl_invoice_tour", {
    url: "/odoo/action-account.action_move_out_invoice_type",
    steps: () => [
        {
            content: "Create a new customer invoice",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Type the customer",
            trigger: `${FORM} .o_field_widget[name=partner_id] input`,
            run: "edit Hurtownia",
        },
        {
            content: "Pick the customer",
            trigger: ".o-autocomplete--dropdown-item a:contains(Hurtownia Żółw)",
            run: "click",
        },
        {
            content: "The customer is set",
            trigger: `${FORM} .o_field_widget[name=partner_id] input:value(/Hurtownia Żółw/)`,
        },
        {
            content: "The document type is the default Faktura VAT",
            trigger: `${FORM} .o_field_widget[name=pl_document_type_id] input:value(Faktura VAT)`,
        },
        {
            content: "Add a line",
            trigger: `${LINES} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        ...showProductColumn(),
        {
            content: "Type the product",
            trigger: `${LINES} .o_selected_row [name=product_id] input`,
            run: "edit Kabel",
        },
        {
            content: "Pick the product",
            trigger: ".o-autocomplete--dropdown-item a:contains(Kabel miedziany)",
            run: "click",
        },
        {
            content: "The product line got its 23 % tax",
            trigger: `${LINES} .o_selected_row [name=tax_ids] .o_tag:contains(23)`,
        },
        ...stepUtils.saveForm(),
        {
            content: "Confirm the invoice",
            trigger: `${FORM} .o_form_statusbar button[name=action_post]:contains(Confirm)`,
            run: "click",
        },
        {
            content: "The invoice is posted",
            trigger: `${FORM} .o_statusbar_status .o_arrow_button_current[data-value=posted]`,
        },
        {
            content: "The title shows the number FV/1/<month>/<year>",
            trigger: `${FORM} .oe_title .o_field_widget[name=name]:contains(FV/1/)`,
            run() {
                const number = this.anchor.textContent.trim();
                if (!/^FV\/1\/\d{2}\/\d{4}$/.test(number)) {
                    throw new Error(`Unexpected invoice number "${number}"`);
                }
            },
        },
        {
            content: "Watch the report download",
            trigger: `${FORM} .o_form_statusbar button[name=action_print_pdf]`,
            run() {
                const original = download._download;
                download._download = async (options) => {
                    download._download = original;
                    const result = await original(options);
                    const requested = JSON.parse(options.data?.data || "[]")[0] || "";
                    document.body.dataset.plReportUrl = requested;
                    return result;
                };
            },
        },
        {
            content: "Print the invoice",
            trigger: `${FORM} .o_form_statusbar button[name=action_print_pdf]:contains(Print)`,
            run: "click",
        },
        {
            content: "The invoice report was requested and served",
            trigger: "body[data-pl-report-url^='/report/pdf/account.report_invoice']",
        },
        {
            content: "No error dialog",
            trigger: `body:not(:has(.o_error_dialog)) ${FORM}`,
        },
    ],
});
