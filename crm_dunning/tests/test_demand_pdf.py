"""The payment demand and dispatch book PDFs, read back with pdftotext, and
the demand's e-mail through a real SMTP server (the local sink)."""

from datetime import date

from odoo.addons.crm_invoicing_pl.tests.pdf_report import PdfReportMixin
from odoo.addons.crm_invoicing_pl_notify.tests.mail_sink import route_mail_to_sink
from odoo.tests import HttpCase, tagged

from .test_dispatch_book import NUMBER_1, NUMBER_2, DispatchCommon


@tagged("post_install", "-at_install")
class TestDemandPdf(PdfReportMixin, DispatchCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "zakupy@zolw.example.com"

    def test_demand_email_with_pdf_and_its_text(self):
        sink = route_mail_to_sink(self)
        self.eur_rate("2026-02-27", 4.2153)
        first = self.invoice(price=1000.0, date="2026-02-16", due="2026-03-02")
        second = self.invoice(price=2000.0, date="2026-03-02", due="2026-03-16")
        action = (
            self.env["crm.dunning.demand.wizard"]
            .with_context(
                active_model="res.partner",
                active_ids=self.customer.ids,
                force_report_rendering=True,
            )
            .create({"date": "2026-04-01", "deadline_days": 7, "send_email": True})
            .action_create_demands()
        )
        demand = self.env["crm.dunning.demand"].browse(action["res_id"])
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", demand._name), ("res_id", "=", demand.id)])
        )
        self.assertEqual(len(mails), 1)
        self.assertFalse(sink.messages, "queued, not sent at once")
        self.env["mail.mail"].sudo().process_email_queue(mails.ids)
        self.assertEqual(len(sink.messages), 1)
        received = sink.messages[0]
        self.assertIn("zakupy@zolw.example.com", received.rcpt_tos)
        self.assertIn(demand.name, received.message["Subject"])
        self.assertIn("Wezwanie do zapłaty", received.message["Subject"])
        (filename, content_type, content), *others = received.attachments
        self.assertFalse(others)
        self.assertEqual(content_type, "application/pdf")
        self.assertTrue(filename.endswith(".pdf"))
        text = self.pdf_to_text(content, demand.name)
        self.assertAllIn(
            [
                "PRZEDSĄDOWE WEZWANIE DO ZAPŁATY",
                "nr WZ/2026/0001",
                "Warszawa, dnia 2026-04-01",
                "Przykładowa Spółka z o.o.",
                "ul. Świętokrzyska 12",
                "Adresat",
                "Hurtownia Żółw Sp. z o.o.",
                "ul. Łąkowa 3",
                "30-001 Kraków",
                first.name,
                second.name,
                "2026-03-02",
                "2026-03-16",
                "1 230,00",
                "2 460,00",
                "14,15",
                "15,10",
                "Odsetki do dnia 2026-04-01 29,25 zł",
                "art. 10 ust. 1 ustawy z dnia 8 marca 2013 r.",
                "40,00 EUR",
                "4,2153",
                "2026-02-27",
                "168,61",
                "Razem do zapłaty 4 056,47 zł",
                "w terminie do dnia 2026-04-08",
                self.company_bank.acc_number,
                "postępowania sądowego",
                "podpis osoby upoważnionej",
            ],
            text,
        )
        self.assertFalse(mails.exists() and mails.state == "exception")

    def test_dispatch_book_pdf(self):
        self.issued_demands()
        book = self.book()
        book.action_collect_letters()
        book.line_ids[0].registered_number = NUMBER_1
        book.line_ids[1].write({"registered_number": NUMBER_2, "weight": 35})
        book.action_dispatch()
        self.assertEqual(book.line_ids[0].dispatch_date, date(2026, 4, 2))
        text = self.pdf_text(
            book, "crm_dunning.action_report_crm_dunning_dispatch_book"
        )
        self.assertAllIn(
            [
                "KSIĄŻKA NADAWCZA",
                book.name,
                "Nadawca",
                "Przykładowa Spółka z o.o.",
                "UP Warszawa 1",
                "Lp.",
                "Adresat",
                "Dokładne miejsce doręczenia (adres)",
                "Numer nadawczy",
                "Uwagi (ZPO)",
                "Opłata",
                "Hurtownia Żółw Sp. z o.o.",
                "ul. Łąkowa 3, 30-001 Kraków",
                "Jan Kowalski",
                "ul. Długa 12 m. 4, 80-001 Gdańsk",
                NUMBER_1,
                NUMBER_2,
                "ZPO",
                "12,30",
                "Razem na stronie (2 przesyłek) 24,60",
                "Pieczęć placówki pocztowej",
            ],
            text,
        )
