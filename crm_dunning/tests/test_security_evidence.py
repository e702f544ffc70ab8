"""Evidence that holds: a posted interest note, an issued payment demand and
a dispatched dispatch book (and their lines) are what the customer received
and what the post office stamped. They change only through their legal
route (cancel and issue a new document; a new book for the letters not
sent): a billing user or an accountant who writes, adds or deletes through
the ORM or JSON-RPC is refused with the route, and nothing changes. What
the workflow itself records still works: a draft is edited, the return
receipt of a dispatched letter is recorded, a posted note is cancelled.
"""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tests.common import JsonRpcException

from .test_dispatch_book import NUMBER_1, NUMBER_2, DispatchCommon

REFUSED = "odoo.exceptions.UserError"


@tagged("post_install", "-at_install")
@freeze_time("2026-04-20 09:00:00")
class TestSecurityEvidence(DispatchCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._pl_user(
            "pl_evidence_billing", "account.group_account_invoice"
        )
        cls.accountant = cls._pl_user(
            "pl_evidence_accountant", "account.group_account_manager"
        )
        cls.salesman = cls._pl_user(
            "pl_evidence_salesman", "sales_team.group_sale_salesman"
        )

    # ------------------------------------------------------------------
    # Documents
    # ------------------------------------------------------------------
    def posted_note(self):
        """A posted note (interest and compensation) of an unpaid invoice."""
        self.eur_rate("2026-02-27", 4.2153)
        invoice = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        note = self.env["crm.dunning.interest.note"]._crm_dunning_create_note(
            self.customer, invoice, date(2026, 4, 1)
        )
        note.action_post()
        return note

    def draft_note(self):
        invoice = self.invoice(price=500.0, date="2026-02-16", due="2026-03-02")
        return self.env["crm.dunning.interest.note"]._crm_dunning_create_note(
            self.customer, invoice, date(2026, 4, 1), include_compensation=False
        )

    def dispatched_book(self):
        """A dispatched book of two registered demands."""
        self.issued_demands()
        book = self.book()
        book.action_collect_letters()
        book.line_ids[0].registered_number = NUMBER_1
        book.line_ids[1].registered_number = NUMBER_2
        book.action_dispatch()
        return book

    def _call(self, model, method, args, context=None):
        """``model.method(*args)`` through JSON-RPC as the authenticated user;
        the exception class it was refused with."""
        kwargs = {"context": context} if context else {}
        with self.assertRaises(JsonRpcException) as error:
            self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": kwargs},
            )
        return error.exception.args[0]

    @staticmethod
    def _note_snapshot(note):
        note.invalidate_recordset()
        note.all_line_ids.invalidate_recordset()
        return {
            "state": note.state,
            "name": note.name,
            "date_due": note.date_due,
            "amount_total": note.amount_total,
            "lines": [
                (line.id, line.interest, line.compensation, line.days)
                for line in note.all_line_ids
            ],
            "entry": sorted(note.move_id.line_ids.mapped("balance")),
        }

    @staticmethod
    def _demand_snapshot(demand):
        demand.invalidate_recordset()
        demand.line_ids.invalidate_recordset()
        demand.compensation_ids.invalidate_recordset()
        return {
            "state": demand.state,
            "name": demand.name,
            "date": demand.date,
            "partner_bank_id": demand.partner_bank_id.id,
            "amount_total": demand.amount_total,
            "lines": [
                (line.id, line.amount_residual, line.interest)
                for line in demand.line_ids
            ],
            "compensation": [
                (line.id, line.amount) for line in demand.compensation_ids
            ],
        }

    @staticmethod
    def _book_snapshot(book):
        book.invalidate_recordset()
        book.line_ids.invalidate_recordset()
        return {
            "state": book.state,
            "date": book.date,
            "post_office": book.post_office,
            "lines": [
                (
                    line.id,
                    line.registered_number,
                    line.addressee_name,
                    line.city,
                    line.fee,
                    line.dispatch_date,
                )
                for line in book.line_ids
            ],
        }

    # ------------------------------------------------------------------
    # Posted interest note
    # ------------------------------------------------------------------
    def test_posted_note_line_cannot_be_edited_through_the_orm(self):
        """The reported attack: a line of a posted note lowered while its
        journal entry stays as posted."""
        note = self.posted_note()
        before = self._note_snapshot(note)
        line = note.line_ids[0].with_user(self.billing)
        # assertRaises (not ...Regex) rolls the refused change back, as the
        # server does with the transaction of a refused request.
        with self.assertRaises(UserError) as error:
            line.write({"interest": 1.0, "days": 1})
        self.assertIn("cancel the note", str(error.exception))
        with self.assertRaises(UserError):
            note.compensation_line_ids.with_user(self.billing).compensation = 1.0
        self.assertEqual(self._note_snapshot(note), before)

    def test_posted_note_lines_cannot_be_added_or_deleted(self):
        note = self.posted_note()
        before = self._note_snapshot(note)
        Line = self.env["crm.dunning.interest.note.line"].with_user(self.accountant)
        with self.assertRaises(UserError):
            Line.create(
                {
                    "note_id": note.id,
                    "move_id": note.line_ids[0].move_id.id,
                    "interest": -50.0,
                }
            )
        with self.assertRaises(UserError):
            note.line_ids[0].with_user(self.accountant).unlink()
        with self.assertRaises(UserError):
            note.with_user(self.accountant).write(
                {"all_line_ids": [(2, note.compensation_line_ids.id)]}
            )
        with self.assertRaises(UserError):
            note.with_user(self.accountant).unlink()
        self.assertEqual(self._note_snapshot(note), before)

    def test_posted_note_status_and_dates_are_set_by_its_actions_only(self):
        note = self.posted_note()
        before = self._note_snapshot(note)
        as_accountant = note.with_user(self.accountant)
        for values in (
            {"state": "draft"},
            {"state": "cancel"},
            {"name": "NO/2026/0999"},
            {"date_due": "2026-12-31"},
            {"amount_total": 1.0},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                as_accountant.write(values)
        self.assertEqual(self._note_snapshot(note), before)
        self.assertFalse(note.reversal_move_id)
        # A draft is not "posted" by a write either: no number, no entry.
        draft = self.draft_note()
        with self.assertRaises(UserError):
            draft.with_user(self.billing).write({"state": "posted"})
        with self.assertRaises(UserError):
            self.env["crm.dunning.interest.note"].with_user(self.billing).create(
                {"partner_id": self.customer.id, "state": "posted"}
            )
        draft.invalidate_recordset()
        self.assertEqual(
            (draft.state, draft.name, draft.move_id.id), ("draft", "/", False)
        )

    def test_posted_note_refused_through_jsonrpc(self):
        note = self.posted_note()
        before = self._note_snapshot(note)
        line = note.line_ids[0]
        self.authenticate(self.billing.login, self.billing.login)
        Line = "crm.dunning.interest.note.line"
        self.assertEqual(
            self._call(Line, "write", [line.ids, {"interest": 107.91}]), REFUSED
        )
        self.assertEqual(self._call(Line, "unlink", [line.ids]), REFUSED)
        # The route cannot be claimed through the context.
        self.assertEqual(
            self._call(
                Line,
                "write",
                [line.ids, {"interest": 107.91}],
                context={"crm_dunning_evidence_route": True},
            ),
            REFUSED,
        )
        self.authenticate(self.accountant.login, self.accountant.login)
        self.assertEqual(
            self._call(
                "crm.dunning.interest.note", "write", [note.ids, {"state": "draft"}]
            ),
            REFUSED,
        )
        self.assertEqual(self._note_snapshot(note), before)

    def test_posted_note_entry_cannot_be_reset_to_draft(self):
        """Its entry reset to draft and changed would not match the note."""
        note = self.posted_note()
        before = self._note_snapshot(note)
        with self.assertRaises(UserError) as error:
            note.move_id.with_user(self.accountant).button_draft()
        self.assertIn("cancel it", str(error.exception))
        self.authenticate(self.accountant.login, self.accountant.login)
        self.assertEqual(
            self._call("account.move", "button_draft", [note.move_id.ids]), REFUSED
        )
        self.assertEqual(self._note_snapshot(note), before)
        note.move_id.invalidate_recordset()
        self.assertEqual(note.move_id.state, "posted")
        # Cancelled, neither its entry nor the reversal goes back to draft.
        note.with_user(self.accountant).action_cancel()
        with self.assertRaises(UserError):
            note.reversal_move_id.with_user(self.accountant).button_draft()
        self.assertEqual(note.reversal_move_id.state, "posted")

    def test_salesman_cannot_touch_a_note(self):
        note = self.posted_note()
        before = self._note_snapshot(note)
        with self.assertRaises(AccessError):
            note.line_ids[0].with_user(self.salesman).write({"interest": 1.0})
        self.authenticate(self.salesman.login, self.salesman.login)
        self.assertEqual(
            self._call(
                "crm.dunning.interest.note.line",
                "write",
                [note.line_ids[0].ids, {"interest": 1.0}],
            ),
            "odoo.exceptions.AccessError",
        )
        self.assertEqual(self._note_snapshot(note), before)

    # ------------------------------------------------------------------
    # Issued payment demand
    # ------------------------------------------------------------------
    def test_issued_demand_cannot_be_edited_through_the_orm(self):
        demand = self.issued_demands()[0]
        self.assertTrue(demand.compensation_ids)
        before = self._demand_snapshot(demand)
        as_billing = demand.with_user(self.billing)
        with self.assertRaises(UserError) as error:
            as_billing.line_ids[0].write({"amount_residual": 1.0})
        self.assertIn("issue a new payment demand", str(error.exception))
        with self.assertRaises(UserError):
            as_billing.line_ids[0].unlink()
        with self.assertRaises(UserError):
            as_billing.compensation_ids.write({"amount": 0.0})
        with self.assertRaises(UserError):
            self.env["crm.dunning.demand.compensation"].with_user(self.billing).create(
                {"demand_id": demand.id, "move_id": self.first.id, "amount": 9}
            )
        for values in (
            {"date": "2026-04-10"},
            {"partner_bank_id": False},
            {"state": "draft"},
            {"amount_total": 1.0},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                as_billing.write(values)
        with self.assertRaises(UserError):
            as_billing.action_recompute()
        with self.assertRaises(UserError):
            as_billing.unlink()
        self.assertEqual(self._demand_snapshot(demand), before)

    def test_cancelled_demand_is_not_reissued_under_its_number(self):
        demand = self.issued_demands()[0]
        demand.with_user(self.billing).action_cancel()
        self.assertEqual(demand.state, "cancel")
        before = self._demand_snapshot(demand)
        with self.assertRaises(UserError) as error:
            demand.with_user(self.billing).action_draft()
        self.assertIn("Issue a new payment demand", str(error.exception))
        with self.assertRaises(UserError):
            demand.line_ids.with_user(self.accountant).write({"interest": 0.0})
        self.assertEqual(self._demand_snapshot(demand), before)

    def test_issued_demand_refused_through_jsonrpc(self):
        demand = self.issued_demands()[0]
        before = self._demand_snapshot(demand)
        self.authenticate(self.billing.login, self.billing.login)
        Line = "crm.dunning.demand.line"
        self.assertEqual(
            self._call(Line, "write", [demand.line_ids.ids, {"interest": 0.0}]),
            REFUSED,
        )
        self.assertEqual(self._call(Line, "unlink", [demand.line_ids.ids]), REFUSED)
        self.authenticate(self.accountant.login, self.accountant.login)
        self.assertEqual(
            self._call(
                "crm.dunning.demand", "write", [demand.ids, {"date": "2026-04-10"}]
            ),
            REFUSED,
        )
        self.assertEqual(self._demand_snapshot(demand), before)

    # ------------------------------------------------------------------
    # Dispatched dispatch book
    # ------------------------------------------------------------------
    def test_dispatched_book_cannot_be_edited_through_the_orm(self):
        book = self.dispatched_book()
        before = self._book_snapshot(book)
        line = book.line_ids[0].with_user(self.billing)
        for values in (
            {"registered_number": "00659007731123450000"},
            {"addressee_name": "Ktoś Inny", "city": "Radom"},
            {"fee": 0.0},
            {"dispatch_date": "2026-04-03"},
            {"book_id": self.book().id},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                line.write(values)
        with self.assertRaises(UserError) as error:
            line.unlink()
        self.assertIn("new dispatch book", str(error.exception))
        with self.assertRaises(UserError):
            self.env["crm.dunning.dispatch.line"].with_user(self.billing).create(
                {"book_id": book.id, "addressee_name": "Dopisany", "fee": 1.0}
            )
        for values in ({"date": "2026-04-05"}, {"post_office": "UP Radom 2"}):
            with self.subTest(values=values), self.assertRaises(UserError):
                book.with_user(self.billing).write(values)
        self.assertEqual(self._book_snapshot(book), before)

    def test_dispatched_book_cannot_be_reopened(self):
        book = self.dispatched_book()
        before = self._book_snapshot(book)
        with self.assertRaises(UserError) as error:
            book.with_user(self.accountant).action_draft()
        self.assertIn("new dispatch book", str(error.exception))
        with self.assertRaises(UserError):
            book.with_user(self.accountant).write({"state": "draft"})
        with self.assertRaises(UserError):
            book.with_user(self.accountant).unlink()
        self.assertEqual(self._book_snapshot(book), before)

    def test_dispatched_book_refused_through_jsonrpc(self):
        book = self.dispatched_book()
        before = self._book_snapshot(book)
        self.authenticate(self.accountant.login, self.accountant.login)
        Book = "crm.dunning.dispatch.book"
        self.assertEqual(self._call(Book, "action_draft", [book.ids]), REFUSED)
        self.assertEqual(
            self._call(Book, "write", [book.ids, {"state": "draft"}]), REFUSED
        )
        self.authenticate(self.billing.login, self.billing.login)
        self.assertEqual(
            self._call(
                "crm.dunning.dispatch.line",
                "write",
                [book.line_ids[:1].ids, {"addressee_name": "Ktoś Inny"}],
            ),
            REFUSED,
        )
        self.assertEqual(
            self._call(
                "crm.dunning.dispatch.line",
                "create",
                [{"book_id": book.id, "addressee_name": "Dopisany"}],
            ),
            REFUSED,
        )
        self.assertEqual(self._book_snapshot(book), before)

    # ------------------------------------------------------------------
    # The legitimate workflow
    # ------------------------------------------------------------------
    def test_draft_documents_stay_editable(self):
        draft = self.draft_note().with_user(self.billing)
        draft.all_line_ids[1:].unlink()
        draft.all_line_ids.interest = 10.0
        draft.write({"date_due": "2026-04-30"})
        self.assertEqual(draft.amount_total, 10.0)
        draft.action_post()
        self.assertEqual(draft.state, "posted")
        self.assertTrue(draft.name.startswith("NO/2026/"))
        self.assertEqual(
            sum(
                draft.move_id.line_ids.filtered(lambda line: line.debit).mapped("debit")
            ),
            10.0,
        )
        book = self.book().with_user(self.billing)
        self.issued_demands()
        book.action_collect_letters()
        book.write({"post_office": "UP Radom 2"})
        book.line_ids[0].write({"registered_number": NUMBER_1, "weight": 40})
        book.line_ids[1].unlink()
        self.assertEqual(len(book.line_ids), 1)

    def test_workflow_records_on_evidence(self):
        # The return receipt of a dispatched letter is recorded.
        book = self.dispatched_book()
        line = book.line_ids[0].with_user(self.billing)
        line.write({"zpo_date": "2026-04-07", "delivery_note": "odebrano"})
        self.assertEqual(line.demand_id.zpo_date, date(2026, 4, 7))
        # Messages and activities on the documents.
        book.with_user(self.billing).message_post(body="Zwrotki w segregatorze.")
        demand = line.demand_id.with_user(self.billing)
        demand.message_post(body="Klient zadzwonił.")
        demand.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.billing.id
        )
        # An issued demand e-mailed only may still go by registered letter.
        by_email = self.env["crm.dunning.demand"].search(
            [("state", "=", "issued"), ("registered_letter", "=", False)]
        )
        by_email.with_user(self.billing).registered_letter = True
        self.assertTrue(by_email.registered_letter)
        # A posted note is corrected by its cancellation (entry reversed).
        note = self.posted_note().with_user(self.accountant)
        note.action_cancel()
        self.assertEqual(note.state, "cancel")
        self.assertTrue(note.reversal_move_id)
        # An issued demand not dispatched yet is cancelled.
        other = self.env["crm.dunning.demand"]._crm_dunning_create_demands(
            self.invoice(price=300.0, date="2026-02-16", due="2026-03-02"),
            date(2026, 4, 1),
            mode="single",
        )
        other.action_issue()
        other.with_user(self.billing).action_cancel()
        self.assertEqual(other.state, "cancel")

    def test_gdpr_erasure_reaches_dispatched_letters(self):
        book = self.dispatched_book()
        letter = book.line_ids.filtered(lambda line: line.partner_id == self.consumer)
        self.env["res.partner"]._pl_gdpr_erase_copies(self.consumer, [], [])
        self.assertFalse(letter.city)
        self.assertIn("Anonymised", letter.addressee_name)
