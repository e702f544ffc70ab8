"""The pure parts of bench/bench_common.py, what the benchmarks share."""

import pathlib
import random
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path += [str(ROOT / "bench"), str(ROOT / "scripts")]

import bench_common  # noqa: E402
from stdnum.pl import nip as pl_nip  # noqa: E402

# The columns of the bench_clone table clone_invoices fills.
CLONE_TABLE = {
    "n",
    "template_id",
    "partner_id",
    "partner_name",
    "name",
    "invoice_date",
    "due",
    "new_id",
}


def test_valid_nip_has_stdnum_check_digit():
    """Every drawn NIP is one python-stdnum accepts, PL-prefixed, and the
    same seed draws the same NIPs (the benchmarks' data sets)."""
    nips = [bench_common.valid_nip(random.Random(7)) for _ in range(3)]
    assert len(set(nips)) == 1
    rng = random.Random(11)
    drawn = [bench_common.valid_nip(rng) for _ in range(300)]
    for nip in drawn:
        assert re.fullmatch(r"PL[1-9]\d{9}", nip)
        assert pl_nip.is_valid(nip[2:])
        assert pl_nip.checksum(nip[2:]) == 0
    assert len(set(drawn)) == len(drawn)


def test_column_select_copies_all_but_overrides():
    columns = ["id", "name", "amount", "state"]
    select = bench_common.column_select(columns, {"id": "c.new_id", "name": "NULL"})
    assert select == "c.new_id, NULL, t.amount, t.state"
    assert bench_common.column_select(["a"], {}, alias="x") == "x.a"


def test_clone_overrides_read_the_clone_table():
    """What a copy takes from its bench_clone row are columns of that table;
    the rest comes from the template's row (t) or the new line ids (l)."""
    for overrides in (
        bench_common.CLONE_MOVE_COLUMNS,
        bench_common.CLONE_LINE_COLUMNS,
    ):
        for expression in overrides.values():
            assert set(re.findall(r"\bc\.(\w+)", expression)) <= CLONE_TABLE
            assert set(re.findall(r"\b([a-z])\.\w+", expression)) <= {"c", "t", "l"}
    # A copy gets its own number, customer and dates, and new ids.
    move = bench_common.CLONE_MOVE_COLUMNS
    assert move["id"] == "c.new_id"
    assert move["name"] == move["payment_reference"] == "c.name"
    assert move["invoice_date_due"] == "c.due"
    assert "sequence_prefix" not in move  # given by each benchmark
    line = bench_common.CLONE_LINE_COLUMNS
    assert line["id"] == "l.new_id"
    assert line["move_id"] == "c.new_id"
    assert {table for table, _column in bench_common.LINE_RELATIONS} == {
        "account_account_tag_account_move_line_rel",
        "account_move_line_account_tax_rel",
    }


def test_addons_path_has_the_repository_then_extras(tmp_path):
    path = bench_common.addons_path(tmp_path / "oca").split(",")
    assert str(ROOT) in path
    assert path[-1] == str(tmp_path / "oca")
    assert path.index(str(ROOT)) < path.index(str(tmp_path / "oca"))
    other = bench_common.addons_path(root=tmp_path).split(",")
    assert str(tmp_path) in other
    assert str(ROOT) not in other


def test_quiet_context_switches_the_chatter_off():
    assert bench_common.QUIET == {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_notrack": True,
    }


class _Recorder:
    """Stands in for an Odoo environment: records commits and cache resets."""

    def __init__(self):
        self.calls = []
        self.cr = self

    def commit(self):
        self.calls.append("commit")

    def invalidate_all(self):
        self.calls.append("invalidate")


def test_committed_run_times_the_run_and_its_commit():
    """Earlier work is committed and the cache emptied before the clock
    starts; the run's own commit is inside the time."""
    env = _Recorder()

    def run():
        env.calls.append("run")
        sum(range(200000))

    timing = bench_common.committed_run(env, run)
    assert env.calls == ["commit", "invalidate", "run", "commit"]
    assert timing.elapsed > 0
    assert timing.cpu >= 0
    assert timing.queries == 0  # the stand-in runs no SQL
    elapsed, cpu, queries = timing
    assert (elapsed, cpu, queries) == tuple(timing)
