"""Posted Polish sales documents: their hash chain, retention and PDF archive.

Hash chain (Odoo's inalterability): Odoo chains the hashes of the posted
moves of one journal and one ``sequence_prefix`` ordered by
``sequence_number`` (account.move ``_hash_moves``); crm_invoicing_pl splits
our numbers (FV/15/11/2026: counter first) so that one series and period
(FV/…/11/2026) is one chain. The hash of a Polish document also covers what
its printout shows and Odoo's hash leaves out: the customer, the issue and
sale dates, the totals and the buyer's data frozen at posting.

Retention: how long a sales document is kept (see tools/retention.py).

PDF archive: the PDF of every posted Polish sales document, archived once.
Odoo keeps the PDF of a sent invoice as ``invoice_pdf_report_id`` and never
regenerates it. Rendering takes about a second a document (wkhtmltopdf), too
slow for posting in batches, so a cron archives the PDFs of the posted
documents that have none; posting triggers it. A batch is converted in one
wkhtmltopdf call, also on an unpatched Qt (``ir_actions_report.py``); a batch
that cannot be split back per document is archived one document at a time.
"""

import logging

from odoo import api, fields, models, modules
from odoo.addons.account.models.account_move import MAX_HASH_VERSION
from odoo.addons.crm_invoicing_pl.models.account_move import BUYER_FIELDS
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..tools.retention import retention_until

_logger = logging.getLogger(__name__)

# Fields added to Odoo's hash (version 4) of a Polish document.
PL_HASH_FIELDS = [
    "partner_id",
    "invoice_date",
    "taxable_supply_date",
    "currency_id",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "pl_document_type_id",
    *BUYER_FIELDS,
]
ARCHIVE_BATCH = 20
ARCHIVE_ATTEMPTS = 3


class AccountMove(models.Model):
    _inherit = "account.move"

    pl_retention_until = fields.Date(
        string="Keep Until",
        compute="_compute_pl_retention_until",
        store=True,
        index="btree_not_null",
        help="End of the retention period of the document: the limitation "
        "period of its VAT (art. 112 of the VAT act, art. 70 § 1 of the Tax "
        "Ordinance), 31 December of the 5th year after the year in which the "
        "VAT of its tax point was due.",
    )

    @api.depends("move_type", "taxable_supply_date", "invoice_date", "state")
    def _compute_pl_retention_until(self):
        for move in self:
            if move.state == "posted" and move.is_sale_document(include_receipts=True):
                move.pl_retention_until = retention_until(move._pl_tax_point())
            else:
                move.pl_retention_until = False

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        if posted.filtered("pl_document_type_id"):
            self.env.ref("crm_invoicing_pl_archive.ir_cron_pl_archive_pdf")._trigger()
        return posted

    def _get_integrity_hash_fields(self):
        fields_list = super()._get_integrity_hash_fields()
        hash_version = self.env.context.get("hash_version", MAX_HASH_VERSION)
        # Only documents whose buyer was frozen at posting (crm_invoicing_pl,
        # account_move.py) were hashed with the Polish fields.
        if hash_version >= 4 and len(self) == 1 and self.pl_buyer_name:
            return fields_list + PL_HASH_FIELDS
        return fields_list

    def _pl_pdf_to_archive(self):
        return self.filtered(
            lambda m: (
                m.state == "posted"
                and m.pl_document_type_id
                and m.is_sale_document()
                and not m.invoice_pdf_report_id
            )
        )

    def _pl_archive_pdf(self):
        """Render and attach the PDF of the posted documents without one.

        The attachment is the one Odoo shows, mails and never regenerates
        (``invoice_pdf_report_file``). Returns the documents archived.
        """
        moves = self._pl_pdf_to_archive()
        send = self.env["account.move.send"]
        for company, company_moves in moves.grouped("company_id").items():
            invoices_data = {
                move: {"pdf_report": send._get_default_pdf_report_id(move)}
                for move in company_moves
            }
            # One wkhtmltopdf call for the documents (see ir_actions_report.py).
            send.with_context(pl_pdf_single_call=True)._prepare_invoice_pdf_report(
                invoices_data
            )
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    [data["pdf_attachment_values"] for data in invoices_data.values()]
                )
            )
            for attachment in attachments:
                move = company_moves.browse(attachment.res_id)
                move.message_main_attachment_id = attachment
            company_moves.invalidate_recordset(
                ["invoice_pdf_report_id", "invoice_pdf_report_file"]
            )
            # Written by a background job: in the company's language.
            body = company_moves.with_context(lang=company.partner_id.lang).env._(
                "The PDF of the document was archived."
            )
            company_moves._message_log_batch(
                bodies=dict.fromkeys(company_moves.ids, body)
            )
        return moves

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_pl_archive_pdf(self, batch_size=ARCHIVE_BATCH):
        """Archive the PDFs of the posted documents, a committed batch at a time.

        Each batch starts a fresh transaction and locks its documents with
        SKIP LOCKED, so two workers never render the same document and a
        killed run resumes where it stopped. Returns how many were archived.
        """
        done = 0
        attempts = 0
        failed = []
        while True:
            self._pl_archive_commit(0)  # the batch's snapshot starts now
            try:
                # All companies' documents: rendered as the superuser.
                moves = self.sudo().browse(self._pl_lock_unarchived(batch_size, failed))
                if not moves:
                    return done
                archived = moves._pl_archive_batch()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                # Another worker archived a document of this batch meanwhile.
                self.env.cr.rollback()
                attempts += 1
                if attempts >= ARCHIVE_ATTEMPTS:
                    raise
                continue
            done += len(archived)
            failed += (moves - archived).ids  # logged; tried again next run
            if self._pl_archive_commit(len(archived)) <= 0:
                return done  # the cron's time is up: it is run again soon

    def _pl_archive_batch(self):
        """Archive all at once; when that fails, one by one (logged)."""
        try:
            with self.env.cr.savepoint():
                return self._pl_archive_pdf()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception:  # noqa: BLE001 - find the document that fails
            _logger.info("PDF archive of a batch failed, retrying one by one")
        archived = self.browse()
        for move in self:
            try:
                with self.env.cr.savepoint():
                    archived |= move._pl_archive_pdf()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception:
                _logger.exception("Could not archive the PDF of %s", move.name)
        return archived

    @api.model
    def _pl_lock_unarchived(self, limit, exclude=()):
        """Lock posted documents without archived PDF; skip locked ones."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT move.id FROM account_move move
                 WHERE move.state = 'posted'
                   AND move.pl_document_type_id IS NOT NULL
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND move.id <> ALL(%s)
                   AND NOT EXISTS (
                       SELECT 1 FROM ir_attachment att
                        WHERE att.res_model = 'account.move'
                          AND att.res_id = move.id
                          AND att.res_field = 'invoice_pdf_report_file')
                 ORDER BY move.id
                 LIMIT %s
                   FOR UPDATE OF move SKIP LOCKED
                """,
                list(exclude),
                limit,
            )
        )
        self.env.invalidate_all()
        return [row[0] for row in rows]

    def _pl_archive_commit(self, processed):
        """Commit the batch (in the cron only; tests roll back)."""
        if modules.module.current_test:
            self.env.flush_all()
            return float("inf")
        return self.env["ir.cron"]._commit_progress(processed)
