import { registry } from "@web/core/registry";

/**
 * A posted Faktura VAT sent to KSeF from its form: Send, "by KSeF" ticked
 * and "by Email" not in the sending wizard, Send (Generate); the invoice shows "Sent (In Progress)"; Check
 * Sending; the invoice shows "Accepted" and its KSeF number.
 *
 * KSeF is the local fake started by crm_invoicing_pl_ksef/tests/test_ksef_sending_tour.py,
 * which also posts the invoice and opens the tour on it.
 */
const FORM = ".o_form_view";
const HEADER = `${FORM} .o_form_statusbar`;
const KSEF_NUMBER = /^\d{10}-\d{8}-[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{2}$/;

registry.category("web_tour.tours").add("crm_invoicing_pl_ksef_sending_tour", {
    steps: () => [
        {
            content: "The invoice is posted",
            trigger: `${FORM} .o_statusbar_status .o_arrow_button_current[data-value=posted]`,
        },
        {
            content: "It is not in KSeF yet",
            trigger: `${FORM} .oe_title [name=name]`,
            run() {
                const number = document.querySelector(`${FORM} [name=l10n_pl_edi_number]`);
                if (number && number.offsetParent !== null) {
                    throw new Error("The invoice already shows a KSeF number");
                }
            },
        },
        {
            content: "Open the sending wizard",
            trigger: `${HEADER} button[name=action_invoice_sent]`,
            run: "click",
        },
        {
            content: "Send by KSeF",
            trigger: ".modal [name=extra_edi_checkboxes] .form-check:contains(KSeF) input",
            run: "check",
        },
        {
            content: "Only to KSeF: not by e-mail (the customer has no address)",
            trigger: ".modal [name=sending_method_checkboxes] .form-check:contains(Email) input",
            run: "uncheck",
        },
        {
            content: "Send",
            trigger: ".modal footer button[name=action_send_and_print]",
            run: "click",
        },
        {
            content: "The invoice is sent to KSeF and waits for its status",
            trigger: `body:not(:has(.modal)) ${FORM} [name=l10n_pl_edi_status]:contains(Sent (In Progress))`,
        },
        {
            content: "Ask KSeF for the status (the page reloads)",
            trigger: `${HEADER} button[name=action_l10n_pl_edi_update_invoice_status]`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "KSeF accepted the invoice",
            trigger: `${FORM} [name=l10n_pl_edi_status]:contains(Accepted)`,
        },
        {
            content: "The KSeF number is shown",
            trigger: `${FORM} [name=l10n_pl_edi_number]`,
            run() {
                const number = this.anchor.textContent.trim();
                if (!KSEF_NUMBER.test(number)) {
                    throw new Error(`Unexpected KSeF number "${number}"`);
                }
            },
        },
        {
            content: "No error dialog",
            trigger: `body:not(:has(.o_error_dialog)) ${FORM}`,
        },
    ],
});
