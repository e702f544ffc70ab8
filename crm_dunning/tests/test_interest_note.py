from datetime import date

from odoo.addons.crm_invoicing_pl.tools.amount_words import amount_in_words
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestInterestNote(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Note = cls.env["crm.dunning.interest.note"]

    def note(self, invoices, on_date, partner=None, **options):
        partner = partner or invoices.commercial_partner_id[:1]
        return self.Note._crm_dunning_create_note(partner, invoices, on_date, **options)

    def wizard(self, **values):
        return self.env["crm.dunning.interest.note.wizard"].create(values)

    def test_rate_change_inside_the_period(self):
        # 1 230.00 gross due Friday 20 June 2025, paid 10 July 2025:
        # 21-30 June at 15.75 %: 1230 x 0.1575 x 10 / 365 = 5.31;
        # 1-10 July at 15.25 %: 1230 x 0.1525 x 10 / 365 = 5.14.
        # Compensation: 40 EUR at the NBP rate of Friday 30 May 2025
        # (31 May is a Saturday): 40 x 4.2561 = 170.24.
        self.eur_rate("2025-05-30", 4.2561)
        invoice = self.invoice(price=1000.0, date="2025-06-06", due="2025-06-20")
        self.pay(invoice, 1230.0, date(2025, 7, 10))
        note = self.note(invoice, date(2025, 7, 15))
        self.assertEqual(note.state, "draft")
        self.assertEqual(note.partner_id, self.customer)
        self.assertEqual(note.interest_kind, "commercial")
        self.assertEqual(note.date_due, date(2025, 7, 22))
        self.assertEqual(
            [
                (line.date_from, line.date_to, line.days, line.rate, line.interest)
                for line in note.line_ids
            ],
            [
                (date(2025, 6, 21), date(2025, 6, 30), 10, 15.75, 5.31),
                (date(2025, 7, 1), date(2025, 7, 10), 10, 15.25, 5.14),
            ],
        )
        self.assertEqual(set(note.line_ids.mapped("paid_date")), {date(2025, 7, 10)})
        self.assertEqual(set(note.line_ids.mapped("amount")), {1230.0})
        self.assertEqual(
            note.line_ids.move_line_id,
            invoice.line_ids.filtered(lambda line: line.display_type == "payment_term"),
        )
        compensation = note.compensation_line_ids
        self.assertEqual(len(compensation), 1)
        self.assertEqual(
            (compensation.eur, compensation.eur_rate, compensation.eur_rate_date),
            (40.0, 4.2561, date(2025, 5, 30)),
        )
        self.assertAlmostEqual(compensation.compensation, 170.24)
        self.assertAlmostEqual(note.amount_interest, 10.45)
        self.assertAlmostEqual(note.amount_compensation, 170.24)
        self.assertAlmostEqual(note.amount_total, 180.69)
        self.assertEqual(note.amount_words, amount_in_words("180.69", "PLN", "pl"))
        self.assertIn("osiemdziesiąt", note.amount_words)

    def test_leap_year_actual_days(self):
        # Due Tuesday 20 February 2024, unpaid on 21 March 2024: 30 days
        # (9 in February of a leap year + 21) at 15.75 %, / 366 days:
        # 2460 x 0.1575 x 30 / 366 = 31.76 (31.85 with / 365).
        self.company.dunning_interest_denominator = "actual"
        invoice = self.invoice(price=2000.0, date="2024-02-06", due="2024-02-20")
        note = self.note(invoice, date(2024, 3, 21), include_compensation=False)
        self.assertEqual(len(note.line_ids), 1)
        line = note.line_ids
        self.assertFalse(line.paid_date)
        self.assertEqual((line.days, line.rate), (30, 15.75))
        self.assertAlmostEqual(line.interest, 31.76)
        self.assertFalse(note.compensation_line_ids)
        self.company.dunning_interest_denominator = "365"
        other = self.invoice(price=2000.0, date="2024-02-06", due="2024-02-20")
        self.assertAlmostEqual(
            self.note(
                other, date(2024, 3, 21), include_compensation=False
            ).amount_total,
            31.85,
        )

    def test_partial_payments(self):
        # 1 000 of 1 230 paid on the due date (no line), 130 ten days late
        # (130 x 0.14 x 10 / 365 = 0.50), 100 unpaid on 1 April 2026
        # (100 x 0.14 x 30 / 365 = 1.15).
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        self.pay(invoice, 1000.0, date(2026, 3, 2))
        self.pay(invoice, 130.0, date(2026, 3, 12))
        note = self.note(invoice, date(2026, 4, 1), include_compensation=False)
        self.assertEqual(
            [
                (line.paid_date, line.amount, line.days, line.interest)
                for line in note.line_ids
            ],
            [(date(2026, 3, 12), 130.0, 10, 0.50), (False, 100.0, 30, 1.15)],
        )
        self.assertAlmostEqual(note.amount_total, 1.65)
        # Only the payments of a period: the unpaid remainder left out.
        only_paid = self.note(
            invoice,
            date(2026, 4, 1),
            include_compensation=False,
            include_unpaid=False,
            period_from=date(2026, 3, 1),
            period_to=date(2026, 3, 31),
        )
        self.assertEqual(only_paid.line_ids.paid_date, date(2026, 3, 12))

    def test_paid_on_due_date_nothing_to_charge(self):
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        self.pay(invoice, 1230.0, date(2026, 3, 2))
        with self.assertRaisesRegex(UserError, "Nothing to charge"):
            self.note(invoice, date(2026, 4, 1))
        wizard = self.wizard(partner_id=self.customer.id, date=date(2026, 4, 1))
        with self.assertRaisesRegex(UserError, "Nothing to charge"):
            wizard.action_create_notes()
        self.assertFalse(self.Note.search([("partner_id", "=", self.customer.id)]))

    def test_compensation_thresholds(self):
        # Due Monday 2 March 2026: NBP rate of Friday 27 February 2026.
        self.eur_rate("2026-02-27", 4.2150)
        expected = {
            4065.04: (5000.00, 40.0),
            4065.05: (5000.01, 70.0),
            40650.40: (49999.99, 70.0),
            40650.41: (50000.00, 100.0),
        }
        for net, (gross, eur) in expected.items():
            invoice = self.invoice(price=net, date="2026-02-16", due="2026-03-02")
            self.assertAlmostEqual(invoice.amount_total, gross)
            note = self.note(invoice, date(2026, 3, 10))
            line = note.compensation_line_ids
            self.assertEqual(line.eur, eur, gross)
            self.assertEqual(line.eur_rate_date, date(2026, 2, 27))
            self.assertAlmostEqual(
                line.compensation, {40.0: 168.60, 70.0: 295.05, 100.0: 421.50}[eur]
            )

    def test_consumer_has_no_compensation(self):
        self.eur_rate("2026-02-27", 4.2150)
        invoice = self.invoice(
            partner=self.consumer, price=1000.0, date="2026-02-16", due="2026-03-02"
        )
        note = self.note(invoice, date(2026, 4, 1), include_compensation=True)
        self.assertEqual(note.interest_kind, "civil")
        self.assertTrue(note.line_ids)
        self.assertFalse(note.compensation_line_ids)
        self.assertFalse(note.amount_compensation)
        # The wizard does not offer it for a consumer, but does for a business.
        self.assertFalse(self.wizard(partner_id=self.consumer.id).include_compensation)
        self.assertTrue(self.wizard(partner_id=self.customer.id).include_compensation)
        # A policy without compensation on interest notes: not proposed.
        policy = self.env["crm.dunning.policy"].create(
            {"name": "Bez rekompensaty", "note_compensation": False}
        )
        self.customer.with_company(self.company).dunning_policy_id = policy
        self.assertFalse(self.wizard(partner_id=self.customer.id).include_compensation)

    def test_missing_eur_rate_is_a_clear_error(self):
        invoice = self.invoice(price=1000.0, date="2025-06-06", due="2025-06-20")
        with self.assertRaisesRegex(UserError, "No EUR exchange rate"):
            self.note(invoice, date(2025, 7, 15))
        self.assertFalse(self.Note.search([("partner_id", "=", self.customer.id)]))

    def test_collective_note_from_the_customer(self):
        self.eur_rate("2026-02-27", 4.2150)
        self.eur_rate("2026-03-31", 4.2300)
        first = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        second = self.invoice(price=500.0, date="2026-03-20", due="2026-04-03")
        on_time = self.invoice(price=300.0, date="2026-03-20", due="2026-04-03")
        self.pay(on_time, 369.0, date(2026, 4, 3))
        self.pay(second, 615.0, date(2026, 4, 13))
        action = self.customer.action_dunning_interest_note_wizard()
        wizard = (
            self.env["crm.dunning.interest.note.wizard"]
            .with_context(**action["context"])
            .create({"date": date(2026, 5, 4)})
        )
        self.assertEqual(wizard.mode, "collective")
        self.assertTrue(wizard.include_compensation)
        result = wizard.action_create_notes()
        note = self.Note.browse(result["res_id"])
        self.assertTrue(note.collective)
        self.assertEqual(note.invoice_ids, first | second)
        self.assertEqual(note.compensation_line_ids.move_id, first | second)
        # first: unpaid 3 March - 4 May (63 days): 1230 x 0.14 x 63 / 365 = 29.72;
        # second: paid 10 days late: 615 x 0.14 x 10 / 365 = 2.36.
        self.assertEqual(
            [(line.move_id, line.days, line.interest) for line in note.line_ids],
            [(first, 63, 29.72), (second, 10, 2.36)],
        )
        self.assertEqual(self.customer.dunning_interest_note_count, 1)
        self.assertEqual(first.dunning_interest_note_ids, note)
        self.assertFalse(on_time.dunning_interest_note_ids)
        # The smart buttons of the customer and of the invoice open it.
        for record in (self.customer, first):
            action = record.action_view_dunning_interest_notes()
            self.assertEqual(self.Note.search(action["domain"]), note)

    def test_settings(self):
        settings = self.env["res.config.settings"].create(
            {"dunning_note_payment_days": 10}
        )
        settings.execute()
        self.assertEqual(self.company.dunning_note_payment_days, 10)
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        note = self.note(invoice, date(2026, 4, 1), include_compensation=False)
        self.assertEqual(note.date_due, date(2026, 4, 11))

    def test_wizard_refuses_bad_input(self):
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        with self.assertRaisesRegex(UserError, "ends before it starts"):
            self.wizard(
                partner_id=self.customer.id,
                period_from=date(2026, 4, 1),
                period_to=date(2026, 3, 1),
            ).action_create_notes()
        with self.assertRaisesRegex(UserError, "Choose the invoice"):
            self.wizard(
                partner_id=self.customer.id, mode="single"
            ).action_create_notes()
        with self.assertRaisesRegex(UserError, "posted customer invoices"):
            invoice.button_draft()
            self.wizard(invoice_ids=invoice.ids).action_create_notes()
        self.assertFalse(self.Note.search([("partner_id", "=", self.customer.id)]))

    def _note_html(self, note):
        return " ".join(
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_dunning.action_report_interest_note", note.ids)[0]
            .decode()
            .split()
        )

    def test_contractual_rate(self):
        # Contractual 15 %: 1230 x 0.15 x 30 / 365 = 15.16.
        self.customer.write(
            {"dunning_interest_kind": "contractual", "dunning_contractual_rate": 15.0}
        )
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        note = self.note(invoice, date(2026, 4, 1), include_compensation=False)
        self.assertEqual(note.interest_kind, "contractual")
        self.assertEqual(note.line_ids.rate, 15.0)
        self.assertFalse(note.contractual_capped)
        self.assertAlmostEqual(note.amount_total, 15.16)
        html = self._note_html(note)
        self.assertIn("umowne (15,00 % w skali roku)", html)
        self.assertIn("umowy stron (art. 481", html)
        self.assertNotIn("odsetek maksymalnych", html)
        self.assertNotIn("transakcjach handlowych na podstawie", html)

    def test_contractual_rate_capped_at_the_maximum(self):
        """KC art. 481 § 2¹ / § 2²: 20 % agreed; the maximum is 19 % up to
        4 March 2026 and 18.5 % from the 5th (twice the delay rate of 9.5 %
        and 9.25 %). Due 2 March, open on 1 April: 2 days at 19 % and 28 days
        at 18.5 % of 1 230 zł: 1.28 + 17.46 = 18.74 (20 % throughout: 20.22)."""
        self.customer.write(
            {"dunning_interest_kind": "contractual", "dunning_contractual_rate": 20.0}
        )
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        note = self.note(invoice, date(2026, 4, 1), include_compensation=False)
        self.assertEqual(note.line_ids.sorted("date_from").mapped("rate"), [19.0, 18.5])
        self.assertEqual(note.contractual_rate, 20.0)
        self.assertTrue(note.contractual_capped)
        self.assertAlmostEqual(note.amount_total, 18.74)
        html = self._note_html(note)
        self.assertIn("umowne (18,50, 19,00 % w skali roku)", html)
        self.assertIn("w wysokości odsetek maksymalnych (art. 481 § 2¹ i § 2²", html)

    def test_single_notes_from_selected_invoices(self):
        first = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        second = self.invoice(
            partner=self.consumer, price=500.0, date="2026-02-16", due="2026-03-02"
        )
        wizard = (
            self.env["crm.dunning.interest.note.wizard"]
            .with_context(active_model="account.move", active_ids=(first | second).ids)
            .create({"date": date(2026, 4, 1), "mode": "single"})
        )
        self.assertEqual(wizard.invoice_ids, first | second)
        # The wizard is offered in the Actions menu of invoice lists.
        binding = self.env.ref("crm_dunning.action_crm_dunning_interest_note_wizard")
        self.assertEqual(binding.binding_model_id.model, "account.move")
        self.assertEqual(binding.binding_view_types, "list")
        self.assertFalse(wizard.include_compensation)
        result = wizard.action_create_notes()
        notes = self.Note.search(result["domain"])
        self.assertEqual(len(notes), 2)
        self.assertEqual(notes.partner_id, self.customer | self.consumer)
        self.assertFalse(any(notes.mapped("collective")))
