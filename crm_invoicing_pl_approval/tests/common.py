from odoo import Command
from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon
from odoo.tests import new_test_user


class ApprovalCommon(PlInvoicingCommon):
    """An author, two approvers and a sales team in the Polish company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search(
            [("model", "=", "account.move")]
        ).active = False

        def user(login, name):
            return new_test_user(
                cls.env,
                login=login,
                name=name,
                password=f"{login}-pass-1234",
                groups="account.group_account_invoice,sales_team.group_sale_salesman",
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
                email=f"{login}@example.com",
            )

        cls.author = user("pl_appr_author", "Anna Autorka")
        cls.approver = user("pl_appr_first", "Piotr Pierwszy")
        cls.approver2 = user("pl_appr_second", "Dorota Druga")
        cls.member = user("pl_appr_member", "Marek Członek")
        cls.team = (
            cls.env["crm.team"]
            .sudo()
            .create(
                {
                    "name": "Sprzedaż Kraków",
                    "company_id": cls.company.id,
                    "user_id": cls.approver2.id,
                    "member_ids": [Command.set((cls.member | cls.approver).ids)],
                }
            )
        )
        cls.approval_type = cls.env.ref(
            "crm_invoicing_pl_approval.mail_activity_type_invoice_approval"
        )
        cls.rejected_type = cls.env.ref(
            "crm_invoicing_pl_approval.mail_activity_type_invoice_rejected"
        )

    def rule(self, name, **values):
        return self.env["tier.definition"].create(
            {
                "name": name,
                "model_id": self.env.ref("account.model_account_move").id,
                "company_id": self.company.id,
                "review_type": "individual",
                "reviewer_id": self.approver.id,
                "pl_customer_documents_only": True,
                **values,
            }
        )

    def draft(self, amount=100.0, **values):
        """A draft Faktura VAT of the author (amount net, 23 % VAT)."""
        with self.with_user(self.author.login):
            return self.pl_invoice(lines=[(self.goods, 1, amount)], **values)

    def activities(self, move, activity_type, user=None):
        activities = move.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        return activities.filtered(lambda a: a.user_id == user) if user else activities


class OfferApprovalCommon(PlInvoicingCommon):
    """Offer approval rules (sale.order tier definitions) approved by the
    sales managers: a salesman, two managers of the company, one of another
    company. Passwords: ``<login>-pass-1234``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search([("model", "=", "sale.order")]).active = False
        cls.company2 = cls.setup_other_company(name="Druga Spółka Sp. z o.o.")[
            "company"
        ]

        def user(login, name, groups, companies):
            return new_test_user(
                cls.env,
                login=login,
                name=name,
                password=f"{login}-pass-1234",
                groups=groups,
                company_id=companies[0].id,
                company_ids=[Command.set(companies.ids)],
                email=f"{login}@example.com",
            )

        both = cls.company + cls.company2
        cls.salesman = user(
            "pl_offer_salesman",
            "Piotr Sprzedawca",
            "sales_team.group_sale_salesman",
            both,
        )
        cls.manager = user(
            "pl_offer_manager",
            "Anna Kierownik",
            "sales_team.group_sale_manager",
            cls.company,
        )
        cls.manager_b = user(
            "pl_offer_manager_b",
            "Ewa Dyrektor",
            "sales_team.group_sale_manager",
            cls.company,
        )
        cls.manager2 = user(
            "pl_offer_manager2",
            "Jan Kierownik",
            "sales_team.group_sale_manager",
            cls.company2,
        )
        cls.managers = cls.env.ref("sales_team.group_sale_manager")
        # Offers at list prices: the discounts are typed on the lines.
        cls.list_prices = cls.env["product.pricelist"].create(
            {"name": "Cennik", "currency_id": cls.pln.id, "company_id": False}
        )
        for company in both:
            cls.customer.with_company(
                company
            ).property_product_pricelist = cls.list_prices

    def offer_rule(self, name, rule, limit, company=None, **values):
        """An offer approval rule approved by any sales manager (four-eyes)."""
        return self.env["tier.definition"].create(
            {
                "name": name,
                "model_id": self.env.ref("sale.model_sale_order").id,
                "company_id": (company or self.company).id,
                "review_type": "group",
                "reviewer_id": False,
                "reviewer_group_id": self.managers.id,
                "pl_offer_rule": rule,
                "pl_offer_limit": limit,
                **values,
            }
        )

    def offer(self, lines, user=None, company=None, **values):
        """An offer made by ``user`` (its salesperson, the salesman by
        default): lines are (product, quantity, discount[, price])."""
        user = user or self.salesman
        company = company or self.company
        line_commands = []
        for product, quantity, discount, *price in lines:
            vals = {
                "product_id": product.id,
                "product_uom_qty": quantity,
                "discount": discount,
            }
            if price:
                vals["price_unit"] = price[0]
            line_commands.append(Command.create(vals))
        return (
            self.env["sale.order"]
            .with_user(user)
            .with_company(company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company.id,
                    "user_id": user.id,
                    "order_line": line_commands,
                    **values,
                }
            )
            .with_env(self.env)
        )
