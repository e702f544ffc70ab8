"""KSeF verification code (KOD I) on the printouts; consumer invoices and KSeF.

The KSeF client of l10n_pl_edi (``KsefApiService``) is replaced by the
recorder of test_ksef_fa3: nothing leaves the machine. No QR decoder is
installed: the tests read the modules off the QR image (from the HTML, and
extracted from the real PDF with pdfimages) and compare them with the symbol
of the link ``tools/ksef_qr.py`` makes of the FA(3) file that was sent; the
label under the code is read from the PDF with pdftotext.
"""

import base64
import glob
import io
import os
import re
import subprocess
import tempfile
from unittest.mock import patch

from odoo.addons.crm_invoicing_pl.tests.pdf_report import INVOICE_REPORT, PdfReportMixin
from odoo.addons.crm_invoicing_pl_ksef.tools import ksef_qr
from odoo.addons.l10n_pl_edi.tools.ksef_api_service import KsefApiService
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from PIL import Image
from reportlab.graphics.barcode import qrencoder

from . import test_ksef_fa3
from .common import KsefCommon

KSEF_NUMBER = "5260250274-20261127-0100001AF629-AF"
KsefFa3 = test_ksef_fa3.TestKsefFa3


class KsefQrCommon(KsefCommon):
    """A company registered for KSeF (test environment), no network."""

    _enable_ksef = KsefFa3._enable_ksef
    _ksef_client = KsefFa3._ksef_client

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("l10n_pl_edi_ksef.mode", "test")

    def setUp(self):
        super().setUp()
        self._enable_ksef()

    def _send(self, invoice, pdf=False):
        """Send ``invoice`` to KSeF; the FA(3) file that left, as bytes.

        With ``pdf``, the sending makes a real PDF (wkhtmltopdf), else the
        HTML that stands for it in tests.
        """
        env = invoice.env(context=dict(invoice.env.context, force_report_rendering=pdf))
        with self._ksef_client(allow=True) as sent:
            env["account.move.send.wizard"].with_company(self.company).create(
                {
                    "move_id": invoice.id,
                    "extra_edi_checkboxes": {"pl_ksef": {"checked": True}},
                }
            ).action_send_and_print()
        self.assertEqual(len(sent), 1)
        self.assertEqual(invoice.l10n_pl_edi_status, "sent")
        return sent[0]

    def _ksef_assigns_number(self, invoice):
        """KSeF accepts the invoice and gives it its number (status check)."""
        response = {"status": {"code": 200, "description": "OK"}}
        response["ksefNumber"] = KSEF_NUMBER
        upo = b"<Potwierdzenie><NumerKSeF>%s</NumerKSeF></Potwierdzenie>"
        with (
            patch.object(KsefApiService, "get_invoice_status", return_value=response),
            patch.object(
                KsefApiService,
                "get_invoice_upo",
                return_value=upo % KSEF_NUMBER.encode(),
            ),
        ):
            invoice.action_l10n_pl_edi_update_invoice_status()
        # An accepted invoice gets its UPO at once.
        self.assertTrue(invoice.l10n_pl_edi_upo_id)
        self.assertEqual(invoice.l10n_pl_edi_status, "accepted")
        self.assertEqual(invoice.l10n_pl_edi_number, KSEF_NUMBER)

    def _html(self, invoice):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            INVOICE_REPORT, invoice.ids
        )
        return html.decode()

    def assertQrOf(self, image, link):
        """``image`` (PNG bytes) is the QR code of exactly ``link``.

        No QR decoder is installed: read the modules off the image (dark or
        light at the centre of each module, quiet zone of 4 modules, as
        ir.actions.report.barcode draws them) and compare them with the
        symbol of ``link``; another link gives another symbol.
        """
        expected = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        expected.addData(link)
        expected.make()
        count = expected.getModuleCount()
        picture = Image.open(io.BytesIO(image)).convert("L")
        width, height = picture.size
        self.assertAlmostEqual(width, height, delta=2, msg="a QR code is square")
        module = width / (count + 8)
        read = [
            [
                picture.getpixel((int((col + 4.5) * module), int((row + 4.5) * module)))
                < 128
                for col in range(count)
            ]
            for row in range(count)
        ]
        self.assertEqual(
            read,
            [[bool(dark) for dark in row] for row in expected.modules],
            "the QR code does not encode %s" % link,
        )

    def _html_qr_image(self, html):
        """The PNG of the KSeF QR code in ``html`` (a data URI)."""
        match = re.search(
            r'class="pl-ksef-qr"[^>]*src="data:image/png;base64,([^"]+)"', html
        )
        self.assertTrue(match, "no KSeF QR code image in the document")
        return base64.b64decode(match.group(1))


