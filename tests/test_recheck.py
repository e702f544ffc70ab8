"""Batched, concurrent re-check of contractors (tools/recheck.py)."""

from datetime import UTC, datetime

from crm_pl_testing.fake_vies import FakeVies
from crm_pl_testing.fake_whitelist import FakeWhiteList, made_up_nips, nrb
from odoo.addons.crm_vies_check.tools.recheck import (
    Target,
    check_batch,
    compare,
    pause_until,
)
from odoo.addons.crm_vies_check.tools.vies import ViesClient
from odoo.addons.crm_vies_check.tools.whitelist import (
    WhiteListClient,
    WhiteListError,
    WhiteListLimitError,
    WhiteListSubject,
)
from stdnum.pl import nip as pl_nip

ACCOUNT = nrb("10100000" + "0000000000000001")


def _vies_factory(url):
    return lambda: ViesClient(service_url=url, timeout=5, max_retries=0)


def test_made_up_nips_are_valid():
    nips = made_up_nips(50)
    assert len(set(nips)) == 50
    assert all(pl_nip.is_valid(nip) for nip in nips)


def test_white_list_asked_once_per_30_nips_and_vies_concurrently():
    nips = made_up_nips(45)
    whitelist, vies = FakeWhiteList(), FakeVies()
    for nip in nips[:40]:
        whitelist.add(nip, f"Firma {nip}", accounts=[ACCOUNT])
    for number in range(6):
        vies.add("DE", f"10000000{number}", f"GmbH {number}", "Berlin")
    vies.latency = 0.3
    targets = [Target(index, nip=nip) for index, nip in enumerate(nips)]
    targets += [Target(100 + n, vies=f"DE10000000{n}") for n in range(6)]
    with whitelist as wl_url, vies as vies_url:
        client = WhiteListClient(base_url=wl_url, timeout=5)
        first = check_batch(targets[:30], client, _vies_factory(vies_url))
        second = check_batch(targets[30:], client, _vies_factory(vies_url), workers=3)
    assert whitelist.request_count == 2
    assert first.whitelist_calls == second.whitelist_calls == 1
    assert [path.split("?")[0].count(",") + 1 for path in whitelist.paths] == [30, 15]
    assert second.vies_calls == vies.request_count == 6
    # Six calls of 0.3 s on three workers: three at once, never more.
    assert vies.max_in_flight == 3
    found = {
        key: o.whitelist for key, o in {**first.outcomes, **second.outcomes}.items()
    }
    assert found[0].status_vat == "Czynny" and found[0].account_numbers == (ACCOUNT,)
    assert found[44].status_vat is None  # not on the list
    assert second.outcomes[105].vies.status == "valid"
    assert second.outcomes[105].vies.name == "GmbH 5"


def test_limit_error_leaves_nip_targets_without_answer():
    whitelist, vies = FakeWhiteList(), FakeVies()
    whitelist.search_limit = 0
    vies.add("PL", "0000001015", "PL firma", "Warszawa")
    vies.add("DE", "100000001", "GmbH", "Berlin")
    nip = made_up_nips(1, start=101)[0]
    targets = [Target(1, nip=nip, vies="PL" + nip), Target(2, vies="DE100000001")]
    with whitelist as wl_url, vies as vies_url:
        result = check_batch(
            targets, WhiteListClient(base_url=wl_url), _vies_factory(vies_url)
        )
    assert isinstance(result.limit_error, WhiteListLimitError)
    assert result.outcomes[1].whitelist is None
    # The Polish VAT-EU number is not asked either: the contractor stays due.
    assert result.outcomes[1].vies is None
    assert [r["vatNumber"] for r in vies.requests] == ["100000001"]
    assert result.outcomes[2].vies.status == "valid"


def test_one_wrong_nip_does_not_fail_the_batch():
    whitelist = FakeWhiteList()
    good = made_up_nips(2)
    whitelist.add(good[0], "Firma A")
    bad = good[1][:9] + str((int(good[1][9]) + 1) % 10)
    targets = [Target(1, nip=good[0]), Target(2, nip=bad), Target(3, nip=good[1])]
    with whitelist as url:
        result = check_batch(targets, WhiteListClient(base_url=url), None)
    assert result.outcomes[1].whitelist.status_vat == "Czynny"
    assert isinstance(result.outcomes[2].whitelist, WhiteListError)
    assert result.outcomes[2].whitelist.code == "WL-115"
    assert result.outcomes[3].whitelist.found is False
    assert whitelist.request_count == 4  # the batch, then one by one


def test_service_down_gives_errors_for_the_batch():
    whitelist = FakeWhiteList()
    whitelist.down_status = 503
    targets = [Target(n, nip=nip) for n, nip in enumerate(made_up_nips(3))]
    with whitelist as url:
        result = check_batch(targets, WhiteListClient(base_url=url), None)
    assert result.limit_error is None
    assert all(
        isinstance(o.whitelist, WhiteListError) for o in result.outcomes.values()
    )
    assert whitelist.request_count == 1


def test_pause_until_next_warsaw_midnight():
    # 23:30 UTC in winter is 00:30 in Warsaw: paused until the next midnight.
    assert pause_until(datetime(2026, 11, 26, 23, 30, tzinfo=UTC)) == datetime(
        2026, 11, 27, 23, 0
    )
    assert pause_until(datetime(2026, 11, 26, 10, 0, tzinfo=UTC)) == datetime(
        2026, 11, 26, 23, 0
    )
    # Summer time: midnight in Warsaw is 22:00 UTC.
    assert pause_until(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == datetime(
        2026, 7, 1, 22, 0
    )


def test_compare_reports_status_and_removed_accounts():
    old = {"status": "valid", "status_vat": "active", "accounts": {"1", "2"}}
    new = {"status": "valid", "status_vat": "exempt", "accounts": {"2"}}
    assert compare(old, new) == [
        ("status_vat", "active", "exempt"),
        ("accounts_removed", ["1"], None),
    ]
    vies_old = {"status": "valid", "status_vat": None, "accounts": None}
    vies_new = {"status": "invalid", "status_vat": None, "accounts": None}
    assert compare(vies_old, vies_new) == [("status", "valid", "invalid")]
    assert compare(old, old) == []
    assert compare(None, new) == []
    # A service failure says nothing about the contractor.
    assert compare(old, {"status": "pending", "status_vat": None}) == []
    assert compare({"status": "error"}, vies_new) == []


def test_subject_dataclass_shape_used_by_the_add_on():
    subject = WhiteListSubject("0000000017", None, "id", None)
    assert subject.found is False and subject.account_numbers == ()
