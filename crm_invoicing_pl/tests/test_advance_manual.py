"""Advance and final invoices typed in by hand are refused (art. 106f).

- Art. 106f ust. 1 pkt 4 of the VAT Act: an advance invoice (faktura
  zaliczkowa) shows the order: the ordered goods or services with their
  quantities, prices and rates, and the order's value (``Zamowienie`` in
  FA(3)).
- Art. 106f ust. 3: the final invoice (faktura końcowa) deducts the advances
  per VAT rate and names the advance invoices it settles
  (``FakturaZaliczkowa`` in FA(3)).

A new invoice whose document type is merely set to advance or final has
neither: its lines are not an order and a negative line is not a deduction.
The suite makes both from the sale order (the advance wizard, the Final
Invoice button), so posting a hand-made one is refused, through the ORM as a
billing user and through JSON-RPC, with a message that says how to make it,
and nothing changes: the document is still a draft without a number and with
the journal items it had. A new invoice is not offered those document types.

The demo database holds a posted advance made from an order (ZAL with its
``Zamowienie``) and the final invoice of that order (ROZ listing the advance
in ``FakturaZaliczkowa``), both XSD-valid.
"""

from lxml import etree
from odoo.addons.crm_invoicing_pl.tools.ksef_xsd import FA3_NAMESPACE
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .test_advance_correction import AdvanceCorrectionCommon

NS = {"fa": FA3_NAMESPACE}


class Fa3Mixin:
    def fa3(self, move):
        """The FA(3) of the posted ``move``, XSD-valid, parsed."""
        self.assertEqual(move.state, "posted")
        xml = move._l10n_pl_edi_render_xml()
        self.assertEqual(
            move._pl_ksef_schema_problems(xml),
            [],
            "FA(3) of %s must be XSD-valid:\n%s" % (move.name, xml),
        )
        return etree.fromstring(xml.encode())

    def texts(self, root, xpath):
        return [node.text for node in root.xpath(xpath, namespaces=NS)]

    def text(self, root, xpath):
        texts = self.texts(root, xpath)
        self.assertEqual(len(texts), 1, "exactly one %s expected" % xpath)
        return texts[0]

    def rows(self, root, row, elements):
        """The ``elements`` of each ``row`` element (None where missing)."""
        result = []
        for node in root.xpath("//fa:Fa/fa:" + row, namespaces=NS):
            values = []
            for element in elements:
                child = node.find("fa:" + element, NS)
                values.append(child.text if child is not None else None)
            result.append(tuple(values))
        return result


