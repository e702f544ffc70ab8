"""Which failed e-mails are worth sending again, and when.

Pure Python, no Odoo. Odoo's mail queue marks a mail that failed as an
"exception" and leaves it there; a temporary failure (the SMTP server could
not be reached, or answered with a 4xx code: "try again later") deserves a
few more tries, a permanent one (5xx: unknown user, rejected) does not.
"""

import re
from datetime import timedelta

# Delay after the previous failure before each retry.
MAIL_RETRY_DELAYS = (timedelta(minutes=10), timedelta(hours=1), timedelta(hours=4))

_SMTP_CODE = re.compile(r"SMTP\w*(?:Error|Refused)\w*:? \(?(\d{3})\b")
_TEMPORARY_WORDS = re.compile(
    r"timed out|timeout|connection (?:refused|reset|unexpectedly closed)|"
    r"SMTPServerDisconnected|SMTPConnectError|Temporary failure in name resolution",
    re.IGNORECASE,
)


def is_temporary_mail_failure(failure_type, failure_reason):
    """True when a failed e-mail may go through on a later try."""
    reason = failure_reason or ""
    codes = _SMTP_CODE.findall(reason)
    if codes:
        return all(code.startswith("4") for code in codes)
    if failure_type == "mail_smtp":  # no connection to the SMTP server
        return True
    return bool(_TEMPORARY_WORDS.search(reason))


def next_mail_retry(retry_count, failed_at):
    """When the ``retry_count``-th retry is due, or None when none is left."""
    if retry_count >= len(MAIL_RETRY_DELAYS):
        return None
    return failed_at + MAIL_RETRY_DELAYS[retry_count]
