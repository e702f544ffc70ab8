{
    "name": "Polish Sales Documents: KSeF of Sales Orders",
    "summary": "KSeF (FA(3)) of the advance and final invoices of sales orders: "
    "the ordered lines as the order priced them",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/crm-invoicing-pl/crm-invoicing-pl",
    "author": "crm-invoicing-pl",
    "license": "LGPL-3",
    "depends": ["crm_invoicing_pl_ksef", "crm_invoicing_pl_sale"],
    "auto_install": True,
    "installable": True,
    "application": False,
}
