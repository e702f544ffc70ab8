import { registry } from "@web/core/registry";

/**
 * The invoices, the document chain and the customer card on a phone (the
 * test runs the browser at 375 x 667 with touch): the invoice menu opens on
 * cards, a card opens the final invoice, its Offer button (behind the bolt
 * of the phone's button box) opens the order, the order's Advances button
 * the advance invoice, its customer the customer card with its open amount
 * and latest documents, where the phone number is changed and saved.
 *
 * Data (order of "Hurtownia Żółw", a paid advance FZ/1/.. and an unpaid
 * final invoice FK/1/.. of 61,50) comes from tests/test_mobile_tour.py,
 * which checks the phone number the tour saved.
 */
const FORM = ".o_form_view";
const FINAL_CARD = ".o_kanban_view .o_kanban_record:contains(FK/1/)";

registry.category("web_tour.tours").add("crm_invoicing_pl_mobile_tour", {
    steps: () => [
        {
            content: "On a phone the invoices open as cards, not as a list",
            trigger: `body:not(:has(.o_list_view)) ${FINAL_CARD}`,
        },
        {
            content: "The card shows the document kind",
            trigger: `${FINAL_CARD}:contains(Faktura końcowa)`,
        },
        {
            content: "The card shows the payment status",
            trigger: `${FINAL_CARD}:contains(Not Paid)`,
        },
        {
            content: "Open the final invoice",
            trigger: FINAL_CARD,
            run: "click",
        },
        {
            content: "The final invoice is open",
            trigger: `${FORM} .oe_title .o_field_widget[name=name]:contains(FK/1/)`,
        },
        {
            content: "The phone's button box folds behind the bolt",
            trigger: `${FORM} .o-form-buttonbox .o_button_more`,
            run: "click",
        },
        {
            content: "Up the document chain: the offer",
            trigger: ".o-dropdown--menu button[name=action_pl_view_offer]",
            run: "click",
        },
        {
            content: "The order is open",
            trigger: `${FORM} .o_field_widget[name=partner_id]:contains(Hurtownia Żółw)`,
        },
        {
            content: "The order's buttons, behind the bolt",
            trigger: `${FORM} .o-form-buttonbox .o_button_more`,
            run: "click",
        },
        {
            content: "Down the chain: the advance invoice",
            trigger: ".o-dropdown--menu button[name=action_pl_view_advances]",
            run: "click",
        },
        {
            content: "The advance invoice is open",
            trigger: `${FORM} .oe_title .o_field_widget[name=name]:contains(FZ/1/)`,
        },
        {
            content: "Open its customer",
            trigger: `${FORM} .o_field_widget[name=partner_id] a.o_form_uri`,
            run: "click",
        },
        {
            content: "The customer card is open",
            trigger: `${FORM} .o_field_widget[name=name]:has(textarea, input)`,
        },
        {
            content: "Its invoices page",
            trigger: `${FORM} .o_notebook .nav-link:contains(Invoices)`,
            run: "click",
        },
        {
            content: "The customer owes the final invoice",
            trigger: `${FORM} .o_field_widget[name=pl_open_amount]:contains(61.50)`,
        },
        {
            content: "Its payment status",
            trigger: `${FORM} .o_field_widget[name=pl_payment_status]:contains(Open)`,
        },
        {
            content: "Its latest documents, as cards on the phone",
            trigger: `${FORM} .o_field_widget[name=pl_invoice_history_ids] .o_kanban_record:contains(FZ/1/)`,
        },
        {
            content: "The final invoice among them",
            trigger: `${FORM} .o_field_widget[name=pl_invoice_history_ids] .o_kanban_record:contains(FK/1/)`,
        },
        {
            content: "Update the customer's phone number",
            trigger: `${FORM} .o_field_widget[name=phone] input`,
            run: "edit +48 600 100 200",
        },
        {
            content: "Save the customer card",
            trigger: `${FORM} .o_form_button_save`,
            run: "click",
        },
        {
            content: "The customer card is saved",
            trigger: ".o_form_saved",
        },
    ],
});
