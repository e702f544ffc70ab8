import logging
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.interest import InterestError, interest
from ..tools.nbp_reference import (
    COMMERCIAL_HEALTH_MARGIN,
    COMMERCIAL_MARGIN,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    NbpReferenceClient,
    NbpReferenceError,
    civil_rates,
    commercial_rates,
)

_logger = logging.getLogger(__name__)

NBP_RATES_URL_PARAM = "crm_dunning.nbp_rates_url"
NBP_RATES_TIMEOUT_PARAM = "crm_dunning.nbp_rates_timeout"
# The feed writes civil-law rates from the start of the seeded table on.
CIVIL_FEED_SINCE = fields.Date.to_date("2016-01-01")
# A warning when a kind has no rate for a day of the next COVERAGE_DAYS.
COVERAGE_DAYS = 30
# The fields a consultant changes on a row that makes it theirs.
_MANUAL_FIELDS = ("kind", "date_from", "date_to", "rate", "active")
_CENTS = Decimal("0.01")
_DEFER_CHECK = "crm_dunning_defer_rate_check"

INTEREST_KINDS = [
    ("commercial", "Commercial transactions (reference rate + 10 pp)"),
    (
        "commercial_health",
        "Commercial, public healthcare debtor (reference rate + 8 pp)",
    ),
    ("civil", "Civil-law delay interest (reference rate + 5.5 pp)"),
]


