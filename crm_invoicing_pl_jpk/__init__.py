from odoo.addons.crm_invoicing_pl.tools.take_over import take_over_xml_ids

from . import models
from . import report
from . import wizards

# The records of this add-on that crm_invoicing_pl created before the VAT
# registers and the JPK had an add-on of their own (same xml id names).
TAKEN_OVER = (
    # views/account_move_views.xml, views/res_config_settings_views.xml
    "view_move_form_jpk",
    "view_move_form_jpk_purchase",
    "res_config_settings_view_form_jpk",
    # report/vat_sales_register_views.xml
    "view_pl_vat_sales_register_list",
    "view_pl_vat_sales_register_pivot",
    "view_pl_vat_sales_register_search",
    "action_pl_vat_sales_register",
    "menu_pl_vat_sales_register",
    "menu_pl_vat_register_export",
    # report/vat_purchase_register_views.xml
    "view_pl_vat_purchase_register_list",
    "view_pl_vat_purchase_register_search",
    "action_pl_vat_purchase_register",
    "menu_pl_vat_purchase_register",
    # wizards/vat_register_export_views.xml
    "view_pl_vat_register_export_form",
    "action_pl_vat_register_export",
    # security/
    "pl_vat_sales_register_rule_company",
    "pl_vat_register_export_rule_company",
    "pl_vat_purchase_register_rule_company",
    "access_pl_vat_sales_register_invoice",
    "access_pl_vat_sales_register_readonly",
    "access_pl_vat_register_export_invoice",
    "access_pl_vat_register_export_readonly",
    "access_pl_vat_purchase_register_invoice",
    "access_pl_vat_purchase_register_readonly",
)


def _pre_init_hook(env):
    """Take over the records of a database where crm_invoicing_pl held them.

    The models, fields and tables keep their names (nothing to migrate); the
    views, actions, menus, access rights and record rules keep their
    records: their xml ids move to this add-on, so that installing it
    updates them instead of adding second ones (the record rules, noupdate,
    would stay beside them), and so that the upgrade of crm_invoicing_pl
    that follows no longer sees, among its own views, the form views that
    show this add-on's fields (Odoo checks a view with the views of the
    add-ons already loaded: this add-on loads after crm_invoicing_pl).
    """
    take_over_xml_ids(
        env.cr, "crm_invoicing_pl_jpk", [(name, name) for name in TAKEN_OVER]
    )
