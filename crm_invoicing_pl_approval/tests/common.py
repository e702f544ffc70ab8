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
