import { registry } from "@web/core/registry";

/**
 * An offer above an approval rule (a 15 % line discount; the rule allows
 * 10 %): its salesperson cannot confirm it and asks for approval ("Request
 * Approval", base_tier_validation's request_validation); a sales manager
 * approves it ("Approve Offer", validate_tier, in the banner above the
 * offer); then it can be confirmed. On a phone the header shows its first
 * button only: the request is in the "More" dropdown.
 *
 * Data from crm_invoicing_pl_approval/tests/test_offer_approval_tour.py,
 * which checks the reviews and confirms the approved offer.
 */
const FORM = ".o_form_view";
const REQUEST = "button[name=request_validation]";

function offerOpen() {
    return [
        {
            content: "The offer is open",
            trigger: `${FORM} .o_field_widget[name=partner_id]:contains(Hurtownia Żółw), ${FORM} .o_field_widget[name=partner_id] input:value(Hurtownia Żółw)`,
        },
    ];
}

function requested() {
    return [
        {
            content: "Requested: the banner names who approves it next",
            trigger: `${FORM}:not(:has(${REQUEST})) .alert-warning .o_field_widget[name=next_review]`,
        },
        {
            content: "The salesperson cannot approve the offer",
            trigger: `${FORM}:not(:has(button[name=validate_tier])) .alert-warning`,
        },
        {
            content: "Nor confirm it yet",
            trigger: `body:not(:has(button[name=action_confirm])) ${FORM}`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_invoicing_pl_approval_offer_request_tour", {
    steps: () => [
        ...offerOpen(),
        {
            content: "Above the rule the offer cannot be confirmed",
            trigger: `${FORM} .o_form_statusbar:has(${REQUEST}):not(:has(button[name=action_confirm]))`,
        },
        {
            content: "Ask for approval",
            trigger: `${FORM} .o_form_statusbar ${REQUEST}`,
            run: "click",
        },
        ...requested(),
    ],
});

registry.category("web_tour.tours").add("crm_invoicing_pl_approval_offer_request_mobile_tour", {
    steps: () => [
        ...offerOpen(),
        {
            content: "On a phone the header's other buttons fold into More",
            trigger: `${FORM} .o_statusbar_buttons button[title=More]`,
            run: "click",
        },
        {
            content: "Above the rule the offer cannot be confirmed",
            trigger: `body:has(.o-dropdown--menu ${REQUEST}):not(:has(button[name=action_confirm]))`,
        },
        {
            content: "Ask for approval",
            trigger: `.o-dropdown--menu ${REQUEST}`,
            run: "click",
        },
        ...requested(),
    ],
});

registry.category("web_tour.tours").add("crm_invoicing_pl_approval_offer_approve_tour", {
    steps: () => [
        ...offerOpen(),
        {
            content: "The manager approves the offer (the banner's button)",
            trigger: `${FORM} .alert-warning button[name=validate_tier]`,
            run: "click",
        },
        {
            content: "The offer is approved",
            trigger: `${FORM} .alert-success:not(.d-none)`,
        },
        {
            content: "Nothing is left to approve",
            trigger: `${FORM}:not(:has(button[name=validate_tier])) .alert-success`,
        },
    ],
});
