"""Upgrading from the one-add-on layout (issue 20): the notifications, the
SMS gateway, the VAT registers and JPK, the archive became add-ons of their
own.

:func:`odoo.addons.crm_invoicing_pl.upgrade.carve_out` deletes the views
that moved and installs the add-ons that hold them now, in this upgrade.
"""

from odoo.addons.crm_invoicing_pl.upgrade import carve_out

# The add-ons carved out of crm_invoicing_pl in this version.
SPLIT_ADDONS = (
    "crm_invoicing_pl_notify",
    "sms_http_gateway_pl",
    "crm_invoicing_pl_jpk",
    "crm_invoicing_pl_archive",
)


def migrate(cr, version):
    carve_out(cr, SPLIT_ADDONS)
