{
    "name": "Receivables and KSeF Dashboard (Polish)",
    "summary": "A spreadsheet dashboard of tiles for the accountant and the "
    "salesperson: receivables, overdue by age, this month's inflows and VAT, "
    "invoices waiting for KSeF; each tile opens its list",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "LGPL-3",
    "depends": ["crm_invoicing_pl_ksef", "spreadsheet_dashboard"],
    "data": [
        "views/receivables_dashboard_views.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "assets": {
        "web.assets_tests": ["crm_invoicing_pl_dashboard/static/src/tours/*.js"],
    },
    "installable": True,
    "application": False,
}
