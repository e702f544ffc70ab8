# Offline invoices are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
from odoo import models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    def _get_alerts(self, moves, moves_data):
        # EXTENDS account: printing or sending an offline invoice whose
        # printout cannot carry KOD II says so (a warning: it is not refused).
        alerts = super()._get_alerts(moves, moves_data)
        for move in moves.filtered("pl_ksef_offline_warning"):
            alerts[f"crm_invoicing_pl_ksef_offline_{move.id}"] = {
                "level": "warning",
                "message": move.pl_ksef_offline_warning,
            }
        return alerts
