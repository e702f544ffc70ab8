"""The sales team of the documents on the sales dashboard (crm_invoicing_pl's
report/sales_analysis.py): Odoo's sale app puts it on invoices."""

from odoo import fields, models
from odoo.tools import SQL


class PlSalesAnalysisCommon(models.AbstractModel):
    _inherit = "pl.sales.analysis.common"

    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)


class PlSalesAnalysis(models.Model):
    _inherit = "pl.sales.analysis"
    _depends = {"account.move": ["team_id"]}

    @property
    def _table_query(self):
        return _with_team(super()._table_query)


class PlSalesAnalysisLine(models.Model):
    _inherit = "pl.sales.analysis.line"
    _depends = {"account.move": ["team_id"]}

    @property
    def _table_query(self):
        return _with_team(super()._table_query)


def _with_team(query):
    """The rows of ``query`` with the sales team of their document."""
    return SQL(
        """
    SELECT row.*, move.team_id AS team_id
      FROM (%s) row
      JOIN account_move move ON move.id = row.move_id
        """,
        query,
    )
