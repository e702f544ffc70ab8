from crm_pl_testing.shared_company import SharedChartCompany
from crm_pl_testing.user_helpers import PlUserHelpers
from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class PlInvoicingCommon(SharedChartCompany, PlUserHelpers, AccountTestInvoicingCommon):
    """A Polish company on the l10n_pl chart with customers and products.

    Its post-install classes share one company on the chart (issue 20), made
    once per database: ``__crm_pl_testing__.company_pl``.
    """

    shared_company_xmlid = "company_pl"
    shared_company_chart = "pl"
    shared_company_name = "Spółka testowa (crm_pl_testing)"

    @classmethod
    def _create_company(cls, **create_values):
        company = super()._create_company(**create_values)
        # The suite's documents are switched on per company (Settings):
        # each company of these tests has them.
        company.pl_documents_enabled = True
        return company

    @classmethod
    @AccountTestInvoicingCommon.setup_country("pl")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.pln = cls.env.ref("base.PLN")
        cls.company.write(
            {
                "name": "Przykładowa Spółka z o.o.",
                "vat": "PL5260250274",
                "street": "ul. Świętokrzyska 12",
                "zip": "00-916",
                "city": "Warszawa",
                "country_id": cls.env.ref("base.pl").id,
            }
        )
        cls.company_bank = cls.env["res.partner.bank"].create(
            {
                "acc_number": "PL61109010140000071219812874",
                "partner_id": cls.company.partner_id.id,
                "company_id": cls.company.id,
                "allow_out_payment": True,
            }
        )
        cls.company_data["default_journal_bank"].bank_account_id = cls.company_bank
        cls.tax_23 = cls._pl_tax("vs_kraj_23")
        cls.tax_8 = cls._pl_tax("vs_kraj_8")
        cls.tax_zw = cls._pl_tax("vs_kraj_zw")
        # l10n_pl's domestic reverse charge (0% Stal, box K_31), inactive by default.
        cls.tax_oo = cls._pl_tax("vs_stal")
        cls.tax_oo.active = True
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Hurtownia Żółw Sp. z o.o.",
                "is_company": True,
                "vat": "PL1234567883",
                "street": "ul. Łąkowa 3",
                "zip": "30-001",
                "city": "Kraków",
                "country_id": cls.env.ref("base.pl").id,
                "lang": "pl_PL" if cls.env["res.lang"]._lang_get("pl_PL") else "en_US",
            }
        )
        cls.consumer = cls.env["res.partner"].create(
            {
                "name": "Jan Kowalski",
                "street": "ul. Długa 1",
                "zip": "80-001",
                "city": "Gdańsk",
                "country_id": cls.env.ref("base.pl").id,
            }
        )
        cls.goods = cls._create_product(
            name="Kabel miedziany",
            lst_price=100.0,
            taxes_id=[Command.set(cls.tax_23.ids)],
        )
        cls.annex15 = cls._create_product(
            name="Telefon komórkowy",
            lst_price=1000.0,
            taxes_id=[Command.set(cls.tax_23.ids)],
            pl_annex_15=True,
        )
        cls.service = cls._create_product(
            name="Usługa wdrożeniowa",
            type="service",
            lst_price=500.0,
            taxes_id=[Command.set(cls.tax_23.ids)],
        )
        cls.doc_types = cls.env["pl.document.type"].search(
            [("company_id", "=", cls.company.id)]
        )

    @classmethod
    def _setup_tour_user(cls, groups=()):
        """The test's user works in the company and prints without the
        document-layout configurator (it opens for a company that never chose
        a layout); ``groups``: xml ids of groups the tour also needs."""
        cls.company.external_report_layout_id = cls.env.ref(
            "web.external_layout_standard"
        )
        cls.env.user.write(
            {
                "company_id": cls.company.id,
                "company_ids": [Command.link(cls.company.id)],
                "group_ids": [Command.link(cls.env.ref(g).id) for g in groups],
            }
        )

    @classmethod
    def _pl_tax(cls, xmlid):
        return cls.env["account.chart.template"].with_company(cls.company).ref(xmlid)

    def doc_type(self, kind):
        return self.doc_types.filtered(lambda t: t.kind == kind)[:1]

    def pl_invoice(
        self, partner=None, lines=None, kind="vat", date="2026-11-15", **values
    ):
        """A draft Polish document; lines are (product, quantity, price[, taxes])."""
        doc_type = self.doc_type(kind)
        lines = lines or [(self.goods, 1, 100.0)]
        return self.env["account.move"].create(
            {
                "move_type": doc_type.move_type,
                "partner_id": (partner or self.customer).id,
                "invoice_date": fields.Date.to_date(date),
                "pl_document_type_id": doc_type.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line[0].id,
                            "quantity": line[1],
                            "price_unit": line[2],
                            **(
                                {"tax_ids": [Command.set(line[3].ids)]}
                                if len(line) > 3
                                else {}
                            ),
                        }
                    )
                    for line in lines
                ],
                **values,
            }
        )
