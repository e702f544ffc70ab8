"""The suite's documents are switched on per company.

On install every company on the Polish chart has them; a company set up later
invoices as plain Odoo does until its administrator switches them on in
Settings (Polish Sales Documents). Without them no document type, number
series, art. 106e refusal or FA(3) element of the suite (crm_invoicing_pl_ksef)
applies, which is what Odoo's own tests of ``l10n_pl`` and ``l10n_pl_edi``
expect.
"""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import PlInvoicingCommon


class DocumentsSwitchCommon(PlInvoicingCommon):
    def _plain_invoice(self, partner):
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": "2026-11-15",
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.goods.id, "quantity": 1, "price_unit": 100}
                    )
                ],
            }
        )


@tagged("post_install", "-at_install")
class TestDocumentsSwitch(DocumentsSwitchCommon):
    def test_new_company_on_polish_chart_starts_without(self):
        company = self.env["res.company"].create(
            {"name": "Nowa Spółka", "country_id": self.env.ref("base.pl").id}
        )
        self.env["account.chart.template"].try_loading(
            "pl", company=company, install_demo=False
        )
        self.assertFalse(company.pl_documents_enabled)
        self.assertFalse(
            self.env["pl.document.type"].search([("company_id", "=", company.id)])
        )
        settings = (
            self.env["res.config.settings"]
            .with_company(company)
            .create({"pl_documents_enabled": True})
        )
        settings.execute()
        self.assertTrue(company.pl_documents_enabled)
        self.assertEqual(
            set(
                self.env["pl.document.type"]
                .search([("company_id", "=", company.id)])
                .mapped("kind")
            ),
            {"vat", "proforma", "advance", "final", "correction"},
        )

    @freeze_time("2026-11-16 10:00:00")
    def test_switched_off_invoices_as_odoo(self):
        """Off: Odoo's numbering, no art. 106e refusal (Odoo's own FA(3):
        crm_invoicing_pl_ksef)."""
        no_address = self.env["res.partner"].create(
            {"name": "Klient bez adresu", "is_company": True}
        )
        self.company.pl_documents_enabled = False
        self.assertFalse(self.company.pl_documents_enabled)
        self.assertTrue(all(not t.active for t in self.doc_types))
        invoice = self._plain_invoice(no_address)
        self.assertFalse(invoice.pl_document_type_id)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertRegex(invoice.name, r"^INV/2026/\d{5}$")

        # On again: the same document types, the suite's rules again.
        self.company.pl_documents_enabled = True
        self.assertTrue(all(t.active for t in self.doc_types))
        document = self._plain_invoice(no_address)
        self.assertEqual(document.pl_document_type_id, self.doc_type("vat"))
        with self.assertRaises(UserError) as caught:
            document.action_post()
        self.assertIn("106e", caught.exception.args[0])
        self.assertEqual(document.state, "draft")
        # What was issued off stays a plain Odoo invoice.
        self.assertFalse(invoice.pl_document_type_id)

    def test_only_settings_administrator_switches(self):
        """A billing user cannot switch the documents off (res.company rights)."""
        billing = self.env["res.users"].create(
            {
                "name": "Księgowa",
                "login": "ksiegowa_switch",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "group_ids": [
                    Command.set([self.env.ref("account.group_account_invoice").id])
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.company.with_user(billing).pl_documents_enabled = False
        self.assertTrue(self.company.pl_documents_enabled)
        self.assertTrue(all(t.active for t in self.doc_types))
