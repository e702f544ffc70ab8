"""Correction invoices (faktury korygujące, art. 106j of the VAT Act), both ways.

A seller corrects an invoice it issued with a correction invoice that
references it: art. 106j ust. 2 pkt 2a and 3 (the corrected invoice's KSeF
number, number and date) and pkt 5 (the change of the taxable amount and tax
per rate). The reason, no longer required by the statute since 2021, is
optional: a draft without one shows a warning, FA(3) carries it when given
(PrzyczynaKorekty). Odoo has two documents for it, which the suite treats
as one kind, "correction":

* a **credit note** (``out_refund``, ``reversed_entry_id``): a decrease -
  a return, a discount, a price cut, a refunded advance (art. 106j ust. 1
  pkt 1-4), with negative differences;
* a **debit note** of ``account_debit_note`` (``out_invoice``,
  ``debit_origin_id``): an increase - a price raised after the sale, goods
  or services left off the invoice, a mistake in its favour (art. 106j ust. 1
  pkt 5), with positive differences. It is never a new VAT invoice
  (corrections-2026-12.md).

Both go through the same paths: numbering in the correction series
(pl.document.type of kind "correction"), the corrected invoice's NBP rate
(art. 31a), the printout (before / after / difference), FA(3) (RodzajFaktury
KOR / KOR_ROZ with DaneFaKorygowanej and the before / after rows) and the JPK
row. The helpers here tell those paths which invoice a document corrects and
in which direction; ``_pl_correction_sign`` is -1 for a decrease, +1 for an
increase.

Polish users see these documents as "Faktura korygująca": the buttons, the
wizards' titles and the document's type name say so, instead of Odoo's
"Credit Note" / "Debit Note" (rendered "Nota kredytowa" / "Nota debetowa" by
Odoo's Polish translation; a nota korygująca is a different document, issued
by the buyer, art. 106k).
"""

# Corrections in both directions are a concern of their own.
# pylint: disable=consider-merging-classes-inherited
from textwrap import shorten

