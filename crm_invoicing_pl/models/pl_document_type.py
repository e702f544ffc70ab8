from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, date_utils

DOCUMENT_KINDS = [
    ("vat", "Faktura VAT"),
    ("proforma", "Pro forma"),
    ("advance", "Advance invoice"),
    ("final", "Final invoice"),
    ("correction", "Correction invoice"),
]

# Kinds issued as customer invoices; a correction is a customer credit note.
KIND_MOVE_TYPE = {
    "vat": "out_invoice",
    "proforma": "out_invoice",
    "advance": "out_invoice",
    "final": "out_invoice",
    "correction": "out_refund",
}


class PlDocumentType(models.Model):
    """A Polish sales document type: its series, printout and journal."""

    _name = "pl.document.type"
    _description = "Polish Sales Document Type"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(DOCUMENT_KINDS, required=True, default="vat")
    title = fields.Char(
        string="Printed Title",
        required=True,
        translate=True,
        help="Title printed at the top of the document, e.g. 'Faktura VAT'.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Default Journal",
        check_company=True,
        domain="[('type', '=', 'sale')]",
        help="Journal proposed for new documents of this type.",
    )
    is_default = fields.Boolean(
        string="Default for its Kind",
        help="Used for new documents of this kind when none is chosen.",
    )
    number_prefix = fields.Char(
        required=True,
        help="Series prefix: FV gives numbers such as FV/15/11/2026.",
    )
    number_reset = fields.Selection(
        [("month", "Monthly"), ("year", "Yearly")],
        string="Numbering Reset",
        required=True,
        default="month",
        help="Monthly: FV/15/11/2026, counter restarts every month. "
        "Yearly: FV/15/2026, counter restarts every year.",
    )
    sequence_id = fields.Many2one(
        "ir.sequence",
        string="Number Series",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    number_example = fields.Char(compute="_compute_number_example")
    report_template = fields.Selection(
        [("goods", "Goods"), ("services", "Services")],
        string="Print Template",
        required=True,
        default="goods",
        help="Goods: unit and quantity columns. Services: service description "
        "with its period, without a unit column.",
    )
    move_type = fields.Selection(
        [("out_invoice", "Customer Invoice"), ("out_refund", "Customer Credit Note")],
        compute="_compute_move_type",
        store=True,
    )
    _prefix_company_uniq = models.Constraint(
        "UNIQUE(number_prefix, company_id)",
        "Each document type needs its own number series prefix.",
    )

    @api.depends("kind")
    def _compute_move_type(self):
        for doc_type in self:
            doc_type.move_type = KIND_MOVE_TYPE[doc_type.kind]

    @api.depends("number_prefix", "number_reset")
    def _compute_number_example(self):
        today = fields.Date.context_today(self)
        for doc_type in self:
            doc_type.number_example = doc_type._format_number(1, today)

    @api.constrains("number_prefix")
    def _check_number_prefix(self):
        for doc_type in self:
            prefix = doc_type.number_prefix or ""
            if not prefix.strip() or "%" in prefix or "/" in prefix.strip("/"):
                raise ValidationError(
                    self.env._(
                        "The prefix “%s” is not valid: use letters such as FV, "
                        "without '/' or '%%'.",
                        prefix,
                    )
                )

    @api.constrains("is_default", "kind", "company_id", "active")
    def _check_single_default(self):
        for doc_type in self.filtered(lambda t: t.is_default and t.active):
            others = self.search_count(
                [
                    ("id", "!=", doc_type.id),
                    ("company_id", "=", doc_type.company_id.id),
                    ("kind", "=", doc_type.kind),
                    ("is_default", "=", True),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "Only one document type per kind can be the default "
                        "(%(kind)s, %(company)s).",
                        kind=doc_type._fields["kind"].convert_to_export(
                            doc_type.kind, doc_type
                        ),
                        company=doc_type.company_id.name,
                    )
                )

    @api.model
    def _default_for(self, company, move_type):
        """The default document type of ``company`` for ``move_type``."""
        if not company or move_type not in ("out_invoice", "out_refund"):
            return self.browse()
        kind = "correction" if move_type == "out_refund" else "vat"
        return self.search(
            [("company_id", "=", company.id), ("kind", "=", kind)],
            order="is_default desc, sequence, id",
            limit=1,
        )

    @api.model
    def _create_defaults(self, companies):
        """Create the standard Polish document types for ``companies``."""
        for company in companies:
            existing = set(
                self.with_context(active_test=False)
                .search([("company_id", "=", company.id)])
                .mapped("kind")
            )
            journal = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(company),
                    ("type", "=", "sale"),
                ],
                limit=1,
            )
            self.create(
                [
                    {
                        **values,
                        "company_id": company.id,
                        "journal_id": journal.id,
                        "is_default": True,
                    }
                    for values in self._default_values()
                    if values["kind"] not in existing
                ]
            )

    @api.model
    def _default_values(self):
        return [
            {
                "kind": "vat",
                "name": self.env._("Faktura VAT"),
                "title": self.env._("Faktura VAT"),
                "number_prefix": "FV",
                "sequence": 1,
            },
            {
                "kind": "proforma",
                "name": self.env._("Faktura pro forma"),
                "title": self.env._("Faktura pro forma"),
                "number_prefix": "PF",
                "sequence": 2,
            },
            {
                "kind": "advance",
                "name": self.env._("Faktura zaliczkowa"),
                "title": self.env._("Faktura zaliczkowa"),
                "number_prefix": "FZ",
                "sequence": 3,
            },
            {
                "kind": "final",
                "name": self.env._("Faktura końcowa"),
                "title": self.env._("Faktura końcowa"),
                "number_prefix": "FK",
                "sequence": 4,
            },
            {
                "kind": "correction",
                "name": self.env._("Faktura korygująca"),
                "title": self.env._("Faktura korygująca"),
                "number_prefix": "KOR",
                "sequence": 5,
            },
        ]

    # ------------------------------------------------------------------
    # Number series
    # ------------------------------------------------------------------
    def _sequence_affixes(self):
        self.ensure_one()
        prefix = "%s/" % self.number_prefix.strip().strip("/")
        if self.number_reset == "month":
            return prefix, "/%(range_month)s/%(range_year)s"
        return prefix, "/%(range_year)s"

    def _format_number(self, counter, date):
        self.ensure_one()
        if not self.number_prefix:
            return False
        prefix, suffix = self._sequence_affixes()
        values = {"range_month": "%02d" % date.month, "range_year": "%04d" % date.year}
        return "%s%d%s" % (prefix, counter, suffix % values)

    def _sequence_values(self):
        self.ensure_one()
        prefix, suffix = self._sequence_affixes()
        return {
            "name": "%s (%s)" % (self.name, self.company_id.name),
            "code": "pl.document.type.%s" % self.kind,
            "implementation": "no_gap",
            "use_date_range": True,
            "prefix": prefix,
            "suffix": suffix,
            "padding": 1,
            "company_id": self.company_id.id,
        }

    @api.model_create_multi
    def create(self, vals_list):
        doc_types = super().create(vals_list)
        for doc_type in doc_types:
            doc_type.sequence_id = (
                self.env["ir.sequence"].sudo().create(doc_type._sequence_values())
            )
        return doc_types

    def write(self, vals):
        res = super().write(vals)
        if {"number_prefix", "number_reset", "name"} & set(vals):
            for doc_type in self.filtered("sequence_id"):
                doc_type.sequence_id.sudo().write(
                    {
                        key: value
                        for key, value in doc_type._sequence_values().items()
                        if key in ("name", "prefix", "suffix")
                    }
                )
        return res

    def _period_bounds(self, date):
        self.ensure_one()
        granularity = "month" if self.number_reset == "month" else "year"
        return date_utils.start_of(date, granularity), date_utils.end_of(
            date, granularity
        )

    def _next_number(self, date):
        """Take the next gap-free number of the series for ``date``.

        The counter row is locked until the transaction ends, so two users
        posting at once get consecutive numbers; the loser of the race gets a
        serialization error that Odoo retries, and a rolled back posting gives
        its number back.
        """
        self.ensure_one()
        sequence = self.sequence_id.sudo()
        date_from, date_to = self._period_bounds(date)
        date_range = (
            self.env["ir.sequence.date_range"]
            .sudo()
            .search(
                [
                    ("sequence_id", "=", sequence.id),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                ],
                limit=1,
            )
        )
        if not date_range:
            # A concurrent transaction opening the same period makes this
            # insert fail with a serialization error, which Odoo retries on a
            # fresh snapshot that sees the other counter.
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO ir_sequence_date_range
                        (sequence_id, date_from, date_to, number_next,
                         create_uid, create_date, write_uid, write_date)
                    VALUES (%(seq)s, %(date_from)s, %(date_to)s, 1,
                            %(uid)s, now() at time zone 'UTC',
                            %(uid)s, now() at time zone 'UTC')
                    ON CONFLICT (sequence_id, date_from, date_to) DO NOTHING
                    RETURNING id
                    """,
                    seq=sequence.id,
                    date_from=date_from,
                    date_to=date_to,
                    uid=self.env.uid,
                ),
                log_exceptions=False,
            )
            date_range = date_range.browse(self.env.cr.fetchone()[0])
        return date_range.with_context(ir_sequence_date_range=date_from)._next()
