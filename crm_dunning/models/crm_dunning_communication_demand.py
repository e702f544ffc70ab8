# The payment demand of a dunning level is a concern of its own.
# pylint: disable=consider-merging-classes-inherited
import logging

from odoo import fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class CrmDunningCommunication(models.Model):
    """A payment-demand level issues a wezwanie do zapłaty.

    A communication of a level marked *Payment Demand*, or sent by letter,
    issues a payment demand over its instalments on the run's date (interest
    to that date, compensation when the level asks for it); the e-mail
    carries its PDF and a letter waits for the next dispatch book as a
    registered letter.
    """

    _inherit = "crm.dunning.communication"

    demand_id = fields.Many2one(
        "crm.dunning.demand",
        string="Payment Demand",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def _crm_dunning_prepare_documents(self, problems):
        result = super()._crm_dunning_prepare_documents(problems)
        Demand = self.env["crm.dunning.demand"]
        for comm in self.filtered(
            lambda c: (
                not c.demand_id and (c.level_id.payment_demand or c.channel_letter)
            )
        ):
            try:
                with self.env.cr.savepoint():
                    demands = Demand._crm_dunning_create_demands(
                        comm.open_line_ids.move_line_id,
                        comm.date,
                        mode="collective",
                        claim_compensation=comm.level_id.demand_compensation,
                        registered_letter=comm.channel_letter,
                        raise_if_empty=False,
                    )
                    demands.action_issue()
            except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
                _logger.log(
                    logging.INFO if isinstance(exc, UserError) else logging.WARNING,
                    "No payment demand for %s: %s",
                    comm.display_name,
                    exc,
                    exc_info=not isinstance(exc, UserError),
                )
                problems[comm.id].append(
                    self.env._("The payment demand could not be issued: %s", exc)
                )
                continue
            comm.demand_id = demands[:1]
        return result

    def _crm_dunning_prepare_letters(self):
        # The letter is the payment demand: without one there is no letter.
        return super(
            CrmDunningCommunication, self.filtered("demand_id")
        )._crm_dunning_prepare_letters()

    def _crm_dunning_send_mail(self, problems, done):
        result = super()._crm_dunning_send_mail(problems, done)
        self.filtered("demand_id")._crm_dunning_attach(
            problems, done, self.__class__._crm_dunning_attach_demand
        )
        return result

    def _crm_dunning_attach_demand(self):
        """Attach the payment demand's PDF to the queued e-mail."""
        Report = self.env["ir.actions.report"].sudo()
        for comm in self:
            content, _type = Report._render_qweb_pdf(
                "crm_dunning.action_report_crm_dunning_demand", comm.demand_id.ids
            )
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": "%s.pdf" % comm.demand_id.name.replace("/", "_"),
                        "raw": content,
                        "res_model": "crm.dunning.demand",
                        "res_id": comm.demand_id.id,
                        "mimetype": "application/pdf",
                    }
                )
            )
            comm.mail_mail_id.sudo().attachment_ids = [(4, attachment.id)]
