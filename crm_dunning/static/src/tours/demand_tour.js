import { registry } from "@web/core/registry";

/**
 * A payment demand from the customer form: Dunning page -> Payment Demand
 * -> the wizard (deadline 14 days, e-mail only) -> Issue. The customer and
 * its overdue invoice come from crm_dunning/tests/test_demand_tour.py,
 * which checks the demand the tour issued.
 */
const FORM = ".o_form_view";
const DIALOG = ".modal .o_form_view";

registry.category("web_tour.tours").add("crm_dunning_demand_tour", {
    steps: () => [
        {
            content: "The customer form is open",
            trigger: `${FORM} .o_field_widget[name=name] input:value(/Hurtownia Żółw/), ${FORM} .o_field_widget[name=name] textarea:value(/Hurtownia Żółw/)`,
        },
        {
            content: "Open the Dunning page",
            trigger: `${FORM} .o_notebook .nav-link:contains(Dunning)`,
            run: "click",
        },
        {
            content: "Payment demand for the customer",
            trigger: `${FORM} button[name=action_crm_dunning_demand_wizard]`,
            run: "click",
        },
        {
            content: "The wizard opens for the customer",
            trigger: `${DIALOG} .o_field_widget[name=deadline_days] input`,
        },
        {
            content: "Payment deadline in 14 days",
            trigger: `${DIALOG} .o_field_widget[name=deadline_days] input`,
            run: "edit 14",
        },
        {
            content: "All overdue invoices of the customer",
            trigger: `${DIALOG} .o_field_widget[name=mode] input[data-value=collective]`,
            run: "click",
        },
        {
            content: "Also as a registered letter",
            trigger: `${DIALOG} .o_field_widget[name=registered_letter] input`,
            run: "click",
        },
        {
            content: "Issue the payment demand",
            trigger: ".modal footer button[name=action_create_demands]",
            run: "click",
        },
        {
            content: "The issued demand is open",
            trigger: `${FORM} .o_statusbar_status .o_arrow_button_current[data-value=issued]`,
        },
        {
            content: "It has its number",
            trigger: `${FORM} .oe_title .o_field_widget[name=name]:contains(WZ/)`,
        },
    ],
});
