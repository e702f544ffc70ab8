"""Advance (faktura zaliczkowa) and final (faktura końcowa) invoices, art. 106f.

The order has three VAT rates: 3 x 100,00 at 23 %, 250,00 at 8 % and 131,00
exempt (zw): 369,00 + 270,00 + 131,00 = 770,00 gross. A payment is split in
proportion to these gross values; per rate the tax is KP = ZB x SP / (100 + SP)
rounded half-up to the grosz.
"""

from datetime import date

from odoo import Command, fields
from odoo.addons.crm_invoicing_pl.tests.advance_common import (
    EXEMPTION,
    AdvanceGoodsCommon,
)
from odoo.addons.crm_invoicing_pl.tests.pdf_report import PdfReportMixin
from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from .common import PlInvoicingCommon


class AdvanceCommon(AdvanceGoodsCommon, PlInvoicingCommon):
    """An order with three VAT rates and helpers to invoice its advances."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_salesman")
        (cls.goods + cls.goods_8 + cls.goods_zw + cls.annex15).invoice_policy = "order"

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def make_order(self, lines=None, confirm=True, **values):
        lines = lines or [(self.goods, 3), (self.goods_8, 1), (self.goods_zw, 1)]
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def wizard(self, order, method="pl_received", amount=0.0, **values):
        values.setdefault("pl_payment_date", "2026-11-10")
        if method == "percentage":
            values["amount"] = amount
        else:
            values["fixed_amount"] = amount
        return (
            order.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": method, **values})
        )

    def advance(self, order, amount, method="pl_received", post=True, **values):
        action = self.wizard(order, method, amount, **values).create_invoices()
        invoice = order.env["account.move"].browse(action["res_id"])
        if post:
            invoice.action_post()
        return invoice

    def documents_of(self, order):
        return self.env["account.move"].search([("pl_sale_order_id", "=", order.id)])

    def assertNothingCreated(self, order, call, message):
        moves = self.documents_of(order) | order.invoice_ids
        lines = order.order_line
        with self.assertRaisesRegex(UserError, message):
            call()
        order.invalidate_recordset()
        self.assertEqual(self.documents_of(order) | order.invoice_ids, moves)
        self.assertEqual(order.order_line, lines)


@tagged("post_install", "-at_install")
class TestAdvanceInvoice(AdvanceCommon):
    # ------------------------------------------------------------------
    # Amounts
    # ------------------------------------------------------------------
    def test_advance_split_per_rate_and_kp(self):
        order = self.make_order()
        self.assertAlmostEqual(order.amount_total, 770.0)
        advance = self.advance(order, 333.33)
        self.assertEqual(advance.state, "posted")
        self.assertEqual(advance.pl_document_kind, "advance")
        self.assertEqual(advance.pl_sale_order_id, order)
        self.assertEqual(str(advance.taxable_supply_date), "2026-11-10")
        self.assertTrue(advance.name.startswith("FZ/1/"))
        self.assertAlmostEqual(advance.amount_total, 333.33)
        # 333,33 x 369/770 = 159,74 (gross at 23 %): KP = 159,74 x 23/123 = 29,87
        # 333,33 x 270/770 = 116,88 (gross at 8 %): KP = 116,88 x 8/108 = 8,66
        # the rest, 56,71, is exempt.
        self.assertEqual(
            self.per_tax(advance),
            {
                self.tax_23: (129.87, 29.87),
                self.tax_8: (108.22, 8.66),
                self.tax_zw: (56.71, 0.0),
            },
        )
        self.assertEqual(order.pl_advance_ids, advance)
        self.assertEqual(order.pl_advance_count, 1)
        # The down payment lines of the order carry the same amounts.
        dp_lines = order.order_line.filtered(
            lambda line: line.is_downpayment and not line.display_type
        )
        self.assertEqual(len(dp_lines), 3)
        self.assertEqual(
            sorted(dp_lines.mapped("price_unit")), sorted([129.87, 108.22, 56.71])
        )

    def test_percentage_then_final_invoice(self):
        order = self.make_order()
        first = self.advance(order, 333.33)
        second = self.advance(order, 40.0, method="percentage")
        # 40 % of 770,00 = 308,00: 147,60 / 108,00 / 52,40 gross.
        self.assertAlmostEqual(second.amount_total, 308.0)
        self.assertEqual(
            self.per_tax(second),
            {
                self.tax_23: (120.0, 27.6),
                self.tax_8: (100.0, 8.0),
                self.tax_zw: (52.4, 0.0),
            },
        )
        action = order.action_pl_final_invoice()
        final = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(final.pl_document_kind, "final")
        self.assertEqual(final.pl_sale_order_id, order)
        self.assertEqual(final.move_type, "out_invoice")
        # Order less both advances, per rate: net and tax.
        self.assertEqual(
            self.per_tax(final),
            {
                self.tax_23: (50.13, 11.53),
                self.tax_8: (41.78, 3.34),
                self.tax_zw: (21.89, 0.0),
            },
        )
        self.assertAlmostEqual(final.amount_total, 770.0 - 333.33 - 308.0)
        final.action_post()
        self.assertEqual(final.state, "posted")
        self.assertTrue(final.name.startswith("FK/1/"))
        self.assertEqual(order.pl_final_ids, final)
        self.assertEqual(
            [row["name"] for row in final._pl_report_advances()],
            [first.name, second.name],
        )
        # The deduction lines name their advance invoice in the order's
        # language, without Odoo's half-English "Kwota zaliczki (ref: … on …)".
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_invoicing_pl"], ["pl_PL"], overwrite=True
        )
        order.partner_id.lang = "pl_PL"
        deductions = order.order_line.filtered(
            lambda line: line.is_downpayment and not line.display_type
        )
        deductions._compute_name()
        expected = {
            f"Faktura zaliczkowa {advance.name} z dnia "
            + advance.invoice_date.strftime("%d.%m.%Y")
            for advance in (first, second)
        }
        self.assertEqual(set(deductions.mapped("name")), expected)
        total = final._pl_report_settlement()[-1]
        self.assertAlmostEqual(total["order"]["gross"], 770.0)
        self.assertAlmostEqual(total["advanced"]["gross"], 641.33)
        self.assertAlmostEqual(total["remainder"]["gross"], 128.67)
        self.assertAlmostEqual(total["remainder"]["vat"], 14.87)
        self.assertEqual(order.invoice_status, "invoiced")

    def test_three_advances_complete_the_order(self):
        order = self.make_order()
        first = self.advance(order, 333.33)
        second = self.advance(order, 308.0, method="fixed")
        # The rest, 128,67, settles every rate exactly.
        third = self.advance(order, 128.67)
        self.assertEqual(
            self.per_tax(third),
            {
                self.tax_23: (50.13, 11.53),
                self.tax_8: (41.78, 3.34),
                self.tax_zw: (21.89, 0.0),
            },
        )
        # The last advance lists the earlier ones; the first does not.
        self.assertEqual(
            [row["name"] for row in third._pl_report_advances()],
            [first.name, second.name],
        )
        self.assertFalse(first._pl_report_advances())
        # No final invoice when the advances paid everything.
        self.assertNothingCreated(
            order,
            order.action_pl_final_invoice,
            "cover the whole order .*%s" % third.name.replace("/", "/"),
        )
        # Nor one more advance.
        self.assertNothingCreated(
            order, lambda: self.advance(order, 0.01), "exceeds the unpaid value"
        )

    def test_advance_on_quotation_and_from_proforma(self):
        order = self.make_order(confirm=False)
        order.action_pl_create_proforma()
        proforma = order.pl_proforma_ids
        action = proforma.action_pl_advance_from_proforma()
        self.assertEqual(action["res_model"], "sale.advance.payment.inv")
        self.assertEqual(action["context"]["active_ids"], order.ids)
        self.assertEqual(action["context"]["default_pl_proforma_id"], proforma.id)
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(**action["context"])
            .create({"fixed_amount": 100.0, "pl_payment_date": "2026-11-10"})
        )
        self.assertEqual(wizard.advance_payment_method, "pl_received")
        self.assertEqual(wizard.pl_proforma_id, proforma)
        invoice = self.env["account.move"].browse(wizard.create_invoices()["res_id"])
        self.assertEqual(invoice.pl_document_kind, "advance")
        self.assertEqual(invoice.pl_sale_order_id, order)
        invoice.action_post()
        self.assertEqual(order.state, "draft")
        order.action_confirm()
        final = self.env["account.move"].browse(
            order.action_pl_final_invoice()["res_id"]
        )
        self.assertAlmostEqual(final.amount_total, 670.0)

    def test_foreign_currency(self):
        eur = self.setup_other_currency(
            "EUR",
            rates=[("2026-01-01", 1 / 4.0), ("2026-11-09", 1 / 4.25)],
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id, "company_id": self.company.id}
        )
        order = self.make_order(
            lines=[(self.goods, 10)],
            pricelist_id=pricelist.id,
            date_order="2026-11-02",
        )
        self.assertEqual(order.currency_id, eur)
        order.order_line.price_unit = 100.0
        self.assertAlmostEqual(order.amount_total, 1230.0)
        # Received 615 EUR on 10 Nov: tax point 10 Nov, rate of 9 Nov (4,25).
        advance = self.advance(order, 615.0, post=False, pl_payment_date="2026-11-10")
        advance.invoice_date = "2026-11-10"
        advance.action_post()
        self.assertEqual(advance.currency_id, eur)
        self.assertEqual(self.per_tax(advance), {self.tax_23: (500.0, 115.0)})
        self.assertAlmostEqual(advance.pl_rate, 4.25, places=4)
        tax_line = advance.line_ids.filtered(lambda ml: ml.display_type == "tax")
        self.assertAlmostEqual(-tax_line.balance, 488.75, places=2)
        self.assertAlmostEqual(advance.amount_total_signed, 615.0 * 4.25, places=2)
        final = self.env["account.move"].browse(
            order.action_pl_final_invoice()["res_id"]
        )
        self.assertEqual(final.currency_id, eur)
        self.assertEqual(self.per_tax(final), {self.tax_23: (500.0, 115.0)})

    # ------------------------------------------------------------------
    # Refusals: a clear message and nothing created
    # ------------------------------------------------------------------
    def test_refuse_advance_above_unpaid_value(self):
        order = self.make_order()
        self.advance(order, 333.33)
        self.assertNothingCreated(
            order,
            lambda: self.advance(order, 436.68),
            "exceeds the unpaid value of the order .*436,67|436.67",
        )

    def test_refuse_zero_or_negative(self):
        order = self.make_order()
        for method, amount in (
            ("pl_received", 0.0),
            ("pl_received", -10.0),
            ("fixed", 0.0),
            ("percentage", -5.0),
        ):
            self.assertNothingCreated(
                order, lambda m=method, a=amount: self.advance(order, a, m), "positive"
            )
        self.assertNothingCreated(
            order,
            lambda: self.advance(order, 100.0, pl_payment_date=False),
            "date the advance payment was received",
        )

    def test_refuse_cancelled_order(self):
        order = self.make_order()
        order._action_cancel()
        self.assertNothingCreated(
            order, lambda: self.advance(order, 100.0), "cancelled"
        )
        self.assertNothingCreated(order, order.action_pl_advance_invoice, "cancelled")

    def test_refuse_final_with_draft_advance(self):
        order = self.make_order()
        draft = self.advance(order, 100.0, post=False)
        self.assertNothingCreated(order, order.action_pl_final_invoice, "still a draft")
        # Odoo's own Create Invoice path is refused the same way.
        wizard = self.wizard(order, "delivered")
        self.assertNothingCreated(order, wizard.create_invoices, "still a draft")
        draft.action_post()
        # Odoo's Create Invoice (regular, deducting down payments) gives the
        # final invoice too.
        wizard = self.wizard(order, "delivered")
        self.assertTrue(wizard.deduct_down_payments)
        final = self.env["account.move"].browse(wizard.create_invoices()["res_id"])
        self.assertEqual(final.pl_document_kind, "final")
        self.assertEqual(final.pl_sale_order_id, order)
        self.assertAlmostEqual(final.amount_total, 670.0)

    def test_edited_draft_advance_still_follows_106f(self):
        order = self.make_order(lines=[(self.goods, 1)])
        advance = self.advance(order, 100.0, post=False)
        line = advance.invoice_line_ids.filtered("is_downpayment")
        self.assertAlmostEqual(line.price_total - line.price_subtotal, 18.70)
        # A tax edited by hand: 81,30 + 18,75 = 100,05 gross, whose KP is 18,71.
        tax_line = advance.line_ids.filtered(lambda ml: ml.display_type == "tax")
        advance.write(
            {"line_ids": [Command.update(tax_line.id, {"amount_currency": -18.75})]}
        )
        self.assertAlmostEqual(advance.amount_tax, 18.75)
        with self.assertRaisesRegex(
            UserError, "KP = ZB × SP / \\(100 \\+ SP\\) = 18[.,]71"
        ):
            advance.action_post()
        self.assertEqual(advance.state, "draft")
        # A price raised above the order is refused too.
        advance.write(
            {"line_ids": [Command.update(tax_line.id, {"amount_currency": -18.70})]}
        )
        advance.invoice_line_ids.filtered("is_downpayment").write(
            {"extra_tax_data": False, "price_unit": 200.0}
        )
        with self.assertRaisesRegex(UserError, "exceed the order value"):
            advance.action_post()
        self.assertEqual(advance.state, "draft")

    def test_refuse_final_when_advances_exceed_order(self):
        order = self.make_order()
        self.advance(order, 333.33)
        # The order is reduced after the advance: 1 x 100,00 at 23 % is 123,00
        # gross, less than the 159,74 paid on that rate.
        order.order_line.filtered(lambda line: line.product_id == self.goods).write(
            {"product_uom_qty": 1.0}
        )
        self.assertNothingCreated(
            order, order.action_pl_final_invoice, "exceed the order value"
        )

    def test_refuse_other_currency(self):
        eur = self.setup_other_currency("EUR")
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id, "company_id": self.company.id}
        )
        order = self.make_order(confirm=False)
        order.action_pl_create_proforma()
        proforma = order.pl_proforma_ids
        advance = self.advance(order, 100.0)
        self.assertEqual(advance.currency_id, self.pln)
        order.pricelist_id = pricelist
        order.action_update_prices()
        self.assertEqual(order.currency_id, eur)
        self.assertNothingCreated(
            order, lambda: self.advance(order, 10.0), "is in PLN but the order"
        )
        self.assertNothingCreated(
            order, proforma.action_pl_advance_from_proforma, "is in PLN"
        )
        order.action_confirm()
        self.assertNothingCreated(order, order.action_pl_final_invoice, "is in PLN")

    # ------------------------------------------------------------------
    # Cancelled and corrected advances no longer count
    # ------------------------------------------------------------------
    def test_cancelled_and_credited_advances_do_not_count(self):
        order = self.make_order()
        cancelled = self.advance(order, 100.0)
        cancelled.button_draft()
        cancelled.button_cancel()
        credited = self.advance(order, 200.0)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=credited.ids)
            .create(
                {
                    "reason": "Zwrot zaliczki",
                    "journal_id": credited.journal_id.id,
                }
            )
        )
        reversal.refund_moves()
        correction = credited.reversal_move_ids
        self.assertEqual(correction.pl_sale_order_id, order)
        correction.action_post()
        kept = self.advance(order, 308.0)
        self.assertEqual([a for a, _split in order._pl_advances()], [kept])
        # Only the advance that still counts can be topped up to the order.
        self.assertNothingCreated(
            order, lambda: self.advance(order, 462.01), "exceeds the unpaid value"
        )
        final = self.env["account.move"].browse(
            order.action_pl_final_invoice()["res_id"]
        )
        self.assertAlmostEqual(final.amount_total, 770.0 - 308.0)
        self.assertEqual(
            [row["name"] for row in final._pl_report_advances()], [kept.name]
        )

    def test_salesperson_without_billing_rights(self):
        salesperson = new_test_user(
            self.env,
            login="adv_salesperson",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertFalse(salesperson.has_group("account.group_account_invoice"))
        order = self.make_order()
        order.user_id = salesperson
        order = order.with_user(salesperson)
        advance = self.advance(order, 100.0, post=False)
        self.assertEqual(advance.pl_document_kind, "advance")
        advance.sudo().action_post()
        final = self.env["account.move"].browse(
            order.action_pl_final_invoice()["res_id"]
        )
        self.assertEqual(final.sudo().pl_document_kind, "final")
        self.assertEqual(order.pl_advance_count, 1)
        self.assertEqual(order.pl_final_count, 1)

    # ------------------------------------------------------------------
    # Document chain
    # ------------------------------------------------------------------
    def test_smart_buttons(self):
        order = self.make_order()
        order.action_pl_create_proforma()
        proforma = order.pl_proforma_ids
        advance = self.advance(order, 100.0)
        final = self.env["account.move"].browse(
            order.action_pl_final_invoice()["res_id"]
        )
        action = order.action_pl_view_advances()
        self.assertEqual(action["domain"], [("id", "in", advance.ids)])
        self.assertEqual(action["res_id"], advance.id)
        action = order.action_pl_view_finals()
        self.assertEqual(action["domain"], [("id", "in", final.ids)])
        action = advance.action_pl_view_offer()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("sale.order", order.id)
        )
        self.assertEqual(advance.pl_related_count, 2)
        action = advance.action_pl_view_related()
        self.assertEqual(
            self.env["account.move"].search(action["domain"]), proforma | final
        )
        self.assertEqual(final.pl_related_count, 2)

    def test_regular_invoice_and_mpp(self):
        # Without advances Odoo's Create Invoice gives a Faktura VAT.
        order = self.make_order(lines=[(self.annex15, 20)])
        # 20 000 net of załącznik 15 goods: the advance carries the MPP note
        # although it has no product of its own.
        advance = self.advance(order, 1000.0)
        self.assertTrue(advance.pl_split_payment)
        plain = self.make_order(lines=[(self.goods, 1)])
        invoice = self.env["account.move"].browse(
            self.wizard(plain, "delivered").create_invoices()["res_id"]
        )
        self.assertEqual(invoice.pl_document_kind, "vat")
        self.assertEqual(invoice.pl_sale_order_id, plain)
        self.assertEqual(
            fields.Date.to_string(advance.taxable_supply_date), "2026-11-10"
        )


@tagged("post_install", "-at_install")
class TestAdvanceReceived(AdvanceCommon):
    """An advance invoice of money already received (art. 106b ust. 1 pkt 4)
    documents a payment: paid on the printout (and in FA(3):
    crm_invoicing_pl_ksef_sale), no amount due."""

    def _html(self, move):
        return " ".join(
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", move.ids)[0]
            .decode()
            .split()
        )

    @freeze_time("2026-11-20")
    def test_received_advance_is_paid_everywhere(self):
        order = self.make_order()
        advance = self.advance(order, 333.33)
        self.assertEqual(advance.pl_advance_received_date, date(2026, 11, 10))
        self.assertFalse(advance.pl_advance_issue_warning)
        html = self._html(advance)
        self.assertIn("Zapłacono dnia", html)
        self.assertNotIn("Do zapłaty", html)
        self.assertNotIn("Termin płatności", html)
        # An advance asked for (a percentage of the order) is still due.
        asked = self.advance(order, 10.0, method="percentage")
        self.assertFalse(asked.pl_advance_received_date)
        self.assertIn("Do zapłaty", self._html(asked))

    def test_late_advance_warns(self):
        """Art. 106i ust. 2: issued by the 15th of the month after the
        payment; later, a warning on the form and a note at posting (not a
        refusal: the invoice is still owed)."""
        order = self.make_order()
        with freeze_time("2026-12-15"):
            on_time = self.advance(order, 100.0)
            self.assertFalse(on_time.pl_advance_issue_warning)
        with freeze_time("2026-12-16"):
            late = self.advance(order, 100.0, post=False)
            self.assertIn("106i", late.pl_advance_issue_warning)
            self.assertIn("12/15/2026", late.pl_advance_issue_warning)
            late.action_post()
            self.assertEqual(late.state, "posted")
            self.assertIn("106i", " ".join(late.message_ids.mapped("body")))


@tagged("post_install", "-at_install")
class TestAdvanceReportPdf(PdfReportMixin, AdvanceCommon, HttpCase):
    """The printouts of art. 106f, read back from the PDF with pdftotext."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.customer.lang = "pl_PL"

    def test_pdf_advance_shows_order(self):
        order = self.make_order()
        advance = self.advance(order, 333.33)
        text = self.pdf_text(advance)
        self.assertAllIn(
            [
                "Faktura zaliczkowa nr %s" % advance.name,
                "Data otrzymania zapłaty: 2026-11-10",
                "Otrzymana zapłata (zaliczka): 333,33 PLN",
                "Zamówienie: %s" % order.name,
                "Dane zamówienia",
                "Kabel miedziany",
                "Książka",
                "Szkolenie zwolnione",
                "Wartość netto zamówienia",
                "Wartość brutto zamówienia",
                # per rate: net, tax, gross of the order
                "23% 300,00 69,00 369,00",
                "8% 250,00 20,00 270,00",
                "zw 131,00 0,00 131,00",
                "Razem zamówienie 681,00 89,00 770,00",
                # per rate: the advance and its KP
                "23% 129,87 29,87 159,74",
                "8% 108,22 8,66 116,88",
                "zw 56,71 0,00 56,71",
                EXEMPTION,
            ],
            text,
        )
        self.assertNotIn("wcześniejsze faktury zaliczkowe", text)

    def test_pdf_final_lists_advances(self):
        order = self.make_order()
        first = self.advance(order, 333.33)
        second = self.advance(order, 40.0, method="percentage")
        final = self.env["account.move"].browse(
            order.action_pl_final_invoice()["res_id"]
        )
        final.action_post()
        text = self.pdf_text(final)
        self.assertAllIn(
            [
                "Faktura końcowa nr %s" % final.name,
                "Rozliczone faktury zaliczkowe",
                "%s %s 2026-11-10 294,80 38,53 333,33"
                % (first.name, first.invoice_date),
                "%s %s 2026-11-10 272,40 35,60 308,00"
                % (second.name, second.invoice_date),
                "Rozliczenie zamówienia",
                "Wartość zamówienia 300,00 69,00 369,00",
                "Otrzymane zaliczki 249,87 57,47 307,34",
                "Pozostało do zapłaty 50,13 11,53 61,66",
                "Razem Wartość zamówienia 681,00 89,00 770,00",
                "Do zapłaty: 128,67 PLN",
            ],
            text,
        )

    def test_pdf_last_advance_lists_earlier(self):
        order = self.make_order()
        first = self.advance(order, 333.33)
        second = self.advance(order, 308.0, method="fixed")
        third = self.advance(order, 128.67)
        text = self.pdf_text(third)
        self.assertAllIn(
            [
                "Faktura zaliczkowa nr %s" % third.name,
                "Zaliczka rozlicza całość zamówienia; wcześniejsze faktury zaliczkowe",
                first.name,
                second.name,
            ],
            text,
        )
