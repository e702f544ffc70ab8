from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DunningCommon

NUMBER_1 = "00659007731123456789"
NUMBER_2 = "00659007731123456796"


@tagged("post_install", "-at_install")
class DispatchCommon(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dunning_letter_fee = 12.30
        cls.consumer.street = "ul. Długa 12 m. 4"

    def issued_demands(self):
        """Two issued registered-letter demands and one sent by e-mail only."""
        self.eur_rate("2026-02-27", 4.2153)
        Demand = self.env["crm.dunning.demand"]
        self.first = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        self.second = self.invoice(
            partner=self.consumer, price=500.0, date="2026-02-16", due="2026-03-02"
        )
        letters = Demand._crm_dunning_create_demands(
            self.first | self.second, date(2026, 4, 1), registered_letter=True
        )
        letters.action_issue()
        third = self.invoice(price=200.0, date="2026-02-16", due="2026-03-02")
        by_email = Demand._crm_dunning_create_demands(third, date(2026, 4, 1))
        by_email.action_issue()
        return letters.sorted("name")

    def book(self, **values):
        return self.env["crm.dunning.dispatch.book"].create(
            {"date": "2026-04-02", "post_office": "UP Warszawa 1", **values}
        )


@tagged("post_install", "-at_install")
class TestDispatchBook(DispatchCommon):
    def test_collect_dispatch_and_return_receipts(self):
        customer_demand, consumer_demand = self.issued_demands()
        self.assertEqual(customer_demand.partner_id, self.customer)
        book = self.book()
        self.assertTrue(book.name.startswith("KN/2026/"))
        book.action_collect_letters()
        self.assertRecordValues(
            book.line_ids,
            [
                {
                    "sequence": 1,
                    "demand_id": customer_demand.id,
                    "addressee_name": "Hurtownia Żółw Sp. z o.o.",
                    "street": "ul. Łąkowa 3",
                    "zip": "30-001",
                    "city": "Kraków",
                    "return_receipt": True,
                    "fee": 12.30,
                },
                {
                    "sequence": 2,
                    "demand_id": consumer_demand.id,
                    "addressee_name": "Jan Kowalski",
                    "street": "ul. Długa 12 m. 4",
                    "zip": "80-001",
                    "city": "Gdańsk",
                    "return_receipt": True,
                    "fee": 12.30,
                },
            ],
        )
        self.assertEqual(book.amount_fee, 24.60)
        # Collected once: nothing left for another book, nor twice in this one.
        with self.assertRaisesRegex(UserError, "No registered letter is waiting"):
            self.book().action_collect_letters()
        with self.assertRaisesRegex(UserError, "No registered letter is waiting"):
            book.action_collect_letters()
        self.assertEqual(len(book.line_ids), 2)
        # No registered numbers yet: not dispatched.
        with self.assertRaisesRegex(UserError, "Enter the registered number"):
            book.action_dispatch()
        line_1, line_2 = book.line_ids
        line_1.registered_number = "00659 00773 11234 56789"
        self.assertEqual(line_1.registered_number, NUMBER_1)
        with self.assertRaisesRegex(ValidationError, "not a registered number"):
            line_2.registered_number = "12345"
        with self.assertRaisesRegex(ValidationError, "already used"):
            line_2.registered_number = NUMBER_1
        line_2.write({"registered_number": NUMBER_2, "weight": 20})
        book.action_dispatch()
        self.assertEqual(book.state, "dispatched")
        self.assertEqual(book.line_ids.mapped("dispatch_date"), [date(2026, 4, 2)] * 2)
        with self.assertRaisesRegex(ValidationError, "before the dispatch date"):
            line_1.zpo_date = "2026-04-01"
        line_1.write({"zpo_date": "2026-04-07", "delivery_note": "odebrano"})
        # Potwierdzenie nadania on the customer and on the invoice.
        # The customer's letter and its demand sent by e-mail only.
        self.assertEqual(len(self.customer.dunning_demand_ids), 2)
        self.assertRecordValues(
            self.customer.dunning_demand_ids.filtered("registered_letter"),
            [
                {
                    "registered_number": NUMBER_1,
                    "dispatch_date": date(2026, 4, 2),
                    "zpo_date": date(2026, 4, 7),
                    "dispatch_book_id": book.id,
                }
            ],
        )
        self.assertRecordValues(
            self.second.dunning_demand_ids,
            [
                {
                    "registered_number": NUMBER_2,
                    "dispatch_date": date(2026, 4, 2),
                    "zpo_date": False,
                }
            ],
        )
        self.assertEqual(self.first.dunning_demand_ids, customer_demand)
        # A letter posted cannot be cancelled, nor its book deleted.
        with self.assertRaisesRegex(UserError, "already posted"):
            customer_demand.action_cancel()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            book.unlink()

    def test_csv_exact(self):
        self.issued_demands()
        book = self.book()
        book.action_collect_letters()
        book.line_ids[0].write({"registered_number": NUMBER_1, "weight": 20})
        book.line_ids[1].write({"registered_number": NUMBER_2, "return_receipt": False})
        self.assertEqual(
            book._crm_dunning_csv(),
            "lp;numerNadania;nazwa;nazwa2;ulica;numerDomu;numerLokalu;kodPocztowy;"
            "miejscowosc;kraj;masa;iloscPotwierdzenOdbioru;oplata;rodzaj\r\n"
            f"1;{NUMBER_1};Hurtownia Żółw Sp. z o.o.;;ul. Łąkowa;3;;30-001;Kraków;"
            "Polska;20;1;1230;wezwanie do zapłaty\r\n"
            f"2;{NUMBER_2};Jan Kowalski;;ul. Długa;12;4;80-001;Gdańsk;"
            "Polska;;0;1230;wezwanie do zapłaty\r\n",
        )
        action = book.action_export_csv()
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", book._name), ("res_id", "=", book.id)]
        )
        self.assertIn("/web/content/%s" % attachment.id, action["url"])
        self.assertEqual(attachment.raw.decode("utf-8"), book._crm_dunning_csv())

    def test_pages_have_their_totals(self):
        self.issued_demands()
        book = self.book()
        book.action_collect_letters()
        pages = book._crm_dunning_pages(size=1)
        self.assertEqual([len(page) for page, _total in pages], [1, 1])
        self.assertEqual([total for _page, total in pages], [12.30, 12.30])
