"""Moves the wall clock of every Python process of ``make test --date``.

scripts/fake_clock.py puts this directory first on PYTHONPATH and sets
CRM_PL_CLOCK_OFFSET (seconds) and LD_PRELOAD (libfaketime, for the other
processes: PostgreSQL, Chromium, wkhtmltopdf). Python imports this module at
start-up:

1. a Python process started with libfaketime preloaded runs itself again
   without it: libfaketime breaks Python 3.11's sleeps (EINVAL) or its lock
   time-outs (they wait for the whole offset), whichever way it treats the
   monotonic clock;
2. time-machine shifts ``time.time``, ``datetime.now`` and the like by the
   offset, the clock still ticking; the monotonic clock, sleeps and
   time-outs are left alone;
3. LD_PRELOAD is set again for the processes this one starts.
"""

import os
import sys

_OFFSET = os.environ.get("CRM_PL_CLOCK_OFFSET")
if _OFFSET:
    _PRELOAD = os.environ.get("LD_PRELOAD", "")
    if "faketime" in _PRELOAD:
        _env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
        _env["CRM_PL_LD_PRELOAD"] = _PRELOAD
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], _env)

    import time

    import time_machine

    time_machine.travel(time.time() + float(_OFFSET), tick=True).start()
    if os.environ.get("CRM_PL_LD_PRELOAD"):
        os.environ["LD_PRELOAD"] = os.environ["CRM_PL_LD_PRELOAD"]
