-- crm_vies_check: a neutralized copy keeps no GUS API key and no service
-- address of the live database (VIES, white list, GUS fall back to their
-- public defaults); the scheduled re-checks are deactivated by base.
DELETE FROM ir_config_parameter
 WHERE key IN ('crm_vies_check.gus_key',
               'crm_vies_check.gus_url',
               'crm_vies_check.vies_url',
               'crm_vies_check.whitelist_url',
               'crm_vies_check.whitelist_paused_until');

-- No scheduled job of crm_vies_check runs, pending triggers included (base already
-- deactivates every cron).
UPDATE ir_cron
   SET active = false
 WHERE id IN (SELECT res_id
                FROM ir_model_data
               WHERE model = 'ir.cron'
                 AND module = 'crm_vies_check');

DELETE FROM ir_cron_trigger
 WHERE cron_id IN (SELECT res_id
                     FROM ir_model_data
                    WHERE model = 'ir.cron'
                      AND module = 'crm_vies_check');
