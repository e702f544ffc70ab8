{
    "name": "Polish Sales Documents: KSeF",
    "summary": "KSeF (e-invoicing) of the Polish sales documents: FA(3) of every "
    "document kind checked against the schema, sending with retries and batch "
    "sessions, verification QR codes, offline invoices, consumer invoices",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "LGPL-3",
    "depends": ["crm_invoicing_pl", "l10n_pl_edi", "certificate"],
    "data": [
        "security/ir.model.access.csv",
        "security/pl_ksef_batch_security.xml",
        "data/ksef_fa3_template.xml",
        "data/ksef_fa3_template_eu.xml",
        "data/ir_cron_ksef_sending.xml",
        "views/res_partner_views.xml",
        "views/account_tax_views.xml",
        "views/product_template_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "report/report_pl_invoice_ksef_qr.xml",
        "report/report_pl_invoice_ksef_offline.xml",
    ],
    "assets": {
        "web.assets_tests": ["crm_invoicing_pl_ksef/static/src/tours/*.js"],
    },
    "pre_init_hook": "_pre_init_hook",
    "auto_install": True,
    "installable": True,
    "application": False,
}