from odoo import api, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Which invoice, which direction
    # ------------------------------------------------------------------
    def _pl_corrected_invoice(self):
        """The invoice this correction corrects (art. 106j ust. 2 pkt 3),
        or an empty recordset for any other document: the reversed invoice
        of a credit note, the debited invoice of a debit note."""
        self.ensure_one()
        if self.move_type == "out_refund":
            return self.reversed_entry_id
        if self.move_type == "out_invoice":
            return self.debit_origin_id
        return self.browse()

    def _pl_is_correction(self):
        """Whether this is a correction invoice of another customer invoice,
        downward (credit note) or upward (debit note)."""
        self.ensure_one()
        return bool(self._pl_corrected_invoice())

    def _pl_is_upward_correction(self):
        """Whether this is an upward correction (art. 106j ust. 1 pkt 5)."""
        self.ensure_one()
        return self.move_type == "out_invoice" and bool(self.debit_origin_id)

    def _pl_correction_sign(self):
        """How this correction changes the invoice it corrects: -1 takes its
        amounts off (credit note), +1 adds them (debit note)."""
        self.ensure_one()
        return 1 if self.move_type == "out_invoice" else -1

    def _pl_posted_corrections(self):
        """The posted corrections of this invoice, both ways, in the order
        they were issued (date, then creation)."""
        self.ensure_one()
        corrections = self.reversal_move_ids.filtered(
            lambda m: m.move_type == "out_refund"
        ) | self.debit_note_ids.filtered(lambda m: m.move_type == "out_invoice")
        return corrections.filtered(lambda m: m.state == "posted").sorted(
            lambda m: (m.invoice_date or m.date, m.id)
        )

    def _pl_earlier_corrections(self):
        """The posted corrections of the same invoice issued before this one:
        the invoice as they left it is this correction's "before"."""
        self.ensure_one()
        origin = self._pl_corrected_invoice()
        if not origin:
            return self.browse()
        position = (self.invoice_date or self.date, self.id)
        return origin._pl_posted_corrections().filtered(
            lambda m: m != self and (m.invoice_date or m.date, m.id) < position
        )

    # ------------------------------------------------------------------
    # Names the user sees
    # ------------------------------------------------------------------
    def _pl_is_correction_document(self):
        """Whether this is a Polish correction invoice, made or not yet
        linked to the invoice it corrects."""
        self.ensure_one()
        return bool(
            self.pl_document_type_id
            and (self.pl_document_kind == "correction" or self._pl_is_correction())
        )

    @api.depends("pl_document_type_id", "debit_origin_id")
    def _compute_type_name(self):
        # EXTENDS account: a Polish correction is a "Faktura korygująca",
        # not a "Credit Note" (Odoo's Polish "Nota kredytowa" is the buyer's
        # nota korygująca of art. 106k, another document).
        result = super()._compute_type_name()
        for move in self:
            if move._pl_is_correction_document():
                move.type_name = self.env._("Correction Invoice")
        return result

    def _get_move_display_name(self, show_ref=False):
        # EXTENDS account: "Draft Correction Invoice", not "Draft Credit Note".
        if (
            self.state != "draft"
            or self.env.context.get("name_as_amount_total")
            or not self._pl_is_correction_document()
        ):
            return super()._get_move_display_name(show_ref=show_ref)
        name = self.env._("Draft Correction Invoice")
        if self.name and self.name != "/":
            name = f"{name} {self.name}"
        if show_ref and self.ref:
            name += f" ({shorten(self.ref, width=50)})"
        return name

    def _pl_offers_corrections(self):
        """Whether this is a posted Polish customer invoice that correction
        invoices (down and up) are made from in the suite's own words."""
        self.ensure_one()
        return bool(
            self.pl_document_type_id
            and self.move_type == "out_invoice"
            and not self._pl_is_correction()
            and self.pl_document_kind != "proforma"
        )

    def action_reverse(self):
        # EXTENDS account: the wizard of a Polish invoice makes a correction
        # invoice (decrease), and says so.
        action = super().action_reverse()
        if len(self) == 1 and self._pl_offers_corrections():
            action["name"] = self.env._("Correction Invoice (Decrease)")
        return action

    def action_debit_note(self):
        # EXTENDS account_debit_note: the same for an increase.
        action = super().action_debit_note()
        if len(self) == 1 and self._pl_offers_corrections():
            action["name"] = self.env._("Correction Invoice (Increase)")
        return action

    def action_pl_view_upward_corrections(self):
        """The upward corrections of this invoice (its debit notes)."""
        self.ensure_one()
        action = self.action_view_debit_notes()
        action["name"] = self.env._("Upward Corrections")
        action["context"] = {"default_move_type": "out_invoice"}
        return action

    # ------------------------------------------------------------------
    # What may be corrected upward
    # ------------------------------------------------------------------
    def _pl_upward_correction_refusal(self):
        """Why no upward correction of this Polish document is made ("" if
        one is), in words a user understands."""
        self.ensure_one()
        if not self.pl_document_type_id:
            return ""
        if self.move_type == "out_refund" or self._pl_is_correction():
            return self.env._(
                "%(document)s is a correction invoice: to raise the amounts "
                "again, make an upward correction of the invoice it corrects "
                "(%(invoice)s).",
                document=self.display_name,
                invoice=self._pl_corrected_invoice().display_name or "-",
            )
        if self.pl_document_kind == "advance":
            return self.env._(
                "%s is an advance invoice: a further payment gets an advance "
                "invoice of its own (art. 106b ust. 1 pkt 4), and the order's "
                "final invoice settles the advances; an advance is only "
                "corrected downward.",
                self.display_name,
            )
        return ""

    def _pl_check_upward_correction_allowed(self):
        problems = [
            reason for move in self if (reason := move._pl_upward_correction_refusal())
        ]
        if problems:
            raise UserError("\n".join(problems))

    def _post(self, soft=True):
        # The wizards refuse these up front; a correction made another way
        # (the ORM, JSON-RPC, an import) is refused when it is posted.
        for move in self.filtered(
            lambda m: m.pl_document_type_id and m.state == "draft"
        ):
            if move._pl_is_upward_correction():
                move.debit_origin_id._pl_check_upward_correction_allowed()
            elif move.move_type == "out_refund" and move.reversed_entry_id:
                move.reversed_entry_id._pl_check_reversal_allowed()
        return super()._post(soft=soft)

    def _pl_check_reversal_allowed(self):
        """An upward correction is not itself reversed into a credit note:
        the invoice is corrected again, so that every correction lists the
        invoice as the corrections before it left it."""
        upward = self.filtered(
            lambda m: m.pl_document_type_id and m._pl_is_upward_correction()
        )
        if upward:
            raise UserError(
                self.env._(
                    "%(documents)s raised the amounts of %(invoices)s: to take "
                    "them off again, make a correction invoice (decrease) of "
                    "%(invoices)s; it shows the invoice as corrected so far.",
                    documents=", ".join(upward.mapped("display_name")),
                    invoices=", ".join(upward.debit_origin_id.mapped("display_name")),
                )
            )
