import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.nbp import DEFAULT_BASE_URL, NbpClient, NbpError
from ..tools.pl_calendar import last_business_day_before

_logger = logging.getLogger(__name__)

NBP_URL_PARAM = "crm_invoicing_pl.nbp_api_url"


class ResCurrency(models.Model):
    _inherit = "res.currency"

    @api.model
    def _pl_nbp_client(self):
        url = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(NBP_URL_PARAM, DEFAULT_BASE_URL)
        )
        return NbpClient(base_url=url, timeout=10)

    @api.model
    def _pl_nbp_error_message(self, error):
        messages = {
            "no_table": self.env._("NBP published no table A on that day."),
            "no_rate": self.env._("NBP published no rate for that period."),
            "unreachable": self.env._(
                "The NBP exchange rate service cannot be reached; try again later."
            ),
            "bad_response": self.env._(
                "The NBP exchange rate service gave an answer that cannot be read."
            ),
        }
        return messages.get(error.code, str(error))

    @api.model
    def _pl_update_nbp_rates(self, companies, on_date=None):
        """Record an NBP table A as rates of the PLN ``companies``.

        Without ``on_date``, the latest table: today's once published, else
        the previous business day's. Idempotent: a rate already recorded for
        the day is overwritten with the same value. Returns the number of
        rates written.
        """
        companies = companies.filtered(lambda c: c.currency_id.name == "PLN")
        if not companies:
            return 0
        client = self._pl_nbp_client()
        try:
            if on_date:
                table = client.table(on_date)
            else:
                today = fields.Date.context_today(self)
                day = last_business_day_before(today + timedelta(days=1))
                try:
                    table = client.table(day)
                except NbpError as error:
                    if error.code != "no_table":
                        raise
                    table = client.table(last_business_day_before(day))
        except NbpError as error:
            raise UserError(self._pl_nbp_error_message(error)) from error
        currencies = self.search([("name", "in", [rate.currency for rate in table])])
        by_code = {currency.name: currency for currency in currencies}
        Rate = self.env["res.currency.rate"]
        written = 0
        for nbp_rate in table:
            currency = by_code.get(nbp_rate.currency)
            if not currency:
                continue
            for company in companies:
                values = {
                    "name": nbp_rate.effective_date,
                    "currency_id": currency.id,
                    "company_id": company.id,
                    "inverse_company_rate": float(nbp_rate.mid),
                }
                existing = Rate.search(
                    [
                        ("name", "=", nbp_rate.effective_date),
                        ("currency_id", "=", currency.id),
                        ("company_id", "=", company.id),
                    ],
                    limit=1,
                )
                if existing:
                    existing.write(values)
                else:
                    Rate.create(values)
                written += 1
        return written

    @api.model
    def _cron_pl_update_nbp_rates(self):
        """Record the latest NBP table A for the companies that asked for it."""
        companies = self.env["res.company"].search([("pl_nbp_rates", "=", True)])
        try:
            self._pl_update_nbp_rates(companies)
        except UserError as error:
            # The next run fetches the table again; rates are only missing
            # until then.
            _logger.warning("NBP rates not updated: %s", error)

    @api.model
    def _pl_demo_business_day_rates(self, company_id, currency_id, rates):
        """Demo data: ``rates`` (PLN per unit, the latest first) as the NBP
        tables of the working days before today, so that a demo document of
        today has the rate of its rate day (art. 31a) whatever the calendar."""
        day = fields.Date.context_today(self)
        Rate = self.env["res.currency.rate"]
        for rate in rates:
            day = last_business_day_before(day)
            values = {"name": day, "currency_id": currency_id, "company_id": company_id}
            existing = Rate.search([(key, "=", value) for key, value in values.items()])
            (existing or Rate.create(values)).rate = 1 / rate
