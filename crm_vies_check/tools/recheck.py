"""Batched, concurrent re-verification of contractors (pure Python, no Odoo).

The scheduled re-check asks the white list for up to 30 NIPs per call
(``/search/nips``) and VIES for each EU VAT number, a few at a time in a
small thread pool. This module does the network part of one batch and
compares a new answer with the previous one; the add-on turns the outcomes
into verification records and notifications.

WL-191 (the daily limit of this IP is used up) is not an answer about the
contractors: the batch reports it as ``limit_error`` and gives no white-list
outcome for them, so that they stay due and are checked after the pause
(``pause_until``: the next midnight in Warsaw, when the limit is renewed).
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from stdnum.pl import nip as pl_nip

from .vies import ViesError
from .whitelist import WARSAW, WhiteListError, WhiteListLimitError

WL_NIP_CODES = frozenset({"WL-112", "WL-113", "WL-114", "WL-115"})


@dataclass(frozen=True)
class Target:
    """What to check for one contractor.

    ``key`` identifies the contractor (a partner id); ``nip`` is asked on the
    white list, ``vies`` (a prefixed EU VAT number, "DE312345671") in VIES.
    """

    key: int
    nip: str | None = None
    vies: str | None = None


@dataclass
class Outcome:
    """Answers for one target: a WhiteListSubject or a WhiteListError, and a
    ViesResult or an exception (None: not asked)."""

    key: int
    whitelist: object = None
    vies: object = None


@dataclass
class BatchResult:
    outcomes: dict = field(default_factory=dict)  # {key: Outcome}
    limit_error: WhiteListLimitError | None = None
    whitelist_calls: int = 0
    vies_calls: int = 0


def pause_until(now=None):
    """Next midnight in Warsaw after ``now`` (aware), as a naive UTC datetime."""
    now = (now or datetime.now(UTC)).astimezone(WARSAW)
    midnight = datetime.combine(now.date() + timedelta(days=1), time(0), WARSAW)
    return midnight.astimezone(UTC).replace(tzinfo=None)


def check_batch(targets, whitelist_client, vies_factory, requester=None, workers=4):
    """Check ``targets`` (at most 30 NIPs advised); return a BatchResult.

    ``vies_factory()`` makes a VIES client; each worker thread makes its own
    (a zeep client is not shared between threads). The white list is asked
    first: on WL-191 nothing else is asked for the targets having a NIP.
    """
    result = BatchResult()
    for target in targets:
        result.outcomes[target.key] = Outcome(target.key)
    nip_targets = [t for t in targets if t.nip]
    if nip_targets:
        _whitelist(nip_targets, whitelist_client, result)
    vies_targets = [
        t for t in targets if t.vies and not (t.nip and result.limit_error is not None)
    ]
    if vies_targets:
        _vies(vies_targets, vies_factory, requester, workers, result)
    return result


def _whitelist(targets, client, result):
    nips = [t.nip for t in targets]
    try:
        result.whitelist_calls += 1
        subjects = client.search_nips(nips)
    except WhiteListLimitError as exc:
        result.limit_error = exc
        return
    except WhiteListError as exc:
        if exc.code not in WL_NIP_CODES or len(targets) == 1:
            for target in targets:
                result.outcomes[target.key].whitelist = exc
            return
        # One wrong NIP fails the whole call: ask them one by one.
        for target in targets:
            if result.limit_error is not None:
                return
            _whitelist([target], client, result)
        return
    for target in targets:
        result.outcomes[target.key].whitelist = subjects[pl_nip.compact(target.nip)]


def _vies(targets, factory, requester, workers, result):
    local = threading.local()

    def check(target):
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = factory()
        country, number = target.vies[:2], target.vies[2:]
        try:
            return client.check(country, number, requester=requester)
        except (ViesError, OSError, ValueError) as exc:
            return exc

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for target, answer in zip(targets, pool.map(check, targets), strict=True):
            result.outcomes[target.key].vies = answer
            result.vies_calls += 1


def compare(previous, current):
    """Changes between two answers of one register, as (what, old, new) tuples.

    Each answer is a dict with "status", "status_vat" and "accounts" (a set
    of NRBs, white list only) as stored; None means no previous answer (no
    change reported). Inconclusive answers ("pending", "error") report no
    change either: the register did not say anything new.
    """
    if not previous or not current:
        return []
    if {previous.get("status"), current.get("status")} & {"pending", "error"}:
        return []
    changes = []
    if previous.get("status_vat") != current.get("status_vat"):
        changes.append(
            ("status_vat", previous.get("status_vat"), current["status_vat"])
        )
    elif previous.get("status") != current.get("status"):
        changes.append(("status", previous.get("status"), current.get("status")))
    removed = set(previous.get("accounts") or ()) - set(current.get("accounts") or ())
    if removed:
        changes.append(("accounts_removed", sorted(removed), None))
    return changes
