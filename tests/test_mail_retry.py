from datetime import datetime, timedelta

from odoo.addons.crm_invoicing_pl_notify.tools.mail_retry import (
    MAIL_RETRY_DELAYS,
    is_temporary_mail_failure,
    next_mail_retry,
)

SERVER = "Mail delivery failed via SMTP server 'sink'.\n"


def test_4xx_is_temporary():
    reason = SERVER + "SMTPDataError: (451, b'4.3.0 Local error, try again later')"
    assert is_temporary_mail_failure("unknown", reason)


def test_5xx_is_permanent():
    reason = SERVER + "SMTPDataError: (554, b'5.6.0 Transaction failed')"
    assert not is_temporary_mail_failure("unknown", reason)
    refused = SERVER + "SMTPRecipientsRefused: {'a@b.c': (550, b'5.1.1 User unknown')}"
    assert not is_temporary_mail_failure("unknown", refused)


def test_connection_failure_is_temporary():
    assert is_temporary_mail_failure("mail_smtp", "[Errno 111] Connection refused")
    assert is_temporary_mail_failure("unknown", "SMTPServerDisconnected: gone")


def test_other_errors_are_permanent():
    assert not is_temporary_mail_failure("mail_email_invalid", "Invalid address")
    assert not is_temporary_mail_failure("unknown", "")
    assert not is_temporary_mail_failure("mail_from_missing", None)


def test_retry_schedule_is_bounded():
    failed = datetime(2026, 11, 26, 12, 0)
    assert next_mail_retry(0, failed) == failed + MAIL_RETRY_DELAYS[0]
    assert next_mail_retry(2, failed) == failed + timedelta(hours=4)
    assert next_mail_retry(len(MAIL_RETRY_DELAYS), failed) is None
