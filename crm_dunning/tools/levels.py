"""Which dunning level an instalment gets on a day, pure Python.

A policy's levels are ranked by their offset in days relative to the due
date (negative: before it), then by their sequence. On a day, an instalment
is ``days_overdue`` days late (negative before its due date, counted from
the due date moved by KC art. 115: crm_invoicing_pl's
``pl_calendar.days_overdue``); the levels
whose offset is reached are candidates and the highest of them is chosen,
unless that level or a higher one was already sent for the instalment:
levels are never sent twice and never go back down, and lower levels that
were missed (e.g. the cron did not run for a week) are not caught up.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    """A level of a policy: its id, offset in days and sequence."""

    id: int
    offset_days: int
    sequence: int = 10


def ranked(levels: Iterable[Level]) -> tuple[Level, ...]:
    """The levels from the first to the last sent (offset, then sequence)."""
    return tuple(
        sorted(levels, key=lambda lvl: (lvl.offset_days, lvl.sequence, lvl.id))
    )


def choose_level(levels: Iterable[Level], overdue: int, sent_ids=()):
    """The id of the level to send for an instalment ``overdue`` days late.

    ``sent_ids`` are the levels already sent (or being sent) for it. None
    when no offset is reached yet, or the level reached (or a higher one)
    was already sent.
    """
    order = ranked(levels)
    reached = [lvl for lvl in order if lvl.offset_days <= overdue]
    if not reached:
        return None
    chosen = reached[-1]
    rank = {lvl.id: index for index, lvl in enumerate(order)}
    top_sent = max((rank[i] for i in sent_ids if i in rank), default=-1)
    if top_sent >= rank[chosen.id]:
        return None
    return chosen.id


def earliest_offset(levels: Iterable[Level]) -> int | None:
    """The smallest offset of ``levels`` (None without levels)."""
    return min((lvl.offset_days for lvl in levels), default=None)