@tagged("post_install", "-at_install")
class TestKsefQrPrintout(PdfReportMixin, KsefQrCommon, HttpCase):
    def _pdf_images(self, pdf):
        """The images of ``pdf`` as PNG bytes (pdfimages -png)."""
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "document.pdf")
            with open(path, "wb") as handle:
                handle.write(pdf)
            subprocess.run(
                ["pdfimages", "-png", path, os.path.join(tmp, "image")],
                capture_output=True,
                check=True,
                timeout=60,
            )
            images = []
            for name in sorted(glob.glob(os.path.join(tmp, "image-*.png"))):
                with open(name, "rb") as handle:
                    images.append(handle.read())
        return images

    def test_code_of_the_sent_file_offline_then_number(self):
        invoice = self.pl_invoice()
        invoice.action_post()

        # Issued, not sent yet: no file, no code; OFFLINE.
        pdf = self.render_pdf(invoice)
        text = self.pdf_to_text(pdf, "not sent")
        self.assertAllIn(["Krajowy System e-Faktur (KSeF)", "OFFLINE"], text)
        self.assertNotIn("Numer KSeF:", text)
        self.assertEqual(self._pdf_images(pdf), [])

        xml = self._send(invoice)
        # The file hashed is the file sent, kept by l10n_pl_edi.
        self.assertEqual(invoice.l10n_pl_edi_attachment_id.raw, xml)
        link = invoice._pl_ksef_qr_link()
        self.assertEqual(
            link,
            "https://qr-test.ksef.mf.gov.pl/invoice/5260250274/15-11-2026/"
            + ksef_qr.invoice_hash(xml),
        )
        self.assertEqual(link, ksef_qr.invoice_link(xml, "test"))
        # The document made while sending (HTML in test mode) already carries
        # the code of the file sent, and OFFLINE: KSeF gave no number yet.
        printed = invoice.invoice_pdf_report_id.raw.decode()
        self.assertIn('data-ksef-link="%s"' % link, printed)
        self.assertQrOf(self._html_qr_image(printed), link)
        self.assertIn("OFFLINE", printed)

        # KSeF assigns the number: it replaces OFFLINE under the code.
        self._ksef_assigns_number(invoice)
        pdf = self.render_pdf(invoice)
        text = self.pdf_to_text(pdf, "accepted")
        self.assertAllIn(["Numer KSeF", KSEF_NUMBER], text)
        # The link is printed too (wrapped: compare without spaces).
        self.assertIn(link, text.replace(" ", ""))
        self.assertNotIn("OFFLINE", text)
        # The PDF holds one image: the QR code of the link.
        images = self._pdf_images(pdf)
        self.assertEqual(len(images), 1)
        self.assertQrOf(images[0], link)
        # A code of another file would not pass.
        with self.assertRaises(AssertionError):
            self.assertQrOf(images[0], ksef_qr.invoice_link(xml + b" ", "test"))

    def test_production_link(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "l10n_pl_edi_ksef.mode", "prod"
        )
        invoice = self.pl_invoice()
        invoice.action_post()
        xml = self._send(invoice, pdf=True)
        link = invoice._pl_ksef_qr_values()["link"]
        self.assertEqual(
            link,
            "https://qr.ksef.mf.gov.pl/invoice/5260250274/15-11-2026/"
            + ksef_qr.invoice_hash(xml),
        )
        # The PDF made while sending (wkhtmltopdf) carries the code, OFFLINE.
        pdf = invoice.invoice_pdf_report_id.raw
        self.assertIn("OFFLINE", self.pdf_to_text(pdf, "sent"))
        images = self._pdf_images(pdf)
        self.assertEqual(len(images), 1)
        self.assertQrOf(images[0], link)

    def test_no_block_on_proforma_draft_or_without_ksef(self):
        proforma = self.pl_invoice(kind="proforma")
        proforma.action_pl_issue_proforma()
        self.assertFalse(proforma._pl_ksef_applicable())
        self.assertFalse(proforma._pl_ksef_qr_values())
        text = self.pdf_text(proforma)
        self.assertNotIn("OFFLINE", text)
        self.assertNotIn("KSeF", text)

        draft = self.pl_invoice()
        self.assertFalse(draft._pl_ksef_qr_values())
        self.assertNotIn("pl-ksef", self._html(draft))

        # A company that does not use KSeF prints no KSeF block.
        self.company.sudo().l10n_pl_edi_certificate = False
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertFalse(invoice._pl_ksef_qr_values())
        self.assertNotIn("pl-ksef", self._html(invoice))

    def test_rejected_invoice_has_no_code(self):
        invoice = self.pl_invoice()
        invoice.action_post()
        self._send(invoice)
        invoice.l10n_pl_edi_status = "rejected"
        values = invoice._pl_ksef_qr_values()
        self.assertFalse(values["link"])
        self.assertFalse(values["image"])
        self.assertEqual(values["label"], "OFFLINE")

    def test_unusable_sent_file_is_a_clear_error(self):
        invoice = self.pl_invoice()
        invoice.action_post()
        self._send(invoice)
        invoice.l10n_pl_edi_attachment_id.raw = b"<Faktura>"
        with self.assertRaisesRegex(UserError, "sent to KSeF is unusable"):
            invoice._pl_ksef_qr_values()

    def test_consumer_invoice_follows_the_setting(self):
        invoice = self.pl_invoice(partner=self.consumer)
        invoice.action_post()
        self.company.pl_ksef_b2c = False
        self.assertFalse(invoice._pl_ksef_qr_values())
        self.assertNotIn("pl-ksef", self._html(invoice))
        self.company.pl_ksef_b2c = True
        self.assertEqual(invoice._pl_ksef_qr_values()["label"], "OFFLINE")
        self.assertIn("OFFLINE", self._html(invoice))


