from odoo.addons.crm_invoicing_pl.tools.take_over import take_over_xml_ids

from . import models
from . import report
from . import wizards

# The records of this add-on that crm_invoicing_pl created before the offers
# had an add-on of their own (same xml id names).
TAKEN_OVER = (
    # views/
    "view_order_form",
    "view_order_form_price_group",
    "view_quotation_tree_price_group",
    "view_order_form_advance",
    "view_move_form_advance",
    "view_order_form_proforma",
    "res_config_settings_view_form_proforma",
    # wizards/sale_advance_payment_inv_views.xml
    "view_sale_advance_payment_inv",
    # security/ir.model.access.csv
    "access_pl_document_type_salesman",
    "access_pl_advance_order_line_salesman",
    # demo/
    "demo_price_group_detal",
    "demo_price_group_hurt",
    "demo_price_group_vip",
    "demo_offer_hurt",
    "demo_offer_vip",
    "demo_order_advance",
    "demo_lead_office",
    "demo_lead_smartphones",
    "demo_lead_erp",
    "demo_lead_training",
    "demo_lead_export",
    "demo_lead_inquiry",
)


def _pre_init_hook(env):
    """Take over the records of a database where crm_invoicing_pl held them.

    The models, fields and tables keep their names (nothing to migrate); the
    views, access rights and demo records keep their records: their xml ids
    move to this add-on, so that installing it updates them instead of
    adding second ones, and so that the upgrade of crm_invoicing_pl that
    follows no longer sees, among its own views, the views that show this
    add-on's fields (Odoo checks a view with the views of the add-ons
    already loaded: this add-on loads after crm_invoicing_pl).
    """
    take_over_xml_ids(
        env.cr, "crm_invoicing_pl_sale", [(name, name) for name in TAKEN_OVER]
    )
