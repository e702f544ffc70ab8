"""The KSeF block on the printout of an advance invoice of an order."""

from odoo.addons.crm_invoicing_pl_ksef.tests.test_ksef_qr import KsefQrCommon
from odoo.addons.crm_invoicing_pl_sale.tests.test_advance_invoice import AdvanceCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestKsefQrAdvance(KsefQrCommon, AdvanceCommon):
    def test_advance_invoice_printout_has_the_block(self):
        advance = self.advance(self.make_order(), 333.33)
        self.assertEqual(advance.pl_document_kind, "advance")
        html = self._html(advance)
        # The advance blocks and the KSeF block are on the same printout.
        self.assertIn("pl-advance-payment", html)
        self.assertIn("pl-ksef", html)
        self.assertIn("OFFLINE", html)
