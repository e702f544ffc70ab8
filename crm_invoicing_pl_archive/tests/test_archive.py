"""Archive and compliance: hash chain, archived PDFs, retention, GDPR."""

import io
import re
import subprocess
import tempfile
from unittest.mock import patch

from odoo import fields
from odoo.addons.base.models import ir_actions_report
from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon
from odoo.addons.crm_invoicing_pl.tests.pdf_report import PdfReportMixin
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)"[^>]*>([^<]*)</word>')


class ArchiveCommon(PlInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Documents of 2015 are history entered after the fact: the window of
        # invoice dates is widened to them (Settings, Invoice Date Window).
        cls.company.pl_invoice_date_from = "2015-01-01"

    def post(self, partner=None, date="2026-11-15", **values):
        move = self.pl_invoice(
            partner=partner, date=date, partner_bank_id=self.company_bank.id, **values
        )
        move.action_post()
        return move

    def pay(self, move):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"payment_date": move.invoice_date})._create_payments()
        self.assertIn(move.payment_state, ("paid", "in_payment"))

    def integrity(self):
        """Results of Odoo's integrity check for the journals of our documents."""
        self.env.invalidate_all()
        results = self.company._check_hash_integrity()["results"]
        journal = self.doc_type("vat").journal_id
        return [r for r in results if r["journal_name"].startswith(journal.name)]


@tagged("post_install", "-at_install")
class TestHashChain(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.pl_hash_sales_documents = True

    def test_setting_secures_the_sales_journals(self):
        sales = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "sale")]
        )
        self.assertTrue(sales)
        self.assertTrue(all(sales.mapped("restrict_mode_hash_table")))
        others = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "!=", "sale")]
        )
        self.assertFalse(any(others.mapped("restrict_mode_hash_table")))
        # A sales journal added later is secured too.
        journal = self.env["account.journal"].create(
            {
                "name": "Sprzedaż 2",
                "code": "SP2",
                "type": "sale",
                "company_id": self.company.id,
            }
        )
        self.assertTrue(journal.restrict_mode_hash_table)

    def test_posted_documents_are_chained_and_verified(self):
        moves = self.post() | self.post() | self.post()
        for move in moves:
            self.assertTrue(move.inalterable_hash, move.name)
        # One chain per series and period: FV/1/11/2026, FV/2/11/2026, ...
        self.assertEqual(len(set(moves.mapped("sequence_prefix"))), 1)
        self.assertEqual(
            moves.mapped("sequence_number"),
            [int(name.split("/")[1]) for name in moves.mapped("name")],
        )
        self.assertEqual(
            moves.sorted("sequence_number").mapped("sequence_number"),
            list(range(moves[0].sequence_number, moves[0].sequence_number + 3)),
        )
        results = self.integrity()
        self.assertEqual([r["status"] for r in results], ["verified"])
        self.assertEqual(results[0]["first_move_name"], moves[0].name)
        self.assertEqual(results[0]["last_move_name"], moves[-1].name)
        # The report prints the same result.
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "account.report_hash_integrity", self.company.ids
            )[0]
        )
        self.assertIn("Entries are correctly hashed", html)
        self.assertIn(moves[-1].name, html)

    def test_posted_document_is_changed_only_by_a_correction(self):
        move = self.post()
        with self.assertRaisesRegex(UserError, "locked"):
            move.button_draft()
        with self.assertRaises(UserError):
            move.write({"pl_buyer_name": "Ktoś Inny"})
        # Once documents are secured, the setting stays on.
        with self.assertRaises(UserError):
            self.company.pl_hash_sales_documents = False

    def _tamper(self, column, value_sql):
        moves = self.post() | self.post() | self.post()
        target = moves[1]
        self.env.flush_all()
        self.env.cr.execute(
            f"UPDATE account_move SET {column} = {value_sql} WHERE id = %s",  # noqa: S608
            (target.id,),
        )
        results = self.integrity()
        self.assertEqual([r["status"] for r in results], ["corrupted"])
        self.assertIn(target.name, results[0]["msg_cover"])
        self.assertIn(str(target.id), results[0]["msg_cover"])

    def test_tampered_amount_is_detected(self):
        self._tamper("amount_total", "amount_total + 1")

    def test_tampered_customer_is_detected(self):
        self._tamper("partner_id", str(self.consumer.id))

    def test_tampered_issue_date_is_detected(self):
        self._tamper("invoice_date", "invoice_date - 1")

    def test_tampered_buyer_name_is_detected(self):
        self._tamper("pl_buyer_name", "'Ktoś Inny'")


