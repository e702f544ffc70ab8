from odoo import fields, models, tools
from odoo.tools import SQL

# Months of forecast after the current one.
FORECAST_MONTHS = 11


class CrmRecurringRevenueReport(models.Model):
    """Monthly recurring revenue (MRR/ARR) by contract, customer and product.

    Invoiced periods give the actual revenue of their months: each invoice
    line's untaxed amount (company currency) is spread over the months of its
    period in proportion to the part of each month covered (a quarter of
    3 000 gives 1 000 a month). Months after the last invoiced day, up to the
    end of the forecast horizon, are forecast from the running contracts'
    current lines. Movements compare a contract product's MRR with its previous
    month: new, expansion, contraction, and churn in the month after the last
    one.
    """

    _name = "crm.recurring.revenue.report"
    _description = "Recurring Revenue Analysis"
    _auto = False
    _order = "month desc"
    _rec_name = "month"

    month = fields.Date(readonly=True)
    contract_id = fields.Many2one("crm.recurring.contract", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    is_forecast = fields.Boolean(string="Forecast", readonly=True)
    mrr = fields.Monetary(string="MRR", readonly=True)
    arr = fields.Monetary(string="ARR", readonly=True)
    new_mrr = fields.Monetary(string="New MRR", readonly=True)
    expansion_mrr = fields.Monetary(string="Expansion MRR", readonly=True)
    contraction_mrr = fields.Monetary(string="Contraction MRR", readonly=True)
    churned_mrr = fields.Monetary(string="Churned MRR", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %s AS (
WITH horizon AS (
    SELECT (date_trunc('month', CURRENT_DATE)
            + interval '1 month' * %s - interval '1 day')::date AS last_day
),
actual_parts AS (
    SELECT p.contract_id, aml.id AS aml_id, aml.product_id, -aml.balance AS amount,
           gs::date AS month,
           (LEAST(p.date_end, (gs + interval '1 month' - interval '1 day')::date)
            - GREATEST(p.date_start, gs::date) + 1)::numeric
           / EXTRACT(DAY FROM gs + interval '1 month' - interval '1 day')::numeric
           AS fraction
      FROM crm_recurring_period p
      JOIN account_move mv ON mv.id = p.invoice_id AND mv.state != 'cancel'
      JOIN account_move_line aml
        ON aml.move_id = mv.id AND aml.display_type = 'product'
     CROSS JOIN generate_series(date_trunc('month', p.date_start),
                                date_trunc('month', p.date_end),
                                interval '1 month') gs
),
actual AS (
    SELECT contract_id, product_id, month,
           SUM(amount * fraction / NULLIF(total_fraction, 0)) AS mrr
      FROM (SELECT *, SUM(fraction) OVER (PARTITION BY aml_id) AS total_fraction
              FROM actual_parts) parts
     GROUP BY contract_id, product_id, month
),
forecast_lines AS (
    SELECT c.id AS contract_id, l.product_id,
           COALESCE(c.last_invoiced_date + 1, c.date_start) AS date_from,
           LEAST(COALESCE(c.date_end, h.last_day), h.last_day) AS date_to,
           l.quantity * l.price_unit * (1 - COALESCE(l.discount, 0) / 100.0)
           * CASE c.period_unit
                 WHEN 'month' THEN 1.0
                 WHEN 'quarter' THEN 1.0 / 3
                 WHEN 'year' THEN 1.0 / 12
                 WHEN 'week' THEN 52.0 / 12
                 ELSE 365.0 / 12
             END / c.period_interval
           / CASE WHEN c.currency_id = co.currency_id THEN 1.0
                  ELSE COALESCE((
                      SELECT r.rate FROM res_currency_rate r
                       WHERE r.currency_id = c.currency_id
                         AND (r.company_id = c.company_id OR r.company_id IS NULL)
                       ORDER BY r.company_id NULLS LAST, r.name DESC LIMIT 1), 1.0)
             END AS monthly
      FROM crm_recurring_contract c
      JOIN crm_recurring_contract_line l ON l.contract_id = c.id
      JOIN res_company co ON co.id = c.company_id
     CROSS JOIN horizon h
     WHERE c.state = 'running'
),
forecast AS (
    SELECT f.contract_id, f.product_id, gs::date AS month,
           SUM(f.monthly
               * (LEAST(f.date_to, (gs + interval '1 month' - interval '1 day')::date)
                  - GREATEST(f.date_from, gs::date) + 1)::numeric
               / EXTRACT(DAY FROM gs + interval '1 month' - interval '1 day')::numeric
           ) AS mrr
      FROM forecast_lines f
     CROSS JOIN generate_series(date_trunc('month', f.date_from),
                                date_trunc('month', f.date_to),
                                interval '1 month') gs
     WHERE f.date_from <= f.date_to
     GROUP BY f.contract_id, f.product_id, gs
),
combined AS (
    SELECT contract_id, product_id, month, SUM(mrr) AS mrr,
           bool_and(forecast) AS is_forecast
      FROM (SELECT contract_id, product_id, month, mrr, FALSE AS forecast FROM actual
            UNION ALL
            SELECT contract_id, product_id, month, mrr, TRUE FROM forecast) u
     GROUP BY contract_id, product_id, month
),
series AS (
    SELECT *,
           LAG(mrr) OVER w AS prev_mrr,
           LAG(month) OVER w AS prev_month,
           LEAD(month) OVER w AS next_month
      FROM combined
    WINDOW w AS (PARTITION BY contract_id, product_id ORDER BY month)
),
movements AS (
    SELECT contract_id, product_id, month, mrr, is_forecast,
           CASE WHEN prev_month IS NULL OR prev_month < month - interval '1 month'
                THEN mrr ELSE 0 END AS new_mrr,
           CASE WHEN prev_month = month - interval '1 month' AND mrr > prev_mrr
                THEN mrr - prev_mrr ELSE 0 END AS expansion_mrr,
           CASE WHEN prev_month = month - interval '1 month' AND mrr < prev_mrr
                THEN prev_mrr - mrr ELSE 0 END AS contraction_mrr,
           0 AS churned_mrr
      FROM series
    UNION ALL
    SELECT s.contract_id, s.product_id, (s.month + interval '1 month')::date, 0,
           s.is_forecast, 0, 0, 0, s.mrr
      FROM series s CROSS JOIN horizon h
     WHERE (s.next_month IS NULL
            OR s.next_month > s.month + interval '1 month')
       AND s.month + interval '1 month' <= h.last_day
)
SELECT row_number() OVER (ORDER BY m.month, m.contract_id, m.product_id) AS id,
       m.month, m.contract_id, c.partner_id, m.product_id, c.user_id,
       c.company_id, co.currency_id, m.is_forecast,
       ROUND(m.mrr, 2) AS mrr, ROUND(m.mrr * 12, 2) AS arr,
       ROUND(m.new_mrr, 2) AS new_mrr,
       ROUND(m.expansion_mrr, 2) AS expansion_mrr,
       ROUND(m.contraction_mrr, 2) AS contraction_mrr,
       ROUND(m.churned_mrr, 2) AS churned_mrr
  FROM movements m
  JOIN crm_recurring_contract c ON c.id = m.contract_id
  JOIN res_company co ON co.id = c.company_id
)""",
                SQL.identifier(self._table),
                FORECAST_MONTHS + 1,
            )
        )
