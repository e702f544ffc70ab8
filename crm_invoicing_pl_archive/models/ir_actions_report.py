"""Several documents in one wkhtmltopdf call on an unpatched Qt (PDF archive).

With a ``pl_pdf_single_call`` context (set by the PDF archive), the bodies of
a report of several documents are joined into one (``tools/pdf_batch.py``)
when the installed wkhtmltopdf has an unpatched Qt, which refuses several
bodies in one call. Odoo's report engine then splits the PDF back per
document, page by page or by the documents' top headings (the PDF outline),
and refuses to when neither fits; the archive then renders that batch's
documents one at a time. A patched Qt keeps Odoo's own way (one body per
document, with its headers and footers).
"""

from odoo import models
from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..tools.pdf_batch import join_bodies


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(self, bodies, *args, **kwargs):
        # EXTENDS base
        if (
            len(bodies) > 1
            and self.env.context.get("pl_pdf_single_call")
            and not _wkhtml().is_patched_qt
        ):
            bodies = [join_bodies(bodies)]
        return super()._run_wkhtmltopdf(bodies, *args, **kwargs)
