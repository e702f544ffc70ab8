from . import models
from . import report
from . import wizards


def _post_init_hook(env):
    """Give every company on the Polish chart its document types."""
    companies = env["res.company"].search([("chart_template", "=", "pl")])
    env["pl.document.type"]._create_defaults(companies)
