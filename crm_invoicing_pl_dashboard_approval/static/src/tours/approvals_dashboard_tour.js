import { registry } from "@web/core/registry";

/**
 * The Approvals dashboard (Dashboards > Finance): its tiles are scorecards; a
 * click on one opens its list. Data from
 * tests/test_approvals_dashboard_tour.py: an invoice and an offer of
 * "Hurtownia Żółw" waiting for approval, a small invoice and offer of
 * "Jan Kowalski" that need none.
 */
const TITLES = [
    "Invoices Waiting for Approval",
    "Offers Waiting for Approval",
    "Invoices to Approve by Me",
    "Offers to Approve by Me",
];
const tile = (title) => `canvas.o-scorecard[title='${title}']`;

const openList = (title) => [
    {
        content: `The ${title} tile opens its list`,
        trigger: tile(title),
        run: "click",
    },
    {
        // (in the navigation bar on a phone)
        content: "The list is named after the tile",
        trigger: `.o_breadcrumb:contains(${title})`,
    },
    {
        content: "It lists the document waiting for approval",
        trigger: ".o_list_view .o_data_row:contains(Hurtownia Żółw)",
    },
    {
        content: "and not the one that needs none",
        trigger: ".o_list_view:not(:has(.o_data_row:contains(Jan Kowalski)))",
    },
];

registry.category("web_tour.tours").add("crm_invoicing_pl_dashboard_approval_tour", {
    steps: () => [
        {
            content: "Open the dashboard from the dashboards' side panel",
            trigger: ".o_search_panel_category_value[data-name='Approvals']",
            run: "click",
        },
        ...TITLES.map((title) => ({
            content: `The ${title} tile is shown`,
            trigger: `.o_spreadsheet_dashboard_action ${tile(title)}`,
        })),
        ...openList("Invoices Waiting for Approval"),
    ],
});

registry
    .category("web_tour.tours")
    .add("crm_invoicing_pl_dashboard_approval_mobile_tour", {
        steps: () => [
            ...TITLES.map((title) => ({
                content: `The ${title} tile is shown on the phone`,
                trigger: `.o_mobile_dashboard .o-mobile-figure ${tile(title)}`,
            })),
            ...openList("Offers Waiting for Approval"),
        ],
    });