class CrmDunningInterestRate(models.Model):
    """Statutory interest rate in force over a period, editable.

    Commercial-transaction rates change by half-year (the reference rate in
    force on 1 January / 1 July, art. 11b of the late-payment act); civil-law
    delay interest changes with every reference-rate change. The seed comes
    from the published notices and the NBP reference rate: the rows the NBP
    feed derives itself are shipped as its own (origin "nbp"), so that it
    corrects, closes and extends them; the rest can be extended by hand.
    """

    _name = "crm.dunning.interest.rate"
    _description = "Statutory Interest Rate"
    _order = "kind, date_from desc"
    _rec_name = "kind"

    kind = fields.Selection(INTEREST_KINDS, required=True, default="commercial")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", help="Empty: in force until further notice.")
    # A percentage: never summed in grouped lists.
    rate = fields.Float(
        string="Annual Rate (%)", digits=(5, 2), required=True, aggregator=None
    )
    source = fields.Char(
        help="Where the rate comes from, e.g. the Monitor Polski notice."
    )
    origin = fields.Selection(
        [("manual", "Typed In"), ("nbp", "NBP Feed")],
        string="Rate Origin",
        required=True,
        default="manual",
        help="Typed In: entered or confirmed by a person (the shipped "
        "2016-2019 commercial rates too); the NBP feed never changes it. NBP "
        "Feed: derived from the NBP reference rate by the daily update, which "
        "keeps it up to date (the shipped civil-law rates and commercial rates "
        "from 2020 on too); editing such a rate makes it typed in.",
    )
    active = fields.Boolean(default=True)
    nbp_conflict_date = fields.Date(
        string="NBP Differs From",
        readonly=True,
        help="Set by the NBP update on a typed-in rate: from this day the "
        "rate derived from the NBP reference rate differs from the typed-in "
        "one. The typed-in rate is kept; check it.",
    )
    nbp_conflict_rate = fields.Float(
        string="NBP Rate (%)", digits=(5, 2), readonly=True, aggregator=None
    )

    def write(self, vals):
        """A consultant's change of a fed rate makes it theirs (typed in)."""
        if (
            not (self.env.su and self.env.context.get("crm_dunning_nbp_feed"))
            and "origin" not in vals
            and any(name in vals for name in _MANUAL_FIELDS)
        ):
            # Theirs now, and checked: the next update says again if NBP
            # differs.
            vals = dict(
                vals, origin="manual", nbp_conflict_date=False, nbp_conflict_rate=0.0
            )
        return super().write(vals)

    @api.constrains("kind", "date_from", "date_to", "rate", "active")
    def _check_period(self):
        # The NBP feed checks once after writing all its rows (a flag of the
        # transaction, not of the context, which a client could set).
        if self.env.cr.cache.get(_DEFER_CHECK):
            return
        for record in self:
            if record.date_to and record.date_to < record.date_from:
                raise ValidationError(
                    self.env._("The end of a rate period cannot be before its start.")
                )
            if not 0.0 <= record.rate <= 100.0:
                raise ValidationError(
                    self.env._("An annual interest rate must be between 0 and 100 %.")
                )
            if not record.active:
                # Archived: no longer in the table, overlaps nothing.
                continue
            overlapping = self.search(
                [
                    ("id", "!=", record.id),
                    ("kind", "=", record.kind),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", record.date_from),
                ]
                + ([("date_from", "<=", record.date_to)] if record.date_to else []),
                limit=1,
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "The rate from %(start)s overlaps the rate from %(other)s of "
                        "the same kind: end the earlier period first.",
                        start=record.date_from,
                        other=overlapping.date_from,
                    )
                )

    @api.model
    def _pl_table(self, kind):
        """The rates of ``kind`` as (date_from, date_to or None, rate) rows."""
        return [
            (record.date_from, record.date_to or None, record.rate)
            for record in self.search([("kind", "=", kind)], order="date_from")
        ]

    @api.model
    def _pl_interest(
        self, kind, amount, due_date, paid_date, denominator=365, rates=None
    ):
        """Interest of ``amount`` paid on ``paid_date`` instead of ``due_date``.

        Uses ``rates`` (e.g. a contractual rate), else the table of ``kind``;
        returns the tools' ``InterestResult`` (lines split at every rate
        change, total rounded to the grosz). A missing rate or bad input is
        a translated UserError.
        """
        if rates is None:
            rates = self._pl_table(kind)
        try:
            return interest(amount, due_date, paid_date, rates, denominator)
        except InterestError as exc:
            kind_label = dict(
                self._fields["kind"]._description_selection(self.env),
                contractual=self.env._("Contractual rate"),
            )[kind]
            messages = {
                "rate_missing": self.env._(
                    "No statutory interest rate (%(kind)s) covers the whole period "
                    "from %(due)s to %(paid)s: there is no rate from %(missing)s; "
                    "add the missing period in Statutory Interest Rates or update "
                    "them from NBP.",
                    kind=kind_label,
                    due=due_date,
                    paid=paid_date,
                    missing=exc.day or due_date,
                ),
                "rate_overlap": self.env._(
                    "The statutory interest rates (%(kind)s) overlap: correct the "
                    "table first.",
                    kind=kind_label,
                ),
            }
            raise UserError(
                messages.get(
                    exc.code,
                    self.env._("The interest cannot be computed: %s", exc),
                )
            ) from exc

    # --- NBP feed --------------------------------------------------------

    @api.model
    def _pl_nbp_client(self):
        params = self.env["ir.config_parameter"].sudo()
        url = params.get_param(NBP_RATES_URL_PARAM) or DEFAULT_BASE_URL
        try:
            timeout = float(params.get_param(NBP_RATES_TIMEOUT_PARAM) or 0)
        except ValueError:
            timeout = 0
        return NbpReferenceClient(
            base_url=url, timeout=timeout if timeout > 0 else DEFAULT_TIMEOUT
        )

    @api.model
    def _pl_nbp_error_message(self, error):
        messages = {
            "timeout": self.env._(
                "NBP did not answer in time; the statutory interest rates were "
                "not changed. Try again later."
            ),
            "unreachable": self.env._(
                "The NBP interest rates cannot be reached; the statutory interest "
                "rates were not changed. Try again later."
            ),
            "http_error": self.env._(
                "NBP refused to give its interest rates (%s); the statutory "
                "interest rates were not changed. Try again later.",
                error,
            ),
            "malformed": self.env._(
                "The NBP interest rates file cannot be read (%s); the statutory "
                "interest rates were not changed.",
                error,
            ),
            "empty": self.env._(
                "The NBP interest rates file holds no reference rate; the "
                "statutory interest rates were not changed."
            ),
        }
        return messages.get(error.code, str(error))

    @api.model
    def _pl_nbp_wanted(self, history, today):
        """The rates the NBP history gives: {kind: [(from, to or None, Decimal)]}.

        Commercial half-years from 2020 up to the one containing ``today``;
        civil-law rates from every change since the table's start, the last
        one open-ended (a change NBP already announced included).
        """
        return {
            "commercial": commercial_rates(history, today, COMMERCIAL_MARGIN),
            "commercial_health": commercial_rates(
                history, today, COMMERCIAL_HEALTH_MARGIN
            ),
            "civil": civil_rates(history, since=CIVIL_FEED_SINCE),
        }

    @api.model
    def _pl_update_from_nbp(self, today=None):
        """Bring the NBP-fed rates in line with the NBP reference rate history.

        Fetches NBP's files first: on a timeout, an HTTP error or an
        unreadable file nothing is changed and a translated UserError is
        raised. Only rows of origin "nbp" (the shipped rows it derives
        too) are created, updated, closed or removed; a period a typed-in row
        covers is left to it. A commercial row of a half-year after the one
        containing ``today`` is beyond what it derives and left alone.
        Idempotent.
        Returns ``{"created", "updated", "removed", "conflicts"}``: the
        counts, and the typed-in rows whose rate differs from NBP's (not
        changed, for the consultant to check).
        """
        today = today or fields.Date.context_today(self)
        try:
            history = self._pl_nbp_client().history()
            wanted = self._pl_nbp_wanted(history, today)
        except NbpReferenceError as error:
            raise UserError(self._pl_nbp_error_message(error)) from error
        # Callers check the access (the button: who may create rates; the
        # cron runs as the system user).
        Rate = self.sudo().with_context(crm_dunning_nbp_feed=True)
        result = {"created": 0, "updated": 0, "removed": 0, "conflicts": []}
        with self.env.cr.savepoint():
            touched = self.browse()
            # The overlap check runs once everything is written (a closed
            # period and its successor are written one after the other).
            self.env.cr.cache[_DEFER_CHECK] = True
            try:
                for kind, rows in wanted.items():
                    manual = Rate.search(
                        [("kind", "=", kind), ("origin", "=", "manual")],
                        order="date_from",
                    )
                    conflicts = self._pl_nbp_conflicts(kind, rows, manual)
                    result["conflicts"] += conflicts
                    Rate._pl_nbp_mark_conflicts(manual, conflicts)
                    pieces = _uncovered(
                        rows, [(row.date_from, row.date_to or None) for row in manual]
                    )
                    # Commercial half-years are derived up to today's; a
                    # later one (the shipped next half-year) is not NBP's yet.
                    until = None if kind == "civil" else _half_year_end(today)
                    touched |= Rate._pl_nbp_apply(kind, pieces, result, until)
            finally:
                self.env.cr.cache.pop(_DEFER_CHECK, None)
            touched.exists()._check_period()
        return result

    def _pl_nbp_apply(self, kind, pieces, result, until=None):
        """Make the active "nbp" rows of ``kind`` exactly ``pieces``.

        Rows starting after ``until`` are left alone. A row NBP no longer
        gives is deleted, or archived if it was shipped (a module update
        would bring it back otherwise); an archived one NBP gives again is
        restored rather than duplicated.
        """
        existing = self.with_context(active_test=False).search(
            [("kind", "=", kind), ("origin", "=", "nbp")], order="active desc, id"
        )
        by_start = {}
        for row in existing:
            by_start.setdefault(row.date_from, row)
        wanted_starts = {piece[0] for piece in pieces}
        stale = existing.filtered(
            lambda row: (
                row.active
                and row.date_from not in wanted_starts
                and (until is None or row.date_from <= until)
            )
        )
        result["removed"] += len(stale)
        shipped = stale.filtered(lambda row: row.get_external_id().get(row.id))
        shipped.write({"active": False})
        (stale - shipped).unlink()
        touched = self.browse()
        for date_from, date_to, rate in pieces:
            values = {
                "date_to": date_to or False,
                "rate": float(rate.quantize(_CENTS)),
                "active": True,
            }
            row = by_start.get(date_from)
            if row:
                if (
                    (row.date_to or None) != date_to
                    or _cents(row.rate) != rate
                    or not row.active
                ):
                    row.write(values)
                    result["updated"] += 1
                    touched |= row
                continue
            touched |= self.create(
                dict(
                    values,
                    kind=kind,
                    date_from=date_from,
                    origin="nbp",
                    source=self.env._("NBP reference rate (automatic update)"),
                )
            )
            result["created"] += 1
        return touched

    @api.model
    def _pl_nbp_mark_conflicts(self, manual, conflicts):
        """Record on the typed-in rows where NBP differs (only what changed)."""
        by_start = {conflict["date_from"]: conflict for conflict in conflicts}
        for record in manual:
            conflict = by_start.get(record.date_from)
            values = {
                "nbp_conflict_date": conflict["day"] if conflict else False,
                "nbp_conflict_rate": float(conflict["nbp_rate"]) if conflict else 0.0,
            }
            if (record.nbp_conflict_date or False) != values["nbp_conflict_date"] or (
                _cents(record.nbp_conflict_rate) != _cents(values["nbp_conflict_rate"])
            ):
                record.write(values)

    @api.model
    def _pl_nbp_conflicts(self, kind, rows, manual):
        """Typed-in rows of ``kind`` whose rate differs from NBP's on some day."""
        conflicts = []
        for record in manual:
            for date_from, date_to, rate in rows:
                start = max(date_from, record.date_from)
                ends = [day for day in (date_to, record.date_to) if day]
                if ends and start > min(ends):
                    continue
                if _cents(record.rate) != rate:
                    conflicts.append(
                        {
                            "kind": kind,
                            "date_from": record.date_from,
                            "rate": _cents(record.rate),
                            "nbp_rate": rate,
                            "day": start,
                        }
                    )
                    break
        return conflicts

    @api.model
    def _pl_feed_summary(self, result):
        """A translated summary of ``_pl_update_from_nbp``'s result."""
        labels = dict(self._fields["kind"]._description_selection(self.env))
        lines = [
            self.env._(
                "Statutory interest rates updated from NBP: %(created)s added, "
                "%(updated)s changed, %(removed)s removed.",
                created=result["created"],
                updated=result["updated"],
                removed=result["removed"],
            )
        ]
        lines += [
            self._pl_conflict_line(
                labels[conflict["kind"]],
                conflict["date_from"],
                conflict["rate"],
                conflict["nbp_rate"],
                conflict["day"],
            )
            for conflict in result["conflicts"]
        ]
        return "\n".join(lines)

    @api.model
    def _pl_conflict_line(self, kind_label, start, rate, nbp_rate, day):
        return self.env._(
            "%(kind)s: the typed-in rate from %(start)s is %(rate)s %%, the NBP "
            "reference rate gives %(nbp)s %% from %(day)s; check it (it was not "
            "changed).",
            kind=kind_label,
            start=start,
            rate=_cents(rate),
            nbp=_cents(nbp_rate),
            day=day,
        )

    def action_pl_update_from_nbp(self):
        """Button of the rates list: update now, and say what happened."""
        self.check_access("create")
        result = self.browse()._pl_update_from_nbp()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Update from NBP"),
                "message": self._pl_feed_summary(result),
                "type": "warning" if result["conflicts"] else "success",
                "sticky": bool(result["conflicts"]),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_pl_update_from_nbp(self):
        """Daily: update the NBP-fed rates; a failure waits for the next day."""
        try:
            result = self._pl_update_from_nbp()
        except UserError as error:
            _logger.warning("Statutory interest rates not updated from NBP: %s", error)
            return False
        if result["created"] or result["updated"] or result["removed"]:
            _logger.info("%s", self._pl_feed_summary(result))
        for conflict in result["conflicts"]:
            _logger.warning(
                "Typed-in %s interest rate from %s (%s %%) differs from NBP's "
                "(%s %% on %s): not changed.",
                conflict["kind"],
                conflict["date_from"],
                conflict["rate"],
                conflict["nbp_rate"],
                conflict["day"],
            )
        return True

    # --- coverage ----------------------------------------------------------

    @api.model
    def _pl_coverage_gaps(self, today=None, days=COVERAGE_DAYS):
        """Days from ``today`` to ``today`` + ``days`` that a kind has no rate for.

        Returns ``[{"kind", "date_from", "date_to", "open"}]``: for each kind
        its first gap in that window (``open``: the gap runs to the window's
        end).
        """
        today = today or fields.Date.context_today(self)
        end = today + timedelta(days=days)
        gaps = []
        for kind, _label in self._fields["kind"].selection:
            periods = [
                (date_from, date_to or end)
                for date_from, date_to, _rate in self.sudo()._pl_table(kind)
            ]
            gap = _first_gap(periods, today, end)
            if gap:
                gaps.append(
                    {
                        "kind": kind,
                        "date_from": gap[0],
                        "date_to": gap[1],
                        "open": gap[1] == end,
                    }
                )
        return gaps

    @api.model
    def _pl_coverage_warning(self, today=None):
        """A translated warning naming the kinds and periods without a rate."""
        gaps = self._pl_coverage_gaps(today)
        conflicts = self.sudo().search(
            [("origin", "=", "manual"), ("nbp_conflict_date", "!=", False)],
            order="kind, date_from",
        )
        if not gaps and not conflicts:
            return False
        labels = dict(self._fields["kind"]._description_selection(self.env))
        lines = []
        if gaps:
            lines.append(
                self.env._(
                    "The statutory interest rates run out: no interest can be "
                    "computed for these days until the missing rates are added "
                    "(Statutory Interest Rates, Update from NBP)."
                )
            )
        for gap in gaps:
            if gap["open"]:
                lines.append(
                    self.env._(
                        "%(kind)s: no rate from %(start)s.",
                        kind=labels[gap["kind"]],
                        start=gap["date_from"],
                    )
                )
            else:
                lines.append(
                    self.env._(
                        "%(kind)s: no rate from %(start)s to %(end)s.",
                        kind=labels[gap["kind"]],
                        start=gap["date_from"],
                        end=gap["date_to"],
                    )
                )
        lines += [
            self._pl_conflict_line(
                labels[record.kind],
                record.date_from,
                record.rate,
                record.nbp_conflict_rate,
                record.nbp_conflict_date,
            )
            for record in conflicts
        ]
        return "\n".join(lines)


