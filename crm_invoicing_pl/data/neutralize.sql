-- crm_invoicing_pl: a neutralized copy (staging, tests) runs no scheduled
-- job of the add-on (crm_invoicing_pl_ksef neutralizes the KSeF address;
-- sms_http_gateway_pl the SMS gateway).
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
