-- crm_invoicing_pl_ksef: a neutralized copy (staging, tests) sends no invoice
-- to the KSeF address of the live database (l10n_pl_edi's own neutralization
-- clears the KSeF credentials and switches to KSeF's test environment; base
-- deactivates every cron).
DELETE FROM ir_config_parameter
 WHERE key = 'crm_invoicing_pl.ksef_api_url';

-- No KSeF sending job runs, pending triggers included (base already
-- deactivates every cron).
UPDATE ir_cron
   SET active = false
 WHERE id IN (SELECT res_id
                FROM ir_model_data
               WHERE model = 'ir.cron'
                 AND module = 'crm_invoicing_pl_ksef');

DELETE FROM ir_cron_trigger
 WHERE cron_id IN (SELECT res_id
                     FROM ir_model_data
                    WHERE model = 'ir.cron'
                      AND module = 'crm_invoicing_pl_ksef');
