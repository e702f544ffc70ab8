"""One company on a chart of accounts shared by the post-install test classes
of an add-on (no test here).

Issue 20: a company and its chart made per test class took a good part of the
tests' time. ``SharedChartCompany`` makes the company once per database,
committed, through a cursor of its own, in the first class that needs it; each
class then uses it inside its own transaction, rolled back at its end, so every
class starts from the same fresh company.

Imports Odoo, like ``user_helpers``: only the add-ons' Odoo tests import it.
"""

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tests.common import get_db_name


class SharedChartCompany:
    """Mixed into a subclass of ``AccountTestInvoicingCommon``, before it in
    the bases: its company of a post-install class (``company_1_data``) is the
    shared one when the class's country and chart are the mixin's.

    The subclass sets the three parameters below; the company is found by its
    xml id ``__crm_pl_testing__.<shared_company_xmlid>``, one per chart.
    """

    # The xml id's name, the chart template's code, the company's name.
    # Company names are unique: not AccountTestInvoicingCommon's
    # "company_1_data" (Odoo's own test classes make one of their own).
    shared_company_xmlid = None
    shared_company_chart = None
    shared_company_name = None
    # The country's code; its currency is the company's (as
    # AccountTestInvoicingCommon.setup_country gives).
    shared_company_country = "pl"

    _shared_company_id = None

    @classmethod
    def setUpClass(cls):
        # Before the class opens its test transaction, whose snapshot then
        # sees the company.
        cls._shared_company_id = cls._ensure_shared_company()
        super().setUpClass()

    @classmethod
    def _uses_shared_company(cls):
        """Whether the class's company would be the shared one's twin: same
        country, same chart (the chart guessed from the country when none is
        set, as AccountTestInvoicingCommon does)."""
        if not cls._shared_company_id:
            return False
        if (cls.country_code or "").upper() != cls.shared_company_country.upper():
            return False
        chart = cls.chart_template or cls.env[
            "account.chart.template"
        ]._guess_chart_template(cls.env.ref(f"base.{cls.shared_company_country}"))
        return chart == cls.shared_company_chart

    @classmethod
    def _create_company(cls, **create_values):
        if create_values == {"name": "company_1_data"} and cls._uses_shared_company():
            # AccountTestInvoicingCommon's company of a post-install class.
            company = cls.env["res.company"].browse(cls._shared_company_id)
            cls.env.user.company_ids = [Command.link(company.id)]
            return company
        return super()._create_company(**create_values)

    @classmethod
    def _ensure_shared_company(cls):
        """The id of the shared company, made as AccountTestInvoicingCommon
        makes a company in the country on the chart, in a transaction of its
        own.

        Only once the registry is loaded: at-install tests run in the main
        company, as Odoo's do.
        """
        registry = Registry(get_db_name())
        if not registry.loaded:
            return None
        xmlid = f"__crm_pl_testing__.{cls.shared_company_xmlid}"
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref(xmlid, raise_if_not_found=False)
            if not company:
                company = cls._make_shared_company(env)
                module, name = xmlid.split(".")
                env["ir.model.data"].create(
                    {
                        "module": module,
                        "name": name,
                        "model": "res.company",
                        "res_id": company.id,
                        "noupdate": True,
                    }
                )
            return company.id

    @classmethod
    def _make_shared_company(cls, env):
        """AccountTestInvoicingCommon._create_company and _use_chart_template
        in ``env``."""
        country = env.ref(f"base.{cls.shared_company_country}")
        company = env["res.company"].create(
            {
                "name": cls.shared_company_name,
                "country_id": country.id,
                "currency_id": country.currency_id.id,
            }
        )
        env["account.chart.template"].try_loading(
            cls.shared_company_chart, company=company, install_demo=False
        )
        if not company.account_fiscal_country_id:
            company.account_fiscal_country_id = env.ref("base.us")
        # The currency given at creation wins over the chart's.
        if company.currency_id != country.currency_id:
            company.currency_id = country.currency_id
        return company
