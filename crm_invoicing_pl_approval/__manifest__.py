{
    "name": "Invoice and Offer Approval (Polish)",
    "summary": "Approval rules for draft invoices before posting (amount, customer, "
    "document type, discount, sales team) and for offers before confirmation "
    "(line discount, total discount, amount); sequential tiers, four-eyes",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "AGPL-3",
    "depends": [
        "crm_invoicing_pl_sale",
        "account_move_tier_validation",
        "sale_tier_validation",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "views/tier_definition_views.xml",
        "views/res_config_settings_views.xml",
        "views/sale_order_views.xml",
    ],
    "demo": ["demo/tier_definition_demo.xml", "demo/offer_approval_demo.xml"],
    "assets": {
        "web.assets_tests": ["crm_invoicing_pl_approval/static/src/tours/*.js"],
    },
    "installable": True,
    "application": False,
}
