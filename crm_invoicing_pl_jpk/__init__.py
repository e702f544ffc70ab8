from . import models
from . import report
from . import wizards

# Records that crm_invoicing_pl created before the VAT registers and the JPK
# had an add-on of their own, kept on its upgrade (noupdate): the
# multi-company rules of the registers and of the export.
TAKEN_OVER = (
    "pl_vat_sales_register_rule_company",
    "pl_vat_register_export_rule_company",
    "pl_vat_purchase_register_rule_company",
)


def _pre_init_hook(env):
    """Take over the records of a database where crm_invoicing_pl held them.

    The fields, models and tables keep their names (nothing to migrate); the
    record rules keep their records: their xml ids move to this add-on, so
    that installing it updates them instead of adding second ones beside the
    old ones, which the upgrade of crm_invoicing_pl would keep (noupdate).
    """
    for name in TAKEN_OVER:
        env.cr.execute(
            """
            UPDATE ir_model_data
               SET module = 'crm_invoicing_pl_jpk'
             WHERE module = 'crm_invoicing_pl' AND name = %s
               AND NOT EXISTS (SELECT 1 FROM ir_model_data
                                WHERE module = 'crm_invoicing_pl_jpk'
                                  AND name = %s)
            """,
            (name, name),
        )
