"""The dunning run: levels by offset, grouping, instalments, once per level."""

from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval
from psycopg2 import IntegrityError

from .common import shipped_rates_only
from .dunning_run_common import RUN_DAY, DunningRunCommon


@tagged("post_install", "-at_install")
class TestDunningRun(DunningRunCommon):
    def test_default_policy_seeded(self):
        self.assertEqual(self.company.dunning_policy_id, self.policy)
        self.assertEqual(
            [
                (
                    lvl.offset_days,
                    lvl.channel_email,
                    lvl.channel_sms,
                    lvl.channel_letter,
                )
                for lvl in (self.reminder, self.urge, self.monit, self.demand)
            ],
            [
                (-3, True, False, False),
                (7, True, True, False),
                (14, True, False, False),
                (30, True, False, True),
            ],
        )
        self.assertTrue(self.monit.add_interest)
        self.assertTrue(self.demand.payment_demand and self.demand.demand_compensation)
        # A new company gets its own policy.
        other = self.env["res.company"].create({"name": "Druga Spółka"})
        self.assertTrue(other.dunning_policy_id)
        self.assertEqual(other.dunning_policy_id.company_id, other)
        self.assertEqual(len(other.dunning_policy_id.level_ids), 4)

    def test_levels_by_offset(self):
        # Each invoice to its own customer: one communication each.
        partners = self.env["res.partner"].create(
            [
                {"name": f"Klient {i}", "email": f"k{i}@example.com", **self.address}
                for i in range(6)
            ]
        )
        moves = [
            self.due_in(4, partners[0]),  # Sunday 19th, moved to 20th: too early
            self.due_in(2, partners[1]),  # przypomnienie (-3 reached)
            self.due_in(-7, partners[2]),  # 7 days late: ponaglenie
            self.due_in(-8, partners[3]),  # 8 days late: ponaglenie
            self.due_in(-15, partners[4]),  # monit
            self.due_in(-44, partners[5]),  # wezwanie
        ]
        run = self.dunning_run()
        self.assertEqual(run.state, "previewed")
        got = [self.comm_of(run, move).level_id for move in moves]
        self.assertEqual(
            got,
            [
                self.env["crm.dunning.level"],
                self.reminder,
                self.urge,
                self.urge,
                self.monit,
                self.demand,
            ],
        )
        line = self.comm_of(run, moves[1]).line_ids
        self.assertEqual(line.days_overdue, -2)
        self.assertEqual(line.amount_residual, 1230.0)
        self.assertEqual(run.communication_count, 5)
        self.assertEqual(run.draft_count, 5)

    def test_due_date_moved_past_weekend(self):
        # Due Saturday 4 April 2026, moved past Easter Monday to Tuesday 7:
        # on 14 April it is 7 days late (ponaglenie), not 10.
        move = self.invoice(price=100.0, date="2026-03-20", due="2026-04-04")
        run = self.dunning_run(day=date(2026, 4, 13))
        self.assertEqual(self.comm_of(run, move).level_id, self.reminder)
        run = self.dunning_run(day=date(2026, 4, 14))
        comm = self.comm_of(run, move)
        self.assertEqual(comm.level_id, self.urge)
        self.assertEqual(comm.line_ids.due_date, date(2026, 4, 7))
        self.assertEqual(comm.line_ids.days_overdue, 7)

    def test_one_communication_per_customer_and_level(self):
        first = self.due_in(-8, self.customer, price=100.0)
        second = self.due_in(-7, self.customer, price=200.0)
        other = self.due_in(-9, self.customer2, price=300.0)
        late = self.due_in(-20, self.customer, price=400.0)
        run = self.dunning_run()
        comms = run.communication_ids
        self.assertEqual(len(comms), 3)
        grouped = self.comm_of(run, first)
        self.assertEqual(grouped, self.comm_of(run, second))
        self.assertEqual(grouped.partner_id, self.customer)
        self.assertEqual(grouped.level_id, self.urge)
        self.assertEqual(grouped.line_ids.move_id, first | second)
        self.assertEqual(grouped.amount_residual, 369.0)
        self.assertEqual(grouped.max_days_overdue, 8)
        self.assertIn(first.name, grouped.invoice_names)
        self.assertIn(second.name, grouped.invoice_names)
        self.assertEqual(self.comm_of(run, other).partner_id, self.customer2)
        self.assertEqual(self.comm_of(run, late).level_id, self.monit)
        self.assertNotEqual(self.comm_of(run, late), grouped)

    def test_contact_invoices_grouped_under_the_company(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Anna Nowak",
                "parent_id": self.customer.id,
                "type": "invoice",
                **self.address,
            }
        )
        first = self.due_in(-8, self.customer)
        second = self.due_in(-8, contact)
        run = self.dunning_run()
        self.assertEqual(len(run.communication_ids), 1)
        self.assertEqual(run.communication_ids.partner_id, self.customer)
        self.assertEqual(run.communication_ids.line_ids.move_id, first | second)

    def test_instalments_dunned_separately(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "50 % now, 50 % in 30 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 0}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 30}
                    ),
                ],
            }
        )
        move = self.pl_invoice(
            lines=[(self.goods, 1, 1000.0)],
            date="2026-03-02",
            invoice_payment_term_id=term.id,
        )
        move.action_post()
        first, second = move._crm_dunning_receivable_lines().sorted("date_maturity")
        self.assertEqual(
            (first.date_maturity, second.date_maturity),
            (date(2026, 3, 2), date(2026, 4, 1)),
        )
        # 8 April: the first instalment is 37 days late, the second 7.
        run = self.dunning_run(day=date(2026, 4, 8), send=True)
        lines = run.communication_ids.line_ids
        self.assertEqual(len(run.communication_ids), 2)
        by_line = {line.move_line_id: line for line in lines}
        self.assertEqual(by_line[first].level_id, self.demand)
        self.assertEqual(by_line[first].amount_residual, 615.0)
        self.assertEqual(by_line[first].days_overdue, 37)
        self.assertEqual(by_line[second].level_id, self.urge)
        self.assertEqual(by_line[second].days_overdue, 7)
        # The first instalment paid: only the second is dunned further.
        self.pay(move, 615.0, date(2026, 4, 9))
        run = self.dunning_run(day=date(2026, 4, 15), send=True)
        self.assertEqual(run.communication_ids.line_ids.move_line_id, second)
        self.assertEqual(run.communication_ids.level_id, self.monit)
        # The invoice's level: the highest sent for any of its instalments.
        self.assertEqual(move.dunning_level_id, self.demand)

    def test_never_the_same_level_twice(self):
        move = self.due_in(-8)
        run = self.dunning_run(send=True)
        comm = run.communication_ids
        self.assertEqual(comm.state, "sent")
        self.assertEqual(comm.line_ids.state, "sent")
        self.assertEqual(len(comm.mail_mail_id), 1)
        # The same day, or the next days: nothing new until the next level.
        for day in (RUN_DAY, RUN_DAY + timedelta(days=1), RUN_DAY + timedelta(days=5)):
            again = self.dunning_run(day=day, send=True)
            self.assertFalse(again.communication_ids, day)
        later = self.dunning_run(day=RUN_DAY + timedelta(days=6), send=True)
        self.assertEqual(later.communication_ids.level_id, self.monit)
        self.assertEqual(move.dunning_level_id, self.monit)
        # The database refuses a second line of a level for an instalment.
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["crm.dunning.communication.line"].create(
                {
                    "communication_id": comm.id,
                    "move_line_id": comm.line_ids.move_line_id.id,
                    "move_id": move.id,
                    "level_id": self.urge.id,
                    "due_date": comm.line_ids.due_date,
                    "currency_id": self.company.currency_id.id,
                }
            )
            self.env.flush_all()

    def test_missed_levels_are_not_caught_up(self):
        move = self.due_in(-40)
        run = self.dunning_run(send=True)
        self.assertEqual(run.communication_ids.level_id, self.demand)
        self.assertEqual(move.dunning_line_ids.level_id, self.demand)
        # A higher level sent: lower ones are never sent afterwards.
        self.assertFalse(
            self.dunning_run(day=RUN_DAY + timedelta(days=30)).communication_ids
        )

    def test_preview_twice_adds_nothing(self):
        self.due_in(-8)
        run = self.dunning_run()
        comms = run.communication_ids
        run._crm_dunning_preview()
        self.assertEqual(run.communication_ids, comms)
        # Another run of the same day does not take the previewed instalments.
        self.assertFalse(self.dunning_run().communication_ids)

    def test_payment_after_preview_is_respected(self):
        paid = self.due_in(-8, price=100.0)
        unpaid = self.due_in(-9, price=200.0)
        alone = self.due_in(-8, self.customer2, price=100.0)
        run = self.dunning_run()
        comm = self.comm_of(run, paid)
        self.assertEqual(len(comm.line_ids), 2)
        self.pay(paid, 123.0, RUN_DAY)
        self.pay(alone, 123.0, RUN_DAY)
        self.pay(unpaid, 46.0, RUN_DAY)  # partly
        run.action_send()
        self.assertEqual(comm.state, "sent")
        self.assertEqual(
            comm.line_ids.mapped(lambda line: (line.move_id, line.state)),
            [(paid, "cancelled"), (unpaid, "sent")]
            if comm.line_ids[0].move_id == paid
            else [(unpaid, "sent"), (paid, "cancelled")],
        )
        self.assertEqual(comm.open_line_ids.amount_residual, 200.0)
        self.assertEqual(comm.amount_residual, 200.0)
        self.assertNotIn(paid.name, comm.mail_mail_id.body_html)
        self.assertIn(unpaid.name, comm.mail_mail_id.body_html)
        cancelled = self.comm_of(run, alone)
        self.assertEqual(cancelled.state, "cancelled")
        self.assertFalse(cancelled.mail_mail_id)
        self.assertEqual(cancelled.line_ids.cancel_reason, "Paid before sending")
        self.assertEqual(run.state, "done")
        self.assertEqual((run.sent_count, run.cancelled_count), (1, 1))

    def test_excluded_customer_and_invoice(self):
        self.customer2.dunning_excluded = True
        self.due_in(-8, self.customer2)
        kept = self.due_in(-8, self.customer)
        excluded = self.due_in(-9, self.customer)
        with self.assertRaisesRegex(ValidationError, "reason"):
            excluded.dunning_excluded = True
        excluded.write(
            {"dunning_excluded": True, "dunning_excluded_reason": "Reklamacja"}
        )
        run = self.dunning_run()
        self.assertEqual(run.communication_ids.partner_id, self.customer)
        self.assertEqual(run.communication_ids.line_ids.move_id, kept)

    def test_customer_policy_and_other_companies(self):
        fast = self.env["crm.dunning.policy"].create(
            {
                "name": "Szybka",
                "company_id": self.company.id,
                "level_ids": [
                    Command.create({"name": "Od razu", "offset_days": 1}),
                ],
            }
        )
        self.customer.with_company(self.company).dunning_policy_id = fast
        mine = self.due_in(-2, self.customer)
        default = self.due_in(-2, self.customer2)
        run = self.dunning_run()
        self.assertEqual(self.comm_of(run, mine).level_id, fast.level_ids)
        self.assertEqual(self.comm_of(run, default).level_id, self.reminder)
        # Another company's run sees none of these invoices.
        other = self.env["res.company"].create({"name": "Druga Spółka"})
        other_run = self.env["crm.dunning.run"].create(
            {"company_id": other.id, "date": RUN_DAY}
        )
        other_run.action_preview()
        self.assertFalse(other_run.communication_ids)

    def test_level_needs_a_channel_and_distinct_offsets(self):
        with self.assertRaisesRegex(ValidationError, "at least one channel"):
            self.urge.write({"channel_email": False, "channel_sms": False})
        with self.assertRaisesRegex(ValidationError, "same offset"):
            self.monit.offset_days = 7

    @freeze_time("2026-05-15 10:00:00")
    def test_interest_letter_and_partner_summary(self):
        # 1 230.00 due Monday 2 March 2026, 44 days late on 15 April at 14 %.
        move = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        # The payment demand's compensation: NBP rate of Friday 27 February.
        self.eur_rate("2026-02-27", 4.25)
        run = self.dunning_run(send=True)
        comm = run.communication_ids
        self.assertEqual(comm.level_id, self.demand)
        self.assertEqual(comm.demand_id.state, "issued")
        portions = move._crm_dunning_receivable_lines()._crm_dunning_portions(RUN_DAY)
        self.assertEqual(
            comm.line_ids.interest_amount, float(portions[0]["result"].total)
        )
        self.assertEqual(comm.line_ids.interest_amount, 20.76)  # 1230 x 14 % x 44/365
        self.assertEqual(comm.letter_state, "to_print")
        self.assertIn("Letter: To Print", comm.delivery_status)
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.dunning_level_id, self.demand)
        self.assertEqual(customer.dunning_overdue_amount, 1230.0)
        self.assertGreater(customer.dunning_interest_amount, 20.76)  # up to today
        self.assertEqual(customer.dunning_communication_count, 1)
        self.assertEqual(customer.dunning_line_ids, comm.line_ids)
        action = customer.action_crm_dunning_history()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), comm)
        self.assertEqual(move.dunning_line_count, 1)

    @freeze_time("2027-02-01 10:00:00")
    def test_customer_card_opens_when_no_rate_covers_today(self):
        """No commercial rate for 2027 yet (the NBP feed has not run): the
        customer's interest to date is 0, not an error, and the dunning
        screens warn."""
        shipped_rates_only(self.env)
        self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.dunning_overdue_amount, 1230.0)
        self.assertEqual(customer.dunning_interest_amount, 0.0)
        self.assertTrue(self.env["crm.dunning.run"].new({}).rates_warning)

    def test_foreign_currency_invoices_in_their_own_communication(self):
        # The NBP rate of 19 March, the rate day of the invoice of the 20th.
        eur = self.setup_other_currency("EUR", rates=[("2026-03-19", 1 / 4.25)])
        pln = self.due_in(-20, price=100.0)
        move = self.pl_invoice(
            lines=[(self.goods, 1, 1000.0)],
            date="2026-03-20",
            currency_id=eur.id,
            invoice_date_due=date(2026, 3, 26),
        )
        move.action_post()
        comms = self.dunning_run(send=True).communication_ids
        self.assertEqual(len(comms), 2)
        in_eur = comms.filtered(lambda comm: comm.currency_id == eur)
        self.assertEqual(in_eur.line_ids.move_id, move)
        self.assertEqual(in_eur.level_id, self.monit)
        self.assertEqual(in_eur.amount_residual, 1230.0, "in euros")
        self.assertEqual(in_eur.line_ids.interest_amount, 0.0)
        self.assertRegex(in_eur.amount_residual_text, r"1[\s.,\u00a0\u202f]?230[.,]00")
        self.assertIn("€", in_eur.amount_residual_text)
        in_pln = comms - in_eur
        self.assertEqual(in_pln.line_ids.move_id, pln)
        self.assertEqual(in_pln.currency_id, self.company.currency_id)
        self.assertGreater(in_pln.line_ids.interest_amount, 0.0)
        # A payment in euros is respected at sending too.
        comms = self.dunning_run(day=RUN_DAY + timedelta(days=20)).communication_ids
        self.assertEqual(len(comms), 2)
        self.pay(move, 1230.0, RUN_DAY + timedelta(days=20))
        comms.run_id.action_send()
        self.assertEqual(
            comms.filtered(lambda comm: comm.currency_id == eur).state, "cancelled"
        )

    def test_broken_template_recorded_other_customers_sent(self):
        broken = self.env.ref("crm_dunning.mail_template_dunning_overdue").copy(
            {"subject": "{{ object.no_such_field }}"}
        )
        self.monit.mail_template_id = broken
        self.due_in(-20, self.customer)
        self.due_in(-8, self.customer2)
        with mute_logger(
            "odoo.addons.crm_dunning.models.crm_dunning_communication",
            "odoo.addons.mail.models.mail_render_mixin",
        ):
            run = self.dunning_run(send=True)
        failed = run.communication_ids.filtered(lambda c: c.level_id == self.monit)
        self.assertEqual(failed.state, "failed")
        self.assertIn("could not be prepared", failed.error_message)
        self.assertFalse(failed.mail_mail_id)
        self.assertEqual(run.sent_count, 1)

    def test_missing_interest_rate_does_not_stop_the_run(self):
        rates = self.env["crm.dunning.interest.rate"].search(
            [("kind", "=", "commercial")]
        )
        rates.active = False
        self.due_in(-20)
        with mute_logger("odoo.addons.crm_dunning.models.crm_dunning_run"):
            run = self.dunning_run(send=True)
        comm = run.communication_ids
        self.assertEqual(comm.level_id, self.monit)
        self.assertEqual(comm.state, "sent")
        self.assertEqual(comm.line_ids.interest_amount, 0.0)

    def test_customer_without_email_is_failed_and_retried_later(self):
        self.customer2.email = False
        self.due_in(-8, self.customer2)
        run = self.dunning_run(send=True)
        comm = run.communication_ids
        # Ponaglenie goes by e-mail and SMS: the SMS still goes.
        self.assertEqual(comm.state, "sent")
        self.assertIn("has no e-mail address", comm.error_message)
        self.assertTrue(comm.sms_id)
        self.customer2.phone = False
        self.due_in(-20, self.customer2)
        run = self.dunning_run(send=True)
        failed = run.communication_ids
        self.assertEqual(failed.level_id, self.monit)
        self.assertEqual(failed.state, "failed")
        self.assertEqual(failed.line_ids.state, "cancelled")
        # Once the address is known, the next run sends it.
        self.customer2.email = "biuro@bocian.example.com"
        self.assertEqual(self.dunning_run(send=True).communication_ids.state, "sent")

    def test_cron_runs_once_a_day(self):
        today = fields.Date.context_today(self.env["crm.dunning.run"])
        self.due_in(-8, on=today)
        Run = self.env["crm.dunning.run"]
        runs = Run._cron_run(company_ids=self.company.ids)
        self.assertEqual(len(runs), 1)
        self.assertRecordValues(runs, [{"state": "done", "origin": "cron"}])
        self.assertEqual(runs.sent_count, 1)
        self.assertFalse(Run._cron_run(company_ids=self.company.ids))
        self.assertEqual(Run.search_count([("company_id", "=", self.company.id)]), 1)

    def test_cron_finishes_an_interrupted_run(self):
        today = fields.Date.context_today(self.env["crm.dunning.run"])
        self.due_in(-8, on=today)
        self.due_in(-8, self.customer2, on=today)
        Run = self.env["crm.dunning.run"]
        # A run killed after its preview (as a crash would leave it).
        run = Run.create(
            {"company_id": self.company.id, "date": today, "origin": "cron"}
        )
        run.action_preview()
        run.communication_ids[:1]._crm_dunning_send()
        self.assertEqual(run.draft_count, 1)
        self.assertEqual(Run._cron_run(company_ids=self.company.ids), run)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.sent_count, 2)
        self.assertEqual(len(run.communication_ids.mail_mail_id), 2, "one e-mail each")

    def test_stale_drafts_of_an_unsent_run_are_replaced(self):
        self.due_in(-8)
        old = self.dunning_run(day=RUN_DAY - timedelta(days=1))
        self.assertEqual(old.communication_ids.state, "draft")
        new = self.dunning_run()
        self.assertEqual(old.communication_ids.state, "cancelled")
        self.assertEqual(new.communication_ids.level_id, self.urge)


