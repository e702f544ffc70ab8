"""scripts/fake_clock.py: the fake date of ``make test ARGS="--date ..."``."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import fake_clock  # noqa: E402
from odoo_env import PreflightError  # noqa: E402


def test_date_alone_starts_at_ten_utc():
    assert fake_clock.parse_target("2028-02-29") == datetime(
        2028, 2, 29, 10, 0, tzinfo=UTC
    )


def test_date_and_time_are_kept():
    assert fake_clock.parse_target("2026-12-31T23:30") == datetime(
        2026, 12, 31, 23, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["2027-02-30", "04.01.2027", "tomorrow", ""])
def test_bad_date_is_refused_with_the_expected_format(text):
    with pytest.raises(PreflightError, match="YYYY-MM-DD"):
        fake_clock.parse_target(text)


def test_offset_is_relative_seconds_so_processes_agree():
    target = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
    before = fake_clock.real_time()
    env = fake_clock.faketime_env(target, "/lib/libfaketime.so.1")
    after = fake_clock.real_time()
    offset = int(env["FAKETIME"])
    assert env["FAKETIME"][0] in "+-"
    assert target.timestamp() - after - 1 <= offset <= target.timestamp() - before + 1
    assert env["LD_PRELOAD"] == "/lib/libfaketime.so.1"
    assert env["CRM_PL_CLOCK_OFFSET"] == env["FAKETIME"].lstrip("+")
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(fake_clock.SITE_DIR)


def _libfaketime():
    try:
        return fake_clock.find_libfaketime()
    except PreflightError:
        return None


@pytest.mark.skipif(_libfaketime() is None, reason="Debian's faketime is missing")
def test_child_processes_read_the_fake_date():
    target = datetime(2028, 2, 29, 10, 0, tzinfo=UTC)
    env = fake_clock.faketime_env(target, _libfaketime())
    now = datetime.strptime(fake_clock.process_now(env), "%Y-%m-%d %H:%M:%S")
    assert abs((now.replace(tzinfo=UTC) - target).total_seconds()) < 60
    out = subprocess.run(
        ["date", "-u", "+%F"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "2028-02-29"


@pytest.mark.skipif(_libfaketime() is None, reason="Debian's faketime is missing")
def test_child_processes_can_sleep_and_wait_with_a_timeout():
    """Sleeps, lock time-outs and subprocess time-outs work under the fake
    clock (with libfaketime in Python they failed with EINVAL or waited for
    the whole offset)."""
    env = fake_clock.faketime_env(
        datetime(2027, 1, 4, 10, 0, tzinfo=UTC), _libfaketime()
    )
    code = (
        "import subprocess, threading, time\n"
        "time.sleep(0.01)\n"
        "lock = threading.Lock(); lock.acquire()\n"
        "assert not lock.acquire(timeout=0.2)\n"
        "assert not threading.Event().wait(0.2)\n"
        "day = subprocess.run(['date', '-u', '+%F'], capture_output=True, text=True)\n"
        "assert day.stdout.strip() == '2027-01-04', day.stdout\n"
        "subprocess.run(['sleep', '0.1'], timeout=5, check=True)\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
