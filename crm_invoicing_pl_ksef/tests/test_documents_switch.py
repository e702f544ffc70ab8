"""A company without the suite's documents sends Odoo's own FA(3), which is
what Odoo's own tests of ``l10n_pl_edi`` expect."""

from odoo import fields
from odoo.addons.crm_invoicing_pl.tests.test_documents_switch import (
    DocumentsSwitchCommon,
)
from odoo.tests import freeze_time, tagged


@tagged("post_install", "-at_install")
class TestDocumentsSwitchKsef(DocumentsSwitchCommon):
    def test_switched_off_renders_odoo_fa3(self):
        no_address = self.env["res.partner"].create(
            {"name": "Klient bez adresu", "is_company": True}
        )
        self.company.pl_documents_enabled = False
        invoice = self._plain_invoice(no_address)
        invoice.action_post()
        self.assertFalse(invoice.pl_document_type_id)
        # Both renderings stamp the time (DataWytworzeniaFa): the same second.
        with freeze_time(fields.Datetime.now()):
            xml = invoice._l10n_pl_edi_render_xml()
            core = "\n".join(
                line
                for line in self.env["ir.qweb"]
                ._render(
                    "l10n_pl_edi.fa3_xml_template",
                    invoice._l10n_pl_edi_get_xml_values(),
                )
                .splitlines()
                if line.strip()
            )
        self.assertEqual(xml, core)
