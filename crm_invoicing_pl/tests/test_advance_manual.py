"""Advance and final invoices made without a sale order in Odoo (art. 106f).

- Art. 106f ust. 1 pkt 3-4 of the VAT Act: an advance invoice (faktura
  zaliczkowa) shows the payment received, its tax per rate KP = ZB x SP /
  (100 + SP), and the order: the ordered goods or services with their
  quantities, prices and rates, and the order's value (``Zamowienie`` in
  FA(3)).
- Art. 106f ust. 3: the final invoice (faktura końcowa) deducts the advances
  per VAT rate and names the advance invoices it settles
  (``FakturaZaliczkowa`` in FA(3)).

Made by hand, an advance gets its order on the Order tab (ordered goods,
advance received, *Compute Advance*); a final invoice lists the goods and
chooses the advances it settles (*Deduct Advances*). (Their FA(3):
crm_invoicing_pl_ksef_sale's test_advance_manual_fa3.py.) The
order is the one of AdvanceGoodsCommon: 3 x 100,00 at 23 %, 250,00 at 8 % and
131,00 exempt, 770,00 gross; an advance of 333,33 splits into 159,74 at 23 %
(129,87 + 29,87), 116,88 at 8 % (108,22 + 8,66) and 56,71 exempt, the same as
the advance wizard of a sale order makes (crm_invoicing_pl_sale).

A document whose type is merely set to advance or final (no order entered,
no advance chosen, lines edited after the buttons, an advance of another
customer or settled twice) is refused at posting, through the ORM as a
billing user and through JSON-RPC, with a message that says how to make it,
and nothing changes: the document is still a draft without a number and with
the journal items it had.
"""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, tagged

from .advance_common import EXEMPTION, AdvanceGoodsCommon
from .pdf_report import PdfReportMixin