def _half_year_end(day):
    """The last day of the half-year containing ``day``."""
    return (
        day.replace(month=6, day=30)
        if day.month <= 6
        else day.replace(month=12, day=31)
    )


def _cents(value):
    return Decimal(str(value)).quantize(_CENTS)


def _uncovered(rows, covered):
    """The parts of ``rows`` (from, to or None, rate) outside ``covered``.

    ``covered`` are (from, to or None) periods of typed-in rows.
    """
    pieces = []
    for date_from, date_to, rate in rows:
        parts = [(date_from, date_to)]
        for cover_from, cover_to in covered:
            remaining = []
            for start, stop in parts:
                if (stop is not None and stop < cover_from) or (
                    cover_to is not None and cover_to < start
                ):
                    remaining.append((start, stop))
                    continue
                if start < cover_from:
                    remaining.append((start, cover_from - timedelta(days=1)))
                if cover_to is not None and (stop is None or stop > cover_to):
                    remaining.append((cover_to + timedelta(days=1), stop))
            parts = remaining
        pieces += [(start, stop, rate) for start, stop in parts]
    return sorted(pieces, key=lambda piece: piece[0])


def _first_gap(periods, start, end):
    """The first (from, to) of ``start``..``end`` that no period covers."""
    cursor = start
    for date_from, date_to in sorted(periods):
        if date_to < cursor:
            continue
        if date_from > cursor:
            return cursor, min(end, date_from - timedelta(days=1))
        cursor = date_to + timedelta(days=1)
        if cursor > end:
            return None
    return (cursor, end) if cursor <= end else None
