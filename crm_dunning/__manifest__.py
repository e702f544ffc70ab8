{
    "name": "Dunning (Polish)",
    "summary": "Statutory late-payment interest: rates table and interest arithmetic "
    "for reminders, payment demands and interest notes",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "LGPL-3",
    "depends": ["crm_invoicing_pl"],
    "data": [
        "security/ir.model.access.csv",
        "data/interest_rate_data.xml",
        "views/interest_rate_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "installable": True,
    "application": False,
}