@freeze_time("2026-11-20 09:00:00")
@tagged("post_install", "-at_install")
class TestManualAdvanceAndFinal(Fa3Mixin, AdvanceCorrectionCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._pl_user(
            "pl_manual_advance_billing", "account.group_account_invoice"
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def manual_advance(self, **values):
        """An advance typed in by hand: the gross payment as one line."""
        return self.pl_invoice(kind="advance", lines=[(self.goods, 1, 500.0)], **values)

    def manual_final(self, **values):
        """A final invoice typed in by hand: the goods, the advance as a
        negative line (what the demo used to do)."""
        return self.pl_invoice(
            kind="final",
            lines=[(self.goods, 3, 100.0), (self.goods, 1, -100.0)],
            **values,
        )

    def snapshot(self, move):
        move.invalidate_recordset()
        return (
            move.state,
            move.name,
            move.invoice_date,
            move.taxable_supply_date,
            move.pl_order_snapshot,
            move.l10n_pl_edi_status,
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

    # ------------------------------------------------------------------
    # Advance (art. 106f ust. 1 pkt 4)
    # ------------------------------------------------------------------
    def test_manual_advance_refused_through_the_orm(self):
        advance = self.manual_advance()
        message = self.refused(advance)
        for part in (
            "is an advance invoice that was not made from a sale order",
            "art. 106f ust. 1 pkt 4",
            "Zamowienie",
            "Create the advance invoice from the sale order",
            "click Advance Invoice",
            "Faktura VAT",
        ):
            self.assertIn(part, message)

    def test_manual_advance_refused_through_jsonrpc(self):
        self.refused_jsonrpc(self.manual_advance())

    def test_advance_tied_to_an_order_by_hand_refused(self):
        """An order named on the invoice does not make its lines a down
        payment of that order: still no order to show."""
        order = self.make_order()
        advance = self.manual_advance(pl_sale_order_id=order.id)
        self.assertIn("art. 106f ust. 1 pkt 4", self.refused(advance))
        self.assertFalse(order.pl_advance_ids.filtered(lambda m: m.state == "posted"))

    # ------------------------------------------------------------------
    # Final invoice (art. 106f ust. 3)
    # ------------------------------------------------------------------
    def test_manual_final_refused_through_the_orm(self):
        final = self.manual_final()
        message = self.refused(final)
        for part in (
            "is a final invoice that was not made from a sale order",
            "art. 106f ust. 3",
            "FakturaZaliczkowa",
            "Create the final invoice from the sale order",
            "click Final Invoice",
        ):
            self.assertIn(part, message)

    def test_manual_final_refused_through_jsonrpc(self):
        self.refused_jsonrpc(self.manual_final())

    def test_final_tied_to_an_order_by_hand_refused(self):
        """The order has a posted advance, but the hand-made final invoice
        deducts it with a line of its own: no advance named, refused."""
        order = self.make_order()
        self.advance(order, 333.33)
        final = self.manual_final(pl_sale_order_id=order.id)
        self.assertIn("art. 106f ust. 3", self.refused(final))
        self.assertFalse(order.pl_final_ids.filtered(lambda m: m.state == "posted"))

    def test_messages_in_polish(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        billing = self.billing.with_context(lang="pl_PL")
        with self.assertRaisesRegex(
            UserError, r"(?s)nie została wystawiona z zamówienia.*art\. 106f ust\. 1"
        ):
            self.manual_advance().with_user(billing).with_context(
                lang="pl_PL"
            ).action_post()
        with self.assertRaisesRegex(
            UserError, r"(?s)nie została wystawiona z zamówienia.*art\. 106f ust\. 3"
        ):
            self.manual_final().with_user(billing).with_context(
                lang="pl_PL"
            ).action_post()

    # ------------------------------------------------------------------
    # The form does not offer the dead end
    # ------------------------------------------------------------------
    def offered_kinds(self, move):
        """The document kinds the form offers ``move`` (the field's domain)."""
        field = move._fields["pl_document_type_id"]
        domain = safe_eval(
            field.domain,
            {
                "company_id": move.company_id.id,
                "move_type": move.move_type,
                "pl_document_type_id": move.pl_document_type_id.id,
            },
        )
        return set(self.env["pl.document.type"].search(domain).mapped("kind"))

    def test_new_invoice_is_not_offered_advance_or_final(self):
        invoice = self.pl_invoice()
        self.assertEqual(self.offered_kinds(invoice), {"vat", "proforma"})
        refund = self.pl_invoice(kind="correction")
        self.assertEqual(self.offered_kinds(refund), {"correction"})
        # An advance made from the order keeps its own type.
        order = self.make_order()
        advance = self.advance(order, 333.33, post=False)
        self.assertEqual(self.offered_kinds(advance), {"vat", "proforma", "advance"})

    # ------------------------------------------------------------------
    # Positive control: the same documents made from the order
    # ------------------------------------------------------------------
    def test_advance_and_final_from_the_order_post_with_their_content(self):
        order = self.make_order(
            lines=[(self.goods, 3)], client_order_ref="Umowa 7/2026"
        )
        goods = order.order_line.name
        advance = self.advance(order, 123.0)
        self.assertTrue(advance._pl_made_from_order())
        root = self.fa3(advance)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ZAL")
        self.assertEqual(self.text(root, "//fa:WartoscZamowienia"), "369.00")
        self.assertEqual(
            self.rows(
                root,
                "Zamowienie/fa:ZamowienieWiersz",
                ("P_7Z", "P_8BZ", "P_9AZ", "P_11NettoZ", "P_11VatZ", "P_12Z"),
            ),
            [(goods, "3", "100.00", "300.00", "69.00", "23")],
        )
        self.assertFalse(root.xpath("//fa:FaWiersz", namespaces=NS))
        final = self.final(order)
        self.assertTrue(final._pl_made_from_order())
        root = self.fa3(final)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ROZ")
        self.assertEqual(
            self.rows(root, "FakturaZaliczkowa", ("NrKSeFZN", "NrFaZaliczkowej")),
            [("1", advance.name)],
        )
        # The deduction is no line: the goods in full, the totals reduced.
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_7", "P_8B", "P_9A", "P_11")),
            [(goods, "3", "100.00", "300.00")],
        )
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_15"), "246.00")

    def final(self, order):
        final = self.final_invoice(order)
        final.action_post()
        return final


@tagged("post_install", "-at_install")
class TestDemoAdvanceAndFinal(Fa3Mixin, TransactionCase):
    """The demo's advance and final invoices are made from an order."""

    def test_demo_has_an_advance_with_its_order_and_a_final_with_it(self):
        order = self.env.ref(
            "crm_invoicing_pl.demo_order_advance", raise_if_not_found=False
        )
        if not order:
            self.skipTest("crm_invoicing_pl is installed without demo data")
        order = order.with_company(order.company_id)
        advance = order.pl_advance_ids
        final = order.pl_final_ids
        self.assertEqual(len(advance), 1)
        self.assertEqual(len(final), 1)
        self.assertEqual(advance.state, "posted")
        self.assertEqual(final.state, "posted")
        self.assertTrue(advance.name.startswith("FZ/"))
        self.assertTrue(final.name.startswith("FK/"))
        self.assertTrue(advance._pl_made_from_order())
        self.assertTrue(final._pl_made_from_order())

        # 20 chairs: 13 000,00 + 2 990,00 = 15 990,00; 30 % received.
        root = self.fa3(advance)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ZAL")
        self.assertEqual(self.text(root, "//fa:WartoscZamowienia"), "15990.00")
        self.assertEqual(
            self.rows(
                root,
                "Zamowienie/fa:ZamowienieWiersz",
                ("P_7Z", "P_8BZ", "P_9AZ", "P_11NettoZ", "P_11VatZ", "P_12Z"),
            ),
            [
                (
                    order.order_line.filtered("product_id")[:1].name,
                    "20",
                    "650.00",
                    "13000.00",
                    "2990.00",
                    "23",
                )
            ],
        )
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_13_1"), "3900.00")
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_14_1"), "897.00")
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_15"), "4797.00")
        self.assertFalse(root.xpath("//fa:FaWiersz", namespaces=NS))

        root = self.fa3(final)
        self.assertEqual(self.text(root, "//fa:RodzajFaktury"), "ROZ")
        self.assertEqual(
            self.rows(
                root,
                "FakturaZaliczkowa",
                ("NrKSeFFaZaliczkowej", "NrKSeFZN", "NrFaZaliczkowej"),
            ),
            [
                (advance.l10n_pl_edi_number, None, None)
                if advance.l10n_pl_edi_number
                else (None, "1", advance.name)
            ],
        )
        self.assertEqual(
            self.rows(root, "FaWiersz", ("P_8B", "P_9A", "P_11", "P_12")),
            [("20", "650.00", "13000.00", "23")],
        )
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_13_1"), "9100.00")
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_14_1"), "2093.00")
        self.assertEqual(self.text(root, "//fa:Fa/fa:P_15"), "11193.00")
