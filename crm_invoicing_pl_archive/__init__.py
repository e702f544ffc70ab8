from odoo.addons.crm_invoicing_pl.tools.take_over import take_over_xml_ids

from . import models
from . import wizards

# Records that crm_invoicing_pl created before the archive had an add-on of
# its own: (xml id name in crm_invoicing_pl, name in this add-on).
TAKEN_OVER = (
    ("ir_cron_pl_archive_pdf", "ir_cron_pl_archive_pdf"),
    # The job's server action (ir.cron inherits it), named after the job.
    (
        "ir_cron_pl_archive_pdf_ir_actions_server",
        "ir_cron_pl_archive_pdf_ir_actions_server",
    ),
)


def _pre_init_hook(env):
    """Take over the records of a database where crm_invoicing_pl held them.

    The fields keep their names and columns (nothing to migrate); the PDF
    archive job keeps its record: its xml id moves to this add-on, so that
    installing it keeps the job (with its triggers) instead of adding a
    second one. Installing then writes the add-on's data over it (noupdate
    records included, as on any installation).
    """
    take_over_xml_ids(env.cr, "crm_invoicing_pl_archive", TAKEN_OVER)
