"""Upgrading from 19.0.1.1.0 (issue 20): the sales documents from orders and
KSeF became add-ons of their own.

:func:`odoo.addons.crm_invoicing_pl.upgrade.carve_out` deletes the views
that moved and installs the add-ons that hold them now, in this upgrade.
"""

from odoo.addons.crm_invoicing_pl.upgrade import carve_out

# The add-ons carved out of crm_invoicing_pl in this version.
SPLIT_ADDONS = (
    "crm_invoicing_pl_sale",
    "crm_invoicing_pl_ksef",
    "crm_invoicing_pl_ksef_sale",
)


def migrate(cr, version):
    carve_out(cr, SPLIT_ADDONS)
