"""Registry failures sorted into kinds the user is told about in words."""

import pytest
from odoo.addons.crm_vies_check.tools.faults import KINDS, fault_kind


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("MS_UNAVAILABLE", "register_down"),
        ("TIMEOUT", "timeout"),
        ("SERVICE_UNAVAILABLE", "service_down"),
        ("SERVER_BUSY", "busy"),
        ("GLOBAL_MAX_CONCURRENT_REQ", "busy"),
        ("MS_MAX_CONCURRENT_REQ", "busy"),
        ("INVALID_REQUESTER_INFO", "requester"),
        ("HTTP_503", "service_down"),
        (
            "NETWORK_ERROR: HTTPConnectionPool(host='127.0.0.1', port=1): Read "
            "timed out. (read timeout=0.2)",
            "timeout",
        ),
        (
            "NETWORK_ERROR: HTTPConnectionPool(host='ec.europa.eu', port=443): Max "
            "retries exceeded (Caused by NewConnectionError: Connection refused)",
            "unreachable",
        ),
        ("WL-191: Wyczerpany dzienny limit zapytań", "limit"),
        ("WL-190: Błąd serwera", "service_down"),
        ("unreachable: White list API did not answer in time", "timeout"),
        (
            "unreachable: White list API is unreachable (http://127.0.0.1:1/api): "
            "HTTPConnectionPool(host='127.0.0.1', port=1): Max retries exceeded",
            "unreachable",
        ),
        ("bad_response: White list API answered HTTP 200 without JSON", "bad_response"),
        ("Read timed out.", "timeout"),
        ("", "other"),
        (None, "other"),
        ("something else", "other"),
    ],
)
def test_fault_kind(raw, kind):
    assert fault_kind(raw) == kind
    assert kind in KINDS
