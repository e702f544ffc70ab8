{
    "name": "Polish Sales Documents from Offers",
    "summary": "Pro forma, advance and final invoices of sale orders, price "
    "groups and customer discounts on offers, the document chain of an offer",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "LGPL-3",
    "depends": ["crm_invoicing_pl", "sale_management", "sale_crm"],
    "data": [
        "security/ir.model.access.csv",
        "data/price_group_data.xml",
        "data/res_groups_proforma_data.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/sale_advance_payment_inv_views.xml",
        "report/sales_analysis_views.xml",
    ],
    "demo": [
        "demo/demo_user.xml",
        "demo/demo_documents.xml",
        "demo/demo_price_groups.xml",
        "demo/demo_front.xml",
    ],
    "assets": {
        "web.assets_tests": ["crm_invoicing_pl_sale/static/src/tours/*.js"],
    },
    "pre_init_hook": "_pre_init_hook",
    "auto_install": True,
    "installable": True,
    "application": False,
}
