"""KSeF of the suite's documents, by concern (the sections of the class below).

FA(3) (KSeF) XML of our documents, on top of core ``l10n_pl_edi``.

``l10n_pl_edi`` builds the FA(3) XML from ``_l10n_pl_edi_get_xml_values`` and
its QWeb template ``l10n_pl_edi.fa3_xml_template``. We add our data to the
values (key ``pl_ksef`` and extra keys of each line) and our template
``crm_invoicing_pl_ksef.fa3_xml_template`` (a primary copy of core's) uses it in
place of the hard-coded elements. An invoice without a document type of ours
(a company that has not switched the suite's documents on) keeps core's FA(3).
The rendered XML is validated against the FA(3) XSD shipped in ``l10n_pl_edi``
before anything is sent.

KSeF verification code (KOD I) on the Polish invoice printouts.

The QR code encodes the verification link of the FA(3) file exactly as sent
to KSeF (``l10n_pl_edi`` keeps it as the move's ``l10n_pl_edi_attachment_id``;
while the invoice is being sent, the sending passes it in the context
``pl_ksef_sent_xml``, see ``models/account_move_send.py``). Under the code:
the KSeF number once assigned, "OFFLINE" until then. The link itself is built
by ``tools/ksef_qr.py``; the template is ``report/report_pl_invoice_ksef_qr.xml``.

Consumer (B2C) invoices and KSeF: the company's setting decides.

A consumer is a buyer without a NIP (VAT id) who is not a company. The law
allows issuing their invoices in KSeF, but the consumer receives them outside
KSeF; by default (``res.company.pl_ksef_b2c`` off) they are issued outside
KSeF and never offered for sending.

FA(3) (KSeF) of the advance, final and correction invoices.

On top of the values of a Faktura VAT:

* advance invoices (ZAL) carry the order in ``Zamowienie`` (from the order
  block frozen on the advance, crm_invoicing_pl) instead of lines;
  the advance paying the rest of the order lists the earlier ones;
* final invoices (ROZ) show the goods in full, the totals reduced by the
  advances (Odoo's deduction lines, left out of FaWiersz) and list the
  advances in ``FakturaZaliczkowa``, by KSeF number when they have one;
* corrections (KOR, KOR_ZAL, KOR_ROZ) carry the reason, the correction type
  chosen by the user (TypKorekty), the corrected invoice's data with its KSeF
  number, and each corrected line before (StanPrzed) and after, computed by
  tools/ksef_fa3.py from the invoice, its earlier corrections and the
  correction's own lines: taken off by a credit note (negative differences),
  added by an upward correction, a debit note (art. 106j ust. 1 pkt 5,
  positive differences; see crm_invoicing_pl).

FA(3) parties identified for EU VAT.

Core ``l10n_pl_edi`` writes the buyer's foreign VAT number as ``KodKraju`` +
``NrID`` (e.g. "DE" + "DE312345671"), and ``KodUE`` + ``NrVatUE`` only on OSS
and triangular invoices; it never writes the seller's ``PrefiksPodatnika``.
FA(3) identifies a buyer registered for VAT in another member state by
``KodUE`` + ``NrVatUE`` (the prefix apart from the number, Greece as "EL"),
and the seller acting as an EU VAT taxpayer carries ``PrefiksPodatnika``
"PL" (tools/eu_vat.py). The template ``crm_invoicing_pl_ksef.fa3_xml_template_eu``
asks ``pl_ksef_party_id`` (a value of the rendering) for the buyer as it is
rendered: the customer, its local government unit or VAT group, or the
buyer frozen at posting.

KSeF sending on top of l10n_pl_edi: statuses, bounded retries, no double send.

l10n_pl_edi sends an invoice once (status *sent*), asks KSeF for its status
(*accepted* with the KSeF number, or *rejected*) and never sends again an
invoice that has a status. What it lacks, added here:

- a temporary failure (KSeF busy with HTTP 429, no answer in time, KSeF
  unreachable or in error) is not a dead end: the invoice gets the status
  *Retry Pending* with the reason and the time of the next attempt (KSeF's
  Retry-After when it gave one, else a growing delay); a cron sends it then,
  without waiting in a loop. After ``crm_invoicing_pl.ksef_max_attempts``
  attempts the invoice is *Failed*, the reason is shown on it and its
  salesperson gets an activity;
- an attempt that got no answer may have reached KSeF: the SHA-256 of the
  XML that was sent is kept and, before sending again, the invoices of that
  KSeF session are searched for it; when KSeF has it, it is taken as sent
  and never sent a second time;
- a rejection is recorded with its KSeF code and, in plain words, what KSeF
  said (the details l10n_pl_edi drops); a 440 (duplicate) names the KSeF
  number KSeF already has and is never retried;
- an accepted invoice gets its UPO (official receipt) at once.

Offline invoices: their FA(3) file fixed at issue, KOD II on the printout.

An invoice issued offline (offline24 mode, art. 106nda; KSeF unavailability,
art. 106nh; failure mode, art. 106nf) is issued as an FA(3) file and handed
over before KSeF has it; it is sent later and must be that very file: KOD I
on the printout is the hash of it. Its file is therefore rendered when it is
posted (or switched to an offline mode) and kept as
``pl_ksef_offline_file``; KOD I is built from it until the file is sent, and
the sending sends it byte for byte.

Any invoice handed over before KSeF gives its number is an offline invoice
(art. 106nda, corrections-2026-12.md): besides KOD I (labelled OFFLINE) its
printout carries KOD II ("CERTYFIKAT"), the link to the issuer's KSeF
offline certificate signed with its private key (``tools/ksef_qr_offline``).
So KOD II is printed on an invoice in an offline mode, and on any invoice
printed with its FA(3) file but without its KSeF number (e.g. the PDF mailed
while it is being sent); an online invoice with its KSeF number has none.
Without a usable offline certificate only KOD I is printed and the form
warns: the invoice is not refused.

KSeF from the invoice list: status, sending of a selection, UPO and KOD I.

- ``pl_ksef_state``: the KSeF status of the list's badge, l10n_pl_edi's own
  status plus *Not Sent* for an issued document that KSeF still lacks;
- ``action_pl_ksef_send``: "Send to KSeF" for the selected documents. Each
  eligible one is sent by the suite's sending (``_pl_ksef_send_pending``,
  l10n_pl_edi's KSeF step, one KSeF session per company); drafts, documents
  already in KSeF or rejected by it and documents KSeF does not apply to are
  left out and named. The answer is a summary: sent, skipped, not sent;
- ``action_pl_ksef_download_upo`` and ``action_pl_ksef_open_verification``:
  the UPO (KSeF's official receipt) and the verification link of KOD I (the
  QR code of the printout) in one click from a row or the form.

Who may send is decided here, on the server: invoicing users with write
access to the documents (``_pl_ksef_check_may_send``), whatever the client;
Odoo's sending wizard asks the same question (``_pl_ksef_user_may_send``).

l10n_pl_edi's KSeF messages in the user's language.

l10n_pl_edi writes its KSeF status lines ("KSeF Status: Success (Code: 200).
Invoice accepted.") and its sending warnings in English: they are code terms
of l10n_pl_edi, which ships no Polish for them, and Odoo reads a module's code
terms only from that module's own ``i18n`` folder. The methods that return
them are extended here with the same texts as terms of this module, which
its catalogue translates; its two chatter lines on attached files are
replaced when they are posted. The KSeF status codes and their meaning are
KSeF's (API 2.0, invoice processing statuses).

An invoice sent to KSeF in a batch session (``pl.ksef.batch``).

From the opening of the session until KSeF has processed it, the invoice is
*Sent* with the session's reference and no invoice reference: KSeF names
its invoices only once it has processed the package. Its status is then
written as for an invoice sent alone: *Accepted* with the KSeF number, the
reference and the UPO, or *Rejected* with KSeF's code and reason (only those
are corrected and sent again); an invoice of a session KSeF cancelled is
*Retry Pending* and goes out again in a new session.
"""

import base64
import functools
import re
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.addons.crm_invoicing_pl.models.account_move import OFFLINE_MODES
from odoo.addons.crm_invoicing_pl.tools import ksef_xsd
from odoo.addons.crm_invoicing_pl.tools.units import polish_unit
from odoo.addons.l10n_pl_edi.tools.ksef_api_service import KsefApiService
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_repr, html2plaintext
from odoo.tools.misc import file_path, format_datetime

from ..tools import eu_vat, ksef_fa3, ksef_qr, ksef_qr_offline
from ..tools.ksef_batch import MAX_INVOICES
from .ksef_api_service import _failure, ksef_exchange

# FA(3) FormaPlatnosci codes (TFormaPlatnosci) of our payment methods; the
# others are "PlatnoscInna" with a description.
PAYMENT_FORM = {"cash": "1", "card": "2", "transfer": "6"}
PAYMENT_OTHER = {"compensation": "Kompensata", "other": "Inna"}

# Podmiot3/Rola (TRolaPodmiotu3): 8 = subordinate unit of a JST, 10 = member
# of a VAT group.
ROLE_JST_UNIT = "8"
ROLE_GV_MEMBER = "10"

EXEMPTION_ELEMENT = {"act": "P_19A", "directive": "P_19B", "other": "P_19C"}

# Pixels of the PNG; printed about 32 mm wide.
QR_SIZE = 240

# TypKorekty (TTypKorekty): when the correction takes effect in the VAT records.
CORRECTION_TYPES = [
    ("1", "1 - On the date of the corrected invoice (an error in it)"),
    ("2", "2 - On the date of this correction (return, discount, price change)"),
    ("3", "3 - On another date (e.g. different dates for different lines)"),
]
# Procedure markers an order line (ZamowienieWiersz) may carry.
ORDER_PROCEDURES = {
    "WSTO_EE",
    "IED",
    "TT_D",
    "B_SPV",
    "B_SPV_DOSTAWA",
    "B_MPV_PROWIZJA",
}

# Tax report tags (l10n_pl) of supplies made as an EU VAT taxpayer: intra-EU
# supply of goods (K_21) and art. 28b services taxed in another member
# state (K_12, art. 100 ust. 1 pkt 4).
INTRA_EU_TAGS = frozenset({"K_21", "K_12"})

