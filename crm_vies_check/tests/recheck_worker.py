"""A cron-like entry point for the kill / resume test (not a test module).

Run as ``python3 recheck_worker.py DB COMPANY_ID ADDONS_PATH``: it loads the
Odoo registry of DB and runs ``res.partner._cron_pl_recheck`` for the company,
committing per batch as the scheduled action does, then prints
``CHECKED <n>``. The test starts it as a subprocess, kills it mid-run with
SIGKILL and starts it again.
"""

import sys


def main(database, company_id, addons_path):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [
            "-d",
            database,
            f"--addons-path={addons_path}",
            "--log-level=warn",
            "--http-interface=127.0.0.1",
        ]
    )
    del odoo
    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(int(company_id))
        checked = env["res.partner"]._cron_pl_recheck(companies=company)
        cr.commit()
    sys.stdout.write(f"CHECKED {checked}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(*sys.argv[1:4])
