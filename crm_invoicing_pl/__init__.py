from . import models
from . import report
from . import wizards


def _post_init_hook(env):
    """Switch the Polish documents on for every company on the Polish chart.

    A company set up later switches them on in Settings (Polish Sales
    Documents): until then it invoices as plain Odoo does.
    """
    companies = env["res.company"].search([("chart_template", "=", "pl")])
    env["pl.document.type"]._create_defaults(companies)
