from odoo import api, models
from odoo.exceptions import UserError


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    def _get_all_extra_edis(self):
        # EXTENDS l10n_pl_edi: KSeF never applies to a pro forma.
        res = super()._get_all_extra_edis()
        if "pl_ksef" in res:
            is_applicable = res["pl_ksef"]["is_applicable"]
            res["pl_ksef"]["is_applicable"] = lambda move: (
                move._pl_ksef_applicable() and is_applicable(move)
            )
        return res

    @api.model
    def _get_move_constraints(self, move):
        # EXTENDS account
        constraints = super()._get_move_constraints(move)
        if move.pl_document_kind == "proforma":
            # First, so that it is the message the user sees.
            constraints = {
                "pl_proforma": self.env._(
                    "%s is a pro forma: it is not an invoice, it is sent by e-mail "
                    "from its own button and never to KSeF.",
                    move.display_name,
                ),
                **constraints,
            }
        return constraints

    @api.model
    def _pl_ksef_goes_out(self, move, move_data):
        """Whether this sending would hand ``move`` to KSeF."""
        return "pl_ksef" in (move_data.get("extra_edis") or ()) and (
            move.l10n_pl_edi_status in (False, "retry")
        )

    def _get_alerts(self, moves, moves_data):
        # EXTENDS l10n_pl_edi: show, in the sending wizard, why the KSeF XML of
        # a document would be refused (sending stays blocked: danger), and
        # that a user who may not send to KSeF sends without it (warning).
        alerts = super()._get_alerts(moves, moves_data)
        if not self.env["account.move"]._pl_ksef_user_may_send(self.env.user):
            if held := moves.filtered(
                lambda move: self._pl_ksef_goes_out(move, moves_data[move])
            ):
                alerts["crm_invoicing_pl_ksef_not_allowed"] = {
                    "level": "warning",
                    "message": self.env._(
                        "Only invoicing users send documents to KSeF: %s will be "
                        "sent without KSeF, an invoicing user sends it to KSeF.",
                        ", ".join(held.mapped("display_name")),
                    ),
                }
            return alerts
        for move in moves:
            if "pl_ksef" not in (moves_data[move].get("extra_edis") or ()) or (
                move.l10n_pl_edi_status or move.state != "posted"
            ):
                continue
            try:
                move._pl_ksef_check_xml()
            except UserError as error:
                alerts[f"crm_invoicing_pl_ksef_schema_{move.id}"] = {
                    "level": "danger",
                    "message": str(error.args[0]),
                }
        return alerts

    @api.model
    def _call_web_service_before_invoice_pdf_render(self, invoices_data):
        # EXTENDS l10n_pl_edi: nothing reaches KSeF that is a pro forma or whose
        # FA(3) XML does not match the schema; those documents get the reason
        # as their error (shown to the user) and are left out of the sending.
        for move, move_data in invoices_data.items():
            if "pl_ksef" not in move_data.get("extra_edis", ()) or (
                move.l10n_pl_edi_status
            ):
                continue
            try:
                if reason := move._pl_ksef_not_applicable_reason():
                    raise UserError(reason)
                move._pl_ksef_check_xml()
            except UserError as error:
                move_data["error"] = {
                    "error_title": self.env._("The invoice cannot be sent to KSeF"),
                    "errors": [str(error.args[0])],
                }
                move_data["extra_edis"] = set(move_data["extra_edis"]) - {"pl_ksef"}
        valid = {
            move: move_data
            for move, move_data in invoices_data.items()
            if not move_data.get("error")
        }
        if not valid:
            return None
        return super()._call_web_service_before_invoice_pdf_render(valid)