PARAM_MAX_ATTEMPTS = "crm_invoicing_pl.ksef_max_attempts"
PARAM_RETRY_DELAY = "crm_invoicing_pl.ksef_retry_delay"
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_DELAY = 60  # seconds; doubled after each attempt
MAX_RETRY_DELAY = 3600
# message_post arguments of a plain chatter line, logged in a KSeF exchange
LOG_ARGUMENTS = frozenset({"body", "attachment_ids"})
RETRY_BATCH = 50
# A KSeF session holds at most 10 000 invoices: 10 pages of 1 000. The list
# of a session's invoices is read page by page, never without end.
SESSION_LIST_PAGE_SIZE = 1000
SESSION_LIST_MAX_PAGES = 20

SENDING_GROUP = "account.group_account_invoice"

NAME_UNSAFE = re.compile(r"[^\w.-]+")


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # FA(3) of a Faktura VAT
    # ------------------------------------------------------------------
    pl_exemption_basis_type = fields.Selection(
        [
            ("act", "Polish VAT act or regulation"),
            ("directive", "Directive 2006/112/EC"),
            ("other", "Other legal basis"),
        ],
        string="Exemption Basis Type",
        compute="_compute_pl_exemption_basis_type",
        store=True,
        readonly=False,
        help="Where the exemption basis goes in the KSeF invoice: P_19A (a "
        "provision of the VAT act or of a regulation), P_19B (Directive "
        "2006/112/EC) or P_19C (another legal basis).",
    )

    @api.depends(
        "invoice_line_ids.tax_ids.pl_exemption_basis_type",
        "invoice_line_ids.tax_ids.pl_vat_kind",
    )
    def _compute_pl_exemption_basis_type(self):
        # From the exempt tax while the document is a draft; a posted document
        # keeps what it was issued with.
        for move in self:
            types = move.invoice_line_ids.tax_ids.filtered(
                lambda t: t.pl_vat_kind == "exempt"
            ).mapped("pl_exemption_basis_type")
            if types and (move.state == "draft" or not move.pl_exemption_basis_type):
                move.pl_exemption_basis_type = types[0]
            elif not move.pl_exemption_basis_type:
                move.pl_exemption_basis_type = "act"

    # ------------------------------------------------------------------
    # KSeF: never for pro formas
    # ------------------------------------------------------------------
    @api.constrains("l10n_pl_edi_status", "l10n_pl_edi_ref", "pl_document_type_id")
    def _check_pl_proforma_not_in_ksef(self):
        for move in self:
            if move.pl_document_kind == "proforma" and (
                move.l10n_pl_edi_status or move.l10n_pl_edi_ref
            ):
                raise ValidationError(
                    self.env._(
                        "%s is a pro forma: a pro forma is not an invoice and never "
                        "goes to KSeF.",
                        move.display_name,
                    )
                )

    def _pl_missing_elements(self):
        # EXTENDS crm_invoicing_pl: art. 106e ust. 1 pkt 3, the buyer's
        # address; the FA(3) sent to KSeF cannot carry an address without its
        # country (KodKraju).
        missing = super()._pl_missing_elements()
        address = self._pl_buyer_address_partner()
        if (
            self.is_sale_document()
            and not address.country_id
            and self.company_id.country_id.code == "PL"
            and self._pl_ksef_applicable()
        ):
            missing.append(
                self.env._(
                    "the country in the address of %s (art. 106e ust. 1 pkt 3; "
                    "KSeF refuses an address without it): fill in the Country "
                    "on the customer",
                    address.display_name,
                )
            )
        return missing

    def _pl_ksef_applicable(self):
        """Whether this document may be sent to KSeF at all."""
        self.ensure_one()
        return not self._pl_ksef_not_applicable_reason()

    def _pl_ksef_not_applicable_reason(self):
        """Why this document is not sent to KSeF, in plain words ("" if it is).

        Never a pro forma; an invoice to a consumer only when the company
        sends consumer invoices to KSeF (a document already sent stays in
        KSeF).
        """
        self.ensure_one()
        if self.pl_document_kind == "proforma":
            return self.env._(
                "%s is a pro forma: it is never sent to KSeF.", self.display_name
            )
        if (
            self.company_id.pl_ksef_b2c
            or not self._pl_ksef_is_consumer()
            or self.l10n_pl_edi_status
            or self.l10n_pl_edi_ref
        ):
            return ""
        return self.env._(
            "%s is an invoice to a consumer: the company issues consumer invoices "
            "outside KSeF (Settings, Send Consumer Invoices to KSeF).",
            self.display_name,
        )

    # ------------------------------------------------------------------
    # FA(3) values
    # ------------------------------------------------------------------
    def _l10n_pl_edi_render_xml(self):
        # EXTENDS l10n_pl_edi: an invoice issued offline is sent as the file
        # handed over, never rendered again; a document of the suite is
        # rendered by our FA(3) template (a primary copy of l10n_pl_edi's with
        # our elements); an invoice of a company without the suite's
        # documents by Odoo's. The XML checked before sending is the one sent
        # (AccountMoveSend._pl_ksef_web_service).
        self.ensure_one()
        rendered = self.env.context.get("pl_ksef_rendered_xml") or {}
        if self.id in rendered:
            return rendered[self.id]
        xml = self._pl_ksef_offline_xml()
        if xml:
            return xml.decode()
        if not self.pl_document_type_id:
            return super()._l10n_pl_edi_render_xml()
        xml = self.env["ir.qweb"]._render(
            "crm_invoicing_pl_ksef.fa3_xml_template", self._l10n_pl_edi_get_xml_values()
        )
        return "\n".join(line for line in xml.splitlines() if line.strip())

    def _l10n_pl_edi_get_xml_values(self):
        # EXTENDS l10n_pl_edi
        values = super()._l10n_pl_edi_get_xml_values()
        values.update(self._pl_ksef_tag_amount_functions())
        if self.pl_document_type_id:
            self._pl_ksef_suite_values(values)
        if self.state == "posted" and self.pl_buyer_name:
            self._pl_ksef_frozen_buyer_values(values)
        return values

    def _pl_ksef_tag_amount_functions(self):
        """l10n_pl_edi's ``get_amounts_from_tag`` and
        ``get_amounts_from_tag_in_PLN_currency``, the same amounts
        (TestKsefFa3.test_tag_amounts_as_l10n_pl_edi), with the tax tags read
        once a transaction (``_pl_ksef_tax_tag_ids``).

        l10n_pl_edi's search the tag again for every journal line at every
        call, about twenty calls an invoice: two queries per line and call,
        half of the time of rendering invoices for a batch session.
        """
        self.ensure_one()
        tag_ids = self._pl_ksef_tax_tag_ids()
        tags = self.env["account.account.tag"]

        @functools.cache
        def amount(tag):
            tagged = tags.browse(tag_ids.get(tag.lstrip("-"), ()))
            lines = self.line_ids.filtered(lambda line: line.tax_tag_ids & tagged)
            if "OSS" in tag:
                # The OSS base on the lines with taxes, the tax on the others.
                lines = lines.filtered(
                    lambda line: bool(line.tax_ids) == ("Base" in tag)
                )
            return -sum(lines.mapped("amount_currency"))

        @functools.cache
        def rate_to_pln():
            # l10n_pl_edi's rate: that of the invoice line of the largest
            # balance (the first of them).
            lines = self.invoice_line_ids
            if self.currency_id == self.env.ref("base.PLN") or not lines:
                return 1
            largest = max(lines, key=lambda line: abs(line.balance))
            return abs(largest.balance / largest.amount_currency)

        return {
            "get_amounts_from_tag": amount,
            "get_amounts_from_tag_in_PLN_currency": lambda tag: (
                amount(tag) * rate_to_pln()
            ),
        }

    def _pl_ksef_tax_tag_ids(self):
        """{name: ids} of Poland's tax tags, as account's ``_get_tax_tags``
        finds them by name, read once a transaction for all the invoices
        rendered in it (a batch session's). Kept in the transaction's
        ``precommit.data``, as account's sequence cache: gone at the commit
        or rollback."""
        data = self.env.cr.precommit.data
        key = "crm_invoicing_pl_ksef.tax_tag_ids"
        if key not in data:
            tags = (
                self.env["account.account.tag"]
                .with_context(active_test=False, lang="en_US")
                .search(
                    [
                        ("country_id", "=", self.env.ref("base.pl").id),
                        ("applicability", "=", "taxes"),
                    ]
                )
            )
            tag_ids = {}
            for tag in tags:
                tag_ids.setdefault(tag.name, []).append(tag.id)
            data[key] = tag_ids
        return data[key]

    def _pl_ksef_suite_values(self, values):
        """Complete l10n_pl_edi's FA(3) ``values`` of a document of ours."""
        values["pl_ksef"] = self._pl_ksef_values(values)
        if values["pl_ksef"]["Podmiot3"]:
            # The local government unit / VAT group is the buyer for VAT.
            taxpayer = self.commercial_partner_id.pl_ksef_buyer_id.commercial_partner_id
            values["buyer"] = taxpayer
            values["buyer_address"] = " ".join(taxpayer._display_address(True).split())
        lines_by_uuid = {f"odoo-line-{line.id}": line for line in self.invoice_line_ids}
        for line_vals in values["invoice_lines"]:
            line = lines_by_uuid.get(line_vals.get("UU_ID"))
            if line:
                line_vals.update(
                    self._pl_ksef_line_values(line, values["pl_ksef"], line_vals)
                )
        self._pl_ksef_kind_values(values)
        self._pl_ksef_eu_values(values)

    def _pl_ksef_values(self, values):
        """Our data for the FA(3) elements that l10n_pl_edi hard-codes."""
        self.ensure_one()
        company = self.company_id
        buyer = self.commercial_partner_id
        kind = values.get("invoice_type")
        foreign = self.currency_id != self.company_currency_id
        # A correction, downward or upward, carries the split payment mark
        # of what it corrects.
        split_payment = self.pl_split_payment or bool(
            self._pl_corrected_invoice().pl_split_payment
        )
        exempt = self.pl_has_exempt_lines and bool(self.pl_exemption_basis)
        cash_accounting = company.pl_cash_accounting or any(
            tax.tax_exigibility == "on_payment" for tax in self.line_ids.tax_ids
        )
        rate = float_repr(self.pl_rate, 4) if foreign and self.pl_rate else False
        recipient = self._pl_ksef_third_party()
        sale_date = self.taxable_supply_date or self.delivery_date
        return {
            "P_1M": (self.pl_place_of_issue or company._pl_place_of_issue() or "")[
                :256
            ],
            "P_6": sale_date if sale_date and sale_date != self.invoice_date else False,
            "P_16": "1" if cash_accounting else "2",
            "P_18": "1" if self.pl_reverse_charge else "2",
            "P_18A": "1" if split_payment else "2",
            "P_19": exempt,
            "P_19_element": EXEMPTION_ELEMENT.get(
                self.pl_exemption_basis_type or "act", "P_19A"
            ),
            "P_19_text": (self.pl_exemption_basis or "")[:256],
            # Outside the country (np I, box K_11 less its K_12 part) and the
            # art. 100 ust. 1 pkt 4 services (np II, box K_12).
            "P_13_8": self._pl_ksef_amount(
                values["get_amounts_from_tag"]("K_11")
                - values["get_amounts_from_tag"]("K_12")
            ),
            "P_13_9": self._pl_ksef_amount_by_tag(values, "K_12"),
            # Domestic 0 %, TAX FREE (art. 129, box K_14) included.
            "P_13_6_1": self._pl_ksef_amount(
                values["get_amounts_from_tag"]("K_13")
                + values["get_amounts_from_tag"]("K_14")
            ),
            "P_13_10": self._pl_ksef_amount_by_tag(values, "K_31"),
            "P_15": float_repr(self.amount_total_in_currency_signed, 2),
            "JST": "1" if buyer.pl_ksef_jst else "2",
            "GV": "1" if buyer.pl_ksef_gv else "2",
            "Podmiot3": recipient,
            "TP": bool(buyer.l10n_pl_links_with_customer),
            # KursWalutyZ is for advance invoices (and their corrections) in a
            # foreign currency only; the others carry the rate on each line.
            "KursWalutyZ": rate if kind in ("ZAL", "KOR_ZAL") else False,
            "KursWaluty": rate,
            # An advance invoice of money already received is paid.
            "DataZaplaty": self.pl_advance_received_date,
            # An invoice to a receipt (art. 109 ust. 3d), as in the JPK row.
            "FP": self.pl_jpk_document_type == "FP",
            "FormaPlatnosci": PAYMENT_FORM.get(self.pl_payment_method or ""),
            "OpisPlatnosci": PAYMENT_OTHER.get(self.pl_payment_method or ""),
        }

    def _pl_ksef_amount_by_tag(self, values, tag):
        return self._pl_ksef_amount(values["get_amounts_from_tag"](tag))

    def _pl_ksef_amount(self, amount):
        """``amount`` for an optional FA(3) element: False when zero."""
        if self.currency_id.is_zero(amount):
            return False
        return float_repr(amount, 2)

    def _pl_ksef_third_party(self):
        """Podmiot3 of a JST subordinate unit or a VAT group member, or False.

        The customer is the unit (member); the buyer (Podmiot2) of the FA(3)
        is then its local government unit (VAT group) when one is set.
        """
        self.ensure_one()
        customer = self.commercial_partner_id
        taxpayer = customer.pl_ksef_buyer_id.commercial_partner_id
        if not (customer.pl_ksef_jst or customer.pl_ksef_gv) or not taxpayer:
            return False
        return {
            "partner": customer,
            "address": " ".join(customer._display_address(True).split()),
            "Rola": ROLE_JST_UNIT if customer.pl_ksef_jst else ROLE_GV_MEMBER,
        }

    def _pl_ksef_line_values(self, line, move_values, line_vals):
        """Extra (or corrected) FaWiersz values of one invoice line."""
        product = line.product_id.product_tmpl_id
        extra = {}
        if line_vals.get("P_12") == "zw" and not line.tax_ids.filtered(
            lambda t: t.pl_vat_kind == "exempt"
        ):
            # l10n_pl_edi maps the 5 % boxes (K_15/K_16) and TAX FREE (0 % of
            # art. 129, box K_14) to "zw": a taxed line at 5 % is "5", a TAX
            # FREE line is domestic 0 %, "0 KR".
            tags = {
                name.lstrip("+-")
                for name in line.tax_tag_ids.with_context(lang="en_US").mapped("name")
            }
            if "K_15" in tags:
                extra["P_12"] = "5"
            elif "K_14" in tags:
                extra["P_12"] = "0 KR"
        return {
            **extra,
            # The unit as Polish invoices write it, the net unit price (also
            # of a line with a tax-included price), an exact quantity.
            "P_8A": self._pl_unit(line.product_uom_id),
            "P_8B": ksef_fa3.quantity_repr(line_vals["P_8B"]),
            "P_9A": ksef_fa3.price_repr(self._pl_ksef_net_price(line)),
            "P_10": self._pl_ksef_discount(line),
            "P_12_Zal_15": "1"
            if move_values["P_18A"] == "1" and product.pl_annex_15
            else False,
            "GTU": product.l10n_pl_vat_gtu or False,
            "Procedura": line.pl_ksef_procedure or False,
            "KursWaluty": move_values["KursWaluty"],
        }

    @api.model
    def _pl_ksef_discount(self, line):
        """P_10: the line's discount in money, as P_9A is the price before it
        (art. 106e ust. 1 pkt 10): quantity x P_9A less the net value."""
        if not line.discount:
            return False
        before = line.currency_id.round(self._pl_ksef_net_price(line) * line.quantity)
        return float_repr(abs(before - line.price_subtotal), 2)

    @api.model
    def _pl_ksef_net_price(self, line):
        """Net unit price of an invoice line (before its discount)."""
        if any(line.tax_ids.mapped("price_include")) and line.quantity:
            factor = line.quantity * (1.0 - (line.discount or 0.0) / 100.0)
            if factor:
                return line.price_subtotal / factor
        return line.price_unit

    @api.model
    def _pl_ksef_rate_code(self, taxes):
        """FA(3) rate code (P_12 / P_12Z) of ``taxes``, or False."""
        tax = taxes.flatten_taxes_hierarchy()[:1]
        if not tax:
            return False
        tags = {
            name.lstrip("+-")
            for name in tax.invoice_repartition_line_ids.tag_ids.with_context(
                lang="en_US"
            ).mapped("name")
        }
        return (
            ksef_fa3.rate_code(tax.pl_vat_kind, tax.amount, art_100="K_12" in tags)
            or False
        )

    # ------------------------------------------------------------------
    # FA(3) schema validation
    # ------------------------------------------------------------------
    @api.model
    def _pl_ksef_schema(self):
        """The FA(3) XSD of l10n_pl_edi, its imports served from our data."""
        return ksef_xsd.load_schema(
            file_path("l10n_pl_edi/data/fa3_schema.xsd"),
            file_path("crm_invoicing_pl_ksef/data/ksef_xsd"),
        )

    def _pl_ksef_schema_problems(self, xml=None):
        """Schema problems of this document's FA(3) XML ([] when valid)."""
        self.ensure_one()
        if xml is None:
            xml = self._l10n_pl_edi_render_xml()
        return ksef_xsd.validate(self._pl_ksef_schema(), xml)

    def _pl_ksef_problem_text(self, problem):
        """One schema problem in words a user understands."""
        where = problem.path or problem.element
        expected = ", ".join(problem.expected[:12])
        if problem.kind == "unexpected":
            text = self.env._(
                "the element %(element)s is not allowed here (expected: %(expected)s)",
                element=problem.element,
                expected=expected or "-",
            )
        elif problem.kind == "missing":
            text = self.env._(
                "the element %(element)s is incomplete, it lacks: %(expected)s",
                element=problem.element,
                expected=expected or "-",
            )
        elif problem.kind == "empty":
            text = self.env._(
                "the element %(element)s is empty or too short: fill in the data "
                "it comes from",
                element=problem.element,
            )
        elif problem.kind == "value" and expected:
            text = self.env._(
                "the value '%(value)s' of %(element)s is not allowed (allowed: "
                "%(expected)s)",
                value=problem.value,
                element=problem.element,
                expected=expected,
            )
        elif problem.kind == "malformed":
            text = self.env._("the document is not well-formed XML")
        else:
            text = self.env._(
                "the element %(element)s has a wrong value",
                element=problem.element or "?",
            )
        return self.env._(
            "line %(line)s, %(where)s: %(text)s (%(detail)s)",
            line=problem.line,
            where=where or "-",
            text=text,
            detail=problem.message,
        )

    def _pl_ksef_check_xml(self, xml=None):
        """Raise a UserError in plain words if the FA(3) XML is not valid."""
        self.ensure_one()
        problems = self._pl_ksef_schema_problems(xml)
        if problems:
            raise UserError(
                self.env._(
                    "The KSeF invoice (FA(3) XML) of %(document)s does not match "
                    "the official schema, so it cannot be sent:",
                    document=self.display_name,
                )
                + "\n"
                + "\n".join(
                    "- " + self._pl_ksef_problem_text(problem) for problem in problems
                )
            )
        return True

    # ------------------------------------------------------------------
    # KOD I on the printout
    # ------------------------------------------------------------------
    def _pl_ksef_environment(self):
        """The KSeF environment l10n_pl_edi talks to: prod, demo or test."""
        mode = (
            self.env["ir.config_parameter"].sudo().get_param("l10n_pl_edi_ksef.mode")
            or "prod"
        )
        # Like l10n_pl_edi's KsefApiService: anything but prod is not production.
        return mode if mode in ksef_qr.QR_BASES else "test"

    def _pl_ksef_sent_xml(self):
        """The FA(3) file sent to KSeF (bytes), or b"" when none was sent."""
        self.ensure_one()
        being_sent = self.env.context.get("pl_ksef_sent_xml") or {}
        if being_sent.get(self.id):
            return being_sent[self.id]
        # Until it is sent, the codes of an offline invoice are those of its
        # file as issued.
        return self.sudo().l10n_pl_edi_attachment_id.raw or self._pl_ksef_offline_xml()

    def _pl_ksef_qr_link(self):
        """The KOD I link of the sent FA(3) file, or False (none sent)."""
        self.ensure_one()
        xml = self._pl_ksef_sent_xml()
        if not xml or self.l10n_pl_edi_status == "rejected":
            return False
        try:
            return ksef_qr.invoice_link(xml, self._pl_ksef_environment())
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The KSeF verification code of %(document)s cannot be "
                    "printed: the FA(3) file sent to KSeF is unusable (%(error)s).",
                    document=self.display_name,
                    error=error,
                )
            ) from error

    def _pl_ksef_qr_values(self):
        """The KSeF block of the printout, or False when it has none.

        Only issued documents to which KSeF applies (never a pro forma), of a
        company that uses KSeF or once the document went there.
        """
        self.ensure_one()
        if self.state != "posted" or not self._pl_ksef_applicable():
            return False
        link = self._pl_ksef_qr_link()
        if not (
            link
            or self.l10n_pl_edi_number
            or self.company_id.sudo().l10n_pl_edi_register
        ):
            return False
        image = False
        if link:
            png = self.env["ir.actions.report"].barcode(
                "QR", link, width=QR_SIZE, height=QR_SIZE, barLevel="M"
            )
            image = "data:image/png;base64," + base64.b64encode(png).decode()
        values = {
            "link": link,
            "image": image,
            "label": ksef_qr.label(self.l10n_pl_edi_number),
            "certificate": False,
        }
        # KOD II next to KOD I when due and the company has a usable offline
        # certificate.
        if (
            link
            and self._pl_ksef_certificate_code_due()
            and not self.company_id._pl_ksef_offline_signing_problem()
        ):
            certificate_link = self._pl_ksef_certificate_link(link)
            png = self.env["ir.actions.report"].barcode(
                "QR", certificate_link, width=QR_SIZE, height=QR_SIZE, barLevel="M"
            )
            values["certificate"] = {
                "link": certificate_link,
                "image": "data:image/png;base64," + base64.b64encode(png).decode(),
                "label": ksef_qr_offline.CERTIFICATE_LABEL,
            }
        return values

    # ------------------------------------------------------------------
    # Consumer (B2C) invoices
    # ------------------------------------------------------------------
    def _pl_ksef_is_consumer(self):
        """Whether the buyer is a consumer: no NIP / VAT id, not a company."""
        return not self._pl_buyer_is_taxpayer()

    # ------------------------------------------------------------------
    # FA(3) of advance, final and correction invoices
    # ------------------------------------------------------------------
    pl_correction_type = fields.Selection(
        CORRECTION_TYPES,
        string="Correction Effect",
        compute="_compute_pl_correction_type",
        store=True,
        readonly=False,
        help="When the correction counts in the VAT records (TypKorekty of the "
        "KSeF invoice): on the date of the corrected invoice (a mistake in it, "
        "e.g. a wrong rate or price), on the date of this correction (the usual "
        "case of a return, a discount, a refunded advance: art. 29a ust. 13) or "
        "on another date.",
    )

    @api.depends("move_type", "pl_document_type_id", "debit_origin_id")
    def _compute_pl_correction_type(self):
        # A decrease after the sale (return, discount, refunded advance) counts
        # when the correction is issued: the usual Polish credit note; so
        # does an increase whose cause arose after the sale (a price raised,
        # art. 29a ust. 17).
        for move in self:
            if not move.pl_document_type_id or not (
                move.move_type == "out_refund" or move._pl_is_upward_correction()
            ):
                move.pl_correction_type = False
            elif not move.pl_correction_type:
                move.pl_correction_type = "2"

    # ------------------------------------------------------------------
    # Document kind and values
    # ------------------------------------------------------------------
    def _l10n_pl_edi_get_ksef_invoice_type(self):
        # EXTENDS l10n_pl_edi: our advance and final invoices are ZAL and ROZ
        # whatever their lines; a correction follows what it corrects, also
        # an upward one (a debit note, an out_invoice for Odoo).
        self.ensure_one()
        if self.pl_document_type_id and self._pl_is_upward_correction():
            origin_kind = self.debit_origin_id._l10n_pl_edi_get_ksef_invoice_type()
            return {"ZAL": "KOR_ZAL", "ROZ": "KOR_ROZ"}.get(origin_kind, "KOR")
        if self.move_type == "out_invoice" and self.pl_document_kind == "advance":
            return "ZAL"
        if self.move_type == "out_invoice" and self.pl_document_kind == "final":
            return "ROZ"
        return super()._l10n_pl_edi_get_ksef_invoice_type()

    def _pl_ksef_kind_values(self, values):
        """The FA(3) ``values`` of an advance, final or correction invoice."""
        kind = values["invoice_type"]
        ksef = values["pl_ksef"]
        ksef["FakturaZaliczkowa"] = (
            self._pl_ksef_advances() if kind in ("ZAL", "ROZ") else []
        )
        ksef["Zamowienie"] = self._pl_ksef_order(kind, ksef["P_18A"] == "1")
        if ksef["Zamowienie"]:
            # An advance of an order shows the ordered goods in Zamowienie,
            # not as lines.
            values["invoice_lines"] = []
        elif kind == "ROZ":
            values["invoice_lines"] = self._pl_ksef_numbered(
                self._pl_ksef_goods_rows(values["invoice_lines"])
            )
        elif "KOR" in kind:
            values["invoice_lines"] = self._pl_ksef_correction_rows(values)
        if "KOR" in kind:
            values["correction_info"].update(self._pl_ksef_correction_info(kind))

    # ------------------------------------------------------------------
    # FA(3): advance (ZAL) and final (ROZ) invoices
    # ------------------------------------------------------------------
    def _pl_order_block_values(self):
        # EXTENDS crm_invoicing_pl: what the KSeF Zamowienie needs of each
        # ordered line, frozen on the advance with the rest of the block.
        block = super()._pl_order_block_values()
        order_lines = self._pl_order_block_lines()
        for values, line in zip(block["lines"], order_lines, strict=True):
            product = line.product_id.product_tmpl_id
            values["ksef"] = {
                "unit": self._pl_unit(line.product_uom_id),
                "price": self._pl_ksef_order_price(line),
                "rate": self._pl_ksef_rate_code(line.tax_ids),
                "gtu": product.l10n_pl_vat_gtu or False,
                "procedure": product.pl_ksef_procedure or False,
                "annex15": bool(product.pl_annex_15),
            }
        return block

    def _pl_ksef_order_price(self, line):
        """P_9AZ: the net unit price of an ordered line of the order block
        (a line entered on an advance without an order)."""
        return line.price_unit

    def _pl_ksef_order(self, kind, split_payment):
        """Zamowienie: the order of an advance invoice, in its currency.

        On the correction of an advance (KOR_ZAL) the order of the corrected
        advance, each line before (StanPrzedZ) and after the correction: the
        correction gives back (part of) the payment, the order is the same.
        """
        self.ensure_one()
        if kind == "ZAL":
            block = self._pl_report_order_block()
        elif kind == "KOR_ZAL":
            block = self._pl_corrected_invoice()._pl_report_order_block()
        else:
            return False
        if not block or not block.get("lines"):
            return False
        rows = []
        for line in block["lines"]:
            ksef = line.get("ksef") or {}
            quantity = line["quantity"]
            price = ksef.get("price")
            if price is None:  # an advance issued before this data was kept
                price = line["net"] / quantity if quantity else 0.0
            procedure = ksef.get("procedure")
            row = {
                "P_7Z": (line["name"] or "")[:512],
                "P_8AZ": ksef.get("unit") or polish_unit(line["uom"]),
                "P_8BZ": ksef_fa3.quantity_repr(quantity),
                "P_9AZ": ksef_fa3.price_repr(price),
                "P_11NettoZ": float_repr(line["net"], 2),
                "P_11VatZ": float_repr(line["vat"], 2),
                "P_12Z": ksef.get("rate")
                or ksef_fa3.rate_code_from_label(line["rate"]),
                "P_12Z_Zal_15": "1" if split_payment and ksef.get("annex15") else False,
                "GTUZ": ksef.get("gtu") or False,
                "ProceduraZ": procedure if procedure in ORDER_PROCEDURES else False,
            }
            if kind == "KOR_ZAL":
                rows += [{**row, "StanPrzedZ": "1"}, row]
            else:
                rows.append(row)
        for number, row in enumerate(rows, start=1):
            row["NrWierszaZam"] = number
        return {
            "WartoscZamowienia": float_repr(block["total"]["gross"], 2),
            "rows": rows,
        }

    def _pl_ksef_advances(self):
        """FakturaZaliczkowa: the advances a final invoice (or the advance
        paying the rest of the order) settles, by KSeF number when they have
        one, else by their number as advances issued outside KSeF."""
        self.ensure_one()
        return [
            {"number": row["name"], "ksef_number": row["move"].l10n_pl_edi_number}
            for row in self._pl_report_advances()
        ]

    def _pl_ksef_goods_lines(self):
        """The product lines that are FaWiersz: on a final invoice (and its
        correction) without the deducted advances, which FakturaZaliczkowa
        and the reduced totals show."""
        self.ensure_one()
        lines = self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        if self._l10n_pl_edi_get_ksef_invoice_type() in ("ROZ", "KOR_ROZ"):
            lines = lines.filtered(lambda line: not line.is_downpayment)
        return lines

    def _pl_ksef_goods_rows(self, rows):
        """``rows`` (FaWiersz values) of the goods lines only."""
        uuids = {f"odoo-line-{line.id}" for line in self._pl_ksef_goods_lines()}
        return [row for row in rows if row.get("UU_ID") in uuids]

    @api.model
    def _pl_ksef_numbered(self, rows):
        for number, row in enumerate(rows, start=1):
            row["NrWierszaFa"] = number
        return rows

    # ------------------------------------------------------------------
    # FA(3): corrections (KOR, KOR_ZAL, KOR_ROZ)
    # ------------------------------------------------------------------
    def _pl_ksef_correction_info(self, kind):
        """DaneFaKorygowanej and the other correction data of l10n_pl_edi,
        completed: our reason and correction type, the number, issue date and
        KSeF number (not the sending reference) of the corrected invoice, also
        of the one an upward correction corrects (art. 106j ust. 2 pkt 2a and
        3), the amount before."""
        self.ensure_one()
        origin = self._pl_corrected_invoice()
        ksef_number = origin.l10n_pl_edi_number
        info = {
            "NrFaKorygowanej": origin.name or "BRAK",
            "DataWystFaKorygowanej": origin.invoice_date or self.invoice_date,
            "PrzyczynaKorekty": (self.pl_correction_reason or self.ref or "")[:256]
            or False,
            "TypKorekty": self.pl_correction_type or False,
            "NrKSeF": ksef_number or False,
            "NrKSeFN": False if ksef_number else "1",
            "P_15ZK": False,
            "KursWalutyZK": False,
        }
        if kind in ("KOR_ZAL", "KOR_ROZ") and origin:
            # The payment (KOR_ZAL) or the rest to pay (KOR_ROZ) before.
            rows = self._pl_report_correction_rows()
            info["P_15ZK"] = float_repr(rows[-1]["before"]["gross"], 2)
            foreign = origin.currency_id != origin.company_currency_id
            if kind == "KOR_ZAL" and foreign and origin.pl_rate:
                info["KursWalutyZK"] = float_repr(origin.pl_rate, 4)
        return info

    @api.model
    def _pl_ksef_line(self, line, data=None):
        """An invoice line for tools.ksef_fa3.correct_lines."""
        taxes = tuple(sorted(line.tax_ids.ids))
        product = line.product_id.id
        return ksef_fa3.Line(
            keys=((product, line.name or "", taxes), (product, taxes), (product,)),
            quantity=line.quantity,
            price=self._pl_ksef_net_price(line),
            net=line.price_subtotal,
            data=data or {},
        )

    def _pl_ksef_correction_rows(self, values):
        """FaWiersz of a correction: each corrected line of the invoice as it
        was (StanPrzed) and as it is after the correction; a line of the
        correction that corrects no line of the invoice, as a difference
        (negative on a credit note, positive on an upward correction)."""
        self.ensure_one()
        origin = self._pl_corrected_invoice()
        if not origin:
            return values["invoice_lines"]
        own = {row["UU_ID"]: row for row in values["invoice_lines"]}
        lines = [
            self._pl_ksef_line(line, own[uuid])
            for line in self._pl_ksef_goods_lines()
            if (uuid := f"odoo-line-{line.id}") in own
        ]
        origin_rows = {
            row["UU_ID"]: row
            for row in origin._l10n_pl_edi_get_xml_values()["invoice_lines"]
        }
        state = [
            self._pl_ksef_line(line, origin_rows[uuid])
            for line in origin._pl_ksef_goods_lines()
            if (uuid := f"odoo-line-{line.id}") in origin_rows
        ]
        for earlier in self._pl_earlier_corrections():
            earlier_lines = [
                self._pl_ksef_line(line) for line in earlier._pl_ksef_goods_lines()
            ]
            state = ksef_fa3.correct_lines(
                state, earlier_lines, increase=earlier._pl_is_upward_correction()
            ).state
        result = ksef_fa3.correct_lines(
            state, lines, increase=self._pl_is_upward_correction()
        )
        rows = []
        for before, after in result.pairs:
            rows += [self._pl_ksef_row(before, before=True), self._pl_ksef_row(after)]
        rows += [self._pl_ksef_row(line) for line in result.differences]
        return self._pl_ksef_numbered(rows)

    @api.model
    def _pl_ksef_row(self, line, before=False):
        """FaWiersz values of a tools.ksef_fa3.Line."""
        return {
            **line.data,
            "P_8B": ksef_fa3.quantity_repr(line.quantity),
            "P_9A": ksef_fa3.price_repr(line.price),
            "P_11": format(line.net, "f"),
            "StanPrzed": "1" if before else False,
        }

    # ------------------------------------------------------------------
    # FA(3) parties identified for EU VAT
    # ------------------------------------------------------------------
    def _pl_ksef_eu_values(self, values):
        """How the template identifies the parties for VAT."""
        company = self.company_id
        intra_eu = self._pl_ksef_intra_eu(values)

        def seller_prefix(buyer_id):
            return eu_vat.seller_prefix(
                company.vat, company.country_id.code, buyer_id, intra_eu
            )

        values["pl_ksef_party_id"] = self._pl_ksef_party_id
        values["pl_ksef_seller_prefix"] = seller_prefix

    def _pl_ksef_frozen_buyer_values(self, values):
        """The FA(3) of a posted document shows the buyer frozen at posting,
        as its printout and its hash do, not the customer's record as it is
        now (renamed, moved)."""
        third = (values.get("pl_ksef") or {}).get("Podmiot3")
        if third:
            # The customer is the JST unit / VAT group member (Podmiot3).
            frozen = self._pl_frozen_buyer_partner(third["partner"])
            third["partner"] = frozen
            third["address"] = " ".join(frozen._display_address(True).split())
        else:
            frozen = self._pl_frozen_buyer_partner(values["buyer"])
            values["buyer"] = frozen
            values["buyer_address"] = " ".join(frozen._display_address(True).split())

    def _pl_ksef_intra_eu(self, values):
        """Whether the document has a supply made as an EU VAT taxpayer:
        goods to another member state (WDT), art. 28b services taxed there,
        or a simplified triangular transaction (art. 135-138)."""
        self.ensure_one()
        if values.get("triangular_transaction") == "1":
            return True
        taxes = self.invoice_line_ids.tax_ids.flatten_taxes_hierarchy()
        if "intra_eu" in taxes.mapped("pl_vat_kind"):
            return True
        tags = {
            name.lstrip("+-")
            for name in self.invoice_line_ids.tax_tag_ids.with_context(
                lang="en_US"
            ).mapped("name")
        }
        return bool(INTRA_EU_TAGS & tags)

    @api.model
    def _pl_ksef_party_id(self, partner):
        """How FA(3) identifies ``partner`` (a partner, possibly an unsaved
        one holding a frozen buyer) for VAT: a ``tools.eu_vat.PartyId``."""
        return eu_vat.party_id(partner.vat, partner.country_id.code)

    # ------------------------------------------------------------------
    # Sending: statuses, bounded retries, no double send
    # ------------------------------------------------------------------
    l10n_pl_edi_status = fields.Selection(
        selection_add=[("retry", "Retry Pending"), ("failed", "Failed")],
        ondelete={"retry": "set null", "failed": "set null"},
    )
    pl_ksef_attempts = fields.Integer(
        string="Failed KSeF Attempts",
        readonly=True,
        copy=False,
        help="Attempts to send the invoice to KSeF that failed for a temporary "
        "reason (KSeF busy, no answer, unreachable).",
    )
    pl_ksef_retry_at = fields.Datetime(
        string="Next KSeF Attempt", readonly=True, copy=False
    )
    pl_ksef_error_code = fields.Integer(
        string="KSeF Error Code",
        readonly=True,
        copy=False,
        help="Status code of KSeF's rejection, e.g. 440 (duplicate invoice) or "
        "450 (semantic error in the invoice).",
    )
    pl_ksef_pending_hash = fields.Char(
        string="Unconfirmed KSeF Sending",
        readonly=True,
        copy=False,
        help="SHA-256 of the invoice XML of an attempt that got no answer: KSeF "
        "may have received it, so it is looked for in KSeF before any new "
        "attempt.",
    )

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    @api.model
    def _pl_ksef_int_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return max(int(value), 0) if value not in (None, False, "") else default
        except ValueError:
            return default

    def _pl_ksef_retry_delay(self, attempts, retry_after=None):
        """Seconds before the next attempt: KSeF's Retry-After, else a backoff."""
        if retry_after is not None:
            return retry_after
        base = self._pl_ksef_int_param(PARAM_RETRY_DELAY, DEFAULT_RETRY_DELAY)
        return min(base * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)

    # ------------------------------------------------------------------
    # Failures
    # ------------------------------------------------------------------
    def _pl_ksef_failure_text(self, failure):
        """A temporary failure in plain words."""
        if failure["kind"] == "busy":
            return self.env._(
                "KSeF is busy and refused the request (too many requests)"
            )
        if failure["kind"] == "timeout":
            return self.env._("KSeF did not answer in time")
        if failure["kind"] == "unreachable":
            return self.env._("KSeF could not be reached")
        if failure.get("reason") and not failure["http_status"]:
            return failure["reason"]
        return self.env._(
            "KSeF answered with a server error (HTTP %s)", failure["http_status"]
        )

    def _pl_ksef_record_failure(self, failure, exchange=None):
        """Retry pending, or failed after the maximum number of attempts."""
        self.ensure_one()
        attempts = self.pl_ksef_attempts + 1
        maximum = max(
            self._pl_ksef_int_param(PARAM_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS), 1
        )
        reason = self._pl_ksef_failure_text(failure)
        vals = {"pl_ksef_attempts": attempts}
        if failure["maybe_received"] and exchange and exchange.invoice_hash:
            vals.update(
                {
                    "pl_ksef_pending_hash": exchange.invoice_hash,
                    "l10n_pl_edi_session_id": exchange.session_id,
                }
            )
        if attempts >= maximum:
            message = self.env._(
                "Sending to KSeF failed %(attempts)s times (last time: %(reason)s). "
                "No more automatic attempts are made: check the connection to KSeF, "
                "then use 'Retry KSeF Sending'.",
                attempts=attempts,
                reason=reason,
            )
            vals.update(
                {
                    "l10n_pl_edi_status": "failed",
                    "pl_ksef_retry_at": False,
                    "l10n_pl_edi_header": message,
                }
            )
            self.write(vals)
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("KSeF sending failed"),
                note=message,
                user_id=(self.invoice_user_id or self.env.user).id,
            )
        else:
            retry_at = fields.Datetime.now() + timedelta(
                seconds=self._pl_ksef_retry_delay(attempts, failure["retry_after"])
            )
            message = self.env._(
                "Not in KSeF yet: %(reason)s. It will be sent again automatically "
                "after %(time)s (attempt %(attempts)s of %(maximum)s).",
                reason=reason,
                time=format_datetime(self.env, retry_at),
                attempts=attempts + 1,
                maximum=maximum,
            )
            vals.update(
                {
                    "l10n_pl_edi_status": "retry",
                    "pl_ksef_retry_at": retry_at,
                    "l10n_pl_edi_header": message,
                }
            )
            self.write(vals)
            self.env.ref("crm_invoicing_pl_ksef.ir_cron_pl_ksef_retry")._trigger(
                at=retry_at
            )
        self.with_context(no_new_invoice=True).sudo().message_post(body=message)
        return message

    # ------------------------------------------------------------------
    # Before and after an attempt
    # ------------------------------------------------------------------
    def _pl_ksef_find_in_session(self):
        """KSeF's record of the unconfirmed sending in its session, or None."""
        self.ensure_one()
        service = KsefApiService(self.company_id)
        endpoint = f"{service.api_url}/sessions/{self.l10n_pl_edi_session_id}/invoices"
        headers, tokens = {}, set()
        for _page in range(SESSION_LIST_MAX_PAGES):
            answer = service._make_request(
                "GET",
                endpoint,
                params={"pageSize": SESSION_LIST_PAGE_SIZE},
                headers=dict(headers),
            ).json()
            for invoice in answer.get("invoices") or ():
                if invoice.get("invoiceHash") == self.pl_ksef_pending_hash:
                    return invoice
            token = answer.get("continuationToken")
            if not token:
                return None
            if token in tokens:
                break
            tokens.add(token)
            headers["x-continuation-token"] = token
        raise UserError(
            self.env._(
                "KSeF's list of the invoices of session %(session)s did not end "
                "(more than %(pages)s pages): the sending of %(move)s is not "
                "confirmed yet and will be looked for again.",
                session=self.l10n_pl_edi_session_id,
                pages=SESSION_LIST_MAX_PAGES,
                move=self.display_name,
            )
        )

    def _pl_ksef_prepare_retry(self, move_data):
        """Whether a retry-pending invoice is to be sent now (else why not)."""
        self.ensure_one()
        if self.pl_ksef_retry_at and self.pl_ksef_retry_at > fields.Datetime.now():
            move_data["error"] = {
                "error_title": self.env._("Not sent to KSeF yet"),
                "errors": [
                    self.env._(
                        "KSeF asked to wait: %(move)s will be sent again "
                        "automatically after %(time)s.",
                        move=self.display_name,
                        time=format_datetime(self.env, self.pl_ksef_retry_at),
                    )
                ],
            }
            return False
        if self.pl_ksef_pending_hash and self.l10n_pl_edi_session_id:
            try:
                found = self._pl_ksef_find_in_session()
            except UserError as error:
                self._pl_ksef_record_failure(_failure(error, "lookup"))
                return False
            if found:
                message = self.env._(
                    "KSeF had received the invoice during an attempt that got no "
                    "answer: it was not sent again."
                )
                self.write(
                    {
                        "l10n_pl_edi_status": "sent",
                        "l10n_pl_edi_ref": found.get("referenceNumber"),
                        "l10n_pl_edi_header": message,
                        "pl_ksef_pending_hash": False,
                        "pl_ksef_retry_at": False,
                        "pl_ksef_attempts": 0,
                    }
                )
                self.with_context(no_new_invoice=True).sudo().message_post(body=message)
                self.env.ref(
                    "l10n_pl_edi.cron_auto_checks_the_polish_invoice_status"
                )._trigger()
                return False
        # l10n_pl_edi only sends invoices without a status.
        self.write({"l10n_pl_edi_status": False, "pl_ksef_pending_hash": False})
        return True

    def _pl_ksef_after_attempt(self, move_data, exchange, retrying=False):
        """Record the outcome of one sending attempt made by l10n_pl_edi."""
        self.ensure_one()
        error = move_data.get("error")
        if not error:
            if self.l10n_pl_edi_status == "sent":
                self.write(
                    {
                        "pl_ksef_attempts": 0,
                        "pl_ksef_retry_at": False,
                        "pl_ksef_pending_hash": False,
                        "pl_ksef_error_code": False,
                    }
                )
            return
        if exchange.temporary:
            # Not an error of the invoice: it stays to be sent (or failed,
            # said on the invoice) and the rest of the sending goes on.
            self._pl_ksef_record_failure(exchange.failure, exchange)
            move_data.pop("error")
        elif retrying:
            message = "\n".join([error["error_title"], *error.get("errors", ())])
            self.write({"l10n_pl_edi_status": "failed", "l10n_pl_edi_header": message})

    # ------------------------------------------------------------------
    # Retrying
    # ------------------------------------------------------------------
    def _pl_ksef_send_pending(self):
        """Send ``self`` to KSeF (KSeF only): new and retry-pending invoices."""
        self = self._pl_ksef_exchange()
        sender = self.env["account.move.send"]
        errors = {}
        for company, moves in self.grouped("company_id").items():
            data = {move: {"extra_edis": {"pl_ksef"}} for move in moves}
            sender.with_company(company)._call_web_service_before_invoice_pdf_render(
                data
            )
            sender.with_company(company)._link_invoice_documents(
                {move: vals for move, vals in data.items() if not vals.get("error")}
            )
            errors.update(
                {
                    move: vals["error"]
                    for move, vals in data.items()
                    if vals.get("error")
                }
            )
        return errors

    def _pl_ksef_exchange(self):
        """``self`` for recording the exchange with KSeF.

        Only KSeF's fields of posted invoices change, never their lines:
        Odoo's sync of the lines is skipped (as Odoo does around EDI sending
        in point_of_sale; it would clear Odoo's flags on every line at each
        invoice's first write, a third of the time of a batch session), and
        so is the balance check of each write (a flush and a query per
        invoice).

        The exchange's chatter lines (the XML and the UPO attached, the
        statuses, the failures) are internal notes for nobody: they are
        logged (``message_post`` below) without looking for recipients, a
        quarter of the time of a batch session.
        """
        return self.with_context(
            skip_invoice_sync=True, check_move_validity=False, pl_ksef_log=True
        )

    def _pl_ksef_prepare_sending_now(self):
        """A failed or waiting sending is to be made now, failed ones afresh."""
        waiting = self.filtered(
            lambda move: move.l10n_pl_edi_status in ("retry", "failed")
        )
        waiting.filtered(lambda move: move.l10n_pl_edi_status == "failed").write(
            {"l10n_pl_edi_status": "retry", "pl_ksef_attempts": 0}
        )
        waiting.write({"pl_ksef_retry_at": False})

    def action_pl_ksef_retry(self):
        """Send again, now, an invoice whose KSeF sending failed or waits."""
        self._pl_ksef_check_may_send()
        for move in self:
            if move.l10n_pl_edi_status not in ("retry", "failed"):
                raise UserError(
                    self.env._(
                        "%s is not waiting to be sent to KSeF: it is never sent twice.",
                        move.display_name,
                    )
                )
        self._pl_ksef_prepare_sending_now()
        # Checked above; the company's KSeF tokens are for administrators only.
        errors = self.sudo()._pl_ksef_send_pending()
        if errors:
            sender = self.env["account.move.send"]
            raise UserError(
                "\n".join(sender._format_error_text(error) for error in errors.values())
            )
        return True

    @api.model
    def _cron_pl_ksef_retry_sending(self):
        # Batch sessions left unfinished by an earlier run go on first.
        self.env["pl.ksef.batch"]._cron_pl_advance()
        moves = self.search(
            [
                ("state", "=", "posted"),
                ("l10n_pl_edi_status", "=", "retry"),
                "|",
                ("pl_ksef_retry_at", "=", False),
                ("pl_ksef_retry_at", "<=", fields.Datetime.now()),
            ],
            order="pl_ksef_retry_at, id",
            limit=MAX_INVOICES,
        )
        # One at a time: RETRY_BATCH a run; a company's batch: all of them.
        moves = moves.browse(
            [
                move.id
                for _company, company_moves in moves.grouped("company_id").items()
                for move in (
                    company_moves
                    if 0
                    < company_moves.company_id.pl_ksef_batch_threshold
                    <= len(company_moves)
                    else company_moves[:RETRY_BATCH]
                )
            ]
        )
        locked = moves.filtered(
            lambda move: self.env["res.company"]._with_locked_records(
                move, allow_raising=False
            )
        )
        for company, company_moves in locked.grouped("company_id").items():
            # A background job: its chatter lines in the company's language.
            moves_in_lang = company_moves.with_context(lang=company.partner_id.lang)
            # Sent together: a batch session when they reach the company's
            # threshold (models/account_move_send.py).
            errors = moves_in_lang._pl_ksef_send_pending()
            for move, error in errors.items():
                move.with_context(no_new_invoice=True).message_post(
                    body=move.env["account.move.send"]._format_error_html(error)
                )

    # ------------------------------------------------------------------
    # Status from KSeF
    # ------------------------------------------------------------------
    @api.model
    def _cron_l10n_pl_edi_check_invoice_status(self):
        # EXTENDS l10n_pl_edi: the company's batch sessions first; a background
        # job, its chatter lines in the language of the company it checks.
        self.env["pl.ksef.batch"].sudo().search(
            [
                ("company_id", "=", self.env.company.id),
                ("state", "in", ("open", "closed")),
            ]
        )._pl_advance()
        lang = self.env.company.partner_id.lang
        return super(
            AccountMove,
            self._pl_ksef_exchange().with_context(
                lang=lang, pl_ksef_batches_advanced=True
            ),
        )._cron_l10n_pl_edi_check_invoice_status()

    def _pl_ksef_rejection_text(self, status):
        """KSeF's rejection (code, description, details) in plain words."""
        code = status.get("code")
        details = "; ".join(status.get("details") or ())
        if code == 440:
            original = (status.get("extensions") or {}).get("originalKsefNumber")
            text = self.env._(
                "KSeF rejected the invoice as a duplicate (code 440): it already "
                "holds an invoice with this number from this seller%(original)s. "
                "It was not sent again.",
                original=self.env._(", KSeF number %s", original) if original else "",
            )
        elif code == 450:
            text = self.env._(
                "KSeF rejected the invoice (code 450): its content failed KSeF's "
                "checks. Correct the invoice (reset it to draft), then send it again."
            )
        else:
            text = self.env._(
                "KSeF rejected the invoice (code %(code)s): %(description)s.",
                code=code,
                description=status.get("description") or "-",
            )
        if details:
            text += " " + self.env._("KSeF said: %s", details)
        return text

    def action_l10n_pl_edi_update_invoice_status(self):
        # EXTENDS l10n_pl_edi: an invoice of a batch session has its status
        # once the session is processed; a document outside KSeF has nothing
        # to ask about; the rejection in plain words with its code, the UPO
        # of an accepted invoice at once.
        if self._pl_ksef_in_open_batch():
            if not self.env.context.get("pl_ksef_batches_advanced"):
                self._pl_ksef_check_may_send()
                self.pl_ksef_batch_id.sudo()._pl_advance()
            if self._pl_ksef_in_open_batch():
                return {"type": "ir.actions.client", "tag": "reload"}
        for move in self:
            if reason := move._pl_ksef_not_applicable_reason():
                raise UserError(reason)
        with ksef_exchange() as exchange:
            result = super().action_l10n_pl_edi_update_invoice_status()
        status = (exchange.invoice_status or {}).get("status") or {}
        if self.l10n_pl_edi_status == "rejected" and status.get("code"):
            message = self._pl_ksef_rejection_text(status)
            self.write(
                {"pl_ksef_error_code": status["code"], "l10n_pl_edi_header": message}
            )
            self.with_context(no_new_invoice=True).sudo().message_post(body=message)
        elif self.l10n_pl_edi_status == "accepted" and not self.l10n_pl_edi_upo_id:
            self.action_l10n_pl_edi_get_invoice_UPO()
        return result

    # ------------------------------------------------------------------
    # Draft
    # ------------------------------------------------------------------
    def write(self, vals):
        # EXTENDS account: an invoice KSeF holds (or may hold) never leaves the
        # posted state, whoever asks and however (button, ORM, JSON-RPC): the
        # books must keep matching KSeF. Art. 106j: a correction invoice is
        # the only legal way to change an invoice that was issued.
        if vals.get("state") in ("draft", "cancel"):
            self._pl_ksef_check_can_leave_posted()
        if vals.get("state") == "draft":
            # Back to draft (only possible before KSeF has it): an offline
            # invoice is issued again.
            vals = dict(vals, pl_ksef_offline_file=False)
        res = super().write(vals)
        # Switched to an offline mode: its file is fixed now.
        if vals.get("pl_ksef_issue_mode") in OFFLINE_MODES:
            self._pl_ksef_offline_freeze()
        return res

    def _pl_ksef_check_can_leave_posted(self):
        for move in self.filtered(lambda m: m.state == "posted"):
            status = move.l10n_pl_edi_status
            if status in ("sent", "accepted"):
                raise UserError(
                    self.env._(
                        "%(invoice)s was sent to KSeF (%(status)s%(number)s): it "
                        "cannot be reset to draft or cancelled. To change it, "
                        "issue a correction invoice (faktura korygująca, art. 106j "
                        "of the VAT Act).",
                        invoice=move.display_name,
                        status=dict(
                            move._fields["l10n_pl_edi_status"]._description_selection(
                                self.env
                            )
                        )[status],
                        number=(
                            self.env._(", KSeF number %s", move.l10n_pl_edi_number)
                            if move.l10n_pl_edi_number
                            else ""
                        ),
                    )
                )
            if status == "retry":
                raise UserError(
                    self.env._(
                        "%(invoice)s is being sent to KSeF and KSeF may already "
                        "hold it: it cannot be reset to draft until the sending "
                        "has finished or failed.",
                        invoice=move.display_name,
                    )
                )

    def button_draft(self):
        # EXTENDS l10n_pl_edi: a failed or rejected invoice can be corrected
        # and sent again.
        moves = self.filtered(
            lambda move: move.l10n_pl_edi_status in ("failed", "rejected")
        )
        res = super().button_draft()
        if not moves:  # Odoo calls this on empty sets for every item written
            return res
        moves.write(
            {
                "l10n_pl_edi_status": False,
                "l10n_pl_edi_header": False,
                "pl_ksef_attempts": 0,
                "pl_ksef_retry_at": False,
                "pl_ksef_error_code": False,
                "pl_ksef_pending_hash": False,
            }
        )
        return res

    @api.depends("l10n_pl_edi_status")
    def _compute_show_reset_to_draft_button(self):
        # EXTENDS l10n_pl_edi: not while KSeF may hold or is about to get it.
        res = super()._compute_show_reset_to_draft_button()
        for move in self:
            if move.l10n_pl_edi_status == "retry":
                move.show_reset_to_draft_button = False
        return res

    # ------------------------------------------------------------------
    # Offline invoices
    # ------------------------------------------------------------------
    pl_ksef_offline_file = fields.Binary(
        string="FA(3) File Issued Offline",
        attachment=True,
        readonly=True,
        copy=False,
        help="The FA(3) file of an invoice issued offline, as handed over: it "
        "is the file sent to KSeF later, and its hash is printed in the "
        "verification codes.",
    )
    pl_ksef_offline_warning = fields.Char(
        string="KOD II Missing",
        compute="_compute_pl_ksef_offline_warning",
    )

    # ------------------------------------------------------------------
    # The file issued offline
    # ------------------------------------------------------------------
    def _pl_ksef_offline_to_freeze(self):
        return self.filtered(
            lambda m: (
                m.state == "posted"
                and m.pl_ksef_issue_mode in OFFLINE_MODES
                and m.move_type in ("out_invoice", "out_refund")
                and not m.pl_ksef_offline_file
                and not m.l10n_pl_edi_status
                and m.company_id.sudo().l10n_pl_edi_register
                and m._pl_ksef_applicable()
            )
        )

    def _pl_ksef_offline_freeze(self):
        """Render and keep the FA(3) file of the offline invoices of ``self``."""
        for move in self._pl_ksef_offline_to_freeze():
            xml = move._l10n_pl_edi_render_xml().encode()
            move.pl_ksef_offline_file = base64.b64encode(xml)

    def _pl_ksef_offline_xml(self):
        """The FA(3) file issued offline (bytes), or b""."""
        self.ensure_one()
        if self.state != "posted" or not self.pl_ksef_offline_file:
            return b""
        return base64.b64decode(self.with_context(bin_size=False).pl_ksef_offline_file)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._pl_ksef_offline_freeze()
        return posted

    # ------------------------------------------------------------------
    # KOD II
    # ------------------------------------------------------------------
    def _pl_ksef_certificate_code_due(self):
        """Whether the printout needs KOD II: an invoice in an offline mode,
        or one handed over before its KSeF number exists (art. 106nda)."""
        self.ensure_one()
        return self.pl_ksef_issue_mode in OFFLINE_MODES or not self.l10n_pl_edi_number

    def _pl_ksef_certificate_link(self, invoice_link):
        """The signed KOD II link of the file of KOD I ``invoice_link``."""
        self.ensure_one()
        company = self.company_id
        try:
            seller_nip, _issue_date = ksef_qr.invoice_identity(self._pl_ksef_sent_xml())
            return ksef_qr_offline.certificate_link(
                "Nip",
                company.vat,
                seller_nip,
                company._pl_ksef_offline_serial(),
                invoice_link.rsplit("/", 1)[1],
                company._pl_ksef_offline_private_key(),
                self._pl_ksef_environment(),
            )
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The KSeF certificate code (KOD II) of %(document)s cannot be "
                    "printed: %(error)s.",
                    document=self.display_name,
                    error=error,
                )
            ) from error

    @api.depends(
        "state",
        "move_type",
        "pl_ksef_issue_mode",
        "l10n_pl_edi_number",
        "l10n_pl_edi_status",
        "company_id",
    )
    def _compute_pl_ksef_offline_warning(self):
        # Warned, never refused: the invoice is valid, its printout lacks the
        # code that proves its issuer.
        for move in self:
            warning = False
            if (
                move.state == "posted"
                and move.move_type in ("out_invoice", "out_refund")
                and move.company_id.sudo().l10n_pl_edi_register
                and not move.l10n_pl_edi_number
                and move.l10n_pl_edi_status != "rejected"
                and (
                    move.pl_ksef_issue_mode in OFFLINE_MODES or move.l10n_pl_edi_status
                )
                and move._pl_ksef_applicable()
            ):
                problem = move.company_id._pl_ksef_offline_signing_problem()
                if problem:
                    warning = move.env._(
                        "Handed over before KSeF gives its number, this invoice is an "
                        "offline invoice (art. 106nda) and its printout needs the "
                        "certificate code KOD II, but %s: only KOD I is printed.",
                        problem,
                    )
            move.pl_ksef_offline_warning = warning

    # ------------------------------------------------------------------
    # KSeF from the invoice list
    # ------------------------------------------------------------------
    pl_ksef_state = fields.Selection(
        selection="_selection_pl_ksef_state",
        string="KSeF",
        compute="_compute_pl_ksef_state",
        help="Where the document stands in KSeF. Not Sent: issued, to be sent.",
    )

    @api.model
    def _selection_pl_ksef_state(self):
        status = self._fields["l10n_pl_edi_status"]._description_selection(self.env)
        return [("to_send", self.env._("Not Sent")), *status]

    @api.depends(
        "state",
        "move_type",
        "company_id",
        "partner_id",
        "l10n_pl_edi_status",
        "pl_document_type_id",
    )
    def _compute_pl_ksef_state(self):
        for move in self:
            if move.l10n_pl_edi_status:
                move.pl_ksef_state = move.l10n_pl_edi_status
            elif move.state == "posted" and move._pl_ksef_sendable():
                move.pl_ksef_state = "to_send"
            else:
                move.pl_ksef_state = False

    def _pl_ksef_sendable(self):
        """Whether KSeF applies to this customer document of its company."""
        self.ensure_one()
        is_applicable = self.env["account.move.send"]._get_all_extra_edis()["pl_ksef"][
            "is_applicable"
        ]
        # The company's KSeF registration is read through its certificate,
        # a field of administrators only.
        return self.is_sale_document() and is_applicable(self.sudo())

    # ------------------------------------------------------------------
    # Sending a selection
    # ------------------------------------------------------------------
    @api.model
    def _pl_ksef_user_may_send(self, user):
        """Whether ``user`` may send documents to KSeF (invoicing users)."""
        return user._is_superuser() or user.has_group(SENDING_GROUP)

    def _pl_ksef_check_may_send(self):
        """Refuse users who may not send these documents to KSeF."""
        if not (self.env.su or self._pl_ksef_user_may_send(self.env.user)):
            raise AccessError(
                self.env._("Only invoicing users may send documents to KSeF.")
            )
        self.check_access("write")

    def _pl_ksef_skip_reason(self):
        """Why sending the selection leaves this document out ("" if it does not)."""
        self.ensure_one()
        if self.state != "posted":
            return self.env._(
                "%s is not posted: only issued invoices go to KSeF.", self.display_name
            )
        if not self._pl_ksef_sendable():
            return self._pl_ksef_not_applicable_reason() or self.env._(
                "%s is not sent to KSeF: it is not a customer document of a "
                "company registered in KSeF.",
                self.display_name,
            )
        if self.l10n_pl_edi_status == "accepted":
            return self.env._(
                "%(move)s is already in KSeF (KSeF number %(number)s).",
                move=self.display_name,
                number=self.l10n_pl_edi_number or "-",
            )
        if self.l10n_pl_edi_status == "sent":
            return self.env._(
                "%s is already sent to KSeF and waits for its status.",
                self.display_name,
            )
        if self.l10n_pl_edi_status == "rejected":
            return self.env._(
                "%s was rejected by KSeF: correct it (reset to draft), then send "
                "it again.",
                self.display_name,
            )
        return ""

    def action_pl_ksef_send(self):
        """Send the selected documents to KSeF; a summary of what happened."""
        self._pl_ksef_check_may_send()
        skipped = {move: move._pl_ksef_skip_reason() for move in self}
        moves = self.filtered(lambda move: not skipped[move])
        skipped = {move: reason for move, reason in skipped.items() if reason}
        moves._pl_ksef_prepare_sending_now()
        # Checked above: sent like the sending wizard sends (as superuser:
        # the company's KSeF tokens are fields of administrators only).
        errors = moves.sudo()._pl_ksef_send_pending() if moves else {}
        sender = self.env["account.move.send"]
        failed = {}
        for move in moves:
            if move in errors:
                failed[move] = sender._format_error_text(errors[move])
            elif move.l10n_pl_edi_status not in ("sent", "accepted"):
                # A temporary failure: recorded on the move, retried by the cron.
                failed[move] = html2plaintext(move.l10n_pl_edi_header or "")
        sent = moves.filtered(lambda move: move not in failed)
        return self._pl_ksef_sending_summary(sent, skipped, failed)

    def _pl_ksef_sending_summary(self, sent, skipped, failed):
        """The notification of ``action_pl_ksef_send`` (then the list reloads)."""
        parts = [
            self.env._(
                "Sent to KSeF: %(sent)s, skipped: %(skipped)s, not sent: %(failed)s.",
                sent=len(sent),
                skipped=len(skipped),
                failed=len(failed),
            )
        ]
        parts += [str(reason) for reason in skipped.values()]
        parts += [
            self.env._("%(move)s: %(reason)s", move=move.display_name, reason=reason)
            for move, reason in failed.items()
        ]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Sending to KSeF"),
                "message": " ".join(parts),
                "type": "danger" if failed else "warning" if skipped else "success",
                "sticky": bool(failed or skipped),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # UPO and KOD I
    # ------------------------------------------------------------------
    def action_pl_ksef_download_upo(self):
        """Download the UPO of the accepted invoice (fetched when not stored)."""
        self.ensure_one()
        self.check_access("read")
        if not self.l10n_pl_edi_upo_id:
            # Fetched from KSeF and stored on the invoice.
            self.check_access("write")
            return self.sudo().action_l10n_pl_edi_get_invoice_UPO()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.l10n_pl_edi_upo_id.id}?download=true",
            "target": "download",
        }

    def action_pl_ksef_open_verification(self):
        """Open KSeF's verification page of the invoice (the link of KOD I)."""
        self.ensure_one()
        self.check_access("read")
        link = self._pl_ksef_qr_link()
        if not link:
            raise UserError(
                self.env._(
                    "%s has not been sent to KSeF: it has no verification link.",
                    self.display_name,
                )
            )
        return {"type": "ir.actions.act_url", "url": link, "target": "new"}

    # ------------------------------------------------------------------
    # l10n_pl_edi's KSeF messages in the user's language
    # ------------------------------------------------------------------
    def _l10n_pl_edi_check_mandatory_fields(self):
        # EXTENDS l10n_pl_edi
        errors = super()._l10n_pl_edi_check_mandatory_fields()
        texts = {
            "vat_missing": self.env._(
                "You must have a VAT number to be able to issue e-invoices\n"
            ),
            "address_problem": self.env._(
                "Please complete the address of your company\n"
            ),
        }
        for key, error in errors.items():
            if key in texts:
                error["message"] = texts[key]
        return errors

    def _l10n_pl_edi_get_status_mapping(self):
        # EXTENDS l10n_pl_edi
        texts = {
            100: self.env._(
                "KSeF Status: Invoice accepted for further processing (Code: 100)."
            ),
            150: self.env._("KSeF Status: Processing in progress (Code: 150)."),
            200: self.env._("KSeF Status: Success (Code: 200). Invoice accepted."),
            405: self.env._("KSeF Status: Rejected (Code: 405). Processing canceled."),
            410: self.env._(
                "KSeF Status: Rejected (Code: 410). Incorrect scope of permissions."
            ),
            415: self.env._(
                "KSeF Status: Rejected (Code: 415). It is not possible to send an "
                "invoice with an attachment."
            ),
            430: self.env._(
                "KSeF Status: Rejected (Code: 430). Invoice file verification error."
            ),
            435: self.env._(
                "KSeF Status: Rejected (Code: 435). File decryption error."
            ),
            440: self.env._("KSeF Status: Rejected (Code: 440). Duplicate invoice."),
            450: self.env._(
                "KSeF Status: Rejected (Code: 450). Invoice document semantics "
                "verification error."
            ),
            500: self.env._("KSeF Status: Error (Code: 500). Unknown error."),
        }
        return {
            code: (status, texts.get(code, message))
            for code, (status, message) in super()
            ._l10n_pl_edi_get_status_mapping()
            .items()
        }

    def message_post(self, **kwargs):
        # EXTENDS mail: l10n_pl_edi's chatter lines on the files it attaches
        body = kwargs.get("body")
        if isinstance(body, str):
            texts = {
                "The KSeF XML has been attached.": self.env._(
                    "The KSeF XML has been attached."
                ),
                "The KSeF Official Confirmation of Receipt (UPO) has been "
                "downloaded and attached.": self.env._(
                    "The KSeF Official Confirmation of Receipt (UPO) has been "
                    "downloaded and attached."
                ),
            }
            kwargs["body"] = texts.get(body, body)
        if self.env.context.get("pl_ksef_log") and set(kwargs) <= LOG_ARGUMENTS:
            # A line of the KSeF exchange (_pl_ksef_exchange): an internal
            # note nobody is notified of, as mail's _message_log writes it.
            return self._message_log(
                body=kwargs.get("body", ""),
                attachment_ids=[
                    Command.link(attachment)
                    for attachment in kwargs.get("attachment_ids") or ()
                ],
            )
        return super().message_post(**kwargs)

    # ------------------------------------------------------------------
    # Batch sessions
    # ------------------------------------------------------------------
    pl_ksef_batch_id = fields.Many2one(
        "pl.ksef.batch",
        string="KSeF Batch Session",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def _pl_ksef_batch_file_name(self):
        """The invoice's file name in a batch package (unique, at most 128).

        KSeF reports each invoice of a batch by this name. It never changes
        while the invoice waits for KSeF: a sent invoice keeps its number.
        """
        self.ensure_one()
        stem = NAME_UNSAFE.sub("_", self.name or "")[:100]
        return f"{stem}-{self.id}.xml"

    def _pl_ksef_batch_result(self, entry):
        """Write KSeF's status of the invoice in its processed batch session."""
        self.ensure_one()
        status = entry.get("status") or {}
        code = status.get("code")
        vals = {"l10n_pl_edi_ref": entry.get("referenceNumber")}
        if code in (100, 150):
            # Not decided yet: l10n_pl_edi's status cron asks for it by its
            # reference, as for an invoice sent alone.
            self.write(vals)
            return
        if code == 200:
            message = self._l10n_pl_edi_get_status_mapping()[200][1]
            vals.update(
                {
                    "l10n_pl_edi_status": "accepted",
                    "l10n_pl_edi_number": entry.get("ksefNumber"),
                    "l10n_pl_edi_header": message,
                    "pl_ksef_attempts": 0,
                    "pl_ksef_error_code": False,
                }
            )
        else:
            message = self._pl_ksef_rejection_text(status)
            vals.update(
                {
                    "l10n_pl_edi_status": "rejected",
                    "l10n_pl_edi_header": message,
                    "pl_ksef_error_code": code,
                }
            )
        self.write(vals)
        self.with_context(no_new_invoice=True).sudo().message_post(body=message)
        if code == 200:
            self.action_l10n_pl_edi_get_invoice_UPO()

    def _pl_ksef_batch_release(self, reason):
        """Not in KSeF after all: to be sent again (retry pending).

        The XML attached at the sending never reached KSeF: it goes, the one
        sent next is attached instead.
        """
        failure = {
            "kind": "error",
            "http_status": None,
            "retry_after": None,
            "maybe_received": False,
            "reason": reason,
        }
        for move in self:
            move.write(
                {
                    "l10n_pl_edi_status": "retry",
                    "l10n_pl_edi_session_id": False,
                    "l10n_pl_edi_ref": False,
                    "l10n_pl_edi_attachment_file": False,
                }
            )
            move._pl_ksef_record_failure(failure)

    def _pl_ksef_in_open_batch(self):
        """Whether the invoice waits for its batch session to be processed."""
        self.ensure_one()
        return bool(
            self.pl_ksef_batch_id
            and self.l10n_pl_edi_status == "sent"
            and not self.l10n_pl_edi_ref
        )
