"""Dunning at calendar edges: Christmas Eve, Sundays, the year end.

Every run and demand has its own date, written in the test: nothing depends
on the day the tests run.
"""

from datetime import date

from odoo.tests import freeze_time, tagged

from .dunning_run_common import DunningRunCommon


@tagged("post_install", "-at_install")
class TestDunningCalendarEdges(DunningRunCommon):
    def test_levels_count_from_a_due_date_moved_past_christmas(self):
        """Art. 115 KC: an invoice due Thursday 24 December 2026 (a public
        holiday since 2025, act of 6 December 2024) may be paid until Monday
        28 December. On Sunday 3 January 2027 it is 6 days late: the
        reminder, not yet the ponaglenie (+7), which comes on 4 January."""
        with freeze_time("2026-12-10 09:00:00"):  # issued on its day
            move = self.invoice(price=100.0, date="2026-12-10", due="2026-12-24")
        self.assertFalse(
            self.comm_of(self.dunning_run(day=date(2026, 12, 24)), move),
            "4 days before the moved due date: no level yet",
        )
        comm = self.comm_of(self.dunning_run(day=date(2027, 1, 3)), move)
        self.assertEqual(comm.level_id, self.reminder)
        self.assertEqual(comm.line_ids.due_date, date(2026, 12, 28))
        self.assertEqual(comm.line_ids.days_overdue, 6)
        comm = self.comm_of(self.dunning_run(day=date(2027, 1, 4)), move)
        self.assertEqual(comm.level_id, self.urge)
        self.assertEqual(comm.line_ids.days_overdue, 7)

    def test_a_level_reached_on_a_sunday_is_sent_on_that_day_once(self):
        """The product's rule: a level is sent by the run of the day its
        offset from the (moved) due date is reached, a Sunday included, and
        never again; art. 115 KC moves the debtor's deadline, not the
        creditor's reminders. Due Wednesday 2 December 2026: the reminder
        (3 days before) is reached on Sunday 29 November."""
        move = self.invoice(price=100.0, date="2026-11-18", due="2026-12-02")
        self.assertFalse(self.comm_of(self.dunning_run(day=date(2026, 11, 28)), move))
        run = self.dunning_run(day=date(2026, 11, 29), send=True)
        comm = self.comm_of(run, move)
        self.assertEqual(comm.level_id, self.reminder)
        self.assertEqual(comm.state, "sent")
        self.assertEqual(comm.line_ids.days_overdue, -3)
        self.assertFalse(self.comm_of(self.dunning_run(day=date(2026, 11, 30)), move))

    def test_payment_demand_on_a_sunday_has_its_deadline_on_a_working_day(self):
        """The payment-demand level (+30) of an invoice due Friday
        27 November 2026 is reached on Sunday 27 December: the run of that
        day issues the demand dated 27 December; 7 days later is Sunday
        3 January 2027, so the deadline is Monday 4 January (art. 115 KC).
        The compensation (art. 10 ust. 1 of the act of 8 March 2013) is at
        the NBP rate of the last working day of October (Friday 30th; the
        31st is a Saturday): 40 EUR x 4.2200 = 168.80 zł."""
        self.eur_rate("2026-10-30", 4.22)
        move = self.invoice(price=1000.0, date="2026-11-13", due="2026-11-27")
        run = self.dunning_run(day=date(2026, 12, 27), send=True)
        comm = self.comm_of(run, move)
        self.assertEqual(comm.level_id, self.demand)
        self.assertRecordValues(
            comm.demand_id,
            [
                {
                    "state": "issued",
                    "date": date(2026, 12, 27),
                    "deadline_days": 7,
                    "date_deadline": date(2027, 1, 4),
                    "amount_compensation": 168.8,
                }
            ],
        )
        self.assertEqual(comm.demand_id.compensation_ids.rate_date, date(2026, 10, 30))

    def test_demand_deadline_moved_by_art_115(self):
        """Art. 115 KC: a deadline ending on a Saturday or a public holiday
        ends on the next working day. 24 December is a working day until
        2024 and a public holiday from 2025 (act of 6 December 2024 amending
        the act on public holidays)."""
        cases = [
            ("2024-12-17", 7, date(2024, 12, 24)),  # Tuesday, a working day
            ("2025-12-17", 7, date(2025, 12, 29)),  # Wed 24 -> 25, 26, weekend
            ("2026-12-17", 7, date(2026, 12, 28)),  # Thursday 24 -> Monday
            ("2026-12-18", 7, date(2026, 12, 28)),  # Friday 25 -> Monday
            ("2026-12-18", 14, date(2027, 1, 4)),  # Friday 1 January -> Monday
            ("2027-03-15", 14, date(2027, 3, 30)),  # Easter Monday -> Tuesday
            ("2026-11-30", 5, date(2026, 12, 7)),  # Saturday -> Monday
            ("2026-11-30", 0, date(2026, 11, 30)),  # Monday stays
        ]
        demands = self.env["crm.dunning.demand"].create(
            [
                {"partner_id": self.customer.id, "date": day, "deadline_days": days}
                for day, days, _deadline in cases
            ]
        )
        self.assertEqual(
            demands.mapped("date_deadline"),
            [deadline for _day, _days, deadline in cases],
        )
        # Changing the date recomputes it; a deadline typed in stays.
        demand = demands[0]
        demand.date = "2027-12-17"  # + 7: Friday 24 December 2027 -> Monday 27
        self.assertEqual(demand.date_deadline, date(2027, 12, 27))
        demand.date_deadline = date(2027, 12, 31)
        self.assertEqual(demand.date_deadline, date(2027, 12, 31))

    def test_interest_note_across_the_year_end_from_a_moved_due_date(self):
        """Interest note of 1 230.00 zł due Wednesday 24 December 2025 (a
        public holiday since 2025), paid 15 January 2026. Art. 115 KC moves
        the due date past 25-26 December and the weekend to Monday
        29 December; commercial interest (art. 7 ust. 1 and art. 8 of the act
        of 8 March 2013) runs from the day after it, at the rate of each
        half-year (art. 11b), split on 1 January:

        * 30.12-31.12.2025, 2 days at 15.25 %: 1230 x 0.1525 x 2 / 365
          = 1.0278 -> 1.03
        * 01.01-15.01.2026, 15 days at 14.00 %: 1230 x 0.14 x 15 / 365
          = 7.0767 -> 7.08

        total 8.11 zł. The compensation (art. 10 ust. 1): 40 EUR at the NBP
        rate of the last working day of the month before the due month
        (December): Friday 28 November 2025 (the 30th is a Sunday):
        40 x 4.2300 = 169.20 zł.
        """
        self.eur_rate("2025-11-28", 4.23)
        self.eur_rate("2025-12-23", 4.3)
        invoice = self.invoice(price=1000.0, date="2025-12-10", due="2025-12-24")
        self.pay(invoice, 1230.0, date(2026, 1, 15))
        note = self.env["crm.dunning.interest.note"]._crm_dunning_create_note(
            self.customer, invoice, date(2026, 1, 20)
        )
        self.assertEqual(
            [
                (line.date_from, line.date_to, line.days, line.rate, line.interest)
                for line in note.line_ids
            ],
            [
                (date(2025, 12, 30), date(2025, 12, 31), 2, 15.25, 1.03),
                (date(2026, 1, 1), date(2026, 1, 15), 15, 14.0, 7.08),
            ],
        )
        self.assertAlmostEqual(note.amount_interest, 8.11)
        self.assertEqual(
            (
                note.compensation_line_ids.eur,
                note.compensation_line_ids.eur_rate_date,
            ),
            (40.0, date(2025, 11, 28)),
        )
        self.assertAlmostEqual(note.amount_compensation, 169.2)

    def test_compensation_month_follows_the_moved_due_date(self):
        """Due Saturday 31 January 2026, moved to Monday 2 February by
        art. 115 KC: the payment becomes due in February, so the EUR rate is
        that of the last working day of January (Friday 30th), not of
        December (art. 10 ust. 1 of the act of 8 March 2013)."""
        self.eur_rate("2025-12-31", 4.21)
        self.eur_rate("2026-01-30", 4.22)
        move = self.invoice(price=100.0, date="2026-01-17", due="2026-01-31")
        self.assertIsNone(move._crm_dunning_compensation(date(2026, 2, 2)))
        compensation = move._crm_dunning_compensation(date(2026, 2, 3))
        self.assertEqual(compensation["rate_date"], date(2026, 1, 30))
        self.assertEqual(str(compensation["amount"]), "168.80")

    def test_customer_card_and_dunning_agree_on_an_invoice_due_on_a_saturday(self):
        """One definition of overdue (crm_invoicing_pl's pl_calendar, art.
        115 KC) for the customer card, the customer's dunning figures, the
        dunning run and the interest. Due Saturday 7 November 2026 (1 230.00
        zł): on Monday 9 November, its moved deadline, nothing is late (the
        card used to say overdue); on Tuesday 10 November it is 1 day late
        everywhere and interest runs from that day."""
        with freeze_time("2026-10-24 09:00:00"):  # issued on its day
            move = self.invoice(price=1000.0, date="2026-10-24", due="2026-11-07")
        partner = self.customer
        for day, late, days in ((9, 0.0, 0), (10, 1230.0, 1)):
            on = date(2026, 11, day)
            with self.subTest(day=on), freeze_time(f"{on} 10:00:00"):
                partner.invalidate_recordset()
                comm = self.comm_of(self.dunning_run(day=on), move)
                self.assertEqual(comm.line_ids.due_date, date(2026, 11, 9))
                self.assertEqual(comm.line_ids.days_overdue, days)
                self.assertEqual(partner.pl_overdue_amount, late)
                self.assertEqual(partner.dunning_overdue_amount, late)
                self.assertEqual(
                    partner.pl_payment_status, "overdue" if late else "open"
                )
                portions = move._crm_dunning_receivable_lines()._crm_dunning_portions(
                    on
                )
                self.assertEqual(
                    [(p["due_date"], p["result"].days) for p in portions],
                    [(date(2026, 11, 9), 1)] if late else [],
                )
                if late:
                    self.assertGreater(partner.dunning_interest_amount, 0)
                else:
                    self.assertEqual(partner.dunning_interest_amount, 0)
