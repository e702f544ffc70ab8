"""XSD validation of the Ministry of Finance's schemas without network access.

The MF schemas import the Ministry's shared type libraries (StrukturyDanych,
ElementarneTypyDanych, KodyKrajow, KodyUrzedowSkarbowych) by their http
address on crd.gov.pl. :func:`load_schema` compiles a schema with those
imports served from a local folder, by file name, never from the network:

- FA(3) (KSeF invoices): the schema of Odoo's ``l10n_pl_edi``, its imports in
  ``crm_invoicing_pl_ksef/data/ksef_xsd``;
- the Ministry's other schemas, each with its imports in a folder of the
  add-on that ships it (JPK_V7M(3): ``crm_invoicing_pl_jpk/data/jpk_xsd``).

Odoo-free: the errors are returned as plain data (:class:`SchemaProblem`); the
caller words them for the user (translated; ``account.move``'s
``_pl_ksef_problem_text`` of crm_invoicing_pl_ksef does it for any of them).
"""

import functools
import os
import re
import threading
from dataclasses import dataclass

from lxml import etree

FA3_NAMESPACE = "http://crd.gov.pl/wzor/2025/06/25/13775/"

_NS_PREFIX = re.compile(r"\{(?:https?://|urn:)[^}]*\}")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ?(?P<names>[^)]*?) ?\)")
_VALUE = re.compile(r"The value '(?P<value>[^']*)'")
_ALLOWED = re.compile(r"element of the set \{(?P<set>[^}]*)\}")
_ELEMENT = re.compile(r"^Element '(?P<element>[^']+)'")
# How many allowed values a message quotes (a tax-office code has 400).
MAX_QUOTED_VALUES = 12
# A compiled schema keeps the error log of its last validation: one
# validation at a time (the schema is shared by the threads of a server).
_VALIDATION_LOCK = threading.Lock()


class _LocalSchemas(etree.Resolver):
    """Serve imported/included schemas from a local folder, by file name."""

    def __init__(self, folder):
        super().__init__()
        self.folder = folder

    def resolve(self, system_url, public_id, context):
        name = (system_url or "").rsplit("/", 1)[-1]
        path = os.path.join(self.folder, name)
        if name and os.path.isfile(path):
            return self.resolve_filename(path, context)
        return None


@functools.lru_cache(maxsize=4)
def load_schema(main_xsd, imports_folder):
    """The compiled schema ``main_xsd``, its imports from ``imports_folder``.

    Raises ``etree.XMLSchemaParseError`` when the schema cannot be compiled
    (e.g. an imported file is missing: the network is never used).
    """
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalSchemas(imports_folder))
    with open(main_xsd, "rb") as xsd:
        document = etree.parse(xsd, parser, base_url=main_xsd)
    return etree.XMLSchema(document)


@dataclass(frozen=True)
class SchemaProblem:
    """One schema violation, in terms a user can act on."""

    line: int
    path: str  # e.g. "Faktura/Fa/FaWiersz[2]/P_12"
    element: str  # local name, e.g. "P_12"
    kind: str  # unexpected | missing | empty | value | other
    value: str  # the offending value, when there is one
    expected: tuple  # element names or allowed values
    message: str  # libxml2's own message, namespaces removed


def _readable_path(document, path):
    """``Faktura/Fa/FaWiersz[2]/P_12`` for lxml's error path ``/*/*[4]/*[9]/*[7]``."""
    if document is None or not path:
        return ""
    try:
        nodes = document.getroottree().xpath(path)
    except etree.XPathError:
        return ""
    if not nodes or not isinstance(nodes[0], etree._Element):
        return ""
    parts = []
    node = nodes[0]
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        same = (
            [n for n in parent if n.tag == node.tag] if parent is not None else [node]
        )
        parts.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
        node = parent
    return "/".join(reversed(parts))


def describe(error, document=None):
    """A :class:`SchemaProblem` from one lxml ``_LogEntry`` of ``document``."""
    message = _NS_PREFIX.sub("", error.message or "")
    element_match = _ELEMENT.search(message)
    element = element_match.group("element") if element_match else ""
    value_match = _VALUE.search(message)
    value = value_match.group("value") if value_match else ""
    expected = ()
    kind = "other"
    if "This element is not expected" in message:
        kind = "unexpected"
    elif "Missing child element" in message:
        kind = "missing"
    elif "underruns the allowed minimum length" in message or (
        "[facet 'minLength']" in message and "'0'" in message
    ):
        kind = "empty"
    elif "[facet '" in message or "is not a valid value" in message:
        kind = "value"
    if kind in ("unexpected", "missing"):
        expected_match = _EXPECTED.search(message)
        if expected_match:
            expected = tuple(
                name.strip() for name in expected_match.group("names").split(",")
            )
    elif kind == "value":
        allowed = _ALLOWED.search(message)
        if allowed:
            expected = tuple(
                item.strip().strip("'") for item in allowed.group("set").split(",")
            )
    if len(expected) > MAX_QUOTED_VALUES:
        message = _ALLOWED.sub(
            lambda match: (
                "element of the set {%s, ...}"
                % ", ".join("'%s'" % item for item in expected[:MAX_QUOTED_VALUES])
            ),
            message,
        )
    return SchemaProblem(
        line=error.line,
        path=_readable_path(document, error.path),
        element=element,
        kind=kind,
        value=value,
        expected=expected,
        message=message.strip(),
    )


def validate(schema, xml):
    """Schema problems of the document ``xml`` (bytes or str); [] when valid.

    A document that is not even well-formed XML gives one problem of kind
    ``malformed``.
    """
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    try:
        document = etree.fromstring(
            xml, etree.XMLParser(no_network=True, resolve_entities=False)
        )
    except etree.XMLSyntaxError as exc:
        return [
            SchemaProblem(
                line=exc.lineno or 0,
                path="",
                element="",
                kind="malformed",
                value="",
                expected=(),
                message=str(exc),
            )
        ]
    with _VALIDATION_LOCK:
        if schema.validate(document):
            return []
        errors = list(schema.error_log)
    return [describe(error, document) for error in errors]


def validate_file(schema, source, rows=()):
    """Schema problems of the document in the binary file ``source``; []
    when valid. Read as it is parsed, in constant memory (a JPK of 100 000
    rows): each element named in ``rows`` (Clark notation, e.g. the rows
    of a register) leaves the tree once read; only a document with problems
    is read whole again to name them as :func:`validate` does. Meant for
    files the caller wrote itself (entities are not switched off: lxml 4.9
    then lets a truncated file pass)."""
    try:
        with _VALIDATION_LOCK:
            for _event, element in etree.iterparse(
                source,
                events=("end",),
                tag=rows or None,
                schema=schema,
                no_network=True,
            ):
                element.clear(keep_tail=True)
                parent = element.getparent()
                if parent is not None:
                    del parent[: parent.index(element)]
    except etree.XMLSyntaxError:
        source.seek(0)
        return validate(schema, source.read())
    return []
