-- crm_invoicing_pl_notify: a neutralized copy (staging, tests) puts no failed
-- document e-mail back in the queue (base already deactivates every cron;
-- mail neutralizes the outgoing mail servers).
UPDATE ir_cron
   SET active = false
 WHERE id IN (SELECT res_id
                FROM ir_model_data
               WHERE model = 'ir.cron'
                 AND module = 'crm_invoicing_pl_notify');

DELETE FROM ir_cron_trigger
 WHERE cron_id IN (SELECT res_id
                     FROM ir_model_data
                    WHERE model = 'ir.cron'
                      AND module = 'crm_invoicing_pl_notify');
