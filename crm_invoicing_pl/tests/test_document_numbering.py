from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import PlInvoicingCommon


@tagged("post_install", "-at_install")
class TestDocumentNumbering(PlInvoicingCommon):
    def test_default_types_created_with_chart(self):
        self.assertEqual(
            set(self.doc_types.mapped("kind")),
            {"vat", "proforma", "advance", "final", "correction"},
        )
        self.assertEqual(self.doc_type("vat").number_prefix, "FV")
        self.assertEqual(self.doc_type("correction").move_type, "out_refund")

    def test_new_invoice_gets_default_type(self):
        invoice = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.customer.id}
        )
        self.assertEqual(invoice.pl_document_type_id, self.doc_type("vat"))
        self.assertEqual(invoice.pl_place_of_issue, "Warszawa")

    def test_monthly_numbers_counter_first_and_reset(self):
        first = self.pl_invoice(date="2026-11-03")
        second = self.pl_invoice(date="2026-11-28")
        december = self.pl_invoice(date="2026-12-01")
        (first + second + december).action_post()
        self.assertEqual(first.name, "FV/1/11/2026")
        self.assertEqual(second.name, "FV/2/11/2026")
        self.assertEqual(december.name, "FV/1/12/2026")

    def test_odoo_reads_the_counter_of_our_numbers(self):
        """Odoo's sequence fields (its gap warning, its hash chains) read the
        counter of FV/2/11/2026, not its year: one sequence per series and
        period, without gaps."""
        moves = self.pl_invoice() | self.pl_invoice() | self.pl_invoice()
        moves.action_post()
        self.assertEqual(moves.mapped("name"), [f"FV/{n}/11/2026" for n in (1, 2, 3)])
        self.assertEqual(set(moves.mapped("sequence_prefix")), {"FV//11/2026"})
        self.assertEqual(moves.mapped("sequence_number"), [1, 2, 3])
        self.assertEqual(moves.mapped("made_sequence_gap"), [False] * 3)

    def test_yearly_numbers(self):
        self.doc_type("vat").number_reset = "year"
        first = self.pl_invoice(date="2026-03-03")
        second = self.pl_invoice(date="2026-11-28")
        next_year = self.pl_invoice(date="2027-01-02")
        # Posted on 2 January 2027: no invoice is dated after today.
        with freeze_time("2027-01-02 09:00:00"):
            (first + second + next_year).action_post()
        self.assertEqual(
            (first.name, second.name, next_year.name),
            ("FV/1/2026", "FV/2/2026", "FV/1/2027"),
        )

    def test_draft_shows_no_number_of_another_series(self):
        """A draft of a Polish document reads "Draft": Odoo's placeholder would
        show the journal's first number (FV/2026/00001), which the document
        never gets (it is numbered in its own series at posting)."""
        journal = self.env["account.journal"].create(
            {"name": "Sprzedaż 2", "code": "SP2", "type": "sale"}
        )
        advance = self.pl_invoice(kind="advance", journal_id=journal.id)
        self.assertFalse(advance._get_last_sequence())
        self.assertFalse(advance.name_placeholder)
        self.assertIn(advance.name, (False, "/"))

    def test_series_are_separate_per_type(self):
        services = self.doc_type("vat").copy(
            {"name": "Faktura VAT usługi", "number_prefix": "FVU", "is_default": False}
        )
        goods_invoice = self.pl_invoice()
        service_invoice = self.pl_invoice(
            lines=[(self.service, 1, 500.0)], pl_document_type_id=services.id
        )
        (goods_invoice + service_invoice).action_post()
        self.assertEqual(goods_invoice.name, "FV/1/11/2026")
        self.assertEqual(service_invoice.name, "FVU/1/11/2026")

    def test_standard_sequence_ignores_our_numbers(self):
        ours = self.pl_invoice()
        ours.action_post()
        plain = self.pl_invoice(pl_document_type_id=False)
        plain.action_post()
        self.assertEqual(ours.name, "FV/1/11/2026")
        self.assertTrue(plain.name.startswith("INV/2026/"), plain.name)

    def test_prefix_validation(self):
        with self.assertRaises(ValidationError):
            self.doc_type("vat").number_prefix = "F/V"
        with self.assertRaises(ValidationError):
            self.doc_type("vat").number_prefix = "F%V"

    def test_number_example(self):
        self.assertRegex(self.doc_type("proforma").number_example, r"^PF/1/\d\d/\d{4}$")

    def test_proforma_is_never_posted(self):
        proforma = self.pl_invoice(kind="proforma")
        with self.assertRaisesRegex(UserError, "pro forma is not a VAT invoice"):
            proforma.action_post()
        proforma.action_pl_issue_proforma()
        self.assertEqual(proforma.state, "draft")
        self.assertEqual(proforma.name, "PF/1/11/2026")
        # Issuing again keeps the number; the VAT series is untouched.
        proforma.action_pl_issue_proforma()
        self.assertEqual(proforma.name, "PF/1/11/2026")
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertEqual(invoice.name, "FV/1/11/2026")
        self.assertFalse(
            self.env["account.move.line"].search_count(
                [("move_id", "=", proforma.id), ("parent_state", "=", "posted")]
            )
        )
