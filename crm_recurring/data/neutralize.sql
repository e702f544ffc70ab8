-- crm_recurring: a neutralized copy runs no scheduled job of its own (base already
-- deactivates every cron; this keeps it so for the jobs of crm_recurring, pending
-- triggers included, whatever base does).
UPDATE ir_cron
   SET active = false
 WHERE id IN (SELECT res_id
                FROM ir_model_data
               WHERE model = 'ir.cron'
                 AND module = 'crm_recurring');

DELETE FROM ir_cron_trigger
 WHERE cron_id IN (SELECT res_id
                     FROM ir_model_data
                    WHERE model = 'ir.cron'
                      AND module = 'crm_recurring');
