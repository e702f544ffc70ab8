"""Real PDF printouts read back with pdftotext, for HttpCase tests.

wkhtmltopdf fetches the report assets from the running test server, hence an
HttpCase; ``force_report_rendering`` makes Odoo produce a PDF in test mode.
The printouts use DejaVu Sans so that the PDF has a real text layer, not
outlines of glyphs: a PDF with fewer than ``min_words`` words fails.
Set ``PL_REPORT_KEEP_PDF`` to a folder to keep the rendered PDFs.
"""

import os
import re
import shutil
import subprocess
import tempfile

INVOICE_REPORT = "account.account_invoices"


class PdfReportMixin:
    """Mix in before the HttpCase: render reports and read their text."""

    min_words = 40

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("report.url", cls.base_url())

    def setUp(self):
        super().setUp()
        if not shutil.which("pdftotext") or not shutil.which("wkhtmltopdf"):
            self.skipTest("pdftotext and wkhtmltopdf are needed")

    def render_pdf(self, records, report=INVOICE_REPORT):
        """The PDF of ``report`` for ``records``, as bytes."""
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf gave no PDF")
        return pdf

    def pdf_to_text(self, pdf, name="document"):
        """The text layer of ``pdf``, whitespace collapsed."""
        self.assertTrue(pdf.startswith(b"%PDF"), "not a PDF")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "document.pdf")
            with open(path, "wb") as handle:
                handle.write(pdf)
            if os.environ.get("PL_REPORT_KEEP_PDF"):
                shutil.copy(
                    path,
                    os.path.join(
                        os.environ["PL_REPORT_KEEP_PDF"],
                        "%s-%s.pdf" % (self._testMethodName, re.sub(r"\W+", "_", name)),
                    ),
                )
            layout = subprocess.run(
                ["pdftotext", "-layout", "-enc", "UTF-8", path, "-"],
                capture_output=True,
                check=True,
                timeout=60,
            ).stdout.decode()
        self.assertGreater(
            len(layout.split()),
            self.min_words,
            "the PDF has no text layer:\n%s" % layout,
        )
        return " ".join(layout.split())

    def pdf_text(self, records, report=INVOICE_REPORT):
        """The text of the printout of ``records``, whitespace collapsed."""
        return self.pdf_to_text(
            self.render_pdf(records, report),
            records[:1].name or str(records[:1].id),
        )

    def assertAllIn(self, needles, text):
        missing = [needle for needle in needles if needle not in text]
        self.assertFalse(missing, "missing %s in the printout:\n%s" % (missing, text))
