from . import models


def _pre_init_hook(env):
    """Take over the gateway job of a database where crm_invoicing_pl held it.

    The gateway's fields keep their names and columns (nothing to migrate);
    its job, a ``noupdate`` record, is renamed to this add-on's xml id so that
    installing it keeps the one job instead of adding a second.
    """
    env.cr.execute(
        """
        UPDATE ir_model_data
           SET module = 'sms_http_gateway_pl', name = 'ir_cron_sms_gateway'
         WHERE module = 'crm_invoicing_pl' AND name = 'ir_cron_pl_sms_gateway'
           AND NOT EXISTS (SELECT 1 FROM ir_model_data
                            WHERE module = 'sms_http_gateway_pl'
                              AND name = 'ir_cron_sms_gateway')
        """
    )
