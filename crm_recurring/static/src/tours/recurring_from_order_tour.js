import { registry } from "@web/core/registry";

/**
 * A recurring contract made from a confirmed order (1 x service, invoiced
 * on 10.11.2026; the test runs on 20.11.2026): "Recurring Contract" opens
 * the new contract as a draft, first invoiced on 01.12.2026 (the order's
 * invoice billed November), with a warning naming the period the order
 * invoiced; "Start" starts it. On a phone the order's header shows its first
 * button only: "Recurring Contract" is in the "More" dropdown.
 *
 * Data from crm_recurring/tests/test_recurring_from_order_tour.py, which
 * checks the contract the tour made and that it invoices nothing before its
 * first invoice date.
 */
const FORM = ".o_form_view";
const CREATE = "button[name=action_crm_recurring_create]";

function orderOpen() {
    return [
        {
            content: "The confirmed order is open",
            trigger: `${FORM} .o_field_widget[name=partner_id]:contains(Hurtownia Żółw), ${FORM} .o_field_widget[name=partner_id] input:value(Hurtownia Żółw)`,
        },
    ];
}

function contractSteps() {
    return [
        {
            content: "The contract is a draft: nothing is invoiced until it is started",
            trigger: `${FORM} .alert-info:contains(Draft)`,
        },
        {
            content: "It names its order",
            trigger: `${FORM} .o_field_widget[name=sale_order_id]`,
        },
        {
            content: "Its first invoice date: 01.12.2026 (shown without its year in the current year)",
            trigger: [
                `${FORM} .o_field_widget[name=next_invoice_date]:contains(Dec 1)`,
                `${FORM} .o_field_widget[name=next_invoice_date]:contains(12/01/2026)`,
                `${FORM} .o_field_widget[name=next_invoice_date]:contains(01.12.2026)`,
                `${FORM} .o_field_widget[name=next_invoice_date] input:value(12/01/2026)`,
                `${FORM} .o_field_widget[name=next_invoice_date] input:value(01.12.2026)`,
            ].join(", "),
        },
        {
            content: "The warning names the period the order already invoiced and the first invoice date",
            trigger: `${FORM} .alert-warning .o_field_widget[name=sale_order_warning]:contains(11/2026):contains(12/01/2026)`,
        },
        {
            content: "Start the contract",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_start]`,
            run: "click",
        },
        {
            content: "The contract is running",
            trigger: `${FORM}:not(:has(button[name=action_start])):not(:has(.alert-info)) .o_field_widget[name=state]:contains(Running)`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_recurring_from_order_tour", {
    steps: () => [
        ...orderOpen(),
        {
            content: "Make the order's recurring contract",
            trigger: `${FORM} .o_form_statusbar ${CREATE}`,
            run: "click",
        },
        ...contractSteps(),
    ],
});

registry.category("web_tour.tours").add("crm_recurring_from_order_mobile_tour", {
    steps: () => [
        ...orderOpen(),
        {
            content: "On a phone the header's other buttons fold into More",
            trigger: `${FORM} .o_statusbar_buttons button[title=More]`,
            run: "click",
        },
        {
            content: "Make the order's recurring contract",
            trigger: `.o-dropdown--menu ${CREATE}`,
            run: "click",
        },
        ...contractSteps(),
    ],
});
