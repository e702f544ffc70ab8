-- crm_invoicing_pl: a neutralized copy (staging, tests) sends no SMS through
-- the live gateway and no invoice to the KSeF address of the live database
-- (l10n_pl_edi's own neutralization clears the KSeF credentials and switches
-- to KSeF's test environment; base deactivates every cron).
UPDATE res_company
   SET pl_sms_gateway_token = NULL,
       pl_sms_gateway_url = 'https://neutralized-sms-gateway.invalid'
 WHERE pl_sms_gateway_token IS NOT NULL
    OR pl_sms_provider = 'http_gateway';

DELETE FROM ir_config_parameter
 WHERE key = 'crm_invoicing_pl.ksef_api_url';

-- No scheduled job of crm_invoicing_pl runs, pending triggers included (base already
-- deactivates every cron).
UPDATE ir_cron
   SET active = false
 WHERE id IN (SELECT res_id
                FROM ir_model_data
               WHERE model = 'ir.cron'
                 AND module = 'crm_invoicing_pl');

DELETE FROM ir_cron_trigger
 WHERE cron_id IN (SELECT res_id
                     FROM ir_model_data
                    WHERE model = 'ir.cron'
                      AND module = 'crm_invoicing_pl');