@tagged("post_install", "-at_install")
class TestDunningForms(DunningRunCommon):
    def test_run_now_form_and_menus(self):
        self.due_in(-8)
        action = self.env.ref("crm_dunning.action_crm_dunning_run_now")
        self.assertEqual(action.view_mode, "form")
        with Form(
            self.env["crm.dunning.run"].with_context(**safe_eval(action.context))
        ) as form:
            form.date = RUN_DAY
        run = form.record
        self.assertEqual(run.origin, "manual")
        run.action_preview()
        self.assertEqual(len(run.communication_ids), 1)
        self.assertEqual(run.instalment_count, 1)
        self.assertEqual(run.email_count, 1)
        self.assertEqual(run.sms_count, 1)
        action = run.action_open_communications()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]),
            run.communication_ids,
        )
        for xmlid in (
            "crm_dunning.menu_crm_dunning_run_now",
            "crm_dunning.menu_crm_dunning_run",
            "crm_dunning.menu_crm_dunning_communication",
            "crm_dunning.menu_crm_dunning_policy",
        ):
            self.assertTrue(self.env.ref(xmlid).action, xmlid)

    def test_partner_and_invoice_forms(self):
        move = self.due_in(-8)
        self.dunning_run(send=True)
        with Form(self.customer.with_company(self.company)) as form:
            self.assertEqual(form.dunning_level_id, self.urge)
            form.dunning_excluded = True
            form.dunning_excluded_reason = "Upadłość"
        self.assertTrue(self.customer.dunning_excluded)
        with Form(move) as form:
            self.assertEqual(form.dunning_level_id, self.urge)
            form.dunning_excluded = True
            form.dunning_excluded_reason = "Reklamacja"
        self.assertTrue(move.dunning_excluded)
        self.assertEqual(move.dunning_line_count, 1)
        action = move.action_crm_dunning_history()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]),
            move.dunning_line_ids,
        )

    def test_policy_form_and_settings(self):
        with Form(self.env["crm.dunning.policy"]) as form:
            form.name = "Tylko SMS"
            with form.level_ids.new() as level:
                level.name = "SMS"
                level.offset_days = 3
                level.channel_email = False
                level.channel_sms = True
        policy = form.record
        self.assertEqual(policy.level_ids.channel_sms, True)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dunning_policy_id, self.policy)
        settings.dunning_policy_id = policy
        settings.execute()
        self.assertEqual(self.company.dunning_policy_id, policy)


@tagged("post_install", "-at_install")
class TestDunningAccess(DunningRunCommon):
    def test_billing_user_runs_and_sends(self):
        user = new_test_user(
            self.env,
            login="fakturzystka",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        move = self.due_in(-8)
        env = self.env(user=user, context={"allowed_company_ids": self.company.ids})
        run = env["crm.dunning.run"].create({"date": RUN_DAY})
        run.action_preview()
        run.action_send()
        comm = run.communication_ids
        self.assertEqual(comm.state, "sent")
        self.assertIn(move.name, comm.sudo().mail_mail_id.subject)
        self.assertTrue(comm.sms_id)
        # Policies are configured by managers only.
        with self.assertRaises(AccessError):
            env["crm.dunning.policy"].create({"name": "Moja"})
        # Another company's communications are not visible.
        other = self.env["res.company"].create({"name": "Druga Spółka"})
        foreign = self.env["crm.dunning.communication"].create(
            {
                "company_id": other.id,
                "partner_id": self.customer.id,
                "level_id": other.dunning_policy_id.level_ids[:1].id,
                "date": RUN_DAY,
            }
        )
        self.assertFalse(
            env["crm.dunning.communication"].search([("id", "=", foreign.id)])
        )
