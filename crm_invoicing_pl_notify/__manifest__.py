{
    "name": "Polish Sales Documents: E-mail and SMS on Issue",
    "summary": "E-mail the PDF and/or send an SMS with the portal link when a "
    "Polish invoice or pro forma is issued; retry document e-mails after "
    "temporary SMTP failures",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "LGPL-3",
    "depends": ["crm_invoicing_pl", "sms"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/sms_template_data.xml",
        "views/account_move_views.xml",
        "views/pl_document_type_views.xml",
        "views/res_partner_views.xml",
    ],
    "pre_init_hook": "_pre_init_hook",
    "auto_install": True,
    "installable": True,
    "application": False,
}