@tagged("post_install", "-at_install")
class TestPdfArchive(ArchiveCommon):
    def test_cron_archives_each_posted_document_once(self):
        moves = self.post() | self.post(partner=self.consumer)
        proforma = self.pl_invoice(kind="proforma")
        proforma.action_pl_issue_proforma()
        # Posting asks the cron to run soon.
        cron = self.env.ref("crm_invoicing_pl_archive.ir_cron_pl_archive_pdf")
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        )
        self.assertFalse(moves.invoice_pdf_report_id)
        Move = self.env["account.move"]
        self.assertGreaterEqual(Move._cron_pl_archive_pdf(batch_size=1), 2)
        for move in moves:
            pdf = move.invoice_pdf_report_id
            self.assertTrue(pdf, move.name)
            self.assertEqual(pdf.res_field, "invoice_pdf_report_file")
            self.assertEqual(move.message_main_attachment_id, pdf)
            self.assertTrue(pdf.raw)
            # Archiving is not sending.
            self.assertFalse(move.is_move_sent)
        self.assertFalse(proforma.invoice_pdf_report_id)
        # A second run has nothing to do and regenerates nothing.
        attachments = self.env["ir.attachment"].search_count([])
        archived = moves.invoice_pdf_report_id
        self.assertEqual(Move._cron_pl_archive_pdf(), 0)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        self.env.invalidate_all()
        self.assertEqual(moves.invoice_pdf_report_id, archived)
        # The archived PDF cannot be deleted.
        with self.assertRaisesRegex(UserError, moves[0].name):
            moves[0].invoice_pdf_report_id.unlink()

    def test_reset_to_draft_without_hash_chain(self):
        # Without the setting, a posted document can be reset to draft: its
        # PDF is detached (Odoo) and its buyer is read live again.
        move = self.post()
        self.assertEqual(move.pl_buyer_name, "Hurtownia Żółw Sp. z o.o.")
        self.assertFalse(move.inalterable_hash)
        self.env["account.move"]._cron_pl_archive_pdf()
        first_pdf = move.invoice_pdf_report_id
        self.assertTrue(first_pdf)
        move.button_draft()
        self.assertFalse(move.pl_buyer_name)
        self.env.invalidate_all()
        self.assertFalse(move.invoice_pdf_report_id)
        self.assertTrue(first_pdf.exists())
        self.customer.name = "Hurtownia Żółw S.A."
        move.action_post()
        self.assertEqual(move.pl_buyer_name, "Hurtownia Żółw S.A.")
        self.env["account.move"]._cron_pl_archive_pdf()
        self.assertNotEqual(move.invoice_pdf_report_id, first_pdf)

    def test_search_by_retention_and_amount(self):
        old = self.post(date="2015-06-15")
        new = self.post(lines=[(self.goods, 1, 321.0)])
        self.assertEqual(old.pl_retention_until, fields.Date.to_date("2020-12-31"))
        self.assertEqual(new.pl_retention_until, fields.Date.to_date("2031-12-31"))
        Move = self.env["account.move"]
        today = fields.Date.to_string(fields.Date.context_today(Move))
        over = Move.search(
            [("pl_retention_until", "<", today), ("company_id", "=", self.company.id)]
        )
        self.assertIn(old, over)
        self.assertNotIn(new, over)
        self.assertEqual(
            Move.search(
                [
                    ("amount_total", "=", new.amount_total),
                    ("partner_id", "child_of", self.customer.id),
                    ("invoice_date", "=", new.invoice_date),
                    ("name", "=", new.name),
                ]
            ),
            new,
        )
        # Drafts have no retention period yet.
        self.assertFalse(self.pl_invoice().pl_retention_until)


