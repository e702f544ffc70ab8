import base64

from odoo import tools
from odoo.addons.crm_invoicing_pl.tests.common import PlInvoicingCommon


class KsefMixin:
    def _enable_ksef(self):
        """A company registered for KSeF (l10n_pl_edi's test certificate)."""

        def read(filename):
            path = f"l10n_pl_edi/tests/certificate/{filename}"
            with tools.file_open(path, mode="rb") as fd:
                return base64.b64encode(fd.read())

        key = self.env["certificate.key"].create(
            {
                "company_id": self.company.id,
                "name": "l10n_pl_edi_test.key",
                "content": read("l10n_pl_edi_test.key"),
                "password": "Qwertyuiop@12345",
            }
        )
        certificate = self.env["certificate.certificate"].create(
            {
                "company_id": self.company.id,
                "name": "l10n_pl_edi_test.pem",
                "content": read("l10n_pl_edi_test.pem"),
                "private_key_id": key.id,
            }
        )
        self.company.sudo().l10n_pl_edi_certificate = certificate
        self.assertTrue(self.company.l10n_pl_edi_register)


class KsefCommon(KsefMixin, PlInvoicingCommon):
    """The suite's common test data, the company able to use KSeF."""