class ManualAdvanceCommon(PdfReportMixin, AdvanceGoodsCommon):
    """The advance and final invoices made by hand, and their refusals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._pl_user(
            "pl_manual_advance_billing", "account.group_account_invoice"
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def manual_advance(self, amount=333.33, compute=True, **values):
        """An advance made by hand: the order of AdvanceCommon entered on it,
        ``amount`` received, split by Compute Advance."""
        advance = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-11-10",
                "pl_document_type_id": self.doc_type("advance").id,
                "pl_order_reference": "Umowa 7/2026 z 2026-11-02",
                "pl_advance_amount": amount,
                "pl_order_line_ids": [
                    Command.create({"product_id": product.id, "quantity": qty})
                    for product, qty in (
                        (self.goods, 3),
                        (self.goods_8, 1),
                        (self.goods_zw, 1),
                    )
                ],
                **values,
            }
        )
        if compute:
            advance.action_pl_compute_advance()
        return advance

    def manual_final(self, advances=None, deduct=True, **values):
        """A final invoice made by hand: the whole order as lines, settling
        ``advances`` (Deduct Advances)."""
        final = self.pl_invoice(
            kind="final",
            lines=[(self.goods, 3, 100.0), (self.goods_8, 1, 250.0)]
            + [(self.goods_zw, 1, 131.0)],
            **values,
        )
        if advances:
            final.pl_advance_invoice_ids = advances
            if deduct:
                final.action_pl_deduct_advances()
        return final

    def typed_advance(self):
        """An advance whose type alone was set: the payment as a line."""
        return self.pl_invoice(kind="advance", lines=[(self.goods, 1, 500.0)])

    def typed_final(self):
        """A final invoice whose type alone was set: the goods and the
        advance as a negative line (what the demo used to do)."""
        return self.pl_invoice(
            kind="final", lines=[(self.goods, 3, 100.0), (self.goods, 1, -100.0)]
        )

    def snapshot(self, move):
        move.invalidate_recordset()
        return (
            move.state,
            move.name,
            move.invoice_date,
            move.taxable_supply_date,
            move.pl_order_snapshot,
            len(move.message_ids),
            sorted(
                move.line_ids.mapped(
                    lambda aml: (aml.id, aml.balance, aml.amount_currency)
                )
            ),
        )

    def refused(self, move):
        """Post ``move`` as the billing user: refused, nothing changed."""
        before = self.snapshot(move)
        with self.assertRaises(UserError) as error:
            move.with_user(self.billing).action_post()
        self.assertEqual(self.snapshot(move), before)
        self.assertEqual(move.state, "draft")
        self.assertIn(move.name, (False, "/"))
        return str(error.exception.args[0])

    def refused_jsonrpc(self, move):
        before = self.snapshot(move)
        self.authenticate(self.billing.login, self.billing.login)
        self.assertEqual(
            self._pl_jsonrpc_refusal("account.move", "action_post", [move.ids]),
            "odoo.exceptions.UserError",
        )
        self.assertEqual(self.snapshot(move), before)
        self.assertEqual(move.state, "draft")


@freeze_time("2026-11-20 09:00:00")
@tagged("post_install", "-at_install")
class TestManualAdvanceAndFinal(ManualAdvanceCommon, HttpCase):
    # ------------------------------------------------------------------
    # Advance with its order (art. 106f ust. 1 pkt 3-4)
    # ------------------------------------------------------------------
    def test_manual_advance_split(self):
        self.customer.lang = "en_US"  # the lines are named in its language
        advance = self.manual_advance()
        # Compute Advance: one line per rate, KP = ZB x SP / (100 + SP).
        self.assertEqual(
            self.per_tax(advance),
            {
                self.tax_23: (129.87, 29.87),
                self.tax_8: (108.22, 8.66),
                self.tax_zw: (56.71, 0.0),
            },
        )
        self.assertAlmostEqual(advance.amount_total, 333.33)
        self.assertEqual(
            advance.invoice_line_ids.mapped("name"),
            ["Advance payment for order Umowa 7/2026 z 2026-11-02"] * 3,
        )
        advance.with_user(self.billing).action_post()
        self.assertTrue(advance.name.startswith("FZ/"))
        # The order frozen at posting: a later change is refused.
        self.assertEqual(advance.pl_order_snapshot["total"]["gross"], 770.0)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            advance.pl_order_line_ids[0].quantity = 5
        # The printout's order block: the reference, the lines, per rate.
        block = advance._pl_report_order_block()
        self.assertEqual(block["order_name"], "Umowa 7/2026 z 2026-11-02")
        self.assertEqual(
            [
                (row["rate"], row["net"], row["vat"], row["gross"])
                for row in block["rates"]
            ],
            [
                ("23%", 300.0, 69.0, 369.0),
                ("8%", 250.0, 20.0, 270.0),
                ("zw", 131.0, 0.0, 131.0),
            ],
        )

    def test_manual_printouts(self):
        """The printouts show the order of the advance, and the advances and
        the settlement per rate on the final invoice, as for an order."""
        self.env["res.lang"]._activate_lang("pl_PL")
        self.customer.lang = "pl_PL"
        advance = self.manual_advance()
        advance.action_post()
        final = self.manual_final(advance)
        final.action_post()
        self.assertAllIn(
            [
                "Faktura zaliczkowa nr %s" % advance.name,
                "Otrzymana zapłata (zaliczka): 333,33 PLN",
                "Zamówienie: Umowa 7/2026 z 2026-11-02",
                "Dane zamówienia",
                "Kabel miedziany",
                "Książka",
                "Szkolenie zwolnione",
                "23% 300,00 69,00 369,00",
                "8% 250,00 20,00 270,00",
                "zw 131,00 0,00 131,00",
                "Razem zamówienie 681,00 89,00 770,00",
                "23% 129,87 29,87 159,74",
                EXEMPTION,
            ],
            self.pdf_text(advance),
        )
        self.assertAllIn(
            [
                "Faktura końcowa nr %s" % final.name,
                "Rozliczone faktury zaliczkowe",
                "%s %s 2026-11-10 294,80 38,53 333,33"
                % (advance.name, advance.invoice_date),
                "Rozliczenie zamówienia",
                "Wartość zamówienia 300,00 69,00 369,00",
                "Otrzymane zaliczki 129,87 29,87 159,74",
                "Pozostało do zapłaty 170,13 39,13 209,26",
                "Razem Wartość zamówienia 681,00 89,00 770,00",
                "Do zapłaty: 436,67 PLN",
            ],
            self.pdf_text(final),
        )

    def test_manual_advance_without_its_order_refused(self):
        advance = self.typed_advance()
        message = self.refused(advance)
        for part in (
            "is an advance invoice without its order",
            "art. 106f ust. 1 pkt 4",
            "Zamowienie",
            "on the Order tab",
            "click Compute Advance",
            "create the advance invoice from the sale order",
            "Faktura VAT",
        ):
            self.assertIn(part, message)
        self.refused_jsonrpc(advance)

    def test_manual_advance_edited_after_compute_refused(self):
        advance = self.manual_advance()
        line = advance.invoice_line_ids.filtered(lambda aml: aml.tax_ids == self.tax_23)
        advance.invoice_line_ids = [Command.update(line.id, {"price_unit": 130.0})]
        message = self.refused(advance)
        self.assertIn("are not the advance received, 333.33", message)
        self.assertIn("art. 106f ust. 1 pkt 3", message)
        self.assertIn("click Compute Advance", message)
        self.refused_jsonrpc(advance)
        # The button makes it right again.
        advance.action_pl_compute_advance()
        advance.action_post()
        self.assertEqual(advance.state, "posted")

    def test_manual_advance_above_the_order_refused(self):
        with self.assertRaisesRegex(UserError, "exceeds the value of its order"):
            self.manual_advance(amount=770.01)
        # The order reduced after the split, below the advance: refused.
        advance = self.manual_advance()
        advance.pl_order_line_ids = [
            Command.unlink(line.id)
            for line in advance.pl_order_line_ids
            if line.product_id != self.goods_zw
        ]
        self.assertIn("exceeds the value of its order", self.refused(advance))
        with self.assertRaisesRegex(UserError, "amount above zero"):
            self.manual_advance(amount=0.0)

    # ------------------------------------------------------------------
    # Final invoice settling its advances (art. 106f ust. 3)
    # ------------------------------------------------------------------
    def test_manual_final_deducts_its_advances(self):
        first = self.manual_advance()
        first.action_post()
        second = self.manual_advance(amount=308.0)
        second.action_post()
        final = self.manual_final(first | second)
        deductions = final.invoice_line_ids.filtered("is_downpayment")
        self.assertEqual(
            sorted(
                (line.tax_ids.name, line.price_subtotal, line.price_total)
                for line in deductions
            ),
            sorted(
                [
                    (self.tax_23.name, -129.87, -159.74),
                    (self.tax_8.name, -108.22, -116.88),
                    (self.tax_zw.name, -56.71, -56.71),
                    (self.tax_23.name, -120.0, -147.6),
                    (self.tax_8.name, -100.0, -108.0),
                    (self.tax_zw.name, -52.4, -52.4),
                ]
            ),
        )
        self.assertIn(first.name, deductions[0].name)
        final.with_user(self.billing).action_post()
        self.assertTrue(final.name.startswith("FK/"))
        self.assertAlmostEqual(final.amount_total, 128.67)
        # Issued: the advances it settles stay as they are.
        with self.assertRaisesRegex(UserError, "is issued"):
            final.pl_advance_invoice_ids = first
        with self.assertRaisesRegex(UserError, "is issued"):
            first.pl_order_reference = "Inna umowa"
        # The printout lists both advances and settles the order per rate.
        self.assertEqual(
            [row["name"] for row in final._pl_report_advances()],
            [first.name, second.name],
        )
        total = final._pl_report_settlement()[-1]
        self.assertEqual(
            (total["order"]["gross"], total["advanced"]["gross"]),
            (770.0, 641.33),
        )
        self.assertAlmostEqual(total["remainder"]["gross"], 128.67)

    def test_corrected_manual_advance_and_its_final(self):
        """Part of the payment returned: the final invoice deducts what
        remains of the advance, rate by rate."""
        advance = self.manual_advance()
        advance.action_post()
        correction = self.correct(
            advance, {self.tax_23: 100.0, self.tax_8: 100.0, self.tax_zw: 50.0}
        )
        self.assertFalse(correction.pl_order_line_ids)
        # 129,87 - 100,00 at 23 %, 108,22 - 100,00 at 8 %, 56,71 - 50,00 zw.
        final = self.manual_final(advance)
        self.assertEqual(
            sorted(
                final.invoice_line_ids.filtered("is_downpayment").mapped(
                    "price_subtotal"
                )
            ),
            [-29.87, -8.22, -6.71],
        )
        final.action_post()

    def test_manual_final_without_advances_refused(self):
        final = self.typed_final()
        message = self.refused(final)
        for part in (
            "is a final invoice that settles no advance invoice",
            "art. 106f ust. 3",
            "FakturaZaliczkowa",
            "on the Advances tab",
            "click Deduct Advances",
            "create the final invoice from the sale order",
        ):
            self.assertIn(part, message)
        self.refused_jsonrpc(final)

    def test_manual_final_refusals(self):
        advance = self.manual_advance()
        advance.action_post()
        # Chosen, not deducted (or deductions edited): refused.
        final = self.manual_final(advance, deduct=False)
        self.assertIn("click Deduct", self.refused(final))
        final.action_pl_deduct_advances()
        line = final.invoice_line_ids.filtered(
            lambda aml: aml.is_downpayment and aml.tax_ids == self.tax_8
        )
        final.invoice_line_ids = [Command.update(line.id, {"price_unit": 100.0})]
        self.assertIn("not those of its advance invoices", self.refused(final))
        self.refused_jsonrpc(final)
        final.action_pl_deduct_advances()
        # Fewer goods on a rate than its advances: refused.
        goods_8 = final.invoice_line_ids.filtered(
            lambda aml: not aml.is_downpayment and aml.tax_ids == self.tax_8
        )
        final.invoice_line_ids = [Command.update(goods_8.id, {"price_unit": 100.0})]
        self.assertIn("exceed the goods", self.refused(final))
        final.invoice_line_ids = [Command.update(goods_8.id, {"price_unit": 250.0})]
        final.action_post()
        # An advance settled once is not settled again.
        again = self.manual_final(advance, deduct=False)
        with self.assertRaisesRegex(UserError, "already settled by the final"):
            again.action_pl_deduct_advances()
        # Nor one of another customer (nor one of a sale order:
        # crm_invoicing_pl_sale's tests/test_advance_manual_order.py).
        other = self.manual_advance(partner_id=self.consumer.id)
        other.action_post()
        final = self.manual_final()
        final.pl_advance_invoice_ids = other
        with self.assertRaisesRegex(UserError, "cannot settle"):
            final.action_pl_deduct_advances()

    def test_messages_in_polish(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        with self.assertRaisesRegex(
            UserError, r"(?s)bez danych zamówienia.*art\. 106f ust\. 1 pkt 4"
        ):
            self.typed_advance().with_user(self.billing).with_context(
                lang="pl_PL"
            ).action_post()
        with self.assertRaisesRegex(
            UserError,
            r"(?s)nie rozlicza żadnej faktury zaliczkowej.*art\. 106f ust\. 3",
        ):
            self.typed_final().with_user(self.billing).with_context(
                lang="pl_PL"
            ).action_post()

    # ------------------------------------------------------------------
    # Positive control: the same documents made from the order
    # ------------------------------------------------------------------
