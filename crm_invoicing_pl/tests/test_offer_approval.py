from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import PlInvoicingCommon

APPROVER = "crm_invoicing_pl.group_pl_offer_approver"
APPROVAL_ACTIVITY = "crm_invoicing_pl.mail_activity_pl_offer_approval"


@tagged("post_install", "-at_install")
class TestOfferApproval(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_manager")
        cls.company2 = cls.setup_other_company(name="Druga Spółka Sp. z o.o.")[
            "company"
        ]
        both = [Command.set((cls.company + cls.company2).ids)]
        cls.salesman = new_test_user(
            cls.env,
            login="sprzedawca",
            name="Piotr Sprzedawca",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=both,
        )
        cls.manager = new_test_user(
            cls.env,
            login="kierownik",
            name="Anna Kierownik",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.manager2 = new_test_user(
            cls.env,
            login="kierownik2",
            name="Jan Kierownik",
            groups="sales_team.group_sale_manager",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
        )
        Team = cls.env["crm.team"]
        cls.team = Team.create(
            {
                "name": "Zespół A",
                "user_id": cls.manager.id,
                "company_id": cls.company.id,
            }
        )
        cls.team2 = Team.create(
            {
                "name": "Zespół B",
                "user_id": cls.manager2.id,
                "company_id": cls.company2.id,
            }
        )
        # Offers at list prices: the discounts are typed on the lines.
        cls.list_prices = cls.env["product.pricelist"].create(
            {"name": "Cennik", "currency_id": cls.pln.id, "company_id": False}
        )
        cls.customer.with_company(
            cls.company
        ).property_product_pricelist = cls.list_prices
        cls.customer.with_company(
            cls.company2
        ).property_product_pricelist = cls.list_prices
        cls._rules(cls.company, line=10.0)

    @classmethod
    def _rules(cls, company, line=None, order=None, amount=None):
        company.write(
            {
                "pl_offer_approval_line_discount": line is not None,
                "pl_offer_approval_line_discount_limit": line or 0.0,
                "pl_offer_approval_order_discount": order is not None,
                "pl_offer_approval_order_discount_limit": order or 0.0,
                "pl_offer_approval_amount": amount is not None,
                "pl_offer_approval_amount_limit": amount or 0.0,
            }
        )

    def _offer(self, lines, user=None, company=None, **values):
        """An offer made by ``user`` (the salesperson): lines are
        (product, quantity, discount[, price])."""
        user = user or self.salesman
        company = company or self.company
        team = self.team if company == self.company else self.team2
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
                    "team_id": team.id,
                    "order_line": line_commands,
                    **values,
                }
            )
        )

    def _approval_activities(self, order):
        return order.sudo().activity_ids.filtered(
            lambda act: act.activity_type_id == self.env.ref(APPROVAL_ACTIVITY)
        )

    def _messages(self, order):
        return order.sudo().message_ids.sorted("id")

    # ------------------------------------------------------------------
    # Groups and settings
    # ------------------------------------------------------------------
    def test_groups(self):
        self.assertTrue(self.manager.has_group(APPROVER))
        self.assertFalse(self.salesman.has_group(APPROVER))
        approver = self.env.ref(APPROVER)
        self.assertIn(
            approver, self.env.ref("sales_team.group_sale_manager").implied_ids
        )

    def test_settings_are_company_rules(self):
        settings = (
            self.env["res.config.settings"]
            .with_company(self.company2)
            .create(
                {
                    "pl_offer_approval_amount": True,
                    "pl_offer_approval_amount_limit": 20000.0,
                }
            )
        )
        settings.execute()
        self.assertTrue(self.company2.pl_offer_approval_amount)
        self.assertEqual(self.company2.pl_offer_approval_amount_limit, 20000.0)
        self.assertFalse(self.company.pl_offer_approval_amount)
        for values in (
            {"pl_offer_approval_line_discount_limit": 100.5},
            {"pl_offer_approval_order_discount_limit": -1.0},
            {"pl_offer_approval_amount_limit": -0.01},
        ):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self.company.write(values)
        self.assertEqual(self.company.pl_offer_approval_line_discount_limit, 10.0)

    # ------------------------------------------------------------------
    # Thresholds
    # ------------------------------------------------------------------
    def test_line_discount_threshold(self):
        at_limit = self._offer([(self.goods, 1, 0.0), (self.service, 2, 10.0)])
        self.assertEqual(at_limit.pl_approval_state, "not_needed")
        self.assertFalse(at_limit.pl_approval_reasons)
        above = self._offer([(self.goods, 1, 0.0), (self.service, 2, 10.01)])
        self.assertEqual(above.pl_approval_state, "to_approve")
        self.assertIn("10.01", above.pl_approval_reasons)
        self.assertIn("10.00", above.pl_approval_reasons)

    def test_order_discount_threshold(self):
        self._rules(self.company, order=5.0)
        # 500 list at 10 % + 500 list at 0 %: 50 off 1000 = 5 %
        order = self._offer([(self.goods, 5, 10.0), (self.service, 1, 0.0)])
        self.assertAlmostEqual(order.amount_untaxed, 950.0)
        self.assertEqual(order.pl_approval_state, "not_needed")
        order.with_user(self.salesman).order_line[1].discount = 0.2  # 5.1 %
        self.assertEqual(order.pl_approval_state, "to_approve")
        self.assertIn("total discount", order.pl_approval_reasons)
        # Each line within 10 %: only the offer's total discount counts here.
        self.assertEqual(
            self._offer([(self.goods, 5, 0.0)]).pl_approval_state, "not_needed"
        )

    def test_amount_threshold(self):
        self._rules(self.company, amount=1000.0)
        at_limit = self._offer([(self.goods, 10, 0.0)])
        self.assertAlmostEqual(at_limit.amount_untaxed, 1000.0)
        self.assertEqual(at_limit.pl_approval_state, "not_needed")
        above = self._offer([(self.goods, 10, 0.0, 100.001)])
        self.assertAlmostEqual(above.amount_untaxed, 1000.01)
        self.assertEqual(above.pl_approval_state, "to_approve")
        self.assertIn("untaxed total", above.pl_approval_reasons)
        # Taxes do not count: 1000 net is 1230 gross.
        self.assertAlmostEqual(at_limit.amount_total, 1230.0)

    def test_no_rules_no_approval(self):
        self._rules(self.company)
        order = self._offer([(self.goods, 1000, 99.0)])
        self.assertEqual(order.pl_approval_state, "not_needed")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_foreign_currency_converted(self):
        self._rules(self.company, amount=1000.0)
        # 1 EUR = 4 PLN
        eur = self.setup_other_currency("EUR", rates=[("2020-01-01", 0.25)])
        eur_prices = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id, "company_id": self.company.id}
        )
        at_limit = self._offer(
            [(self.goods, 1, 0.0, 250.0)], pricelist_id=eur_prices.id
        )
        self.assertEqual(at_limit.currency_id, eur)
        self.assertAlmostEqual(at_limit.amount_untaxed, 250.0)
        self.assertEqual(at_limit.pl_approval_state, "not_needed")
        above = self._offer([(self.goods, 1, 0.0, 250.01)], pricelist_id=eur_prices.id)
        self.assertEqual(above.pl_approval_state, "to_approve")
        self.assertIn("1,000.04", above.pl_approval_reasons)
        # 900 EUR would pass unconverted: 3600 PLN does not.
        self.assertEqual(
            self._offer(
                [(self.goods, 1, 0.0, 900.0)], pricelist_id=eur_prices.id
            ).pl_approval_state,
            "to_approve",
        )

    def test_rules_per_company(self):
        self._rules(self.company, amount=1000.0)
        self._rules(self.company2, line=30.0)
        lines = [(self.goods, 20, 20.0)]  # 1600 zł, 20 %
        first = self._offer(lines)
        second = self._offer(lines, company=self.company2)
        self.assertEqual(first.pl_approval_state, "to_approve")
        self.assertEqual(second.pl_approval_state, "not_needed")
        second.with_user(self.salesman).order_line.discount = 35.0
        self.assertEqual(second.pl_approval_state, "to_approve")
        # Each company's approver decides on its offers.
        second.with_user(self.salesman).action_pl_request_approval()
        self.assertEqual(self._approval_activities(second).user_id, self.manager2)
        with self.assertRaises(AccessError):
            first.with_user(self.manager2).action_pl_approve()
        second.with_user(self.manager2).action_pl_approve()
        self.assertEqual(second.pl_approval_state, "approved")
        self.assertEqual(first.pl_approval_state, "to_approve")
        # A change of the rules applies to the waiting offers of the company.
        self._rules(self.company, amount=2000.0)
        self.assertEqual(first.pl_approval_state, "not_needed")
        self.assertEqual(second.pl_approval_state, "approved")

    # ------------------------------------------------------------------
    # Blocking
    # ------------------------------------------------------------------
    def test_blocked_send_and_confirm(self):
        order = self._offer([(self.goods, 1, 15.0)]).with_user(self.salesman)
        self.assertEqual(order.pl_approval_state, "to_approve")
        for action in (
            order.action_confirm,
            order.action_quotation_send,
            order.with_context(proforma=True).action_quotation_send,
            order.action_quotation_sent,
            order.action_pl_create_proforma,
            order.action_pl_advance_invoice,
        ):
            with self.assertRaisesRegex(
                UserError, "needs the approval of a manager.*\n.*15.00.*\nUse Request"
            ):
                action()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.pl_proforma_ids)
        # The manager approves explicitly too.
        with self.assertRaises(UserError):
            order.with_user(self.manager).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_within_rules_approved_automatically(self):
        order = self._offer([(self.goods, 3, 5.0)]).with_user(self.salesman)
        self.assertEqual(order.pl_approval_state, "not_needed")
        action = order.action_quotation_send()
        self.assertEqual(action["res_model"], "mail.compose.message")
        order.action_quotation_sent()
        self.assertEqual(order.state, "sent")
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.pl_approval_state, "not_needed")
        self.assertFalse(self._approval_activities(order))

    # ------------------------------------------------------------------
    # Request, approve, refuse
    # ------------------------------------------------------------------
    def test_request_and_approve(self):
        order = self._offer([(self.goods, 1, 15.0)])
        as_salesman = order.with_user(self.salesman)
        as_salesman.action_pl_request_approval()
        self.assertTrue(order.pl_approval_requested)
        activity = self._approval_activities(order)
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("15.00", str(activity.note))
        self.assertIn("Approval requested", str(self._messages(order)[-1].body))
        with self.assertRaisesRegex(UserError, "already requested"):
            as_salesman.action_pl_request_approval()
        with self.assertRaisesRegex(UserError, "approval is requested: wait"):
            as_salesman.action_confirm()
        self.assertEqual(len(self._approval_activities(order)), 1)

        # The salesperson cannot decide, not even by writing the fields.
        with self.assertRaises(AccessError):
            as_salesman.action_pl_approve()
        with self.assertRaises(AccessError):
            as_salesman.action_pl_refuse()
        with self.assertRaises(AccessError):
            as_salesman.write({"pl_approval_decision": "approved"})
        with self.assertRaises(AccessError):
            self.env["sale.order.pl.refuse"].with_user(self.salesman).create(
                {"order_ids": order.ids, "reason": "nie"}
            )
        self.assertEqual(order.pl_approval_state, "to_approve")

        order.with_user(self.manager).action_pl_approve()
        self.assertEqual(order.pl_approval_state, "approved")
        self.assertEqual(order.pl_approval_user_id, self.manager)
        self.assertFalse(order.pl_approval_requested)
        self.assertFalse(self._approval_activities(order))
        message = self._messages(order)[-1]
        self.assertIn("Offer approved by Anna Kierownik", str(message.body))
        self.assertIn(self.salesman.partner_id, message.partner_ids)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn(
            "Approved",
            str(
                self._messages(order)
                .filtered(
                    lambda m: m.mail_activity_type_id == self.env.ref(APPROVAL_ACTIVITY)
                )[-1:]
                .body
            ),
        )
        # Now it goes.
        as_salesman.action_quotation_send()
        as_salesman.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.pl_approval_state, "approved")
        # Nothing left to approve on a confirmed order.
        with self.assertRaises(UserError):
            order.with_user(self.manager).action_pl_approve()

    def test_refuse_with_reason(self):
        order = self._offer([(self.goods, 1, 15.0)])
        order.with_user(self.salesman).action_pl_request_approval()
        action = order.with_user(self.manager).action_pl_refuse()
        self.assertEqual(action["res_model"], "sale.order.pl.refuse")
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
        )
        wizard_form.reason = "Rabat za wysoki, max 10 %"
        wizard_form.save().action_refuse()

        self.assertEqual(order.pl_approval_state, "refused")
        self.assertEqual(order.pl_approval_refuse_reason, "Rabat za wysoki, max 10 %")
        self.assertFalse(self._approval_activities(order))
        message = self._messages(order)[-1]
        self.assertIn("Offer refused by Anna Kierownik", str(message.body))
        self.assertIn("Rabat za wysoki", str(message.body))
        self.assertIn(self.salesman.partner_id, message.partner_ids)
        todo = order.sudo().activity_ids.filtered(
            lambda act: (
                act.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
            )
        )
        self.assertEqual(todo.user_id, self.salesman)
        self.assertIn("Rabat za wysoki", str(todo.note))
        # Still blocked, with the reason.
        as_salesman = order.with_user(self.salesman)
        with self.assertRaisesRegex(UserError, "Rabat za wysoki"):
            as_salesman.action_confirm()
        with self.assertRaisesRegex(UserError, "refused"):
            as_salesman.action_quotation_send()
        # Unchanged, it cannot be requested again.
        with self.assertRaises(UserError):
            as_salesman.action_pl_request_approval()
        # Changed (still above the rules): waits for approval again.
        as_salesman.order_line.discount = 12.0
        self.assertEqual(order.pl_approval_state, "to_approve")
        as_salesman.action_pl_request_approval()
        self.assertEqual(self._approval_activities(order).user_id, self.manager)

    def test_refuse_needs_a_reason(self):
        order = self._offer([(self.goods, 1, 15.0)])
        messages = self._messages(order)
        for reason in ("", "   "):
            with self.assertRaises(UserError):
                order.with_user(self.manager)._pl_refuse(reason)
        wizard_form = Form(
            self.env["sale.order.pl.refuse"]
            .with_user(self.manager)
            .with_context(default_order_ids=order.ids)
        )
        with self.assertRaisesRegex(AssertionError, "reason"):
            wizard_form.save()
        self.assertEqual(order.pl_approval_state, "to_approve")
        self.assertFalse(order.pl_approval_decision)
        self.assertEqual(self._messages(order), messages)

    def test_nothing_to_approve_within_rules(self):
        order = self._offer([(self.goods, 1, 5.0)])
        with self.assertRaises(UserError):
            order.with_user(self.salesman).action_pl_request_approval()
        with self.assertRaises(UserError):
            order.with_user(self.manager).action_pl_approve()
        with self.assertRaises(UserError):
            order.with_user(self.manager)._pl_refuse("nie")
        self.assertFalse(order.pl_approval_decision)

    # ------------------------------------------------------------------
    # Changes after the decision
    # ------------------------------------------------------------------
    def test_changes_after_approval(self):
        order = self._offer([(self.goods, 2, 15.0), (self.service, 1, 0.0)])
        order.with_user(self.manager).action_pl_approve()
        as_salesman = order.with_user(self.salesman)
        # No change of content: still approved.
        with Form(as_salesman) as order_form:
            order_form.note = "Oferta ważna 14 dni"
        as_salesman.order_line = [
            Command.create({"display_type": "line_note", "name": "Dostawa gratis"})
        ]
        self.assertEqual(order.pl_approval_state, "approved")
        # A higher discount, or the same discount on more goods: again.
        as_salesman.order_line[0].discount = 18.0
        self.assertEqual(order.pl_approval_state, "to_approve")
        with self.assertRaises(UserError):
            as_salesman.action_confirm()
        as_salesman.order_line[0].discount = 15.0
        self.assertEqual(order.pl_approval_state, "approved")
        # (A new quantity recomputes the discount: it is given again.)
        as_salesman.order_line[0].write({"product_uom_qty": 50, "discount": 15.0})
        self.assertEqual(order.pl_approval_state, "to_approve")
        as_salesman.order_line[0].write({"product_uom_qty": 2, "discount": 15.0})
        self.assertEqual(order.pl_approval_state, "approved")
        with Form(as_salesman) as order_form:
            with order_form.order_line.new() as line_form:
                line_form.product_id = self.goods
        self.assertEqual(order.pl_approval_state, "to_approve")
        # Back within the rules: no approval needed.
        as_salesman.order_line.filtered("product_id").discount = 0.0
        self.assertEqual(order.pl_approval_state, "not_needed")
        as_salesman.action_confirm()
        self.assertEqual(order.state, "sale")
        # A confirmed order keeps its state whatever changes.
        order.order_line[0].discount = 50.0
        self.assertEqual(order.pl_approval_state, "not_needed")

    def test_copy_needs_its_own_approval(self):
        order = self._offer([(self.goods, 1, 15.0)])
        order.with_user(self.manager).action_pl_approve()
        copy = order.with_user(self.salesman).copy()
        self.assertEqual(copy.pl_approval_state, "to_approve")
        self.assertFalse(copy.pl_approval_decision)
        self.assertEqual(order.pl_approval_state, "approved")

    def test_quotation_filter(self):
        waiting = self._offer([(self.goods, 1, 15.0)])
        fine = self._offer([(self.goods, 1, 5.0)])
        found = self.env["sale.order"].search(
            [
                ("pl_approval_state", "=", "to_approve"),
                ("id", "in", (waiting + fine).ids),
            ]
        )
        self.assertEqual(found, waiting)
        search_view = self.env["sale.order"].get_view(
            self.env.ref("sale.sale_order_view_search_inherit_quotation").id, "search"
        )["arch"]
        self.assertIn('name="pl_to_approve"', search_view)
        list_view = self.env["sale.order"].get_view(
            self.env.ref("sale.view_quotation_tree").id, "list"
        )["arch"]
        self.assertIn('name="pl_approval_state"', list_view)
