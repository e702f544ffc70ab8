{
    "name": "Approvals Dashboard (Polish)",
    "summary": "A spreadsheet dashboard of tiles for invoices and offers waiting "
    "for approval and those the user must approve; each tile opens its list",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "AGPL-3",
    "depends": ["crm_invoicing_pl_dashboard", "crm_invoicing_pl_approval"],
    "data": [
        "views/approvals_dashboard_views.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_invoicing_pl_dashboard_approval/static/src/tours/*.js"
        ],
    },
    "installable": True,
    "auto_install": True,
    "application": False,
}
