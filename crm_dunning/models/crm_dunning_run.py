"""The dunning run: preview, then send, by hand or daily by the cron.

The preview finds the open instalments with one set-based query, chooses
each one's level (tools/levels.py), groups them into one communication per
customer and level and creates them as drafts in batches; sending re-reads
the residuals and queues the e-mails and SMS. Both steps only add what is
missing: an instalment that already has a (draft or sent) line of a level is
left alone, and the database refuses a second one (a partial unique index),
so a run killed in the middle and run again, or two workers, never send a
level twice. The cron runs each company under a database lock shared by the
workers and commits batch by batch (not inside tests, they roll back).
"""

import logging
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models, modules
from odoo.addons.crm_invoicing_pl.tools.pl_calendar import (
    days_overdue,
    payment_deadline,
)
from odoo.exceptions import ValidationError
from odoo.tools import SQL, split_every

from ..tools.levels import Level, choose_level, earliest_offset

_logger = logging.getLogger(__name__)

# pg_advisory_lock(key, company id): one cron run per company at a time.
RUN_LOCK = 73_110_601
PREVIEW_BATCH = 500  # customers per committed batch
SEND_BATCH = 200  # communications per committed batch

RUN_STATES = [("draft", "Draft"), ("previewed", "Previewed"), ("done", "Done")]


