{
    "name": "Contractor Verification (NIP, VIES, White List)",
    "summary": "Check contractors' NIP and EU VAT numbers (VIES) and the Polish "
    "VAT-payer white list, and keep each answer as proof",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "LGPL-3",
    "depends": ["base_vat", "account", "crm_invoicing_pl"],
    "external_dependencies": {"python": ["zeep", "requests"]},
    "data": [
        "security/res_groups.xml",
        "security/ir.model.access.csv",
        "security/partner_verification_security.xml",
        "views/partner_verification_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "installable": True,
    "application": False,
}
