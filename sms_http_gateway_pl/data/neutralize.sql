-- sms_http_gateway_pl: a neutralized copy (staging, tests) sends no SMS
-- through the live gateway (base already deactivates every cron).
UPDATE res_company
   SET pl_sms_gateway_token = NULL,
       pl_sms_gateway_url = 'https://neutralized-sms-gateway.invalid'
 WHERE pl_sms_gateway_token IS NOT NULL
    OR pl_sms_provider = 'http_gateway';

-- No scheduled job of sms_http_gateway_pl runs, pending triggers included.
UPDATE ir_cron
   SET active = false
 WHERE id IN (SELECT res_id
                FROM ir_model_data
               WHERE model = 'ir.cron'
                 AND module = 'sms_http_gateway_pl');

DELETE FROM ir_cron_trigger
 WHERE cron_id IN (SELECT res_id
                     FROM ir_model_data
                    WHERE model = 'ir.cron'
                      AND module = 'sms_http_gateway_pl');
