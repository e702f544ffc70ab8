"""Base of the local fake servers that the tests start.

Each fake speaks a real protocol (NBP, VIES, white list, SMS gateway) on
127.0.0.1 at a free port, in a daemon thread, and is used as a context
manager yielding its URL. Odoo-free, so that the pytest suite and the Odoo
tests share the same fakes.
"""

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietServer(ThreadingHTTPServer):
    """HTTP server that takes a client giving up (a timeout test) calmly."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):
            return None
        return super().handle_error(request, client_address)


class FakeHandler(BaseHTTPRequestHandler):
    """Request handler of a fake: answers through ``self.server.fake``."""

    def send_payload(self, status, content_type, body):
        payload = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        """Keep test output quiet."""


class LocalFakeServer:
    """Start and stop a fake; subclasses set ``handler_class``."""

    handler_class = FakeHandler

    def __init__(self):
        self.base_url = None
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = None
        self._thread = None

    def _url(self):
        """What the context manager yields; the base URL by default."""
        return self.base_url

    def __enter__(self):
        self._closing.clear()
        self._server = QuietServer(("127.0.0.1", 0), self.handler_class)
        self._server.fake = self
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self._url()

    def __exit__(self, *exc_info):
        self._closing.set()  # wakes delayed handlers
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
