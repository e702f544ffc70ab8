"""The e-mail on issue is prepared after every other step of posting.

This add-on depends on crm_invoicing_pl, so its ``_post`` wraps
crm_invoicing_pl's: when the e-mail (with the PDF) is composed, the document
is issued as it will stay — the buyer's data and the advance's order block
(art. 106f ust. 1 pkt 4) frozen.
"""

from odoo import Command
from odoo.addons.crm_invoicing_pl.tests.advance_common import AdvanceGoodsCommon
from odoo.tests import freeze_time, tagged

from ..models.account_move import AccountMove as NotifyAccountMove


@tagged("post_install", "-at_install")
class TestIssueNotificationLast(AdvanceGoodsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "faktury@przyklad.example.com"
        cls.customer.email = "zakupy@zolw.example.com"

    def test_post_of_this_addon_wraps_every_crm_invoicing_pl_post(self):
        """Odoo calls the ``_post`` overrides in the order of the classes'
        MRO: this add-on's comes before (around) crm_invoicing_pl's, one
        ``_post`` that runs all its steps (models/account_move.py)."""
        mro = type(self.env["account.move"]).__mro__
        ours = mro.index(NotifyAccountMove)
        base_posts = [
            index
            for index, cls in enumerate(mro)
            if getattr(cls, "_module", None) == "crm_invoicing_pl"
            and "_post" in vars(cls)
        ]
        self.assertEqual(len(base_posts), 1, "crm_invoicing_pl's _post")
        self.assertLess(ours, base_posts[0])

    @freeze_time("2026-11-20")
    def test_advance_mail_composed_with_frozen_order_block_and_buyer(self):
        # A company's own template quoting the document as issued: the buyer
        # as invoiced and the order block frozen at issue.
        template = self.env.ref("crm_invoicing_pl_notify.mail_template_pl_invoice")
        template = template.copy(
            {
                "subject": "{{ object.name }} | {{ object.pl_buyer_name }} | "
                "{{ object.pl_order_snapshot and "
                "object.pl_order_snapshot['order_name'] or 'order not frozen' }}"
            }
        )
        self.doc_type("advance").write(
            {"pl_notify_email": True, "pl_mail_template_id": template.id}
        )
        order = "Umowa 7/2026 z 2026-11-02"
        advance = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-11-10",
                "pl_document_type_id": self.doc_type("advance").id,
                "pl_order_reference": order,
                "pl_advance_amount": 333.33,
                "pl_order_line_ids": [
                    Command.create({"product_id": product.id, "quantity": qty})
                    for product, qty in (
                        (self.goods, 3),
                        (self.goods_8, 1),
                        (self.goods_zw, 1),
                    )
                ],
            }
        )
        advance.action_pl_compute_advance()
        advance.action_post()
        self.assertEqual(advance.state, "posted")
        self.assertEqual(advance.pl_order_snapshot["order_name"], order)
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", advance.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(
            mail.subject, f"{advance.name} | {self.customer.name} | {order}"
        )
        self.assertEqual(len(mail.attachment_ids), 1, "the PDF")
        self.assertTrue(advance.pl_issue_notified)
        self.assertFalse(advance.pl_notify_warning)
