"""One communication that cannot be made never stops the others.

A PDF that cannot be rendered (wkhtmltopdf failing on one document) fails
that customer's e-mail with the reason on the communication; the other
customers' reminders go out in the same run, and the failed customer's
instalments are free for the next run, which sends them once the PDF works.
"""

from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import mute_logger

from .dunning_run_common import RUN_DAY, DunningRunCommon


@tagged("post_install", "-at_install")
class TestDunningFaultIsolation(DunningRunCommon):
    def setUp(self):
        super().setUp()
        # wkhtmltopdf fails on these invoices (Odoo's renderer, not ours).
        self.broken = set()
        Report = type(self.env["ir.actions.report"])
        render = Report._render_qweb_pdf

        def failing(report, report_ref, res_ids=None, data=None):
            if self.broken & set(res_ids or ()):
                raise OSError("wkhtmltopdf: Exit with code 1 due to network error")
            return render(report, report_ref, res_ids=res_ids, data=data)

        self.patch(Report, "_render_qweb_pdf", failing)

    @mute_logger("odoo.addons.crm_dunning.models.crm_dunning_communication")
    def test_a_failing_pdf_fails_one_communication_and_the_batch_goes_on(self):
        self.urge.write({"attach_invoice": True, "channel_sms": False})
        bad = self.due_in(-8)
        self.assertFalse(bad.invoice_pdf_report_id, "rendered when reminded")
        good = self.due_in(-8, partner=self.customer2)
        self.broken.add(bad.id)
        run = self.dunning_run(send=True)
        failed, sent = self.comm_of(run, bad), self.comm_of(run, good)
        self.assertIn("its PDF could not be made", failed.error_message or "")
        self.assertEqual(failed.state, "failed")
        self.assertIn("wkhtmltopdf", failed.error_message)
        self.assertFalse(failed.mail_mail_id)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", failed._name), ("res_id", "=", failed.id)]
            ),
            "no e-mail without its PDF left in the queue",
        )
        self.assertEqual(set(failed.line_ids.mapped("state")), {"cancelled"})
        self.assertEqual(sent.state, "sent")
        self.assertEqual(len(sent.mail_mail_id.attachment_ids), 1)

        # The next day the PDF works: the failed customer is reminded, the
        # other one is not reminded twice.
        self.broken.clear()
        again = self.dunning_run(day=RUN_DAY + timedelta(days=1), send=True)
        self.assertEqual(again.communication_ids.line_ids.move_id, bad)
        self.assertEqual(again.communication_ids.state, "sent")
