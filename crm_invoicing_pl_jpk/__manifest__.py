{
    "name": "Polish VAT Registers and JPK_V7M(3)",
    "summary": "VAT sales and purchase registers by JPK_V7 field, their XLSX / "
    "CSV export and the JPK_V7M(3) file of a month, validated against the "
    "official schema",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "LGPL-3",
    "depends": ["crm_invoicing_pl_ksef", "crm_invoicing_pl_sale"],
    "data": [
        "security/ir.model.access.csv",
        "security/pl_vat_sales_register_security.xml",
        "security/pl_vat_purchase_register_security.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/vat_register_export_views.xml",
        "report/vat_sales_register_views.xml",
        "report/vat_purchase_register_views.xml",
    ],
    "pre_init_hook": "_pre_init_hook",
    "auto_install": True,
    "installable": True,
    "application": False,
}
