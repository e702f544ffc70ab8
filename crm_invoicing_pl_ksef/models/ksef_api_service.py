"""Our settings and failure details on l10n_pl_edi's KSeF client.

l10n_pl_edi's ``KsefApiService`` is a plain Python class (not an Odoo model)
that its model methods instantiate by name (``KsefApiService(company)`` in
``account_move.py``, ``account_move_send.py``, ``res_config_settings.py``);
its URL comes from ``_get_api_url``, which hard-codes the production and
test addresses. Odoo's inheritance cannot reach such a class, so its methods
are wrapped once, here, when the add-on is imported. Every wrapper calls the
original and changes nothing unless crm_invoicing_pl_ksef is installed in the
database of the call:

- ``_get_api_url``: the system parameter ``crm_invoicing_pl.ksef_api_url``,
  when set, replaces the address (a KSeF test or demo environment, a proxy,
  the tests' local fake);
- ``_make_request``: the system parameter ``crm_invoicing_pl.ksef_timeout``
  (seconds) is the HTTP timeout of the authenticated calls (l10n_pl_edi: 10);
- ``get_invoice_upo``: inside a ``prefetched_upos()`` block, the UPOs of a
  batch session fetched together are answered without a new call;
- ``open_ksef_session``, ``send_invoice``, ``get_invoice_status``: inside a
  ``ksef_exchange()`` block, what l10n_pl_edi turns into a text error is kept
  with its details: whether KSeF was busy (HTTP 429 and its Retry-After),
  did not answer in time or could not be reached, whether the invoice may
  have reached KSeF (and its SHA-256, to find it there later), and the last
  invoice status answer (with the details and extensions it drops).
"""

import base64
import contextvars
import functools
import hashlib
from contextlib import contextmanager

import requests
from odoo.addons.l10n_pl_edi.tools.ksef_api_service import KsefApiService

MODULE = "crm_invoicing_pl_ksef"
PARAM_URL = "crm_invoicing_pl.ksef_api_url"
PARAM_TIMEOUT = "crm_invoicing_pl.ksef_timeout"

_exchange = contextvars.ContextVar("crm_invoicing_pl_ksef_exchange", default=None)
_upos = contextvars.ContextVar("crm_invoicing_pl_ksef_upos", default=None)


class KsefExchange:
    """What happened during the KSeF calls of one ``ksef_exchange()`` block."""

    def __init__(self):
        self.failure = None
        self.invoice_hash = None
        self.session_id = None
        self.invoice_status = None

    @property
    def temporary(self):
        """Whether the failure may go away by itself (worth a retry)."""
        return bool(self.failure) and self.failure["kind"] in (
            "busy",
            "timeout",
            "unreachable",
            "server",
        )


@contextmanager
def ksef_exchange():
    exchange = KsefExchange()
    token = _exchange.set(exchange)
    try:
        yield exchange
    finally:
        _exchange.reset(token)


@contextmanager
def prefetched_upos(contents):
    """Inside the block, ``get_invoice_upo`` answers from ``contents``
    ({invoice reference: UPO}) without asking KSeF again (the UPOs of a
    batch session, fetched together)."""
    token = _upos.set(contents)
    try:
        yield
    finally:
        _upos.reset(token)


def _installed(service):
    return MODULE in service.env.registry._init_modules


def _param(service, key):
    return service.env["ir.config_parameter"].sudo().get_param(key)


def _request_error(error):
    """The requests exception at the origin of a (chain of) UserError."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, requests.exceptions.RequestException):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def _failure(error, step):
    """Kind of a failed KSeF call, from the requests error behind it."""
    origin = _request_error(error)
    response = getattr(origin, "response", None)
    failure = {
        "step": step,
        "kind": "error",
        "http_status": None,
        "retry_after": None,
        # A send that failed without an answer may still have been received.
        "maybe_received": False,
        # No HTTP error behind it: the error's own words.
        "reason": None if origin is not None else str(error),
    }
    if isinstance(origin, requests.exceptions.Timeout):
        failure["kind"] = "timeout"
        failure["maybe_received"] = step == "send" and not isinstance(
            origin, requests.exceptions.ConnectTimeout
        )
    elif isinstance(origin, requests.exceptions.ConnectionError):
        failure["kind"] = "unreachable"
        failure["maybe_received"] = step == "send"
    elif response is not None:
        failure["http_status"] = response.status_code
        if response.status_code == 429:
            failure["kind"] = "busy"
            retry_after = (response.headers.get("Retry-After") or "").strip()
            failure["retry_after"] = int(retry_after) if retry_after.isdigit() else None
        elif response.status_code >= 500:
            failure["kind"] = "server"
            failure["maybe_received"] = step == "send"
    return failure


def _wrap(name, wrapper):
    original = getattr(KsefApiService, name)
    if getattr(original, "_crm_invoicing_pl", False):
        return

    @functools.wraps(original)
    def method(self, *args, **kwargs):
        if not _installed(self):
            return original(self, *args, **kwargs)
        return wrapper(original, self, *args, **kwargs)

    method._crm_invoicing_pl = True
    setattr(KsefApiService, name, method)


def _get_api_url(original, service):
    url = _param(service, PARAM_URL)
    return url.strip().rstrip("/") if url and url.strip() else original(service)


def _make_request(original, service, method, endpoint, *args, **kwargs):
    try:
        timeout = float(_param(service, PARAM_TIMEOUT) or 0)
    except ValueError:
        timeout = 0
    if timeout > 0:
        kwargs.setdefault("timeout", timeout)
    return original(service, method, endpoint, *args, **kwargs)


def _recorded(step):
    def wrapper(original, service, *args, **kwargs):
        exchange = _exchange.get()
        if exchange is not None and step == "send":
            exchange.invoice_hash = base64.b64encode(
                hashlib.sha256(args[0]).digest()
            ).decode()
            exchange.session_id = service.company.sudo().l10n_pl_edi_session_id
        try:
            result = original(service, *args, **kwargs)
        except Exception as error:
            if exchange is not None:
                exchange.failure = _failure(error, step)
            raise
        if exchange is not None and step == "status":
            exchange.invoice_status = result
        return result

    return wrapper


def _get_invoice_upo(original, service, *args, **kwargs):
    reference = args[0] if args else kwargs.get("invoice_reference_number")
    contents = _upos.get()
    if contents and reference in contents:
        return contents[reference]
    return original(service, *args, **kwargs)


_wrap("_get_api_url", _get_api_url)
_wrap("_make_request", _make_request)
_wrap("open_ksef_session", _recorded("open"))
_wrap("send_invoice", _recorded("send"))
_wrap("get_invoice_status", _recorded("status"))
_wrap("get_invoice_upo", _get_invoice_upo)
