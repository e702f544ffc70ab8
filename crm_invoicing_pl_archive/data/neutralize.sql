-- crm_invoicing_pl_archive: a neutralized copy (staging, tests) renders no
-- PDF in the background (base already deactivates every cron): the PDF
-- archive job and its pending triggers.
UPDATE ir_cron
   SET active = false
 WHERE id IN (SELECT res_id
                FROM ir_model_data
               WHERE model = 'ir.cron'
                 AND module = 'crm_invoicing_pl_archive');

DELETE FROM ir_cron_trigger
 WHERE cron_id IN (SELECT res_id
                     FROM ir_model_data
                    WHERE model = 'ir.cron'
                      AND module = 'crm_invoicing_pl_archive');
