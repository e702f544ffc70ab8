#!/usr/bin/env python3
"""The suite's test command (``make test``).

1. preflight: Odoo 19.0 importable, the test-only package ``crm_pl_testing``
   (testing/, the fake servers) installed, PostgreSQL reachable, Chrome/Chromium
   and websocket-client present (without the last two Odoo silently SKIPS
   browser tours); every failure is loud and exits non-zero;
2. pytest on the top-level ``tests/`` directory (junit XML in .test-output/),
   while STANDALONE_ADDONS are each installed alone, with demo data, into a
   database of their own, in processes of their own (step 2a; not in a run
   narrowed by ``--addons`` / ``--test-tags``);
3. Odoo: a fresh throwaway database, the suite's add-ons installed WITH demo
   data, their tests (at_install and post_install, browser tours included) and
   Odoo's own tests of the Polish localisation and the invoicing parts of
   ``account`` / ``sale`` (CORE_TEST_TAGS) run with ``--test-tags``; the log is
   streamed to the console and to ``.test-output/odoo.log`` and parsed: Odoo's
   result line, every ERROR/CRITICAL line, skipped tests (a skipped HttpCase/tour
   test fails the run) and the browser tours that really ran;
4. one closing line ``N passed, M failed``; exit 0 only if M == 0.

``--date YYYY-MM-DD`` runs steps 1-3 as if today were that date: a throwaway
PostgreSQL cluster and every test process under libfaketime with one offset
(scripts/fake_clock.py).

Standard library only (plus psycopg2, which Odoo requires).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import os
import re
import subprocess
import sys
import threading
import time
import traceback
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fake_clock  # noqa: E402
import odoo_env  # noqa: E402
from odoo_env import REPO_ROOT, PreflightError  # noqa: E402

OUT_DIR = REPO_ROOT / ".test-output"
PYTEST_XML = OUT_DIR / "pytest.xml"
ODOO_LOG = OUT_DIR / "odoo.log"
DATA_DIR = OUT_DIR / "data"
# --reuse-template: developers' template databases (crm_pl_tmpl_<add-ons>_<tree>)
TEMPLATE_PREFIX = "crm_pl_tmpl_"
# Add-ons installed each alone into a database of their own, with demo data
# (issue 20): their declared dependencies must be enough. The whole suite is
# installed together in step 2.
STANDALONE_ADDONS = ("crm_vies_check", "crm_invoicing_pl")
DEFAULT_ODOO_TIMEOUT = 70 * 60  # seconds; CI allows 90 minutes in all
# Odoo's own tests that pass with the whole suite installed (they post Polish
# invoices, number them, correct them, send them to KSeF): part of the default
# run; ``--no-core`` leaves them out, ``--core`` adds them to a targeted run.
CORE_TEST_TAGS = (
    "/l10n_pl",
    "/l10n_pl_edi",
    "/base_vat",
    "-external",
    "/sale:TestSaleToInvoice",
    "/account:TestAccountMoveOutInvoiceOnchanges",
    "/account:TestAccountMoveOutRefundOnchanges",
    "/account:TestSequenceMixin",
)

# ---------------------------------------------------------------- log parsing
# odoo/netsvc.py: '%(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s: '
#                 '%(message)s %(perf_info)s'
LOG_LINE = re.compile(
    r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<pid>\d+) "
    r"(?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[^\s:]+): (?P<msg>.*)$"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# odoo/service/server.py ThreadedServer.run(), logger odoo.tests.result,
# str(OdooTestResult) from odoo/tests/result.py:
#   "1 failed, 0 error(s) of 3 tests when loading database 'db'"
RESULT = re.compile(
    r"^(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database '(?P<db>[^']*)'"
)
# OdooTestResult.startTest / addSkip / logError (logger = test module)
STARTING = re.compile(r"^Starting (?P<test>\S+) \.\.\.$")
SKIPPED = re.compile(r"^skipped (?P<test>.+?) : (?P<reason>.*)$")
FAILED = re.compile(r"^(?P<kind>FAIL|ERROR): (?:Subtest )?(?P<test>\S+)")
# Consequences of test failures already counted through FAIL/ERROR lines
# (odoo/modules/loading.py, odoo/tests/result.py):
DERIVED_ERRORS = (
    re.compile(r"^Module \S+: \d+ failures, \d+ errors of \d+ tests$"),
    re.compile(r"^At least one test failed when loading the modules\.$"),
    re.compile(r"^Test suite halted: max failed tests already reached"),
)
# ChromeBrowser._handle_console (odoo/tests/common.py) logs the console
# message that settles the browser test on '<test logger>.browser':
# start_tour() waits for "tour succeeded", browser_js() for "test successful".
TOUR_SUCCESS = "tour succeeded"
BROWSER_JS_SUCCESS = "test successful"
# Odoo's own skip reasons when the browser cannot run (odoo/tests/common.py).
BROWSER_SKIP_REASON = re.compile(r"websocket|chrom|devtools|browser", re.IGNORECASE)
# An end of a batch of tests: ERROR lines after it belong to no test.
BATCH_END = re.compile(
    r"^(Module \S+ loaded in |\d+ post-tests in |Starting post tests)"
)


@dataclass
class OdooLogStats:
    db: str
    result: dict | None = None
    started: int = 0
    failed_tests: list[str] = field(default_factory=list)
    failed_names: set[str] = field(default_factory=set)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    tours: int = 0
    browser_js: int = 0
    extra_errors: list[str] = field(default_factory=list)
    _current: tuple[str, str] | None = None  # (module logger, Class.method)
    _errors_in_test: list[tuple[tuple[str, str], str]] = field(default_factory=list)

    def feed(self, raw: str) -> None:
        m = LOG_LINE.match(ANSI.sub("", raw).rstrip())
        if not m:
            return  # continuation line (traceback) or non-log output
        level, logger, msg = m["level"], m["logger"], m["msg"].rstrip()
        if level == "INFO" and (s := STARTING.match(msg)):
            self.started += 1
            self._current = (logger, s["test"])
            return
        if (s := SKIPPED.match(msg)) and level == "INFO":
            self.skipped.append((logger, s["test"], s["reason"]))
            return
        if logger.endswith(".browser") and msg in (TOUR_SUCCESS, BROWSER_JS_SUCCESS):
            if msg == TOUR_SUCCESS:
                self.tours += 1
            else:
                self.browser_js += 1
            return
        if logger == "odoo.tests.result" and (r := RESULT.match(msg)):
            if r["db"] == self.db:
                self.result = {k: int(r[k]) for k in ("failed", "errors", "run")}
            return
        if BATCH_END.match(msg):
            self._current = None
            return
        if level not in ("ERROR", "CRITICAL"):
            return
        if f := FAILED.match(msg):
            self.failed_tests.append(f"{logger}: {msg.splitlines()[0]}")
            self.failed_names.add(f["test"])
            return
        if any(p.match(msg) for p in DERIVED_ERRORS):
            return
        line = f"{level} {logger}: {msg.splitlines()[0][:300]}"
        if self._current is not None:
            self._errors_in_test.append((self._current, line))
        else:
            self.extra_errors.append(line)

    def finish(self) -> None:
        """ERROR lines logged while a test ran count once, with that test's
        FAIL/ERROR, if the test failed; otherwise each counts as a failure."""
        for (_logger, test), line in self._errors_in_test:
            if test not in self.failed_names:
                self.extra_errors.append(f"{line}  [during {test}]")
        self._errors_in_test.clear()


def skipped_class(test: str) -> str:
    """The class name in a skip description: 'Class.method', or, for a
    setUpClass skip, 'setUpClass (odoo.addons.x.tests.test_y.Class)'."""
    if m := re.search(r"\(([\w.]+)\)", test):
        return m[1].rsplit(".", 1)[-1]
    return test.split(".")[0]


def http_test_classes(addons: list[str]) -> set[str]:
    """Names of test classes deriving (transitively, by name) from an HttpCase.

    A static look at the add-ons' tests/ sources: Odoo's skip line names only
    ``Class.method``, not the class's bases.
    """
    bases: dict[str, set[str]] = {}
    for addon in addons:
        for path in (REPO_ROOT / addon / "tests").rglob("*.py"):
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            except (SyntaxError, UnicodeDecodeError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    names = set()
                    for b in node.bases:
                        if isinstance(b, ast.Attribute):
                            names.add(b.attr)
                        elif isinstance(b, ast.Name):
                            names.add(b.id)
                    bases.setdefault(node.name, set()).update(names)

    def is_http(name: str, seen: set[str]) -> bool:
        if "HttpCase" in name or "HttpCommon" in name:
            return True
        if name in seen:
            return False
        seen.add(name)
        return any(is_http(b, seen) for b in bases.get(name, ()))

    return {name for name in bases if is_http(name, set())}


# ---------------------------------------------------------------- the steps
@dataclass
class Tally:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def fail(self, count: int, why: str) -> None:
        self.failed += count
        self.notes.append(f"FAILED ({count}): {why}")


def banner(text: str) -> None:
    print(f"\n==== {text} ====", flush=True)


def preflight(args) -> object:
    banner("preflight")
    odoo = odoo_env.import_odoo()
    print(f"odoo {odoo.release.version} at {odoo_env.odoo_root(odoo)}")
    if not args.odoo_only:
        try:
            import pytest  # noqa: F401
        except ImportError as exc:
            raise PreflightError(
                f"pytest is not installed ({exc}); pip install -r requirements-dev.txt"
            ) from exc
    print(f"crm_pl_testing (fake servers): {odoo_env.check_testing_package()}")
    if not args.pytest_only:
        print(f"odoo-bin: {odoo_env.odoo_bin(odoo)}")
        print(f"postgresql: {odoo_env.check_postgres()}")
        print(f"chrome: {odoo_env.find_chrome()}")
        print(f"websocket-client: {odoo_env.check_websocket()}")
    return odoo


def run_pytest(tally: Tally, child_env: dict[str, str]) -> None:
    banner("step 1: pytest tests/")
    tests_dir = REPO_ROOT / "tests"
    if not tests_dir.is_dir():
        print("no tests/ directory: 0 pytest tests")
        return
    PYTEST_XML.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "tests",
        f"--junitxml={PYTEST_XML}",
        "-o",
        "junit_family=xunit2",
    ]
    print("$ " + " ".join(cmd), flush=True)
    rc = subprocess.run(
        cmd, cwd=REPO_ROOT, env={**os.environ, **child_env}, check=False
    ).returncode
    if rc == 5:
        print("pytest collected no tests (exit code 5): counted as 0 tests")
        return
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    try:
        root = ET.parse(PYTEST_XML).getroot()
    except (OSError, ET.ParseError) as exc:
        tally.fail(1, f"pytest exited {rc} and left no readable {PYTEST_XML} ({exc})")
        return
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    for suite in suites:
        for key in counts:
            counts[key] += int(suite.get(key, 0))
    passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
    print(
        f"pytest: {passed} passed, {counts['failures']} failed, "
        f"{counts['errors']} errors, {counts['skipped']} skipped (exit code {rc})"
    )
    tally.passed += passed
    tally.skipped += counts["skipped"]
    bad = counts["failures"] + counts["errors"]
    if bad:
        tally.fail(bad, "pytest failures/errors")
    elif rc != 0:
        tally.fail(1, f"pytest exited {rc} (interrupted, internal or usage error)")


class Install:
    """Odoo installing ``addons`` with demo data into a new database ``db``,
    no test, in a process of its own (``start``); ``finish`` waits for it and
    returns what went wrong (empty when every add-on is installed)."""

    def __init__(self, odoo, db: str, addons: list[str], log: Path, env):
        self.db, self.addons, self.log = db, addons, log
        cmd = odoo_env.odoo_command(
            db,
            config=odoo_env.write_empty_config(OUT_DIR / f"odoo-install-{db}.conf"),
            data_dir=DATA_DIR,
            odoo_pkg=odoo,
            extra=[
                f"--init={','.join(addons)}",
                "--with-demo",
                "--stop-after-init",
                "--no-http",
                "--max-cron-threads=0",
                "--log-level=warn",
            ],
        )
        print("$ " + " ".join(cmd), flush=True)
        self.out = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.out,
            stderr=subprocess.STDOUT,
        )

    def finish(self) -> list[str]:
        try:
            rc = self.process.wait()
        finally:
            if self.process.poll() is None:  # interrupted: no orphan install
                self.process.kill()
                self.process.wait()
            self.out.close()
        log = self.log
        problems = [
            line
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
            if " ERROR " in line or " CRITICAL " in line
        ]
        missing = set(self.addons) - odoo_env.installed_modules(self.db, self.addons)
        if rc:
            problems.append(f"Odoo exited with code {rc} (log: {log})")
        if missing:
            problems.append(f"not installed: {', '.join(sorted(missing))} (log: {log})")
        return problems


def install_database(odoo, db: str, addons: list[str], log: Path, env) -> list[str]:
    """Install ``addons`` with demo data into a new database ``db``, no test;
    return what went wrong (empty when every add-on is installed)."""
    return Install(odoo, db, addons, log, env).finish()


def start_standalone(odoo, child_env: dict[str, str]) -> list[Install]:
    """Start installing each of STANDALONE_ADDONS alone (its dependencies
    only), each in a database and a process of its own, while pytest runs:
    on two cores the three overlap (about two minutes less than one after
    the other)."""
    banner("step 2a: add-ons installed alone (alongside step 1)")
    env = {**os.environ, **child_env, "PYTHONUNBUFFERED": "1"}
    return [
        Install(
            odoo,
            f"crm_pl_alone_{addon}_{os.getpid()}",
            [addon],
            OUT_DIR / f"standalone-{addon}.log",
            env,
        )
        for addon in STANDALONE_ADDONS
    ]


def finish_standalone(installs: list[Install], tally: Tally) -> None:
    """Wait for the installs of ``start_standalone`` and count them."""
    banner("step 2a: add-ons installed alone")
    for install in installs:
        addon = install.addons[0]
        try:
            problems = install.finish()
        finally:
            odoo_env.drop_database(install.db, DATA_DIR)
        if problems:
            print("\n".join(problems[:20]), flush=True)
            tally.fail(1, f"{addon} does not install alone")
        else:
            print(f"{addon}: installed alone with its dependencies", flush=True)
            tally.passed += 1


def template_name(
    addons: list[str], odoo_id: str, day: str, root: Path = REPO_ROOT
) -> str:
    """The name of the template database of ``addons`` as the tree at ``root``
    installs them on ``day``: a hash of the add-on list, then a hash of what
    the install reads (the suite's add-ons but their tests, the OCA add-ons'
    pins, ``odoo_id``: Odoo's version and place) and of the day (the demo data
    is dated from today)."""
    which = hashlib.sha1(",".join(sorted(addons)).encode()).hexdigest()[:8]
    content = hashlib.sha1(f"{odoo_id}\0{day}".encode())
    pins = root / "requirements-oca.txt"
    if pins.is_file():
        content.update(pins.read_bytes())
    for addon in odoo_env.discover_addons(root):
        for path in sorted((root / addon).rglob("*")):
            rel = path.relative_to(root)
            if not path.is_file() or {"tests", "__pycache__"} & set(rel.parts):
                continue
            content.update(str(rel).encode() + b"\0" + path.read_bytes())
    return f"{TEMPLATE_PREFIX}{which}_{content.hexdigest()[:12]}"


def prepare_template(odoo, addons: list[str], env) -> str:
    """The template database of ``addons``, installed now if the working tree
    or the day changed since it was made (older templates of the same
    add-ons are dropped)."""
    template = template_name(
        addons,
        f"{odoo.release.version} {odoo_env.odoo_root(odoo)}",
        time.strftime("%Y-%m-%d", time.gmtime()),
    )
    if odoo_env.database_exists(template):
        print(f"template database {template}: reused (nothing changed)")
        return template
    for stale in odoo_env.databases_like(template.rsplit("_", 1)[0] + "_"):
        print(f"template database {stale}: dropped (out of date)")
        odoo_env.drop_database(stale, DATA_DIR)
    print(f"template database {template}: installing {', '.join(addons)}")
    try:
        problems = install_database(
            odoo, template, addons, OUT_DIR / "template-install.log", env
        )
    except BaseException:
        odoo_env.drop_database(template, DATA_DIR)
        raise
    if problems:
        odoo_env.drop_database(template, DATA_DIR)
        raise PreflightError(
            "the template database does not install:\n" + "\n".join(problems[:20])
        )
    return template


def run_odoo(args, odoo, tally: Tally, child_env: dict[str, str]) -> None:
    banner("step 2: Odoo tests")
    addons = odoo_env.select_addons(args.addons)
    test_tags = args.test_tags or ",".join(f"/{a}" for a in addons)
    if args.core or not (args.addons or args.test_tags or args.no_core):
        test_tags += "," + ",".join(CORE_TEST_TAGS)
    db = f"crm_pl_test_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
    data_dir = DATA_DIR
    config = odoo_env.write_empty_config(OUT_DIR / "odoo-test.conf")
    port = odoo_env.free_port()
    env = {**os.environ, **child_env, "PYTHONUNBUFFERED": "1"}
    if odoo_env.database_exists(db):
        raise PreflightError(f"database {db} already exists; refusing to reuse it")
    if args.reuse_template:
        # The add-ons are installed already: Odoo runs the at_install tests
        # of each add-on as it loads it, then the post_install ones.
        odoo_env.copy_database(prepare_template(odoo, addons, env), db, data_dir)
        install = []
    else:
        install = [f"--init={','.join(addons)}", "--with-demo"]
    cmd = odoo_env.odoo_command(
        db,
        config=config,
        data_dir=data_dir,
        odoo_pkg=odoo,
        extra=[
            *install,
            "--test-enable",
            f"--test-tags={test_tags}",
            "--stop-after-init",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=test",
            f"--screenshots={OUT_DIR / 'screenshots'}",
        ],
    )
    print(f"add-ons: {', '.join(addons)}\ntest tags: {test_tags}\ndatabase: {db}")
    print("$ " + " ".join(cmd), flush=True)
    stats = OdooLogStats(db=db)
    rc = None
    timed_out = threading.Event()
    try:
        with (
            ODOO_LOG.open("w", encoding="utf-8") as log,
            subprocess.Popen(
                cmd,
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
            ) as proc,
        ):

            def kill_on_timeout():
                timed_out.set()
                proc.kill()

            watchdog = threading.Timer(args.odoo_timeout, kill_on_timeout)
            watchdog.start()
            try:
                for line in proc.stdout:
                    sys.stdout.write(line)
                    log.write(line)
                    stats.feed(line)
                rc = proc.wait()
            except BaseException:
                proc.kill()
                raise
            finally:
                watchdog.cancel()
    finally:
        if args.keep_db:
            print(f"\n--keep-db: database {db} kept (filestore in {data_dir})")
        else:
            try:
                odoo_env.drop_database(db, data_dir)
                print(f"\ndropped database {db}")
            except Exception as exc:  # report it, do not mask the run's result
                print(f"\nWARNING: could not drop database {db}: {exc}")
    stats.finish()
    if timed_out.is_set():
        tally.fail(1, f"Odoo killed after {args.odoo_timeout}s (--odoo-timeout)")
    report_odoo(stats, rc, addons, tally)


def report_odoo(stats: OdooLogStats, rc: int | None, addons: list[str], tally: Tally):
    http_classes = http_test_classes(addons)
    failed_before = tally.failed
    res = stats.result
    banner("Odoo results")
    if res is None:
        print(
            f"Odoo's result line ('N failed, M error(s) of T tests when loading "
            f"database {stats.db!r}') is missing from {ODOO_LOG}"
        )
        tally.fail(
            1, "Odoo printed no test result line (crash before the tests ended?)"
        )
    else:
        print(
            f"Odoo: {res['failed']} failed, {res['errors']} error(s) of {res['run']} "
            f"tests ({stats.started} started, {len(stats.skipped)} skipped)"
        )
        bad = res["failed"] + res["errors"]
        tally.passed += max(0, res["run"] - bad - len(stats.skipped))
        tally.skipped += len(stats.skipped)
        if bad:
            tally.fail(bad, "Odoo test failures/errors")
        if res["run"] == 0:
            tally.fail(1, "the Odoo step ran no test (does each add-on have tests/?)")
    for name in stats.failed_tests:
        print(f"  {name}")
    print(
        f"browser tours run: {stats.tours + stats.browser_js} "
        f"(start_tour: {stats.tours}, browser_js: {stats.browser_js})"
    )
    fatal_skips = []
    for logger, test, reason in stats.skipped:
        browser = skipped_class(test) in http_classes or BROWSER_SKIP_REASON.search(
            reason
        )
        mark = "FATAL (browser test)" if browser else "skipped"
        print(f"  {mark}: {logger}: {test} : {reason}")
        if browser:
            fatal_skips.append(test)
    if fatal_skips:
        tally.fail(
            len(fatal_skips),
            "HttpCase/browser tests were SKIPPED: " + ", ".join(fatal_skips),
        )
    if stats.extra_errors:
        count = len(stats.extra_errors)
        print(f"ERROR/CRITICAL log lines outside failed tests ({count}):")
        for line in stats.extra_errors[:50]:
            print(f"  {line}")
        tally.fail(len(stats.extra_errors), "ERROR/CRITICAL lines in the Odoo log")
    if rc is None:
        tally.fail(1, "Odoo did not run to the end")
    elif rc != 0 and tally.failed == failed_before:
        tally.fail(1, f"Odoo exited with code {rc}")
    elif rc != 0:
        print(f"Odoo exited with code {rc}")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    step = p.add_mutually_exclusive_group()
    step.add_argument("--pytest-only", action="store_true", help="only step 1 (pytest)")
    step.add_argument(
        "--odoo-only", action="store_true", help="only step 2 (Odoo tests)"
    )
    p.add_argument(
        "--addons",
        metavar="A,B",
        help="install and test only these suite add-ons (default: all)",
    )
    p.add_argument(
        "--test-tags",
        metavar="SPEC",
        help="passed to Odoo's --test-tags as is (default: /addon,... "
        "for the tested add-ons)",
    )
    core = p.add_mutually_exclusive_group()
    core.add_argument(
        "--core",
        action="store_true",
        help="with --addons / --test-tags: also run Odoo's own tests of l10n_pl, "
        "l10n_pl_edi, base_vat and the invoicing parts of account / sale (the "
        "default run includes them)",
    )
    core.add_argument(
        "--no-core",
        action="store_true",
        help="leave Odoo's own tests out of the default run",
    )
    p.add_argument(
        "--keep-db",
        action="store_true",
        help="keep the throwaway database (its name is printed)",
    )
    p.add_argument(
        "--reuse-template",
        action="store_true",
        help="for developers: install the add-ons once into a template database "
        "kept between runs (remade when a file the install reads or the day "
        "changes), copy it for this run and run the tests without installing "
        "(each add-on's at_install tests as Odoo loads it, then the "
        "post_install ones). make test in CI always installs afresh",
    )
    p.add_argument(
        "--odoo-timeout",
        type=int,
        default=DEFAULT_ODOO_TIMEOUT,
        metavar="SECONDS",
        help="kill Odoo after this long (default %(default)s)",
    )
    p.add_argument(
        "--date",
        metavar="YYYY-MM-DD[THH:MM]",
        help="run everything as if now were this date (UTC; 10:00 when no time "
        "is given): a throwaway PostgreSQL cluster and every test process under "
        "libfaketime with the same offset (needs Debian's faketime)",
    )
    args = p.parse_args(argv)
    if args.reuse_template and (args.date or args.pytest_only):
        p.error("--reuse-template needs the Odoo step and the real clock")
    return args


def run_steps(args, tally: Tally, child_env: dict[str, str]) -> None:
    odoo = preflight(args)
    installs = []
    if not (args.pytest_only or args.addons or args.test_tags):
        installs = start_standalone(odoo, child_env)
    try:
        if not args.odoo_only:
            run_pytest(tally, child_env)
        else:
            tally.notes.append("NOTE: pytest step not run (--odoo-only)")
    finally:
        if installs:
            finish_standalone(installs, tally)
    if not args.pytest_only:
        run_odoo(args, odoo, tally, child_env)
    else:
        tally.notes.append("NOTE: Odoo step not run (--pytest-only)")


def run_at_date(args, tally: Tally) -> None:
    """Run the steps with both clocks (processes and PostgreSQL) at ``--date``."""
    banner(f"fake clock: {args.date}")
    target = fake_clock.parse_target(args.date)
    fake_clock.check_time_machine()
    clock_env = fake_clock.faketime_env(target, fake_clock.find_libfaketime())
    print(f"libfaketime: {clock_env['LD_PRELOAD']}, offset {clock_env['FAKETIME']} s")
    pg_log = OUT_DIR / "postgres-fake-clock.log"
    with fake_clock.FakeClockPostgres(clock_env, odoo_env.free_port(), pg_log) as pg:
        saved = {k: os.environ.get(k) for k in pg.env}
        os.environ.update(pg.env)  # this runner's own psycopg2 calls too
        try:
            print(f"throwaway PostgreSQL on {pg.socket_dir} port {pg.port}")
            print(f"PostgreSQL clock: {pg.server_now()}")
            print(f"test processes' clock: {fake_clock.process_now(clock_env)} UTC")
            tally.notes.append(
                f"NOTE: run at the fake date {target:%Y-%m-%d %H:%M} UTC"
            )
            run_steps(args, tally, clock_env)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def main(argv=None) -> int:
    args = parse_args(argv)
    OUT_DIR.mkdir(exist_ok=True)
    tally = Tally()
    try:
        if args.date:
            run_at_date(args, tally)
        else:
            run_steps(args, tally, {})
    except PreflightError as exc:
        print(f"\nPREFLIGHT FAILED: {exc}", file=sys.stderr, flush=True)
        tally.fail(1, f"preflight: {exc}")
    except KeyboardInterrupt:
        tally.fail(1, "interrupted")
    except Exception:  # a bug or an unforeseen state: fail loudly, still summarise
        traceback.print_exc()
        tally.fail(1, "the test runner crashed (traceback above)")
    banner("summary")
    for note in tally.notes:
        print(note)
    if tally.skipped:
        print(f"skipped: {tally.skipped}")
    print(f"{tally.passed} passed, {tally.failed} failed", flush=True)
    return 0 if tally.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
