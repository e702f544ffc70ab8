from odoo.tests import tagged

from . import test_proforma_invoice_tour


@tagged("post_install", "-at_install")
class TestProformaInvoiceMobileTour(test_proforma_invoice_tour.TestProformaInvoiceTour):
    """The pro forma -> Faktura VAT tour on a phone-sized, touch screen: the
    form's header shows its first button only, the others (Create VAT
    Invoice among them) fold into the "More" dropdown (see
    proforma_invoice_mobile_tour.js). Same data and checks as on a desktop.
    """

    allow_inherited_tests_method = True  # Odoo collects own methods only
    browser_size = "375x667"
    touch_enabled = True
    tour = "crm_invoicing_pl_proforma_invoice_mobile_tour"
