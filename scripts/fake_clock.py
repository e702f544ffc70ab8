"""Run the test suite as if now were another date (``make test ARGS="--date ..."``).

Every clock the tests see is moved by the same offset:

- every Python process (pytest, Odoo, the cron workers and fake servers the
  tests start) shifts its wall clock at start-up with time-machine, through
  ``fake_clock_site/sitecustomize.py`` (first on PYTHONPATH);
- every other process (PostgreSQL, Chromium for the browser tours,
  wkhtmltopdf) runs under libfaketime (Debian ``faketime``), which shifts
  the system calls that read the clock. A Python process restarts itself
  without it (see sitecustomize.py): with libfaketime, Python 3.11's lock
  time-outs wait for the whole offset (``sem_clockwait`` on a shifted
  monotonic clock) or its sleeps fail with EINVAL (monotonic clock left
  alone);
- PostgreSQL, whose ``now()`` / ``CURRENT_DATE`` Odoo writes into
  ``create_date`` and uses in SQL, is a throwaway cluster (``initdb`` in a
  temporary directory, its own socket and port), so that the machine's own
  cluster is never touched.

The offset is computed once, from the real clock, so that all processes agree
to the second.

Standard library only.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from odoo_env import PreflightError

LIBFAKETIME_GLOBS = (
    "/usr/lib/*/faketime/libfaketimeMT.so.1",
    "/usr/lib/*/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime*.so.1",
    "/usr/local/lib/faketime/libfaketime*.so.1",
)
DEFAULT_HOUR = 10  # a time of day far from midnight: a long run stays on the date


def parse_target(text: str) -> datetime:
    """``YYYY-MM-DD`` (10:00 UTC) or ``YYYY-MM-DDTHH:MM`` (UTC) as an aware datetime."""
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            target = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%Y-%m-%d":
            target = target.replace(hour=DEFAULT_HOUR)
        return target.replace(tzinfo=UTC)
    raise PreflightError(
        f"--date {text!r}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)"
    )


def find_libfaketime() -> str:
    for pattern in LIBFAKETIME_GLOBS:
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    raise PreflightError(
        "--date needs libfaketime, which is not installed: apt-get install faketime"
    )


def find_pg_bin() -> Path:
    """The directory of the newest installed PostgreSQL server binaries."""
    candidates = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PreflightError(
        "--date needs PostgreSQL's server binaries (initdb, postgres): not found"
    )


SITE_DIR = Path(__file__).resolve().parent / "fake_clock_site"


def real_time() -> float:
    """The machine's clock, also inside a process whose clock is shifted
    (the tests of this module run under ``--date`` too)."""
    try:
        from time_machine import escape_hatch
    except ImportError:
        return time.time()
    if escape_hatch.is_travelling():
        return escape_hatch.time.time()
    return time.time()


def faketime_env(target: datetime, library: str) -> dict[str, str]:
    """Environment variables that shift the clocks of child processes to ``target``.

    A relative offset in seconds (not an absolute start time), so that
    processes started minutes apart still agree with each other.
    """
    offset = round(target.timestamp() - real_time())
    return {
        "LD_PRELOAD": library,
        "FAKETIME": f"{offset:+d}",
        "FAKETIME_NO_CACHE": "1",
        "CRM_PL_CLOCK_OFFSET": str(offset),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(SITE_DIR), os.environ.get("PYTHONPATH")])
        ),
    }


def check_time_machine() -> None:
    try:
        import time_machine  # noqa: F401
    except ImportError as exc:
        raise PreflightError(
            "--date needs the Python package time-machine: "
            "pip install -r requirements-dev.txt"
        ) from exc


class FakeClockPostgres:
    """A throwaway PostgreSQL cluster whose clock is shifted like the tests'.

    Use as a context manager; ``env`` holds the PG* variables that point libpq
    (psycopg2, hence Odoo and this runner) at it.
    """

    def __init__(self, clock_env: dict[str, str], port: int, log_path: Path):
        self.clock_env = clock_env
        self.port = port
        self.log_path = log_path
        self.bin = find_pg_bin()
        self.tmp = Path(tempfile.mkdtemp(prefix="crm_pl_fakeclock_pg_"))
        self.data = self.tmp / "data"
        self.socket_dir = self.tmp / "socket"
        self.proc: subprocess.Popen | None = None
        self.env = {"PGHOST": str(self.socket_dir), "PGPORT": str(port)}

    # PostgreSQL refuses to run as root: the server runs as 'postgres' then,
    # and the test process (root) connects as a superuser role of its own name.
    def _as_server_user(self) -> dict:
        if os.geteuid() != 0:
            return {}
        import pwd

        try:
            pw = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PreflightError(
                "--date: running as root needs the 'postgres' OS user to run "
                "the throwaway PostgreSQL cluster"
            ) from exc
        for path in (self.tmp, self.socket_dir):
            path.mkdir(exist_ok=True)
            os.chown(path, pw.pw_uid, pw.pw_gid)

        def demote():
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)

        return {"preexec_fn": demote}

    def __enter__(self) -> FakeClockPostgres:
        import pwd

        self.socket_dir.mkdir(parents=True, exist_ok=True)
        as_user = self._as_server_user()
        role = pwd.getpwuid(os.geteuid()).pw_name
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        subprocess.run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                role,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            env=base_env,
            check=True,
            stdout=subprocess.DEVNULL,
            **as_user,
        )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [
                str(self.bin / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.socket_dir),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
            ],
            env={**base_env, **self.clock_env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            **as_user,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [
                    str(self.bin / "pg_isready"),
                    "-q",
                    "-h",
                    str(self.socket_dir),
                    "-p",
                    str(self.port),
                ],
                check=False,
            )
            if ready.returncode == 0:
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.5)
        self.__exit__(None, None, None)
        raise PreflightError(
            "--date: the throwaway PostgreSQL cluster did not start; "
            f"see {self.log_path}"
        )

    def server_now(self) -> str:
        """The cluster's own ``now()``, to show that its clock is shifted."""
        import psycopg2

        conn = psycopg2.connect(
            dbname="postgres", host=str(self.socket_dir), port=self.port
        )
        try:
            with conn.cursor() as cr:
                cr.execute("SELECT now()::timestamp(0)::text, CURRENT_DATE::text")
                now, today = cr.fetchone()
                return f"now() {now}, CURRENT_DATE {today}"
        finally:
            conn.close()

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def process_now(clock_env: dict[str, str]) -> str:
    """What a Python process started with ``clock_env`` reads as now (UTC)."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import datetime; print(datetime.datetime.now(datetime.timezone.utc)"
            ".strftime('%Y-%m-%d %H:%M:%S'))",
        ],
        env={**os.environ, **clock_env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()