@tagged("post_install", "-at_install")
class TestGdpr(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.pl_hash_sales_documents = True
        cls.consumer.write(
            {
                "email": "jan.kowalski@example.com",
                "phone": "+48 600 100 200",
                "bank_ids": [(0, 0, {"acc_number": "PL27114020040000300201355387"})],
            }
        )

    def test_company_or_business_customer_is_refused(self):
        with self.assertRaisesRegex(UserError, "is a company"):
            self.customer.action_pl_gdpr_anonymise()
        trader = self.env["res.partner"].create(
            {"name": "Adam Nowak Usługi", "vat": "PL1234567883"}
        )
        with self.assertRaisesRegex(UserError, "tax identification number"):
            trader.action_pl_gdpr_anonymise()
        self.assertEqual(self.customer.name, "Hurtownia Żółw Sp. z o.o.")

    def test_refused_while_retention_applies_or_amounts_are_open(self):
        recent = self.post(partner=self.consumer)
        self.pay(recent)
        old = self.post(partner=self.consumer, date="2015-06-15")
        with self.assertRaises(UserError) as error:
            self.consumer.action_pl_gdpr_anonymise()
        message = str(error.exception)
        self.assertIn("Jan Kowalski cannot be anonymised", message)
        self.assertIn(recent.name, message)
        self.assertIn("2031-12-31", message)
        self.assertIn("Amounts are still open on: %s" % old.name, message)
        self.assertEqual(self.consumer.name, "Jan Kowalski")
        self.assertTrue(self.consumer.active)

    def test_anonymised_after_retention(self):
        old = self.post(partner=self.consumer, date="2015-06-15")
        self.pay(old)
        bank = self.consumer.bank_ids
        number = bank.acc_number
        self.consumer.action_pl_gdpr_anonymise()
        partner = self.consumer.with_context(active_test=False)
        self.assertEqual(partner.name, "Anonymised customer %s" % partner.id)
        self.assertFalse(partner.active)
        for fname in ("email", "phone", "street", "zip", "city"):
            self.assertFalse(partner[fname], fname)
        self.assertFalse(bank.active)
        self.assertTrue(number)
        self.assertNotIn(number[-10:], bank.acc_number)  # no digits of the account
        self.assertNotIn(
            "Kowalski",
            " ".join(
                self.env["mail.message"]
                .search([("model", "=", "res.partner"), ("res_id", "=", partner.id)])
                .mapped(lambda m: str(m.body))
            ),
        )
        # The posted document keeps the buyer as invoiced, its hash holds.
        self.assertEqual(old.partner_id, partner)
        self.assertEqual(
            (old.pl_buyer_name, old.pl_buyer_street, old.pl_buyer_city),
            ("Jan Kowalski", "ul. Długa 1", "Gdańsk"),
        )
        self.assertEqual([r["status"] for r in self.integrity()], ["verified"])


@tagged("post_install", "-at_install")
class TestGdprPrintout(PdfReportMixin, ArchiveCommon, HttpCase):
    def test_printout_keeps_the_buyer_as_invoiced(self):
        old = self.post(partner=self.consumer, date="2015-06-15")
        self.pay(old)
        self.consumer.action_pl_gdpr_anonymise()
        text = self.pdf_text(old)
        self.assertAllIn(
            ["Nabywca", "Jan Kowalski", "ul. Długa 1", "80-001 Gdańsk"], text
        )
        self.assertNotIn("Anonymised", text)


@tagged("post_install", "-at_install")
class TestPdfArchiveOneCall(PdfReportMixin, ArchiveCommon, HttpCase):
    """The archive converts a batch of documents in one wkhtmltopdf call, also
    on Debian's unpatched Qt, and stores for each document exactly what its
    own printout shows."""

    def _archive(self, moves):
        """Archive ``moves`` as one batch of the archive cron; the number of
        wkhtmltopdf runs it took. (The cron takes every document of the
        database without a PDF, the demo data's too: the batch is given.)"""
        calls = []
        run = ir_actions_report._run_wkhtmltopdf

        def counted(args):
            calls.append(args)
            return run(args)

        with patch.object(ir_actions_report, "_run_wkhtmltopdf", counted):
            archived = moves.with_context(
                force_report_rendering=True
            )._pl_archive_batch()
        self.assertEqual(archived, moves)
        return len(calls)

    def _words(self, pdf):
        """[(page, word, x, y)] of ``pdf`` (``pdftotext -bbox``)."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            out = subprocess.run(
                ["pdftotext", "-bbox", handle.name, "-"],
                capture_output=True,
                check=True,
                timeout=60,
            ).stdout.decode()
        words, page = [], 0
        for line in out.splitlines():
            if "<page " in line:
                page += 1
            elif match := WORD.search(line):
                words.append((page, match[3], float(match[1]), float(match[2])))
        return words

    def assertSameDocument(self, printed, archived, name):
        """The same words on the same pages at the same places: one long
        wkhtmltopdf page moves them by about 0.00001 pt (float noise)."""
        self.assertGreater(len(printed), 40, name)
        self.assertEqual([w[:2] for w in archived], [w[:2] for w in printed], name)
        for before, after in zip(printed, archived, strict=True):
            self.assertAlmostEqual(before[2], after[2], delta=0.01, msg=name)
            self.assertAlmostEqual(before[3], after[3], delta=0.01, msg=name)

    def _pages(self, move):
        return len(PdfFileReader(io.BytesIO(move.invoice_pdf_report_id.raw)).pages)

    def test_batch_in_one_call_shows_what_each_printout_shows(self):
        moves = (
            self.post(lines=[(self.goods, 2, 100.0)])
            | self.post(partner=self.consumer, lines=[(self.service, 1, 350.0)])
            | self.post(lines=[(self.goods, 5, 19.99), (self.service, 3, 80.0)])
        )
        printed = {move: self._words(self.render_pdf(move)) for move in moves}
        self.assertFalse(moves.invoice_pdf_report_id, "printing archives nothing")

        self.assertEqual(self._archive(moves), 1, "one wkhtmltopdf call for the batch")
        for move in moves:
            self.assertEqual(self._pages(move), 1, move.name)
            archived = self._words(move.invoice_pdf_report_id.raw)
            self.assertSameDocument(printed[move], archived, move.name)
            self.assertIn(move.name, [w[1] for w in archived])
            for other in moves - move:
                self.assertNotIn(other.name, [w[1] for w in archived])

    def test_document_of_several_pages_in_a_batch(self):
        """Its PDF is cut back out of the batch's, or, when Odoo cannot cut
        it, the batch is archived again document by document: either way
        each document gets exactly its own pages."""
        short = self.post(lines=[(self.goods, 1, 10.0)])
        long = self.post(lines=[(self.goods, 1, 10.0 + i) for i in range(150)])
        printed = {move: self._words(self.render_pdf(move)) for move in short | long}

        self.assertLessEqual(self._archive(short | long), 3)
        self.assertEqual(self._pages(short), 1)
        self.assertGreater(self._pages(long), 1)
        for move in short | long:
            archived = self._words(move.invoice_pdf_report_id.raw)
            self.assertSameDocument(printed[move], archived, move.name)

    def test_document_that_cannot_be_rendered_leaves_the_others_archived(self):
        """A batch with a document whose printout fails: the batch is archived
        again document by document, the others get their PDF, the failing one
        is named in the log with its reason and waits for the next run."""
        first = self.post()
        failing = self.post(partner=self.consumer)
        last = self.post(lines=[(self.service, 2, 75.0)])
        broken = self.env["ir.actions.report"].create(
            {
                "name": "Wydruk bez szablonu",
                "model": "account.move",
                "report_type": "qweb-pdf",
                "report_name": "crm_invoicing_pl_archive.no_such_printout",
                "is_invoice_report": True,
            }
        )
        self.consumer.invoice_template_pdf_report_id = broken

        logger = "odoo.addons.crm_invoicing_pl_archive.models.account_move"
        with self.assertLogs(logger, "ERROR") as logs:
            archived = (
                (first | failing | last)
                .with_context(force_report_rendering=True)
                ._pl_archive_batch()
            )
        output = "\n".join(logs.output)
        self.assertIn(f"Could not archive the PDF of {failing.name}", output)
        self.assertIn("no_such_printout", output, "the reason is logged")
        self.assertEqual(archived, first | last)
        self.assertFalse(failing.invoice_pdf_report_id)
        for move in first | last:
            self.assertEqual(self._pages(move), 1, move.name)
            self.assertIn(
                move.name, [w[1] for w in self._words(move.invoice_pdf_report_id.raw)]
            )
        # The next run takes the failing document again, and only it.
        self.assertIn(failing.id, self.env["account.move"]._pl_lock_unarchived(100))
        self.assertNotIn(first.id, self.env["account.move"]._pl_lock_unarchived(100))
