from odoo.addons.crm_invoicing_pl.tools.take_over import take_over_xml_ids

from . import models

# Records that crm_invoicing_pl created before the notifications had an add-on
# of their own: (xml id name in crm_invoicing_pl, name in this add-on).
TAKEN_OVER = (
    ("mail_template_pl_invoice", "mail_template_pl_invoice"),
    ("sms_template_pl_document", "sms_template_pl_document"),
    ("ir_cron_pl_retry_document_mail", "ir_cron_pl_retry_document_mail"),
    # The job's server action (ir.cron inherits it), named after the job.
    (
        "ir_cron_pl_retry_document_mail_ir_actions_server",
        "ir_cron_pl_retry_document_mail_ir_actions_server",
    ),
)


def _pre_init_hook(env):
    """Take over the records of a database where crm_invoicing_pl held them.

    The fields keep their names and columns (nothing to migrate); the e-mail
    and SMS templates and the retry job keep their records: their xml ids
    move to this add-on, so that installing it keeps them (and what points
    at them, e.g. a document type's template) instead of adding second ones.
    Installing then writes the add-on's data over them (noupdate records
    included, as on any installation).
    """
    take_over_xml_ids(env.cr, "crm_invoicing_pl_notify", TAKEN_OVER)
