"""The test company of crm_vies_check: what ``base_vat`` and ``account`` offer.

The add-on depends on them only (issue 20: one concern per add-on), so its
tests run where nothing else of the suite is installed: Odoo's generic chart
of accounts (``account``), not l10n_pl's, in a company in Poland; users of
``base`` and ``account`` groups only.

Its post-install classes share one company on the generic chart (issue 20),
made once per database: ``__crm_pl_testing__.company_generic_pl``; each class
changes it (country, VAT number, name...) inside its own transaction, rolled
back at its end.
"""

from datetime import timedelta

from crm_pl_testing.shared_company import SharedChartCompany
from crm_pl_testing.user_helpers import PlUserHelpers
from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class VerificationCommon(SharedChartCompany, PlUserHelpers, AccountTestInvoicingCommon):
    """A Polish company with a customer, a consumer and a product, with a way
    to record past checks."""

    shared_company_xmlid = "company_generic_pl"
    shared_company_chart = "generic_coa"
    shared_company_name = "Spółka testowa, plan ogólny (crm_pl_testing)"

    @classmethod
    @AccountTestInvoicingCommon.setup_country("pl")
    @AccountTestInvoicingCommon.setup_chart_template("generic_coa")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        poland = cls.env.ref("base.pl")
        # The generic chart is the United States' fiscally: Poland's here, so
        # that a Polish customer is domestic and a German one intra-community.
        cls.change_company_country(cls.company, poland)
        cls.company.write(
            {
                "name": "Przykładowa Spółka z o.o.",
                "vat": "PL5260250274",
                "street": "ul. Świętokrzyska 12",
                "zip": "00-916",
                "city": "Warszawa",
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
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Hurtownia Żółw Sp. z o.o.",
                "is_company": True,
                "vat": "PL1234567883",
                "street": "ul. Łąkowa 3",
                "zip": "30-001",
                "city": "Kraków",
                "country_id": poland.id,
            }
        )
        cls.consumer = cls.env["res.partner"].create(
            {
                "name": "Jan Kowalski",
                "street": "ul. Długa 1",
                "zip": "80-001",
                "city": "Gdańsk",
                "country_id": poland.id,
            }
        )
        cls.goods = cls._create_product(name="Kabel miedziany", lst_price=100.0)

    def pl_invoice(self, partner=None, lines=None, move_type="out_invoice", **values):
        """A draft customer invoice (or credit note) of 2026-11-15; lines are
        (product, quantity, price[, taxes])."""
        lines = lines or [(self.goods, 1, 100.0)]
        return self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.customer).id,
                "invoice_date": fields.Date.to_date("2026-11-15"),
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

    def _verification(self, partner, check_type, status, days_ago=0):
        """A proof record of a check made ``days_ago`` days ago."""
        return (
            self.env["partner.verification"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "check_type": check_type,
                    "status": status,
                    "checked_at": fields.Datetime.now() - timedelta(days=days_ago),
                }
            )
        )
