"""scripts/fake_clock.py: the fake date of ``make test ARGS="--date ..."``."""

import os
import subprocess
import sys
import time
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
    before = time.time()
    env = fake_clock.faketime_env(target, "/lib/libfaketime.so.1")
    after = time.time()
    offset = int(env["FAKETIME"])
    assert env["FAKETIME"][0] in "+-"
    assert target.timestamp() - after - 1 <= offset <= target.timestamp() - before + 1
    assert env["LD_PRELOAD"] == "/lib/libfaketime.so.1"
    assert "FAKETIME_DONT_FAKE_MONOTONIC" not in env  # breaks time.sleep


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
    """time.sleep and subprocess timeouts work under the fake clock (they
    failed with EINVAL when the monotonic clock was left real)."""
    env = fake_clock.faketime_env(
        datetime(2027, 1, 4, 10, 0, tzinfo=UTC), _libfaketime()
    )
    code = (
        "import subprocess, time\n"
        "time.sleep(0.01)\n"
        "subprocess.run(['sleep', '0.1'], timeout=5, check=True)\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
