import { registry } from "@web/core/registry";

/**
 * KSeF from the invoice list, on a desktop and on a phone.
 *
 * Data (two posted invoices not sent yet, a draft and an invoice KSeF
 * accepted) and the local fake KSeF come from
 * crm_invoicing_pl_ksef/tests/test_ksef_list_tour.py, which checks that KSeF
 * received exactly the two invoices to send.
 */
const ROW = ".o_list_view .o_data_row";
const CARD = ".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)";
const NOT_SENT = "[name=pl_ksef_state]:contains(Not Sent)";
const ACCEPTED = "[name=pl_ksef_state]:contains(Accepted)";
const SUMMARY = (skipped) =>
    `.o_notification:contains(Sent to KSeF: 2, skipped: ${skipped}, not sent: 0.)`;

registry.category("web_tour.tours").add("crm_invoicing_pl_ksef_list_tour", {
    steps: () => [
        {
            content: "The list shows the invoices KSeF does not have yet",
            trigger: `${ROW} ${NOT_SENT}`,
        },
        {
            content: "and the invoice KSeF accepted, with its UPO",
            trigger: `${ROW}:has(${ACCEPTED}) button[name=action_pl_ksef_download_upo]`,
        },
        {
            content: "and its verification link (the QR code's)",
            trigger: `${ROW}:has(${ACCEPTED}) button[name=action_pl_ksef_open_verification]`,
        },
        {
            content: "Select all the invoices",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Four invoices are selected",
            trigger: ".o_selection_box:contains(4 selected)",
        },
        {
            content: "Send them to KSeF",
            trigger: ".o_control_panel button[name=action_pl_ksef_send]",
            run: "click",
        },
        {
            content: "Two were sent; the draft and the accepted one were skipped",
            trigger: SUMMARY(2),
        },
        {
            content: "The list shows them sent, waiting for KSeF's status",
            trigger: `${ROW} [name=pl_ksef_state]:contains(Sent (In Progress))`,
        },
        {
            content: "None is left to send",
            trigger: `.o_list_view:not(:has(${NOT_SENT})) .o_data_row`,
        },
    ],
});

registry.category("web_tour.tours").add("crm_invoicing_pl_ksef_list_mobile_tour", {
    steps: () => [
        {
            content: "On a phone the invoices open as cards with their KSeF status",
            trigger: `body:not(:has(.o_list_view)) ${CARD}:has(${NOT_SENT})`,
        },
        {
            content: "A long touch selects the first invoice to send",
            trigger: `${CARD}:has(${NOT_SENT})`,
            async run() {
                const card = this.anchor;
                card.dispatchEvent(new TouchEvent("touchstart", { bubbles: true }));
                await new Promise((resolve) => setTimeout(resolve, 700));
                card.dispatchEvent(new TouchEvent("touchend", { bubbles: true }));
            },
        },
        {
            content: "It is selected",
            trigger: `${CARD}.o_record_selected:has(${NOT_SENT})`,
        },
        {
            content: "A tap adds the other invoice to send",
            trigger: `${CARD}:not(.o_record_selected):has(${NOT_SENT})`,
            run: "click",
        },
        {
            content: "and the invoice KSeF accepted",
            trigger: `${CARD}:not(.o_record_selected):has(${ACCEPTED})`,
            run: "click",
        },
        {
            content: "Three invoices are selected",
            trigger: ".o_selection_box:contains(3 selected)",
        },
        {
            content: "Open the menu of the selection",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Send them to KSeF",
            trigger: ".o-dropdown--menu button[name=action_pl_ksef_send]",
            run: "click",
        },
        {
            content: "Two were sent; the accepted one was skipped",
            trigger: SUMMARY(1),
        },
        {
            content: "The cards show them sent, waiting for KSeF's status",
            trigger: `${CARD} [name=pl_ksef_state]:contains(Sent (In Progress))`,
        },
    ],
});
