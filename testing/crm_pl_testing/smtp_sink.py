"""A tiny SMTP server for tests, stdlib only.

Usage::

    sink = SmtpSink()
    with sink as (host, port):
        with smtplib.SMTP(host, port) as smtp:
            smtp.send_message(message)
    assert sink.messages[0].message["Subject"] == "Faktura FV/1/11/2026"

It speaks the minimal SMTP dialogue (EHLO/HELO, MAIL FROM, RCPT TO, DATA,
RSET, NOOP, QUIT; no AUTH, no STARTTLS) on 127.0.0.1 and keeps each accepted
message as a ReceivedMail, parsed with ``email.policy.default``; a message is
stored before the final 250, so it is there when smtplib returns.

Injected failures: ``fail_data`` (e.g. 451) answers every DATA with that
code after the content, ``fail_data_next`` is a queue of codes (None:
accept) consumed one per DATA before ``fail_data`` applies, and addresses
in ``reject_rcpt`` get 550 at RCPT TO.
"""

import email
import email.policy
import socketserver
import sys
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

MAX_COMMAND = 4096
_REPLIES = {
    421: "4.3.0 Service not available, closing channel",
    450: "4.2.0 Mailbox unavailable, try again later",
    451: "4.3.0 Local error in processing, try again later",
    452: "4.3.1 Insufficient system storage",
    550: "5.7.1 Message rejected",
    552: "5.3.4 Message too big",
    554: "5.6.0 Transaction failed",
}


@dataclass
class ReceivedMail:
    """One accepted message: envelope, bytes as received, parsed message."""

    mail_from: str
    rcpt_tos: list
    data: bytes
    helo: str = ""
    message: EmailMessage = field(init=False)

    def __post_init__(self):
        # ``data`` is kept as received (CRLF); the parsed message gets LF line
        # ends, as a message built in Python has.
        self.message = email.message_from_bytes(
            self.data.replace(b"\r\n", b"\n"), policy=email.policy.default
        )

    @property
    def attachments(self):
        """List of (filename, content type, bytes) of the attachments."""
        return [
            (part.get_filename(), part.get_content_type(), part.get_content())
            for part in self.message.iter_attachments()
        ]


class SmtpSink:
    """In-memory SMTP server on 127.0.0.1, run in a daemon thread."""

    def __init__(self, hostname="sink.test"):
        self.hostname = hostname
        self.messages = []
        self.commands = []
        self.fail_data = None
        self.fail_data_next = []
        self.reject_rcpt = set()
        self.host = self.port = None
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    def __enter__(self):
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.host, self.port = self._server.server_address[:2]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self.host, self.port

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def data_reply(self):
        """The code to answer the next DATA with, or None to accept it."""
        with self._lock:
            if self.fail_data_next:
                return self.fail_data_next.pop(0)
            return self.fail_data

    def store(self, mail):
        with self._lock:
            self.messages.append(mail)

    def log(self, line):
        with self._lock:
            self.commands.append(line)


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that hung up or went silent is expected, not an error.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return None
        return super().handle_error(request, client_address)


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30  # seconds of client silence before the connection is dropped

    def handle(self):
        sink = self.server.sink
        self.helo = ""
        self._reset()
        self.reply(220, f"{sink.hostname} ESMTP test sink")
        while True:
            line = self.rfile.readline(MAX_COMMAND + 1)
            if not line:
                return
            if len(line) > MAX_COMMAND:
                self.reply(500, "5.5.2 Line too long")
                continue
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            sink.log(text)
            verb, _, arg = text.partition(" ")
            handler = getattr(self, f"smtp_{verb.upper()}", None)
            if handler is None:
                self.reply(502, "5.5.1 Command not implemented")
            elif handler(arg.strip()) is False:
                return

    def reply(self, code, *lines):
        *first, last = lines or ("",)
        out = [f"{code}-{text}\r\n" for text in first] + [f"{code} {last}\r\n"]
        self.wfile.write("".join(out).encode("utf-8"))

    def _reset(self):
        self.mail_from = None
        self.rcpt_tos = []

    def smtp_EHLO(self, arg):
        if not arg:
            return self.reply(501, "5.5.4 Syntax: EHLO hostname")
        self.helo = arg
        self._reset()
        self.reply(250, self.server.sink.hostname, "8BITMIME", "SMTPUTF8", "HELP")

    def smtp_HELO(self, arg):
        if not arg:
            return self.reply(501, "5.5.4 Syntax: HELO hostname")
        self.helo = arg
        self._reset()
        self.reply(250, self.server.sink.hostname)

    def smtp_MAIL(self, arg):
        if not self.helo:
            return self.reply(503, "5.5.1 Send EHLO/HELO first")
        if self.mail_from is not None:
            return self.reply(503, "5.5.1 Nested MAIL command")
        address = _address(arg, "FROM:")
        if address is None:
            return self.reply(501, "5.5.4 Syntax: MAIL FROM:<address>")
        self.mail_from = address
        self.reply(250, "2.1.0 OK")

    def smtp_RCPT(self, arg):
        if self.mail_from is None:
            return self.reply(503, "5.5.1 Need MAIL before RCPT")
        address = _address(arg, "TO:")
        if not address:
            return self.reply(501, "5.5.4 Syntax: RCPT TO:<address>")
        if address in self.server.sink.reject_rcpt:
            return self.reply(550, "5.1.1 User unknown")
        self.rcpt_tos.append(address)
        self.reply(250, "2.1.5 OK")

    def smtp_DATA(self, arg):
        if arg:
            return self.reply(501, "5.5.4 Syntax: DATA")
        if not self.rcpt_tos:
            return self.reply(503, "5.5.1 Need RCPT before DATA")
        self.reply(354, "End data with <CR><LF>.<CR><LF>")
        lines = []
        while True:
            line = self.rfile.readline()
            if not line:
                return False
            if line in (b".\r\n", b".\n"):
                break
            lines.append(line[1:] if line.startswith(b".") else line)
        sink = self.server.sink
        code = sink.data_reply()
        if code:
            self.reply(code, _REPLIES.get(code, "Requested action not taken"))
        else:
            mail = ReceivedMail(self.mail_from, self.rcpt_tos, b"".join(lines))
            mail.helo = self.helo
            sink.store(mail)
            self.reply(250, f"2.0.0 OK queued as {len(sink.messages)}")
        self._reset()

    def smtp_RSET(self, arg):
        self._reset()
        self.reply(250, "2.0.0 OK")

    def smtp_NOOP(self, arg):
        self.reply(250, "2.0.0 OK")

    def smtp_QUIT(self, arg):
        self.reply(221, "2.0.0 Bye")
        return False


def _address(arg, keyword):
    """The address of "FROM:<a@b> SIZE=1" / "TO:<a@b>"; None if malformed."""
    if arg[: len(keyword)].upper() != keyword:
        return None
    rest = arg[len(keyword) :].strip()
    if rest.startswith("<"):
        end = rest.find(">")
        return rest[1:end] if end > 0 else None
    return rest.split(" ", 1)[0] if rest else None
