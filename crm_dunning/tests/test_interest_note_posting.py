from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestInterestNotePosting(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Note = cls.env["crm.dunning.interest.note"]
        cls.eur_rate("2026-02-27", 4.2150)

    @classmethod
    def eur_rate(cls, day, pln_per_eur):
        return cls.env["res.currency.rate"].create(
            {
                "name": day,
                "currency_id": cls.env.ref("base.EUR").id,
                "company_id": cls.company.id,
                "inverse_company_rate": pln_per_eur,
            }
        )

    def chart_account(self, xmlid):
        return self.env["account.chart.template"].with_company(self.company).ref(xmlid)

    def note(self, invoice, on_date, **options):
        return self.Note._crm_dunning_create_note(
            invoice.commercial_partner_id, invoice, on_date, **options
        )

    def test_post_books_outside_vat(self):
        # Unpaid 1 230.00 due 2 March 2026, on 1 April: 14.15 interest and
        # 40 EUR x 4.2150 = 168.60 compensation.
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        note = self.note(invoice, date(2026, 4, 1))
        self.assertEqual(note.name, "/")
        note.action_post()
        self.assertEqual(note.state, "posted")
        self.assertEqual(note.name, "NO/2026/0001")
        move = note.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.move_type, "entry")
        self.assertEqual(move.journal_id.name, "Noty odsetkowe")
        self.assertEqual(move.journal_id.type, "general")
        self.assertEqual(self.company.dunning_note_journal_id, move.journal_id)
        self.assertEqual(move.ref, "NO/2026/0001")
        self.assertFalse(move.line_ids.tax_ids)
        self.assertFalse(move.line_ids.tax_line_id)
        self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0)
        receivable = self.customer.with_company(
            self.company
        ).property_account_receivable_id
        by_account = {line.account_id: line.balance for line in move.line_ids}
        self.assertAlmostEqual(by_account[receivable], 182.75)
        self.assertAlmostEqual(by_account[self.chart_account("chart75000300")], -14.15)
        self.assertAlmostEqual(by_account[self.chart_account("chart76000900")], -168.60)
        debit = move.line_ids.filtered(lambda line: line.account_id == receivable)
        self.assertEqual(debit.partner_id, self.customer)
        self.assertEqual(debit.date_maturity, date(2026, 4, 8))
        self.assertAlmostEqual(note.amount_residual, 182.75)
        # The next note has the next number of the series.
        other = self.invoice(price=500.0, date="2026-02-16", due="2026-03-02")
        second = self.note(other, date(2026, 4, 1), include_compensation=False)
        second.action_post()
        self.assertEqual(second.name, "NO/2026/0002")
        self.assertEqual(len(second.move_id.line_ids), 2)

    def test_configured_accounts_and_term(self):
        interest = self.chart_account("chart75000900")
        self.company.write(
            {
                "dunning_interest_account_id": interest.id,
                "dunning_note_payment_days": 14,
            }
        )
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        note = self.note(invoice, date(2026, 4, 1), include_compensation=False)
        self.assertEqual(note.date_due, date(2026, 4, 15))
        note.action_post()
        self.assertIn(interest, note.move_id.line_ids.account_id)

    def test_missing_account_is_a_clear_error(self):
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        note = self.note(invoice, date(2026, 4, 1))
        # A company without the chart's account: no default to fall back to.
        self.env["ir.model.data"].search(
            [
                ("module", "=", "account"),
                ("name", "=", "%s_chart76000900" % self.company.id),
            ]
        ).unlink()
        self.company.dunning_compensation_account_id = False
        with self.assertRaisesRegex(UserError, "compensation income account"):
            note.action_post()
        self.assertEqual(note.state, "draft")

    def test_note_receivable_is_paid_like_any_receivable(self):
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        note = self.note(invoice, date(2026, 4, 1))
        note.action_post()
        receivable = note.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move.line", active_ids=receivable.ids
        ).create({"payment_date": date(2026, 4, 5)})._create_payments()
        self.assertTrue(receivable.reconciled)
        self.assertAlmostEqual(note.amount_residual, 0.0)
        with self.assertRaisesRegex(UserError, "already \\(partly\\) paid"):
            note.action_cancel()

    def test_cancel_reverses_the_entry(self):
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        note = self.note(invoice, date(2026, 4, 1))
        note.action_post()
        note.action_cancel()
        self.assertEqual(note.state, "cancel")
        reversal = note.reversal_move_id
        self.assertEqual(reversal.state, "posted")
        self.assertEqual(reversal.reversed_entry_id, note.move_id)
        self.assertTrue(
            note.move_id.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            ).reconciled
        )
        # A cancelled note does not block charging the same interest again.
        again = self.note(invoice, date(2026, 4, 1))
        again.action_post()
        self.assertEqual(again.name, "NO/2026/0002")
        self.assertAlmostEqual(again.amount_total, note.amount_total)
        with self.assertRaisesRegex(UserError, "Only draft"):
            note.unlink()

    def test_no_double_charge(self):
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        first = self.note(invoice, date(2026, 4, 1))
        draft = self.note(invoice, date(2026, 4, 1))
        first.action_post()
        # A draft made before covers the same days: refused at posting.
        with self.assertRaisesRegex(UserError, "cannot be charged twice"):
            draft.action_post()
        self.assertEqual(draft.state, "draft")
        draft.unlink()
        # Skipping what is charged: nothing left on the same day...
        with self.assertRaisesRegex(UserError, "Nothing to charge"):
            self.note(invoice, date(2026, 4, 1))
        # ...refusing it: a clear error naming the note.
        with self.assertRaisesRegex(
            UserError, "already charged by the interest note NO/2026/0001"
        ):
            self.note(invoice, date(2026, 5, 1), skip_charged=False)
        # A month later only the new days (2 April - 1 May, 30 days) are
        # charged: 1230 x 0.14 x 30 / 365 = 14.15, and no second compensation.
        self.pay(invoice, 1230.0, date(2026, 4, 20))
        later = self.note(invoice, date(2026, 5, 1))
        self.assertEqual(
            [
                (line.date_from, line.date_to, line.days, line.paid_date)
                for line in later.line_ids
            ],
            [(date(2026, 4, 2), date(2026, 4, 20), 19, date(2026, 4, 20))],
        )
        self.assertAlmostEqual(later.amount_interest, 8.96)
        self.assertFalse(later.compensation_line_ids)
        later.action_post()
        self.assertEqual(invoice.dunning_interest_note_ids, first | later)

    def test_send_by_email_attaches_the_pdf(self):
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        note = self.note(invoice, date(2026, 4, 1))
        note.action_post()
        self.customer.email = "ksiegowosc@zolw.example.com"
        action = note.action_send()
        composer = (
            self.env["mail.compose.message"]
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn("NO/2026/0001", composer.subject)
        self.assertIn("182,75", composer.body.replace("\xa0", " ").replace(".", ","))
        composer._action_send_mail()
        message = note.message_ids.filtered(lambda msg: msg.attachment_ids)[:1]
        self.assertTrue(message)
        self.assertIn("Nota odsetkowa NO_2026_0001", message.attachment_ids[0].name)
        self.assertIn(self.customer, message.partner_ids)

    def test_multi_company_rule(self):
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        note = self.note(invoice, date(2026, 4, 1))
        other = self.env["res.company"].create({"name": "Inna Spółka"})
        user = self.env["res.users"].create(
            {
                "name": "Księgowa innej spółki",
                "login": "other_accountant",
                "company_id": other.id,
                "company_ids": [Command.set(other.ids)],
                "group_ids": [
                    Command.set(self.env.ref("account.group_account_invoice").ids)
                ],
            }
        )
        self.assertFalse(self.Note.with_user(user).search([("id", "=", note.id)]))
        self.assertTrue(self.Note.search([("id", "=", note.id)]))
