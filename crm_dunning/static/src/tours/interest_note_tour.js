import { registry } from "@web/core/registry";

/**
 * An interest note from the customer form: Dunning page, "Interest Note"
 * button, the wizard (date 2026-04-01, collective), Create, Post.
 *
 * Data (customer "Hurtownia Żółw" with an overdue invoice, the NBP EUR rate)
 * comes from crm_dunning/tests/test_interest_note_tour.py.
 */
const FORM = ".o_form_view";
const DIALOG = ".modal .o_form_view";

registry.category("web_tour.tours").add("crm_dunning_interest_note_tour", {
    steps: () => [
        {
            content: "The customer form is open",
            trigger: `${FORM} .o_field_widget[name=name]:contains(Hurtownia Żółw), ${FORM} .o_field_widget[name=name] input:value(/Hurtownia Żółw/)`,
        },
        {
            content: "Open the Dunning page",
            trigger: `${FORM} .o_notebook .nav-link[name=dunning]`,
            run: "click",
        },
        {
            content: "Create an interest note",
            trigger: `${FORM} button[name=action_dunning_interest_note_wizard]`,
            run: "click",
        },
        {
            content: "The wizard is for the customer",
            trigger: `${DIALOG} .o_field_widget[name=partner_id] input:value(/Hurtownia Żółw/)`,
        },
        {
            content: "Focus the date (shown as a button until edited)",
            trigger: `${DIALOG} .o_field_widget[name=date] .o_input`,
            run: "click",
        },
        {
            content: "Compute on 1 April 2026",
            trigger: `${DIALOG} .o_field_widget[name=date] input`,
            run: "edit 2026-04-01 && press Enter",
        },
        {
            content: "One note for all the customer's invoices",
            trigger: `${DIALOG} .o_field_widget[name=mode] input[data-value=collective]`,
            run: "click",
        },
        {
            content: "Compensation is proposed for a business customer",
            trigger: `${DIALOG} .o_field_widget[name=include_compensation] input:checked`,
        },
        {
            content: "Create the note",
            trigger: `.modal footer button[name=action_create_notes]`,
            run: "click",
        },
        {
            content: "The draft note shows its interest lines",
            trigger: `${FORM} .o_field_widget[name=line_ids] .o_data_row`,
        },
        {
            content: "Post the note",
            trigger: `${FORM} .o_form_statusbar button[name=action_post]`,
            run: "click",
        },
        {
            content: "The note is posted",
            trigger: `${FORM} .o_statusbar_status .o_arrow_button_current[data-value=posted]`,
        },
        {
            content: "The note has its number",
            trigger: `${FORM} .oe_title .o_field_widget[name=name]:contains(NO/2026/)`,
        },
    ],
});
