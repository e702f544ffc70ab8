from odoo.addons.crm_invoicing_pl.tools.take_over import take_over_xml_ids

from . import models
from . import wizards

# The records of this add-on that crm_invoicing_pl created before KSeF had an
# add-on of its own (same xml id names).
TAKEN_OVER = (
    # views/account_move_views.xml
    "view_move_form_ksef",
    "view_account_move_reversal_ksef",
    "view_move_form_ksef_sending",
    "view_move_form_ksef_offline",
    "view_invoice_tree_ksef",
    "view_account_move_kanban_ksef",
    "view_account_invoice_filter_ksef",
    "view_move_form_ksef_list",
    # views/account_tax_views.xml, product_template_views.xml,
    # res_partner_views.xml
    "view_tax_form_ksef",
    "product_template_form_view_ksef",
    "view_partner_form_ksef",
    # views/res_config_settings_views.xml
    "res_config_settings_view_form_ksef_b2c",
    "res_config_settings_view_form_ksef_offline",
    "res_config_settings_view_form_ksef_batch",
    # data/
    "fa3_xml_template",
    "fa3_xml_template_eu",
    "ir_cron_pl_ksef_retry",
    # report/
    "pl_invoice_document_ksef_qr",
    "pl_invoice_ksef_qr",
    "pl_invoice_ksef_qr_offline",
    # security/
    "pl_ksef_batch_rule_company",
    "access_pl_ksef_batch_invoice",
)


def _pre_init_hook(env):
    """Take over the records of a database where crm_invoicing_pl held them.

    The models, fields and tables keep their names (nothing to migrate); the
    views, templates, the sending job, the access right and the record rule
    keep their records: their xml ids move to this add-on, so that installing
    it updates them instead of adding second ones (the record rule and the
    job, noupdate, would stay beside them), and so that the upgrade of
    crm_invoicing_pl that follows no longer sees, among its own views, the
    views that show this add-on's fields.
    """
    take_over_xml_ids(
        env.cr, "crm_invoicing_pl_ksef", [(name, name) for name in TAKEN_OVER]
    )
