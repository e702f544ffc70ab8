"""A local fake of NBP's interest-rate files (static.nbp.pl) for tests.

Usage::

    fake = FakeNbpRates()
    fake.set_history([(date(2025, 12, 4), "4,00"), (date(2026, 3, 5), "3,75")])
    with fake as base_url:
        NbpReferenceClient(base_url=base_url).history()

It serves ``/stopy_procentowe_archiwum.xml`` (every change, in NBP's archive
format) and ``/stopy_procentowe.xml`` (the last change, in NBP's current
format), with the decimal comma. Set ``delay`` (seconds), ``fail_status``
(e.g. 500), ``malformed`` or ``empty`` to inject failures, or ``bodies``
({file name: bytes}) to serve a file as given; ``paths`` records each
request.
"""

from urllib.parse import urlsplit

from .fake_server import FakeHandler, LocalFakeServer

ARCHIVE = "stopy_procentowe_archiwum.xml"
CURRENT = "stopy_procentowe.xml"
MALFORMED_BODY = '<?xml version="1.0"?><stopy_procentowe_archiwum><pozycje obow'


def archive_xml(history):
    """NBP's archive file for ``history`` [(date, "3,75"), ...]."""
    entries = "".join(
        f'  <pozycje obowiazuje_od="{day.isoformat()}">\n'
        f'    <pozycja id="ref" oprocentowanie="{rate}" />\n'
        f'    <pozycja id="lom" oprocentowanie="{_plus(rate, "0,50")}" />\n'
        "  </pozycje>\n"
        for day, rate in history
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<stopy_procentowe_archiwum "
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'data_publikacji="2015-03-04">\n'
        f"{entries}</stopy_procentowe_archiwum>\n"
    )


def current_xml(history):
    """NBP's current file: the last change of ``history``."""
    day, rate = history[-1]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<stopy_procentowe data_publikacji="{day.isoformat()}">\n'
        '  <tabela id="stoproc" naglowek="Stopa procentowa:">\n'
        f'    <pozycja id="ref" nazwa="Stopa referencyjna" oprocentowanie="{rate}" '
        f'obowiazuje_od="{day.isoformat()}" />\n'
        f'    <pozycja id="lom" nazwa="Stopa lombardowa" '
        f'oprocentowanie="{_plus(rate, "0,50")}" obowiazuje_od="{day.isoformat()}" />\n'
        "  </tabela>\n"
        "</stopy_procentowe>\n"
    )


def _plus(rate, other):
    total = float(rate.replace(",", ".")) + float(other.replace(",", "."))
    return f"{total:.2f}".replace(".", ",")


class _Handler(FakeHandler):
    def do_GET(self):
        self.send_payload(*self.server.fake.respond(self.path))


class FakeNbpRates(LocalFakeServer):
    """In-memory static.nbp.pl/dane/stopy on 127.0.0.1, in a daemon thread."""

    handler_class = _Handler

    def __init__(self, history=()):
        super().__init__()
        self.history = list(history)
        self.delay = 0.0
        self.fail_status = None
        self.malformed = False
        self.empty = False
        self.bodies = {}
        self.paths = []

    @property
    def request_count(self):
        return len(self.paths)

    def set_history(self, history):
        """[(date, "3,75"), ...]: the reference-rate changes served."""
        self.history = sorted(history)

    def respond(self, raw_path):
        """Return (status, content type, body) for a GET of ``raw_path``."""
        with self._lock:
            self.paths.append(raw_path)
        if self.delay:
            self._closing.wait(self.delay)
        if self.fail_status:
            return self.fail_status, "text/plain", f"{self.fail_status} Error"
        name = urlsplit(raw_path).path.rsplit("/", 1)[-1]
        if name in self.bodies:
            return 200, "text/xml", self.bodies[name]
        if name not in (ARCHIVE, CURRENT):
            return 404, "text/html", "<html><body>404 Not Found</body></html>"
        if self.malformed:
            return 200, "text/xml", MALFORMED_BODY
        if self.empty:
            return 200, "text/xml", ""
        if name == ARCHIVE:
            return 200, "text/xml", archive_xml(self.history)
        return 200, "text/xml", current_xml(self.history)
