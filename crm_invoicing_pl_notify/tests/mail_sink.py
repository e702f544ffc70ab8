"""Odoo's outgoing e-mail routed to a local SMTP sink, for one test."""

from crm_pl_testing.smtp_sink import SmtpSink


def route_mail_to_sink(test):
    """Start an ``SmtpSink`` for ``test`` and make it Odoo's only mail server.

    Odoo never connects to SMTP in tests; these tests are about doing it, so
    sending is enabled for the test. Returns the sink (its ``messages``,
    ``fail_data``...).
    """
    sink = SmtpSink()
    host, port = sink.__enter__()
    test.addCleanup(sink.__exit__, None, None, None)
    servers = test.env["ir.mail_server"]
    servers.search([]).active = False
    servers.create(
        {
            "name": "Local sink",
            "smtp_host": host,
            "smtp_port": port,
            "smtp_encryption": "none",
            "sequence": 1,
        }
    )
    test.patch(type(servers), "_disable_send", classmethod(lambda cls: False))
    return sink