class CrmDunningRun(models.Model):
    _name = "crm.dunning.run"
    _description = "Dunning Run"
    _inherit = ["crm.dunning.rates.warning"]
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        readonly=True,
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="The day the levels are reached on and the interest counted to.",
    )
    state = fields.Selection(
        RUN_STATES, default="draft", required=True, readonly=True, index=True
    )
    origin = fields.Selection(
        [("manual", "Manual"), ("cron", "Daily Run")],
        default="manual",
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    communication_ids = fields.One2many(
        "crm.dunning.communication", "run_id", string="Communications", readonly=True
    )
    communication_count = fields.Integer(compute="_compute_counts")
    draft_count = fields.Integer(string="To Send", compute="_compute_counts")
    sent_count = fields.Integer(string="Sent", compute="_compute_counts")
    failed_count = fields.Integer(string="Failed", compute="_compute_counts")
    cancelled_count = fields.Integer(string="Cancelled", compute="_compute_counts")
    email_count = fields.Integer(string="E-mails", compute="_compute_counts")
    sms_count = fields.Integer(string="SMS", compute="_compute_counts")
    letter_count = fields.Integer(string="Letters", compute="_compute_counts")
    instalment_count = fields.Integer(string="Instalments", compute="_compute_counts")

    @api.depends("communication_ids.state")
    def _compute_counts(self):
        Comm = self.env["crm.dunning.communication"]
        counts = defaultdict(dict)
        if self.ids:
            for (
                run,
                state,
                channel_email,
                channel_sms,
                channel_letter,
                count,
            ) in Comm._read_group(
                [("run_id", "in", self.ids)],
                ["run_id", "state", "channel_email", "channel_sms", "channel_letter"],
                ["__count"],
            ):
                row = counts[run.id]
                row[state] = row.get(state, 0) + count
                row["all"] = row.get("all", 0) + count
                if state == "cancelled":
                    continue
                for channel, used in (
                    ("email", channel_email),
                    ("sms", channel_sms),
                    ("letter", channel_letter),
                ):
                    if used:
                        row[channel] = row.get(channel, 0) + count
            lines = dict(
                self.env["crm.dunning.communication.line"]._read_group(
                    [
                        ("communication_id.run_id", "in", self.ids),
                        ("state", "!=", "cancelled"),
                    ],
                    ["communication_id.run_id"],
                    ["__count"],
                )
            )
        else:
            lines = {}
        for run in self:
            row = counts.get(run.id, {})
            run.communication_count = row.get("all", 0)
            run.draft_count = row.get("draft", 0)
            run.sent_count = row.get("sent", 0)
            run.failed_count = row.get("failed", 0)
            run.cancelled_count = row.get("cancelled", 0)
            run.email_count = row.get("email", 0)
            run.sms_count = row.get("sms", 0)
            run.letter_count = row.get("letter", 0)
            run.instalment_count = lines.get(run._origin, 0) if run.id else 0

    @api.depends("date", "company_id")
    def _compute_display_name(self):
        for run in self:
            run.display_name = self.env._(
                "Dunning run of %(date)s", date=run.date or ""
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.constrains("date")
    def _check_date_not_in_the_future(self):
        today = fields.Date.context_today(self)
        for run in self:
            if run.date > today:
                raise ValidationError(
                    self.env._(
                        "A dunning run cannot be dated %(date)s, after today: it "
                        "would remind customers of payments not yet due and "
                        "block the real reminder later.",
                        date=run.date,
                    )
                )

    def action_preview(self):
        """Compute the communications due on the run's date, as drafts."""
        for run in self:
            if run.state == "done":
                continue
            run._crm_dunning_preview()
            run.state = "previewed"
            run._crm_dunning_commit()
        return True

    def action_send(self):
        """Send the draft communications (after a preview, made if missing)."""
        for run in self:
            if run.state == "done":
                continue
            if run.state == "draft":
                run.action_preview()
            run._crm_dunning_send_all()
            run.state = "done"
            run._crm_dunning_commit()
        return True

    def action_open_communications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_dunning.action_crm_dunning_communication"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    def _crm_dunning_levels_by_policy(self):
        """{policy id: (Level, ...)} of the company's active policies."""
        self.ensure_one()
        policies = self.env["crm.dunning.policy"].search(
            [("company_id", "=", self.company_id.id)]
        )
        levels = {policy.id: () for policy in policies}
        for level in policies.level_ids:
            levels[level.policy_id.id] += (
                Level(level.id, level.offset_days, level.sequence),
            )
        return levels

    def _crm_dunning_candidates(self, last_due):
        """Open instalments of posted customer invoices due by ``last_due``.

        Rows (move line, invoice, customer, customer's policy or None, due
        date, currency, residual in that currency); excluded customers and
        invoices are left out.
        """
        self.ensure_one()
        self.env.flush_all()
        return self.env.execute_query(
            SQL(
                """
                SELECT aml.id, aml.move_id, m.commercial_partner_id,
                       (rp.dunning_policy_id ->> %(company_key)s)::integer,
                       COALESCE(aml.date_maturity, m.invoice_date_due, m.date),
                       aml.currency_id,
                       CASE WHEN aml.currency_id = aml.company_currency_id
                            THEN aml.amount_residual
                            ELSE aml.amount_residual_currency END
                  FROM account_move_line aml
                  JOIN account_move m ON m.id = aml.move_id
                  JOIN res_partner rp ON rp.id = m.commercial_partner_id
                 WHERE aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND aml.display_type = 'payment_term'
                   AND aml.balance > 0
                   AND aml.amount_residual > 0
                   AND NOT aml.reconciled
                   AND m.move_type = 'out_invoice'
                   AND m.dunning_excluded IS NOT TRUE
                   AND rp.dunning_excluded IS NOT TRUE
                   AND COALESCE(aml.date_maturity, m.invoice_date_due, m.date)
                       <= %(last_due)s
                 ORDER BY m.commercial_partner_id, aml.id
                """,
                company=self.company_id.id,
                company_key=str(self.company_id.id),
                last_due=last_due,
            )
        )

    def _crm_dunning_preview(self):
        self.ensure_one()
        company = self.company_id
        default_policy = company._crm_dunning_default_policy()
        self._crm_dunning_cancel_stale_drafts()
        levels_by_policy = self._crm_dunning_levels_by_policy()
        first = earliest_offset(
            level for levels in levels_by_policy.values() for level in levels
        )
        if first is None:
            return
        rows = self._crm_dunning_candidates(self.date - timedelta(days=first))
        by_partner = defaultdict(list)
        for row in rows:
            by_partner[row[2]].append(row)
        partner_ids = list(by_partner)
        size = self.env.context.get("crm_dunning_preview_batch") or PREVIEW_BATCH
        for batch in split_every(size, partner_ids):
            plan = []
            batch_rows = [row for partner_id in batch for row in by_partner[partner_id]]
            sent = self._crm_dunning_sent_levels([row[0] for row in batch_rows])
            for row in batch_rows:
                line_id, move_id, partner_id, policy_id, due, currency_id, residual = (
                    row
                )
                levels = levels_by_policy.get(policy_id) or levels_by_policy.get(
                    default_policy.id, ()
                )
                overdue = days_overdue(due, self.date)
                level_id = choose_level(levels, overdue, sent.get(line_id, ()))
                if level_id:
                    plan.append(
                        (
                            partner_id,
                            level_id,
                            line_id,
                            move_id,
                            payment_deadline(due),
                            overdue,
                            currency_id,
                            residual,
                        )
                    )
            self._crm_dunning_create_communications(plan)
            self._crm_dunning_commit()

    def _crm_dunning_sent_levels(self, line_ids):
        """{move line id: {level ids}} of the lines not cancelled."""
        sent = defaultdict(set)
        if not line_ids:
            return sent
        self.env.flush_all()
        for line_id, level_id in self.env.execute_query(
            SQL(
                "SELECT move_line_id, level_id FROM crm_dunning_communication_line "
                "WHERE move_line_id = ANY(%s) AND state != 'cancelled'",
                line_ids,
            )
        ):
            sent[line_id].add(level_id)
        return sent

    def _crm_dunning_create_communications(self, plan):
        """Create one draft communication per (customer, level) of ``plan``.

        Invoices in another currency than the company's go in a communication
        of their own (per currency), without interest.
        """
        if not plan:
            return self.env["crm.dunning.communication"]
        Level = self.env["crm.dunning.level"]
        groups = defaultdict(list)
        for item in plan:
            groups[item[0], item[1], item[6]].append(item)
        levels = Level.browse({key[1] for key in groups})
        company_currency = self.company_id.currency_id.id
        interest = self._crm_dunning_interest(
            [
                item[2]
                for item in plan
                if Level.browse(item[1]).add_interest and item[6] == company_currency
            ]
        )
        keys = list(groups)
        comms = (
            self.env["crm.dunning.communication"]
            .with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
            .create(
                [
                    {
                        "run_id": self.id,
                        "company_id": self.company_id.id,
                        "partner_id": partner_id,
                        "level_id": level_id,
                        "date": self.date,
                        "channel_email": levels.browse(level_id).channel_email,
                        "channel_sms": levels.browse(level_id).channel_sms,
                        "channel_letter": levels.browse(level_id).channel_letter,
                        "currency_id": currency_id,
                    }
                    for partner_id, level_id, currency_id in keys
                ]
            )
        )
        self.env["crm.dunning.communication.line"].create(
            [
                {
                    "communication_id": comm.id,
                    "move_line_id": line_id,
                    "move_id": move_id,
                    "level_id": level_id,
                    "due_date": due,
                    "days_overdue": overdue,
                    "currency_id": currency_id,
                    "amount_residual": residual,
                    "interest_amount": float(interest.get(line_id, 0)),
                }
                for comm, key in zip(comms, keys, strict=True)
                for (
                    _partner,
                    level_id,
                    line_id,
                    move_id,
                    due,
                    overdue,
                    currency_id,
                    residual,
                ) in groups[key]
            ]
        )
        return comms

    def _crm_dunning_interest(self, line_ids):
        """{move line id: interest to the run's date of its open amount}."""
        if not line_ids:
            return {}
        lines = self.env["account.move.line"].browse(line_ids)
        try:
            portions = lines._crm_dunning_portions(self.date)
        except Exception:  # noqa: BLE001 - one bad line never stops the run
            portions = []
            for line in lines:
                try:
                    portions += line._crm_dunning_portions(self.date)
                except Exception as exc:  # noqa: BLE001 - logged, no interest shown
                    _logger.warning(
                        "Dunning: no interest for %s: %s", line.move_id.name, exc
                    )
        totals = defaultdict(Decimal)
        for portion in portions:
            if portion["paid_date"] is None:
                totals[portion["line"].id] += portion["result"].total
        return totals

    def _crm_dunning_cancel_stale_drafts(self):
        """Cancel the unsent drafts of earlier runs of the company."""
        self.ensure_one()
        stale = self.env["crm.dunning.communication"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "draft"),
                ("run_id", "!=", self.id),
                ("date", "<", self.date),
            ]
        )
        if stale:
            stale.action_cancel()

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    def _crm_dunning_send_all(self):
        self.ensure_one()
        Comm = self.env["crm.dunning.communication"]
        ids = Comm.search(
            [("run_id", "=", self.id), ("state", "=", "draft")], order="id"
        ).ids
        size = self.env.context.get("crm_dunning_send_batch") or SEND_BATCH
        for batch in split_every(size, ids):
            Comm.browse(self._crm_dunning_lock_drafts(batch))._crm_dunning_send()
            self._crm_dunning_commit()

    def _crm_dunning_lock_drafts(self, ids):
        """Lock the communications still draft; skip those another worker holds."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM crm_dunning_communication WHERE id = ANY(%s) "
                "AND state = 'draft' ORDER BY id FOR UPDATE SKIP LOCKED",
                list(ids),
            )
        )
        self.env.invalidate_all()
        return [row[0] for row in rows]

    def _crm_dunning_committing(self):
        return bool(
            self.env.context.get("crm_dunning_commit")
            and not modules.module.current_test
        )

    def _crm_dunning_commit(self):
        """Commit the work so far: in the cron only, never inside tests."""
        if not self._crm_dunning_committing():
            self.env.flush_all()
            return
        self.env["ir.cron"]._commit_progress()

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_run(self, company_ids=None):
        """Run the dunning of every company that asked for it, once a day.

        Only companies with a policy and *Automatic Dunning* on: installing
        the add-on sends nothing until a company switches it on.

        A run killed in the middle is finished by the next call (its drafts
        are sent, the missing customers previewed); a day's run is made once.
        """
        companies = self.env["res.company"].search(
            [("dunning_policy_id", "!=", False), ("dunning_auto_send", "=", True)]
            + ([("id", "in", list(company_ids))] if company_ids else [])
        )
        runs = self.browse()
        for company in companies:
            # A background job: its chatter lines in the company's language.
            Run = self.with_company(company).with_context(
                crm_dunning_commit=True, lang=company.partner_id.lang
            )
            try:
                runs |= Run._crm_dunning_cron_company(company)
            except Exception:
                if not Run._crm_dunning_committing():
                    raise
                # One company's failure never stops the others' dunning.
                _logger.exception("Dunning run of %s failed", company.name)
        return runs

    def _crm_dunning_cron_company(self, company):
        today = fields.Date.context_today(self)
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_advisory_lock(%s, %s)", RUN_LOCK, company.id))
        self._crm_dunning_commit()  # our snapshot starts after the lock is ours
        self.env.invalidate_all()
        try:
            unfinished = self.search(
                [
                    ("company_id", "=", company.id),
                    ("origin", "=", "cron"),
                    ("state", "!=", "done"),
                ],
                order="date, id",
            )
            for run in unfinished:
                run.action_send()
            runs = unfinished
            if not self.search_count(
                [
                    ("company_id", "=", company.id),
                    ("origin", "=", "cron"),
                    ("date", "=", today),
                ]
            ):
                run = self.create(
                    {"company_id": company.id, "date": today, "origin": "cron"}
                )
                self._crm_dunning_commit()
                run.action_send()
                runs |= run
            return runs
        except Exception:
            if self._crm_dunning_committing():
                cr.rollback()  # the unlock below needs a live transaction
            raise
        finally:
            cr.execute(SQL("SELECT pg_advisory_unlock(%s, %s)", RUN_LOCK, company.id))
            self._crm_dunning_commit()
