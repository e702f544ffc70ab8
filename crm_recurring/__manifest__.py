{
    "name": "Recurring Invoices (Polish)",
    "summary": "Recurring contracts invoiced on schedule: Faktura VAT or pro forma, "
    "catch-up of missed periods, exactly once",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "LGPL-3",
    "depends": ["crm_invoicing_pl"],
    "data": [
        "security/ir.model.access.csv",
        "security/recurring_security.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "views/recurring_contract_views.xml",
        "views/recurring_run_views.xml",
        "views/recurring_wizard_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/recurring_menus.xml",
        "report/recurring_revenue_report_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["crm_recurring/static/src/tours/*.js"],
    },
    "installable": True,
    "application": False,
}
