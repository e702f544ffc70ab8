{
    "name": "HTTP SMS Gateway (SMSAPI.pl)",
    "summary": "Send Odoo's SMS through an HTTP SMS gateway such as SMSAPI.pl "
    "instead of Odoo IAP, per company, with retries and delivery reports",
    "version": "19.0.1.0.0",
    "category": "Tools",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "LGPL-3",
    "depends": ["sms", "phone_validation"],
    "data": [
        "data/ir_cron_data.xml",
        "views/res_config_settings_views.xml",
    ],
    "pre_init_hook": "_pre_init_hook",
    "installable": True,
    "application": False,
}