@tagged("post_install", "-at_install")
class TestKsefB2c(KsefQrCommon):
    def _offered(self, invoice):
        """Whether the sending wizard offers KSeF for ``invoice``."""
        wizard = (
            self.env["account.move.send.wizard"]
            .with_company(self.company)
            .create({"move_id": invoice.id})
        )
        return "pl_ksef" in (wizard.extra_edi_checkboxes or {})

    def test_default_is_outside_ksef(self):
        self.assertFalse(self.env["res.company"].create({"name": "Nowa"}).pl_ksef_b2c)

    def test_consumer_invoice_follows_the_setting(self):
        invoice = self.pl_invoice(partner=self.consumer)
        invoice.action_post()
        self.assertTrue(invoice._pl_ksef_is_consumer())

        self.company.pl_ksef_b2c = False
        self.assertFalse(invoice._pl_ksef_applicable())
        self.assertFalse(self._offered(invoice))
        self.assertIn("invoice to a consumer", invoice._pl_ksef_not_applicable_reason())

        self.company.pl_ksef_b2c = True
        self.assertTrue(invoice._pl_ksef_applicable())
        self.assertTrue(self._offered(invoice))

    def test_business_invoices_unaffected(self):
        sole_trader = self.consumer.copy(
            {"name": "Jan Kowalski Usługi", "vat": "PL7251801126"}
        )
        for partner in (self.customer, sole_trader):
            invoice = self.pl_invoice(partner=partner)
            invoice.action_post()
            self.assertFalse(invoice._pl_ksef_is_consumer())
            for b2c in (False, True):
                self.company.pl_ksef_b2c = b2c
                self.assertTrue(invoice._pl_ksef_applicable())
                self.assertTrue(self._offered(invoice))

    def test_consumer_invoice_already_sent_stays_in_ksef(self):
        self.company.pl_ksef_b2c = True
        invoice = self.pl_invoice(partner=self.consumer)
        invoice.action_post()
        self._send(invoice)
        self.company.pl_ksef_b2c = False
        self.assertTrue(invoice._pl_ksef_applicable())
        # Its status can still be asked, its number still printed.
        self._ksef_assigns_number(invoice)
        self.assertEqual(invoice._pl_ksef_qr_values()["label"], KSEF_NUMBER)

    def test_proforma_never_offered(self):
        self.company.pl_ksef_b2c = True
        proforma = self.pl_invoice(partner=self.consumer, kind="proforma")
        proforma.action_pl_issue_proforma()
        self.assertFalse(proforma._pl_ksef_applicable())

    def test_setting_in_the_settings(self):
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertFalse(settings.pl_ksef_b2c)
        settings.pl_ksef_b2c = True
        settings.execute()
        self.assertTrue(self.company.pl_ksef_b2c)
