import { registry } from "@web/core/registry";

/**
 * The Receivables and KSeF dashboard (Dashboards > Finance): its tiles are
 * scorecards; a click on one opens its list. Data from
 * tests/test_receivables_dashboard_tour.py: an invoice of "Hurtownia Żółw"
 * 40 days overdue and one of "Jan Kowalski" 10 days overdue.
 */
const TITLES = [
    "Receivables",
    "Inflows this Month",
    "VAT Due this Month",
    "Waiting for KSeF",
    "Overdue 1-30 Days",
    "Overdue 31-60 Days",
    "Overdue 61-90 Days",
    "Overdue over 90 Days",
];
const tile = (title) => `canvas.o-scorecard[title='${title}']`;

const openOverdueList = () => [
    {
        content: "The 31-60 days tile opens its list",
        trigger: tile("Overdue 31-60 Days"),
        run: "click",
    },
    {
        // (in the navigation bar on a phone)
        content: "The list is named after the tile",
        trigger: ".o_breadcrumb:contains(Overdue 31-60 Days)",
    },
    {
        content: "It lists the invoice 40 days overdue",
        trigger: ".o_list_view .o_data_row:contains(Hurtownia Żółw)",
    },
    {
        content: "and not the one 10 days overdue",
        trigger: ".o_list_view:not(:has(.o_data_row:contains(Jan Kowalski)))",
    },
];

registry.category("web_tour.tours").add("crm_invoicing_pl_dashboard_tour", {
    steps: () => [
        {
            content: "Open the dashboard from the dashboards' side panel",
            trigger: ".o_search_panel_category_value[data-name='Receivables and KSeF']",
            run: "click",
        },
        ...TITLES.map((title) => ({
            content: `The ${title} tile is shown`,
            trigger: `.o_spreadsheet_dashboard_action ${tile(title)}`,
        })),
        ...openOverdueList(),
    ],
});

registry.category("web_tour.tours").add("crm_invoicing_pl_dashboard_mobile_tour", {
    steps: () => [
        ...TITLES.map((title) => ({
            content: `The ${title} tile is shown on the phone`,
            trigger: `.o_mobile_dashboard .o-mobile-figure ${tile(title)}`,
        })),
        ...openOverdueList(),
    ],
});
