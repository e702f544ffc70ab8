{
    "name": "Polish Sales Documents: Archive, Hash Chain and GDPR",
    "summary": "Hash chain over posted Polish sales documents with the integrity "
    "report, their PDFs archived after posting, retention period, GDPR "
    "anonymisation of private customers",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "LGPL-3",
    "depends": ["crm_invoicing_pl", "crm"],
    "data": [
        "data/ir_cron_data.xml",
        "data/res_users_data.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
    ],
    "demo": ["demo/demo_company.xml"],
    "pre_init_hook": "_pre_init_hook",
    "auto_install": True,
    "installable": True,
    "application": False,
}
