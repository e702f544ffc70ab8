"""Why a registry check got no usable answer, from the fault it recorded.

Pure Python, no Odoo. The checks keep the technical fault as the registry
or the network gave it (``partner.verification.raw_fault``): a VIES SOAP
faultstring ("MS_UNAVAILABLE", "GLOBAL_MAX_CONCURRENT_REQ", ...), the VIES
client's "NETWORK_ERROR: <exception>" / "HTTP_503", a white-list "WL-191:
<message>" / "unreachable: <message>" / "bad_response: <message>", or the
text of a network exception. ``fault_kind`` sorts it into a few kinds the
add-on words for the user in their language.
"""

import re

KINDS = (
    "timeout",  # the service did not answer in time
    "unreachable",  # no connection to the service
    "busy",  # too many requests, try again later
    "register_down",  # the register of a member state is down (VIES)
    "service_down",  # the service itself is unavailable
    "limit",  # the white list's daily limit is used up
    "requester",  # VIES refused our own VAT number
    "bad_response",  # an answer that is not the service's protocol
    "other",
)

_TIMEOUT = re.compile(
    r"time(d)?[ -]?out|ReadTimeout|ConnectTimeout|in time", re.IGNORECASE
)
_UNREACHABLE = re.compile(
    r"Connection|Max retries|Name or service not known|unreachable|refused",
    re.IGNORECASE,
)
_VIES = {
    "TIMEOUT": "timeout",
    "MS_UNAVAILABLE": "register_down",
    "SERVICE_UNAVAILABLE": "service_down",
    "SERVER_BUSY": "busy",
    "INVALID_REQUESTER_INFO": "requester",
}


def fault_kind(raw_fault):
    """The kind (one of ``KINDS``) of a recorded fault; "other" when unknown."""
    fault = (raw_fault or "").strip()
    if not fault:
        return "other"
    head, _sep, rest = fault.partition(":")
    head = head.strip()
    if head in _VIES:
        return _VIES[head]
    if "MAX_CONCURRENT_REQ" in head:
        return "busy"
    if head == "WL-191":
        return "limit"
    if head == "bad_response":
        return "bad_response"
    if re.fullmatch(r"HTTP_5\d\d", head):
        return "service_down"
    if head == "unreachable" or head == "NETWORK_ERROR":
        return "timeout" if _TIMEOUT.search(rest) else "unreachable"
    if _TIMEOUT.search(fault):
        return "timeout"
    if _UNREACHABLE.search(fault):
        return "unreachable"
    if head.startswith("WL-"):
        return "service_down"
    return "other"
